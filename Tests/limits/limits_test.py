#!/usr/bin/env python3
"""Resource limits (issue 13, "Hangs and memory"): each case must end with the right answer or a
clear message, within a time and memory bound, never a hang or exhaustion.

  - a flat chain of 101 (and 5,000) `or` terms: the answer of the same `in (…)` list;
  - a 4,000-line statement (lines starting with `|`, and lines ending with `|`);
  - 20,000 `let`s;
  - a 7,000 × 7,000 self-join under `.limit memory_mb 300`: the limit's message, not 1.7 GB;
  - a single CSV field of 64 MB (256 MB with LIMITS_FULL=1): its length.

Usage: limits_test.py ANSINH. Bounds are generous (a debug build on a shared machine); a
quadratic regression takes minutes and fails them.
"""
import os, resource, subprocess, sys, tempfile, time
from pathlib import Path

binary = str(Path(sys.argv[1]).resolve())
work = Path(tempfile.mkdtemp(prefix="ansinh-limits-"))
failures = 0
passed = 0


def run(label, args, expect_out=None, expect_err=None, seconds=60, max_mb=None, status=0):
    global failures, passed
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.time()
    try:
        r = subprocess.run([binary, "--no-rc", "--lang", "en", "--mode", "csv", *args], capture_output=True, text=True,
                           timeout=seconds, cwd=work)
    except subprocess.TimeoutExpired:
        print(f"FAIL {label}: no answer within {seconds} s")
        failures += 1
        return
    elapsed = time.time() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KB → MB (largest child so far)
    problems = []
    if r.returncode != status:
        problems.append(f"exit {r.returncode}, expected {status}")
    if expect_out is not None and r.stdout.strip() != expect_out:
        problems.append(f"stdout {r.stdout.strip()[:300]!r}, expected {expect_out!r}")
    if expect_err is not None and expect_err not in r.stderr:
        problems.append(f"stderr {r.stderr.strip()[:300]!r} lacks {expect_err!r}")
    if max_mb is not None and peak > max(max_mb, before / 1024) and peak > max_mb:
        problems.append(f"peak memory {peak:.0f} MB > {max_mb} MB")
    if problems:
        print(f"FAIL {label} ({elapsed:.1f} s): " + "; ".join(problems))
        failures += 1
    else:
        print(f"ok   {label} ({elapsed:.1f} s, peak {peak:.0f} MB so far)")
        passed += 1


def script(name, text):
    path = work / name
    path.write_text(text)
    return str(path)


(work / "n.csv").write_text("v\n" + "".join(f"{i % 300}\n" for i in range(1000)))
imp = ["-c", ".import n.csv AS n"]
in_list = ", ".join(str(i) for i in range(101))
expected = subprocess.run([binary, "--no-rc", "--mode", "csv", *imp, "-c", f"from n | where v in ({in_list}) | summarize c = count()"],
                          capture_output=True, text=True, cwd=work).stdout.strip()
assert expected == "c\n403", expected  # v = i % 300 over 1000 rows: 0…99 four times, 100 three times
run("101 `or` terms", [*imp, "-c", "from n | where " + " or ".join(f"v == {i}" for i in range(101)) + " | summarize c = count()"], expected)
run("5,000 `or` terms", [*imp, "-c", "from n | where " + " or ".join(f"v == {i % 101}" for i in range(5000)) + " | summarize c = count()"], expected)
run("5,000 `and` terms", [*imp, "-c", "from n | where " + " and ".join(f"v != {i}" for i in range(101, 5101)) + " | summarize c = count()"], "c\n403")
run("4,000 lines starting with |", ["-f", script("lines.asq", ".import n.csv AS n\nfrom n\n" + "".join(f"| where v != {i}\n" for i in range(101, 4101)) + "| summarize c = count()\n")], "c\n403")
run("4,000 lines ending with |", ["-f", script("pipes.asq", ".import n.csv AS n\nfrom n |\n" + "".join(f"  where v != {i} |\n" for i in range(101, 4101)) + "  summarize c = count()\n")], "c\n403")
run("20,000 lets", ["-f", script("lets.asq", "".join(f"let t{i} = from sources | take 1\n" for i in range(20000)) + "from t19999 | summarize c = count()\n")], "c\n1", seconds=120)
(work / "sj.csv").write_text("k,v\n" + "".join(f"1,{i}\n" for i in range(7000)))
run("7,000 × 7,000 self-join under memory_mb 300", ["-c", ".import sj.csv AS a", "-c", "let b = from a", "-c", ".limit memory_mb 300",
                                                    "-c", "from a | join b on k | summarize c = count()"],
    expect_err="`join` would produce more than 300 MB; raise the limit with `.limit memory_mb N`", status=2, max_mb=700)
size = (256 if os.environ.get("LIMITS_FULL") else 64) * 1024 * 1024
with open(work / "big.csv", "w") as f:
    f.write('a,b\n1,"')
    f.write("x" * size)
    f.write('"\n')
run(f"one CSV field of {size >> 20} MB", ["-c", ".import big.csv AS g", "-c", "from g | select n = length(b)"], f"n\n{size}", seconds=300)
print(f"limits: {passed} passed, {failures} failed")
sys.exit(1 if failures else 0)
