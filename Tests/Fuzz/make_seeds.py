#!/usr/bin/env python3
"""Writes the seed corpora for the fuzz targets (run from anywhere; re-run after the sources change).

seeds/query/: every code line that starts a statement in docs/LANGUAGE.md, each statement of
scripts/*.asq, and the query/error blocks of Tests/AnSinhCoreTests/Cases/*.test.
seeds/csv/: the first 12 lines of datasets/*.csv and of the test fixtures.
run.sh also seeds each run with the malformed-input corpus (Tests/Corpus/, files up to 64 KB).
"""
import glob, hashlib, os, re

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.normpath(os.path.join(here, "..", ".."))
query_dir = os.path.join(here, "seeds", "query")
csv_dir = os.path.join(here, "seeds", "csv")


def write(folder, prefix, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    if not data.strip():
        return
    name = f"{prefix}-{hashlib.sha1(data).hexdigest()[:10]}"
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


for folder in (query_dir, csv_dir):
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

print(f"{len(os.listdir(query_dir))} query seeds, {len(os.listdir(csv_dir))} csv seeds")
