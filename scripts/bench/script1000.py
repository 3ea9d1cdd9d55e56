#!/usr/bin/env python3
"""The 1,000-statement script of the ansinh benchmark, in ansinh's language and in SQL.

    python3 scripts/bench/script1000.py OUTDIR [--count 1000] [--seed 1]

writes OUTDIR/script1000.asq (over ansinh's embedded `facts` table) and
OUTDIR/script1000.sql (the same statements in SQL, for a `facts` table loaded from
datasets/facts.csv). run.py imports `statements()` from here. Deterministic: the
statements are drawn from the templates below with random.Random(seed); the parameters
(districts, units, indicators, ...) come from datasets/facts.csv.

Each statement has a check kind (see queries.asq): run.py uses it to compare the answers
of the three engines once, outside the timed runs.
"""

import argparse
import csv
import random
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FACTS_CSV = REPO / "datasets" / "facts.csv"

# The SQL side. DuckDB infers the column types with read_csv and reads an empty field as
# null. sqlite3 needs the types before .import and reads an empty field as '': sqlite_setup()
# declares them from the file's contents and turns '' into null, as ansinh and DuckDB have it.
DUCKDB_SETUP = "CREATE TABLE facts AS SELECT * FROM read_csv('{facts}');\n"


def sqlite_setup(facts_csv):
    with open(facts_csv, encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        rows = list(reader)
    types = []
    for i, _ in enumerate(header):
        vals = [r[i] for r in rows if i < len(r) and r[i] != ""]
        if vals and all(re.fullmatch(r"-?\d+", v) for v in vals):
            types.append("INTEGER")
        elif vals and all(re.fullmatch(r"-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?", v) for v in vals):
            types.append("REAL")
        else:
            types.append("TEXT")
    cols = ", ".join(f'"{h}" {t}' for h, t in zip(header, types))
    nulls = ", ".join(f'"{h}" = NULLIF("{h}", \'\')' for h in header)
    return (f"CREATE TABLE facts({cols});\n"
            f'.import --csv --skip 1 "{facts_csv}" facts\n'
            f"UPDATE facts SET {nulls};\n")


def _q(text):
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def _a(text):
    """An ansinh string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _pools(facts_csv):
    with open(facts_csv, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    def distinct(col):
        return sorted({r[col] for r in rows if r[col] != ""})
    values = sorted(float(r["value"]) for r in rows)
    quantiles = [values[int(len(values) * q)] for q in (0.1, 0.25, 0.5, 0.75, 0.9)]
    return {
        "district": distinct("district"),
        "unit": distinct("unit"),
        "indicator": distinct("indicator"),
        "category": distinct("category"),
        "measure": distinct("measure"),
        "source": distinct("source"),
        "district_type": distinct("district_type"),
        "year": sorted({int(r["year_to"]) for r in rows} | {int(r["year_from"]) for r in rows}),
        "threshold": [int(q) for q in quantiles],
    }


def _templates():
    """Each takes (rng, pools) and returns (ansinh statement, SQL statement, check)."""
    def t_count_sum(r, p):
        d = r.choice(p["district"])
        return (f"from facts | where district == {_a(d)} | summarize n = count(), total = sum(value)",
                f"SELECT count(*) AS n, sum(value) AS total FROM facts WHERE district = {_q(d)};", "ordered")

    def t_sum_by_district(r, p):
        u = r.choice(p["unit"])
        return (f"from facts | where unit == {_a(u)} | summarize total = sum(value), n = count() by district",
                f"SELECT district, sum(value) AS total, count(*) AS n FROM facts WHERE unit = {_q(u)} GROUP BY district;", "set")

    def t_top_k(r, p):
        y, k = r.choice(p["year"]), r.randint(1, 15)
        return (f"from facts | where year_to >= {y} | sort value desc | take {k} | select id, district, value",
                f"SELECT id, district, value FROM facts WHERE year_to >= {y} ORDER BY value DESC LIMIT {k};", "top value")

    def t_avg_by_category(r, p):
        return ("from facts | summarize n = count(), avg_value = avg(value) by category",
                "SELECT category, count(*) AS n, avg(value) AS avg_value FROM facts GROUP BY category;", "set")

    def t_rows_of_indicator(r, p):
        i = r.choice(p["indicator"])
        return (f"from facts | where indicator == {_a(i)} | select id, district, year_to, value",
                f"SELECT id, district, year_to, value FROM facts WHERE indicator = {_q(i)};", "set")

    def t_derive(r, p):
        t = r.choice(p["threshold"]) / 1000
        return (f"from facts | derive thousands = value / 1000 | where thousands > {t:g} | summarize n = count()",
                f"SELECT count(*) AS n FROM facts WHERE value / 1000.0 > {t:g};", "ordered")

    def t_measure_threshold(r, p):
        m, t = r.choice(p["measure"]), r.choice(p["threshold"])
        return (f"from facts | where measure == {_a(m)} and value > {t} | summarize n = count(), high = max(value) by district, unit",
                f"SELECT district, unit, count(*) AS n, max(value) AS high FROM facts WHERE measure = {_q(m)} AND value > {t} GROUP BY district, unit;", "set")

    def t_distinct(r, p):
        return ("from facts | distinct district, unit",
                "SELECT DISTINCT district, unit FROM facts;", "set")

    def t_minmax_by_year(r, p):
        c = r.choice(p["category"])
        return (f"from facts | where category == {_a(c)} | summarize low = min(value), high = max(value) by year_to",
                f"SELECT year_to, min(value) AS low, max(value) AS high FROM facts WHERE category = {_q(c)} GROUP BY year_to;", "set")

    def t_between(r, p):
        d = r.choice(p["district"])
        y1 = r.choice(p["year"])
        y2 = y1 + r.randint(0, 3)
        return (f"from facts | where district == {_a(d)} and year_from between {y1} and {y2} | summarize total = sum(value) by unit",
                f"SELECT unit, sum(value) AS total FROM facts WHERE district = {_q(d)} AND year_from BETWEEN {y1} AND {y2} GROUP BY unit;", "set")

    def t_in_list(r, p):
        u1, u2 = r.sample(p["unit"], 2)
        return (f"from facts | where unit in ({_a(u1)}, {_a(u2)}) and qualifier == \"exact\" | summarize n = count() by district, unit",
                f"SELECT district, unit, count(*) AS n FROM facts WHERE unit IN ({_q(u1)}, {_q(u2)}) AND qualifier = 'exact' GROUP BY district, unit;", "set")

    def t_count_distinct(r, p):
        return ("from facts | summarize indicators = count_distinct(indicator) by district",
                "SELECT district, count(DISTINCT indicator) AS indicators FROM facts GROUP BY district;", "set")

    def t_source_rows(r, p):
        s = r.choice(p["source"])
        return (f"from facts | where source == {_a(s)} | sort year_to desc, value desc | select id, year_to, value",
                f"SELECT id, year_to, value FROM facts WHERE source = {_q(s)} ORDER BY year_to DESC, value DESC;", "set")

    def t_round(r, p):
        return ("from facts | where unit == \"percent\" | select id, pct = round(value, 1)",
                "SELECT id, round(value, 1) AS pct FROM facts WHERE unit = 'percent';", "set")

    def t_by_province(r, p):
        k = r.choice(p["district_type"])
        return (f"from facts | where district_type == {_a(k)} | summarize n = count(), total = sum(value) by province",
                f"SELECT province, count(*) AS n, sum(value) AS total FROM facts WHERE district_type = {_q(k)} GROUP BY province;", "set")

    return [t_count_sum, t_sum_by_district, t_top_k, t_avg_by_category, t_rows_of_indicator, t_derive,
            t_measure_threshold, t_distinct, t_minmax_by_year, t_between, t_in_list, t_count_distinct,
            t_source_rows, t_round, t_by_province]


def statements(count=1000, seed=1, facts_csv=FACTS_CSV):
    """[(ansinh statement, SQL statement, check)] * count, the same for the same arguments."""
    rng = random.Random(seed)
    pools = _pools(facts_csv)
    templates = _templates()
    out = []
    for i in range(count):
        # every template in turn, then at random, so that all appear even in short scripts
        t = templates[i] if i < len(templates) else rng.choice(templates)
        out.append(t(rng, pools))
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description="Write the 1,000-statement benchmark script in ansinh and SQL.")
    ap.add_argument("outdir")
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    out = Path(args.outdir)
    out.mkdir(parents=True, exist_ok=True)
    stmts = statements(args.count, args.seed)
    (out / "script1000.asq").write_text(".mode csv\n" + "".join(a + "\n" for a, _, _ in stmts), encoding="utf-8")
    (out / "script1000.sql").write_text(".mode csv\n" + "".join(s + "\n" for _, s, _ in stmts), encoding="utf-8")
    (out / "script1000-setup-sqlite3.sql").write_text(sqlite_setup(FACTS_CSV), encoding="utf-8")
    (out / "script1000-setup-duckdb.sql").write_text(DUCKDB_SETUP.format(facts=FACTS_CSV), encoding="utf-8")
    print(f"wrote {out / 'script1000.asq'} and {out / 'script1000.sql'} ({len(stmts)} statements)")


if __name__ == "__main__":
    sys.exit(main())
