#!/usr/bin/env python3
"""`.import FILE.xlsx` on workbooks written by openpyxl at test time, through the built binary.

Usage: xlsx_check.py ANSINH [--tools-optional]

openpyxl writes the workbooks the way Python users make them (inline structure differs from
LibreOffice's: no shared formulas, its own styles, datetime cells with date formats). Checked:
a title row merged across the table, a two-row header (a merged `Poverty rate (%)` over years,
`Province` merged down), `..` markers, dates and date-times, booleans, a second sheet chosen with
`(sheet …)`, a sheet that does not exist, a range, a zip bomb (300 MB of XML in a 300 KB file)
refused under `.limit memory_mb 64` without taking the memory, and `--safe` (a workbook outside
the folder, or through a link, is refused exactly as a CSV file is). It also prints how long a
50,000-row sheet takes to import (not asserted).

openpyxl comes from PyPI into .build-xlsx/venv. Without PyPI, --tools-optional skips the check
and says so in capitals. Bounded: a few seconds, well under the timeout scripts/test gives it.
"""
import csv, io, os, resource, subprocess, sys, tempfile, time, venv, zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENV = ROOT / ".build-xlsx" / "venv"


def python_with_openpyxl():
    python = VENV / "bin" / "python"
    if python.exists() and subprocess.run([str(python), "-c", "import openpyxl"], capture_output=True).returncode == 0:
        return python
    if not python.exists():
        venv.create(VENV, with_pip=True)
    install = subprocess.run([str(python), "-m", "pip", "install", "--quiet", "openpyxl"], capture_output=True, text=True, timeout=600)
    if install.returncode != 0:
        print(install.stderr[-2000:], file=sys.stderr)
        return None
    return python


def run(ansinh, *statements, cwd=None, extra=()):
    args = [ansinh, "--no-rc", "--mode", "csv", "--lang", "en", *extra]
    for statement in statements:
        args += ["-c", statement]
    done = subprocess.run(args, capture_output=True, text=True, timeout=120, cwd=cwd)
    return done.returncode, done.stdout, done.stderr


def rows(text):
    """The CSV output without the `X_unit` columns data modes add beside figures with a unit."""
    table = list(csv.reader(io.StringIO(text)))
    if not table:
        return table
    keep = [index for index, name in enumerate(table[0]) if not name.endswith("_unit")]
    return [[row[index] for index in keep if index < len(row)] for row in table]


failures = []


def check(condition, what, detail=""):
    print(("ok   " if condition else "FAIL ") + what)
    if not condition:
        failures.append(what)
        if detail:
            print("     " + detail.replace("\n", "\n     "))


def build_workbooks(folder):
    import datetime
    from openpyxl import Workbook
    book = Workbook()
    sheet = book.active
    sheet.title = "Poverty"
    sheet["A1"] = "Poverty rate by province (%)"
    sheet.merge_cells("A1:D1")
    sheet["A3"] = "Province"
    sheet.merge_cells("A3:A4")
    sheet["B3"] = "Poverty rate (%)"
    sheet.merge_cells("B3:C3")
    sheet["D3"] = "Surveyed"
    sheet.merge_cells("D3:D4")
    sheet["B4"] = 2010
    sheet["C4"] = 2014
    data = [("Ha Noi", 5.3, 2.3, datetime.date(2014, 12, 31)), ("Ha Tay", 12.4, "..", datetime.date(2008, 8, 1)),
            ("Long An", 1.374, 3.2, datetime.datetime(2015, 1, 2, 8, 30))]
    for index, row in enumerate(data, start=5):
        for column, value in enumerate(row, start=1):
            sheet.cell(row=index, column=column, value=value)
    sheet["A9"] = "Source: General Statistics Office of Viet Nam"
    other = book.create_sheet("Population")
    other.append(["Province", "Population 2014", "Urban"])
    other.append(["Ha Noi", 7216.0, True])
    other.append(["Long An", 1484.0, False])
    book.save(folder / "poverty.xlsx")

    big = Workbook(write_only=True)
    rows_sheet = big.create_sheet("Rows")
    rows_sheet.append(["id", "district", "value", "share"])
    for index in range(50_000):
        rows_sheet.append([index, f"district {index % 700}", index * 1.5, (index % 100) / 100])
    big.save(folder / "big.xlsx")

    # A zip bomb: one sheet of 300 MB (a row, then spaces) that deflates to a few hundred KB.
    with zipfile.ZipFile(folder / "bomb.xlsx", "w", compression=zipfile.ZIP_DEFLATED) as bomb:
        with zipfile.ZipFile(folder / "poverty.xlsx") as source:
            for item in source.infolist():
                if item.filename != "xl/worksheets/sheet1.xml":
                    bomb.writestr(item.filename, source.read(item.filename))
        with bomb.open("xl/worksheets/sheet1.xml", "w", force_zip64=False) as part:
            part.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
            chunk = b" " * (1 << 20)
            for _ in range(300):
                part.write(chunk)
            part.write(b"</sheetData></worksheet>")


