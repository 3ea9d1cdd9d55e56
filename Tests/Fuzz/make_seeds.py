#!/usr/bin/env python3
"""Writes the seed corpora for the fuzz targets (run from anywhere; re-run after the sources change).

seeds/query/: every code line that starts a statement in docs/LANGUAGE.md, each statement of
scripts/*.asq, and the query/error blocks of Tests/AnSinhCoreTests/Cases/*.test.
seeds/csv/: the first 12 lines of datasets/*.csv and of the test fixtures.
seeds/import/: small CSVs (the csv seeds, cut to 8 lines, and tables with blank, all-null, NaN,
  one-row and zero-row columns) in fuzz-import's layout — an options byte, the CSV's length in two
  bytes (little-endian), the CSV, then choice bytes for the pipelines (fixed pseudo-random ones).
run.sh also seeds each run with the malformed-input corpus (Tests/Corpus/, files up to 64 KB).
"""
import glob, hashlib, os, re

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.normpath(os.path.join(here, "..", ".."))
query_dir = os.path.join(here, "seeds", "query")
csv_dir = os.path.join(here, "seeds", "csv")
import_dir = os.path.join(here, "seeds", "import")


def write(folder, prefix, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    if not data.strip():
        return
    name = f"{prefix}-{hashlib.sha1(data).hexdigest()[:10]}"
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


for folder in (query_dir, csv_dir, import_dir):
    os.makedirs(folder, exist_ok=True)
    for old in os.listdir(folder):
        os.remove(os.path.join(folder, old))

# docs/LANGUAGE.md: statements in backticks and in code blocks.
doc = open(os.path.join(root, "docs", "LANGUAGE.md"), encoding="utf-8").read()
for snippet in re.findall(r"`([^`\n]+)`", doc):
    if snippet.startswith(("from ", "let ", "explain ", ".")):
        write(query_dir, "doc", snippet + "\n")
    elif any(snippet.startswith(stage + " ") for stage in ("where", "select", "derive", "summarize", "sort", "take", "join", "pivot", "compare", "chart", "per_capita")):
        write(query_dir, "doc", "from facts | " + snippet + "\n")

# scripts/*.asq: whole scripts, and each statement alone.
for path in sorted(glob.glob(os.path.join(root, "scripts", "*.asq"))):
    text = open(path, encoding="utf-8").read()
    write(query_dir, "script", text)
    for block in re.split(r"\n\s*\n", text):
        lines = [l for l in block.splitlines() if not l.lstrip().startswith("#")]
        if lines:
            write(query_dir, "stmt", "\n".join(lines) + "\n")

# Language cases: the statement of each query/error/statement block.
for path in sorted(glob.glob(os.path.join(root, "Tests", "AnSinhCoreTests", "Cases", "*.test"))):
    lines = open(path, encoding="utf-8").read().split("\n")
    i = 0
    while i < len(lines):
        if lines[i].split(" ")[0] in ("query", "error", "render", "statement"):
            body = []
            i += 1
            while i < len(lines) and lines[i] != "----" and lines[i] != "":
                body.append(lines[i])
                i += 1
            if body and not any(l.startswith(".import") for l in body):
                write(query_dir, "case", "\n".join(body) + "\n")
        i += 1

# CSV: heads of the datasets and fixtures.
for path in sorted(glob.glob(os.path.join(root, "datasets", "*.csv")) + glob.glob(os.path.join(root, "Tests", "AnSinhCoreTests", "Cases", "fixtures", "*.csv"))):
    with open(path, "rb") as f:
        head = b"".join(f.readlines()[:12])
    write(csv_dir, os.path.splitext(os.path.basename(path))[0], head)

# Import: a CSV, then choices. Hostile shapes first (issue 13: blank and all-null columns, NaN in
# a number column, one row, no rows), then the heads of the real files.
import random
rng = random.Random(13)
tables = [
    b"a,b\n1,\n2,\n",
    b"a,b,c\n1,NaN,x\n2,3.5,\n3,..,y\n",
    b"a,b\n1,x\n",
    b"a,b\n",
    b"district,year,value\nBa \xc4\x90\xc3\xacnh,2020,1.5\nHo\xc3\xa0n Ki\xe1\xba\xbfm,2021,\nBa \xc4\x90\xc3\xacnh,2021,-3\n",
    b"k;v;t\n1;1,5;\n1;2,5;a\n2;..;b\n",
    b"x\ttrue\n1\tfalse\n2\t\n",
    b"\"a\"\"b\",c\n\"q,1\",9223372036854775807\n\"\",-9223372036854775808\n",
]
for name in sorted(os.listdir(csv_dir)):
    with open(os.path.join(csv_dir, name), "rb") as f:
        tables.append(b"".join(f.read().splitlines(keepends=True)[:8]))
for table in tables:
    for _ in range(3):
        options = rng.randrange(256)
        choices = bytes(rng.randrange(256) for _ in range(rng.randrange(8, 96)))
        write(import_dir, "import", bytes([options, len(table) & 255, len(table) >> 8]) + table + choices)

print(f"{len(os.listdir(query_dir))} query seeds, {len(os.listdir(csv_dir))} csv seeds, {len(os.listdir(import_dir))} import seeds")
