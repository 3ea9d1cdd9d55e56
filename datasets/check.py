#!/usr/bin/env python3
"""Validate the ansinh datasets against their schema and against the source articles.

Usage: python3 datasets/check.py [SEEDS_DIR]

SEEDS_DIR defaults to ../shared/seeds relative to the repository root (the parent of this
file's folder). Exits 0 when every check passes (warnings allowed), 1 otherwise.
Only the Python standard library is used. The fixed lists below must match datasets/README.md.
"""
import csv
import re
import sys
import unicodedata
from decimal import Decimal, InvalidOperation
from pathlib import Path

DATASETS = Path(__file__).resolve().parent
REPO = DATASETS.parent

HEADERS = {
    "facts.csv": "id,district,province,district_type,period,year_from,year_to,measure,category,"
                 "indicator,detail,part_of,value,unit,qualifier,target,target_value,source,quote,note,definition",
    "indicators.csv": "indicator,category,label_vi,label_en,unit,measure,definition_en,definition_vi",
    "districts.csv": "district,district_ascii,province,district_type,wards_communes,wards_note,"
                     "population,population_year,population_source,area_km2,area_source,"
                     "dissolved_on,replaced_by,replacement_source,note",
    "sources.csv": "source,file,title,publisher,published,author,districts,language,copying,note",
}

DEFINITIONS = ["", "national-2022-2025", "hcmc-2019-2020", "hcmc-2016-2020"]
MEASURES = ["flow", "annual_average", "stock", "rate", "target", "threshold", "unit_amount"]
QUALIFIERS = ["exact", "about", "more_than", "nearly", "less_than"]
CATEGORIES = [
    "administration", "emergency_support", "employment", "funds", "gifts", "health", "housing",
    "meritorious_service", "payments", "policy_credit", "poverty", "programme_targets",
    "social_evils", "social_insurance", "social_protection", "vocational_training",
]
UNITS = [
    # money
    "VND", "VND/person/year", "VND/household/month", "VND/gift", "VND/savings_book",
    # counts
    "people", "person_visits", "households", "families", "customers", "cases", "gifts",
    "savings_books", "cards", "decisions", "houses", "classes", "cattle", "models", "sites",
    "targets", "programmes", "criteria", "wards", "communes",
    # ratios
    "percent", "times",
]
DISTRICT_TYPES = ["quận", "huyện"]
NOTE_PREFIXES = ("Reading:", "Derived:")

# period form -> regular expression; groups give year_from and year_to
PERIOD_FORMS = [
    ("year", re.compile(r"(\d{4})")),
    ("range", re.compile(r"(\d{4})-(\d{4})")),
    ("end", re.compile(r"end-(\d{4})")),
    ("start", re.compile(r"start-(\d{4})")),
    ("date", re.compile(r"(\d{4})-(\d{2})-(\d{2})")),
    ("per_year", re.compile(r"per year (\d{4})-(\d{4})")),
    ("by_end", re.compile(r"by end-(\d{4})")),
]
# which period forms each measure may use
MEASURE_PERIODS = {
    "flow": {"year", "range", "date"},
    "annual_average": {"per_year"},
    "stock": {"end", "start", "date"},
    "rate": {"year", "range", "end", "start", "date"},
    "target": {"by_end"},
    "threshold": {"year", "range"},
    "unit_amount": {"year", "range", "date"},
}

NUMBER_TOKEN = re.compile(r"\d+(?:[.,]\d+)*")
SCALE_WORDS = {"tỷ": 10**9, "triệu": 10**6, "nghìn": 10**3, "ngàn": 10**3}
SCALE_AFTER = re.compile(r"\s*(tỷ|triệu|nghìn|ngàn)(?!\w)")
PLAIN_DECIMAL = re.compile(r"-?\d+(\.\d+)?")

errors = []
warnings = []


def error(where, message):
    errors.append(f"{where}: {message}")


def warn(where, message):
    warnings.append(f"{where}: {message}")


def nfc(text):
    return unicodedata.normalize("NFC", text)