def checks(ansinh, folder):
    code, out, err = run(ansinh, '.import poverty.xlsx AS p', 'from p', cwd=folder)
    table = rows(out)
    check(code == 0, "the openpyxl workbook imports", err)
    check(table[:1] == [["Province", "Poverty rate (%) 2010", "Poverty rate (%) 2014", "Surveyed"]], "the two-row merged header is joined", out)
    check(table[1:2] == [["Ha Noi", "5.3", "2.3", "2014-12-31"]], "numbers as numbers, a date as a date", out)
    check(len(table) > 3 and table[2][2] == "" and table[3][1] == "1.374", "`..` is null and 1.374 stays 1.374", out)
    check(len(table) > 3 and table[3][3] == "2015-01-02 08:30:00", "a date-time keeps its time", out)
    check(len(table) == 4, "the source line is a note, not a row", out)
    check("read the sheet `Poverty`; the workbook's other sheets: `Population`" in err, "the note names the sheet and the others", err)
    check("row 1 is a title" in err and "rows 3 and 4 together are the header" in err, "title row and joined header are noted", err)
    code, out, err = run(ansinh, '.import poverty.xlsx AS p', '.schema p', cwd=folder)
    check("Source: General Statistics Office" in out + err, ".schema keeps the source line", out)

    code, out, err = run(ansinh, ".import poverty.xlsx AS pop (sheet 'Population')", 'from pop', cwd=folder)
    check(rows(out) == [["Province", "Population 2014", "Urban"], ["Ha Noi", "7216", "true"], ["Long An", "1484", "false"]], "(sheet 'Population') reads the second sheet, booleans as booleans", out + err)
    code, out, err = run(ansinh, ".import poverty.xlsx AS x (sheet 'Budget')", cwd=folder)
    check(code == 2 and "has no sheet `Budget`; its sheets are `Poverty`, `Population`" in err, "a missing sheet lists the sheets, exit 2", err)
    code, out, err = run(ansinh, ".import poverty.xlsx AS r (range 'A5:C6')", "from r", cwd=folder)
    check(rows(out) == [["Ha Noi", "5.3", "2.3"], ["Ha Tay", "12.4", ""]], "a range reads only its cells (its first row the header)", out + err)

    start = time.monotonic()
    code, out, err = run(ansinh, ".limit memory_mb 64", ".import bomb.xlsx AS b", cwd=folder)
    seconds = time.monotonic() - start
    check(code == 2 and "would take more than the memory limit of 64 MB" in err, "a 300 MB zip bomb is refused under .limit memory_mb 64", err)
    check(seconds < 30, f"the bomb is refused quickly ({seconds:.2f} s)")

    os.symlink(folder / "poverty.xlsx", folder / "inside" / "link.xlsx")
    code, out, err = run(ansinh, ".import ../poverty.xlsx AS p", cwd=folder / "inside", extra=["--safe"])
    check(code == 2 and "safe mode" in err, "--safe refuses a workbook outside the folder", err)
    code, out, err = run(ansinh, ".import link.xlsx AS p", cwd=folder / "inside", extra=["--safe"])
    check(code == 2 and "safe mode" in err, "--safe refuses a workbook through a link", err)
    (folder / "inside" / "copy.xlsx").write_bytes((folder / "poverty.xlsx").read_bytes())
    code, out, err = run(ansinh, ".import copy.xlsx AS p", "from p | take 1", cwd=folder / "inside", extra=["--safe"])
    check(code == 0 and "Ha Noi" in out, "--safe reads a workbook of the folder", err)

    start = time.monotonic()
    code, out, err = run(ansinh, ".import big.xlsx AS big", "from big | summarize n = count(), total = sum(value)", cwd=folder)
    seconds = time.monotonic() - start
    check(code == 0 and rows(out)[1:] == [["50000", str(sum(i * 1.5 for i in range(50_000))).rstrip("0").rstrip(".")]], "a 50,000-row sheet imports whole", out + err)
    print(f"info: a 50,000-row, 4-column sheet ({(folder / 'big.xlsx').stat().st_size // 1024} KB) imported and summed in {seconds:.2f} s")


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 1
    ansinh = str(Path(sys.argv[1]).resolve())
    optional = "--tools-optional" in sys.argv
    if os.environ.get("ANSINH_XLSX_IN_VENV") != "1":
        python = python_with_openpyxl()
        if python is None:
            if optional:
                print("OPENPYXL COULD NOT BE INSTALLED (NO PyPI?): THE XLSX CHECK WAS SKIPPED")
                return 0
            return 1
        env = dict(os.environ, ANSINH_XLSX_IN_VENV="1")
        return subprocess.run([str(python), __file__, *sys.argv[1:]], env=env).returncode
    with tempfile.TemporaryDirectory(prefix="ansinh-xlsx-") as name:
        folder = Path(name)
        (folder / "inside").mkdir()
        build_workbooks(folder)
        checks(ansinh, folder)
    print(f"{'FAILED' if failures else 'passed'}: {len(failures)} of the xlsx checks failed" if failures else "passed: every xlsx check")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
