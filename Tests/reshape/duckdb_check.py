#!/usr/bin/env python3
"""`unpivot` (and the other reshaping stages) against DuckDB on the real GSO exports.

Usage: duckdb_check.py ANSINH [--tools-optional]

For each of the seven statistics-office exports in Tests/AnSinhCoreTests/Fixtures/gso, DuckDB
reads the file with the options a person would give it by hand (`;`, two title lines, `..` as
null) and runs `FROM t UNPIVOT INCLUDE NULLS (value FOR name IN (the number columns))`; ansinh imports
the same file with a plain `.import` and runs `unpivot all except …`. Every row must agree: the
kept text cells, the column name, the value (numbers to 1e-9, nulls as nulls), in the same order.

DuckDB comes from PyPI into .build-reshape/venv (the export check's venv is used when it already
has DuckDB). Without PyPI, --tools-optional skips the check and says so in capitals. Bounded:
seven small files, a few seconds.
"""
import csv, io, math, os, subprocess, sys, venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "Tests" / "AnSinhCoreTests" / "Fixtures" / "gso"
VENVS = [ROOT / ".build-export" / "venv", ROOT / ".build-reshape" / "venv"]


def python_with_duckdb():
    for folder in VENVS:
        python = folder / "bin" / "python"
        if python.exists() and subprocess.run([str(python), "-c", "import duckdb"], capture_output=True).returncode == 0:
            return python
    folder = VENVS[-1]
    python = folder / "bin" / "python"
    if not python.exists():
        venv.create(folder, with_pip=True)
    install = subprocess.run([str(python), "-m", "pip", "install", "--quiet", "duckdb"], capture_output=True, text=True, timeout=600)
    if install.returncode != 0:
        print(install.stderr[-2000:], file=sys.stderr)
        return None
    return python


def quote_name(name):
    return "`" + name.replace("`", "``") + "`"


def run_ansinh(ansinh, script):
    run = subprocess.run([ansinh, "--no-rc"], input=script, capture_output=True, text=True, timeout=60)
    if run.returncode != 0:
        raise RuntimeError(f"ansinh failed ({run.returncode}):\n{run.stderr}")
    return list(csv.reader(io.StringIO(run.stdout)))


def same_number(a, b):
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def as_number(text):
    if text == "":
        return None
    return float(text)


def check_unpivot(ansinh, duckdb):
    failures = 0
    files = sorted(FIXTURES.glob("*.csv"))
    for path in files:
        con = duckdb.connect()
        con.execute("CREATE TABLE t AS SELECT * FROM read_csv(?, delim=';', skip=2, header=true, nullstr='..', quote='\"')", [str(path)])
        described = con.execute("DESCRIBE t").fetchall()
        keys = [row[0] for row in described if row[1] == "VARCHAR"]
        values = ", ".join('"' + row[0].replace('"', '""') + '"' for row in described if row[1] != "VARCHAR")
        expected = con.execute(f'FROM t UNPIVOT INCLUDE NULLS ("__value" FOR "__name" IN ({values}))').fetchall()
        # ansinh trims header names (`"  2011 over 2010"`), so keys are named as it names them.
        trimmed = [k.strip() for k in keys]
        script = (
            f'.import "{path}" AS t\n.mode csv\n'
            f"from t | unpivot all except {', '.join(quote_name(k) for k in trimmed)} into __name, __value\n"
        )
        rows = run_ansinh(ansinh, script)
        header, body = rows[0], rows[1:]
        positions = [header.index(k) for k in trimmed] + [header.index("__name"), header.index("__value")]
        problems = []
        if len(body) != len(expected):
            problems.append(f"{len(body)} rows, DuckDB {len(expected)}")
        for number, (got, want) in enumerate(zip(body, expected)):
            cells = [got[p] for p in positions]
            for k in range(len(keys)):
                if cells[k] != (want[k] if want[k] is not None else ""):
                    problems.append(f"row {number + 1}: `{trimmed[k]}` is {cells[k]!r}, DuckDB {want[k]!r}")
            if cells[len(keys)] != want[len(keys)].strip():
                problems.append(f"row {number + 1}: name {cells[len(keys)]!r}, DuckDB {want[len(keys)]!r}")
            value = want[len(keys) + 1]
            if not same_number(as_number(cells[-1]), None if value is None else float(value)):
                problems.append(f"row {number + 1}: value {cells[-1]!r}, DuckDB {value!r}")
            if len(problems) > 5:
                break
        status = "ok" if not problems else "FAILED"
        print(f"unpivot {status}: {path.name}: {len(body)} rows, keys {trimmed}")
        for problem in problems[:5]:
            print("   ", problem)
        failures += bool(problems)
    return failures


def main():
    ansinh = os.path.abspath(sys.argv[1])
    optional = "--tools-optional" in sys.argv
    if os.environ.get("ANSINH_RESHAPE_IN_VENV") != "1":
        python = python_with_duckdb()
        if python is None:
            if optional:
                print("DUCKDB COULD NOT BE INSTALLED (NO PyPI?): THE UNPIVOT CHECK AGAINST DUCKDB WAS SKIPPED")
                return 0
            print("duckdb could not be installed", file=sys.stderr)
            return 1
        env = dict(os.environ, ANSINH_RESHAPE_IN_VENV="1")
        return subprocess.run([str(python), __file__, *sys.argv[1:]], env=env).returncode
    import duckdb
    failures = check_unpivot(ansinh, duckdb)
    print("all agree with DuckDB" if failures == 0 else f"{failures} checks disagree with DuckDB")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