def read_table(name):
    """Read one CSV file, checking encoding, normalisation, line endings and the header."""
    path = DATASETS / name
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        error(name, "starts with a byte-order mark")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        error(name, f"not UTF-8 ({exc})")
        return []
    if "\r" in text:
        error(name, "contains CR characters; use LF line endings")
    if not text.endswith("\n"):
        error(name, "does not end with a newline")
    if not unicodedata.is_normalized("NFC", text):
        error(name, "is not NFC-normalised")
    reader = csv.reader(text.splitlines(keepends=True), strict=True)
    try:
        table = list(reader)
    except csv.Error as exc:
        error(name, f"bad CSV quoting: {exc}")
        return []
    if not table or ",".join(table[0]) != HEADERS[name]:
        error(name, f"header must be exactly: {HEADERS[name]}")
        return []
    header = table[0]
    rows = []
    for line_number, fields in enumerate(table[1:], start=2):
        if len(fields) != len(header):
            error(f"{name}:{line_number}", f"{len(fields)} fields, expected {len(header)}")
            continue
        for value in fields:
            if value != value.strip():
                error(f"{name}:{line_number}", f"leading or trailing space in {value!r}")
        row = dict(zip(header, fields))
        row["_line"] = line_number
        rows.append(row)
    return rows


def vietnamese_number(token):
    """Parse '4.509', '169,96', '0,07' the Vietnamese way ('.' thousands, ',' decimal)."""
    if token.count(",") > 1:
        return None
    groups = token.split(",")[0].split(".")
    if len(groups) > 1 and not all(len(g) == 3 for g in groups[1:]):
        return None  # not a valid thousands grouping, e.g. 852.3 or 136.000.0000
    try:
        return Decimal(token.replace(".", "").replace(",", "."))
    except InvalidOperation:
        return None


def numbers_in(quote):
    """Every number a quote states, in base units: plain, scaled (tỷ/triệu/nghìn), mixed, X/Y."""
    found = set()
    tokens = []
    for match in NUMBER_TOKEN.finditer(quote):
        number = vietnamese_number(match.group())
        if number is None:
            continue
        found.add(number)
        scale = SCALE_AFTER.match(quote, match.end())
        factor = SCALE_WORDS[scale.group(1)] if scale else None
        if factor:
            found.add(number * factor)
        tokens.append((match.start(), scale.end() if scale else match.end(), number, factor))
    # mixed forms: "1 tỷ 810 triệu", "2 tỷ 225 triệu"
    for (_, end1, n1, f1), (start2, _, n2, f2) in zip(tokens, tokens[1:]):
        if f1 and f2 and f1 > f2 and quote[end1:start2].strip() == "":
            found.add(n1 * f1 + n2 * f2)
    return found


def check_facts(facts, indicators, sources, districts, seeds):
    articles = {}
    for source_id, source in sources.items():
        path = seeds / source["file"]
        if path.is_file():
            articles[source_id] = nfc(path.read_text(encoding="utf-8"))
        else:
            error("sources.csv", f"{source_id}: article file not found: {path}")

    seen_ids = set()
    next_number = {}
    last_position = {}
    for fact in facts:
        where = f"facts.csv:{fact['_line']} ({fact['id']})"
        source_id = fact["source"]
        if fact["id"] in seen_ids:
            error(where, "duplicate id")
        seen_ids.add(fact["id"])
        if source_id not in sources:
            error(where, f"unknown source {source_id!r}")
        expected = f"{source_id}-{next_number.get(source_id, 1):02d}"
        if fact["id"] != expected:
            error(where, f"id should be {expected} (ids number each source's facts 01, 02, ... in file order)")
        next_number[source_id] = next_number.get(source_id, 1) + 1

        district = districts.get(fact["district"])
        if district is None:
            error(where, f"unknown district {fact['district']!r}")
        elif (fact["province"], fact["district_type"]) != (district["province"], district["district_type"]):
            error(where, "province or district_type differs from districts.csv")
        if source_id in sources and fact["district"] not in sources[source_id]["districts"]:
            error(where, f"district {fact['district']!r} is not among the source's districts")

        for column, allowed in (("measure", MEASURES), ("qualifier", QUALIFIERS),
                                ("category", CATEGORIES), ("unit", UNITS),
                                ("definition", DEFINITIONS)):
            if fact[column] not in allowed:
                error(where, f"{column} {fact[column]!r} is not one of the allowed values")
        indicator = indicators.get(fact["indicator"])
        if indicator is None:
            error(where, f"indicator {fact['indicator']!r} is not in indicators.csv")
        elif indicator["category"] != fact["category"]:
            error(where, f"category {fact['category']!r} differs from the indicator's {indicator['category']!r}")

        check_period(where, fact)

        if not PLAIN_DECIMAL.fullmatch(fact["value"]):
            error(where, f"value {fact['value']!r} is not a plain number (use '.' as decimal mark, no separators)")
            continue
        value = Decimal(fact["value"])
        target_value = None
        if fact["target_value"]:
            if not PLAIN_DECIMAL.fullmatch(fact["target_value"]):
                error(where, f"target_value {fact['target_value']!r} is not a plain number")
            else:
                target_value = Decimal(fact["target_value"])
            if not fact["target"]:
                error(where, "target_value without target text")
        if fact["unit"] == "percent" and not (0 <= value <= 1000):
            warn(where, f"percent value {value} looks odd")

        quote = nfc(fact["quote"])
        if not quote:
            error(where, "empty quote")
            continue
        if len(quote) > 200:
            warn(where, f"quote is {len(quote)} characters (aim for under 200)")
        article = articles.get(source_id)
        if article is not None:
            position = article.find(quote)
            if position < 0:
                error(where, "quote not found verbatim in the article")
            else:
                if article.count(quote) > 1:
                    warn(where, "quote occurs more than once in the article")
                if position < last_position.get(source_id, -1):
                    error(where, "facts are not in order of appearance in the article")
                last_position[source_id] = max(position, last_position.get(source_id, -1))

        note = fact["note"]
        if note.startswith("Derived:") and value != 0:
            error(where, "Derived: notes are only for zero stocks read from words such as 'không còn'")
        # Stricter than "value or target_value": the value itself must be written in the quote,
        # and a target_value must be written in the quote or the target text.
        if not note.startswith(NOTE_PREFIXES) and value not in numbers_in(quote):
            error(where, f"value {fact['value']} is not a number written in the quote; "
                         "fix it or explain with a note starting 'Reading:' or 'Derived:'")
        if target_value is not None and target_value not in numbers_in(quote) | numbers_in(nfc(fact["target"])):
            error(where, f"target_value {fact['target_value']} is not written in the quote or the target text")
    check_part_of(facts)
    return articles


def check_part_of(facts):
    """part_of: empty, or the id of another fact of the same source and district that includes this one."""
    by_id = {fact["id"]: fact for fact in facts}
    for fact in facts:
        whole_id = fact["part_of"]
        if not whole_id:
            continue
        where = f"facts.csv:{fact['_line']} ({fact['id']})"
        whole = by_id.get(whole_id)
        if whole is None:
            error(where, f"part_of {whole_id!r} is not an id in facts.csv")
            continue
        if whole_id == fact["id"]:
            error(where, "part_of points to the fact itself")
            continue
        if (whole["source"], whole["district"]) != (fact["source"], fact["district"]):
            error(where, f"part_of {whole_id!r} is not of the same source and district")
        if fact["measure"] in ("target", "threshold", "unit_amount") or whole["measure"] in ("target", "threshold", "unit_amount"):
            error(where, f"part_of links components to totals; not for measure {fact['measure']!r} or {whole['measure']!r}")
        if (fact["unit"] == whole["unit"] and PLAIN_DECIMAL.fullmatch(fact["value"])
                and PLAIN_DECIMAL.fullmatch(whole["value"]) and Decimal(fact["value"]) > Decimal(whole["value"])):
            error(where, f"value {fact['value']} is larger than that of the fact it is part of ({whole_id} = {whole['value']})")
        # no cycles: following part_of from this fact must end
        seen = {fact["id"]}
        step = whole
        while step is not None and step["part_of"]:
            if step["part_of"] in seen:
                error(where, "part_of links form a cycle")
                break
            seen.add(step["part_of"])
            step = by_id.get(step["part_of"])


def check_period(where, fact):
    for form, pattern in PERIOD_FORMS:
        match = pattern.fullmatch(fact["period"])
        if match:
            break
    else:
        error(where, f"period {fact['period']!r} is not one of the documented forms")
        return
    years = [int(g) for g in match.groups()]
    if form == "date":
        month, day = years[1], years[2]
        if not (1 <= month <= 12 and 1 <= day <= 31):
            error(where, f"period {fact['period']!r} is not a valid date")
        years = [years[0], years[0]]
    elif len(years) == 1:
        years = years * 2
    elif years[0] >= years[1]:
        error(where, f"period range {fact['period']!r} must go from an earlier to a later year")
    try:
        year_from, year_to = int(fact["year_from"]), int(fact["year_to"])
    except ValueError:
        error(where, "year_from and year_to must be integers")
        return
    if year_from > year_to:
        error(where, "year_from is after year_to")
    if [year_from, year_to] != years:
        error(where, f"year_from/year_to {year_from}/{year_to} do not match period {fact['period']!r}")
    if fact["measure"] in MEASURE_PERIODS and form not in MEASURE_PERIODS[fact["measure"]]:
        error(where, f"measure {fact['measure']!r} does not go with a period of the form {fact['period']!r}")


def period_kind(fact):
    """Kind of period for comparing rows: points in time, single years, ranges, per-year averages."""
    period = fact["period"]
    if period.startswith(("end-", "start-")) or re.fullmatch(r"\d{4}-\d{2}-\d{2}", period):
        return "point"
    if period.startswith("per year"):
        return "per_year"
    if period.startswith("by end-"):
        return "target"
    return "year" if re.fullmatch(r"\d{4}", period) else "range"


def point_key(period):
    """Order points in time; end-YYYY and start-(YYYY+1) are the same instant."""
    if period.startswith("end-"):
        return (int(period[4:]) + 1, 0, 0)
    if period.startswith("start-"):
        return (int(period[6:]), 0, 0)
    year, month, day = (int(x) for x in period.split("-"))
    return (year, month, day)


def disagreements(facts):
    """Pairs that state different values for the same thing (the rule in README.md)."""
    pairs = []
    for i, a in enumerate(facts):
        for b in facts[i + 1:]:
            same_thing = all(a[c] == b[c] for c in ("district", "indicator", "detail", "measure", "unit"))
            if not same_thing or Decimal(a["value"]) == Decimal(b["value"]):
                continue
            kind_a, kind_b = period_kind(a), period_kind(b)
            if kind_a != kind_b:
                continue
            if kind_a == "point":
                overlap = point_key(a["period"]) == point_key(b["period"])
            else:
                overlap = int(a["year_from"]) <= int(b["year_to"]) and int(b["year_from"]) <= int(a["year_to"])
            if overlap:
                pairs.append((a, b))
    return pairs


def main():
    seeds = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO.parent / "shared" / "seeds"
    if not seeds.is_dir():
        print(f"seeds folder not found: {seeds} (pass its path as the first argument)")
        return 1
    tables = {name: read_table(name) for name in HEADERS}
    facts = tables["facts.csv"]
    indicators = {row["indicator"]: row for row in tables["indicators.csv"]}
    sources = {row["source"]: row for row in tables["sources.csv"]}
    districts = {row["district"]: row for row in tables["districts.csv"]}

    if len(indicators) != len(tables["indicators.csv"]):
        error("indicators.csv", "duplicate indicator")
    for key, row in indicators.items():
        where = f"indicators.csv:{row['_line']} ({key})"
        if not re.fullmatch(r"[a-z][a-z0-9_]*", key):
            error(where, "indicator must be snake_case")
        if row["category"] not in CATEGORIES:
            error(where, f"category {row['category']!r} not allowed")
        if row["unit"] not in UNITS:
            error(where, f"unit {row['unit']!r} not allowed")
        if row["measure"] not in MEASURES:
            error(where, f"measure {row['measure']!r} not allowed")
        for column in ("label_vi", "label_en", "definition_en", "definition_vi"):
            if not row[column]:
                error(where, f"empty {column}")
    used = {fact["indicator"] for fact in facts}
    for key in sorted(set(indicators) - used):
        error("indicators.csv", f"indicator {key!r} is not used by any fact")

    for source_id, row in sources.items():
        where = f"sources.csv:{row['_line']} ({source_id})"
        if row["published"] and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["published"]):
            error(where, "published must be YYYY-MM-DD or empty")
        if row["language"] != "vi":
            error(where, "language must be 'vi'")
    for name, row in districts.items():
        where = f"districts.csv:{row['_line']} ({name})"
        if row["district_type"] not in DISTRICT_TYPES:
            error(where, "district_type must be quận or huyện")
        for column in ("wards_communes", "population", "population_year"):
            if row[column] and not row[column].isdigit():
                error(where, f"{column} must be an integer")
        if row["area_km2"] and not PLAIN_DECIMAL.fullmatch(row["area_km2"]):
            error(where, "area_km2 must be a number")
        if row["population"] and not row["population_source"]:
            error(where, "population without population_source")

    check_facts(facts, indicators, sources, districts, seeds)

    print("Facts per source:")
    for source_id in sources:
        count = sum(1 for fact in facts if fact["source"] == source_id)
        print(f"  {source_id:<12} {count:>4}  ({sources[source_id]['districts']})")
    print(f"  {'total':<12} {len(facts):>4}")
    print(f"Indicators: {len(indicators)}")
    print(f"Facts that are part of another fact (part_of): {sum(1 for fact in facts if fact['part_of'])}")
    pairs = disagreements(facts)
    print(f"Disagreements by the README rule: {len(pairs)}")
    for a, b in pairs:
        print(f"  {a['id']} {a['indicator']} {a['period']} = {a['value']}  vs  "
              f"{b['id']} {b['period']} = {b['value']}")
    for message in warnings:
        print(f"warning: {message}")
    for message in errors:
        print(f"error: {message}")
    print("OK" if not errors else f"FAILED: {len(errors)} error(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
