#!/usr/bin/env python3
"""ansinh benchmark: ansinh against the DuckDB CLI and sqlite3 on the same generated CSV.

    python3 scripts/bench/run.py --rows 10000000 --runs 5 [--ansinh PATH] [--keep-data] [--markdown BENCHMARKS.md]
    python3 scripts/bench/run.py --rows 20000 --runs 1 --check-only --duckdb-optional          # what CI runs

What it does (standard library only):
 1. installs what is missing: sqlite3 (apt-get), the DuckDB CLI (PyPI `duckdb-cli`, in a venv
    under .build-bench/venv), and builds ansinh (`swift build -c release --static-swift-stdlib`, as scripts/run does) unless --ansinh;
 2. generates the data file under .build-bench/ (scripts/bench/generate.py) if absent;
 3. for each of --runs rounds, runs each engine once (the order rotates every round) in one
    process that loads the CSV and then runs queries 2-6 (scripts/bench/queries.asq and
    queries.sql) --reps times each, interleaved; each time is the engine's own per-statement
    timer (`.timer on`); the process's peak RSS comes from os.wait4;
 4. takes, per round, the mean of a query's reps, and reports the median over rounds;
 5. measures start-up (--startup-runs launches of a trivial statement per engine) and the
    1,000-statement script (scripts/bench/script1000.py) as whole-process wall times;
 6. checks that the three engines give the same answers (queries 2-6 and the 1,000
    statements) and exits 1 with a diff if they do not;
 7. prints the table; --markdown FILE rewrites the results section of FILE for this row
    count (and the machine section), with a chart of the ratios drawn by ansinh itself.
Raw results go to .build-bench/results-ROWS.json.
"""

import argparse
import csv
import datetime
import hashlib
import io
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE))
import script1000  # noqa: E402

BENCH_DIR = REPO / ".build-bench"
ENGINES = ["ansinh", "duckdb", "sqlite3"]
LABEL = {"ansinh": "ansinh", "duckdb": "DuckDB", "sqlite3": "sqlite3"}
DUCKDB_VERSION = "1.5.6"
DEFAULT_SEED = 20240607  # generate.py's default
TIMER_RE = re.compile(r"^Run Time(?: \(s\))?: real ([0-9.]+)")
NUM_RE = re.compile(r"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$")
REL_TOL = 1e-6
DISTURBED = 0.25  # cores kept busy by other processes during a run, above which it is redone
STARTUP = {
    "ansinh": lambda exe: [exe, "--no-rc", "-c", "from facts | take 1"],
    "duckdb": lambda exe: [exe, "-init", "/dev/null", "-c", "select 1"],
    "sqlite3": lambda exe: [exe, "-init", "/dev/null", ":memory:", "select 1"],
}
TARGET_STARTUP_S = 0.010


def log(msg=""):
    print(msg, flush=True)


def die(msg, code=2):
    print(f"run.py: {msg}", file=sys.stderr, flush=True)
    sys.exit(code)


# --------------------------------------------------------------------------- queries

class Query:
    def __init__(self, name):
        self.name = name
        self.label = name
        self.title = ""
        self.check = "ordered"
        self.asq = None
        self.sql = {}  # engine -> statement text


def _parse_blocks(path, comment):
    """[(name, {key: value}, statement)] from a query file."""
    blocks = []
    cur = None
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.rstrip()
        stripped = line.strip()
        if stripped.startswith(comment):
            body = stripped[len(comment):].strip()
            m = re.match(r"^(name|label|title|check):\s*(.*)$", body)
            if m and m.group(1) == "name":
                cur = [m.group(2), {}, []]
                blocks.append(cur)
            elif m and cur is not None and m.group(1) not in cur[1]:
                cur[1][m.group(1)] = m.group(2)
            continue
        if stripped == "" or cur is None:
            continue
        cur[2].append(line)
    return [(n, meta, "\n".join(stmt)) for n, meta, stmt in blocks]


def load_queries():
    queries = {}
    for name, meta, stmt in _parse_blocks(HERE / "queries.asq", "#"):
        q = queries.setdefault(name, Query(name))
        q.asq = stmt
        q.label = meta.get("label", name)
        q.title = meta.get("title", "")
        q.check = meta.get("check", "ordered")
    for name, meta, stmt in _parse_blocks(HERE / "queries.sql", "--"):
        base, _, engine = name.partition("@")
        if base not in queries:
            die(f"queries.sql: {name} has no counterpart in queries.asq")
        for e in ([engine] if engine else ["duckdb", "sqlite3"]):
            queries[base].sql[e] = stmt
    order = sorted(queries)
    for n in order:
        q = queries[n]
        if q.asq is None or set(q.sql) != {"duckdb", "sqlite3"}:
            die(f"query {n} needs an ansinh statement and SQL for duckdb and sqlite3")
    if not order or order[0] != "q1_load":
        die("the first query must be q1_load")
    return [queries[n] for n in order]


# --------------------------------------------------------------------------- setup

def run_cmd(cmd, **kw):
    log("$ " + " ".join(str(c) for c in cmd))
    return subprocess.run(cmd, **kw)


def ensure_sqlite3(given):
    if given:
        return given
    exe = shutil.which("sqlite3")
    if exe:
        return exe
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    if run_cmd(sudo + ["apt-get", "install", "-y", "sqlite3"], env=env).returncode != 0:
        run_cmd(sudo + ["apt-get", "update"], env=env)
        if run_cmd(sudo + ["apt-get", "install", "-y", "sqlite3"], env=env).returncode != 0:
            die("could not install sqlite3 (apt-get install -y sqlite3)")
    exe = shutil.which("sqlite3")
    if not exe:
        die("sqlite3 installed but not on PATH")
    return exe


def _duckdb_binary_in(root):
    # The duckdb-cli wheel ships the real binary in site-packages/duckdb_cli/duckdb; its
    # bin/duckdb is a Python wrapper that would add Python's start-up to every launch.
    for cand in sorted(root.glob("**/duckdb_cli/duckdb")):
        if cand.is_file() and os.access(cand, os.X_OK):
            return str(cand)
    return None


def ensure_duckdb(given, version, optional=False):
    """The DuckDB CLI: given, already in the venv, or installed from PyPI. With `optional`, a
    failed install returns None (the caller says so and goes on without DuckDB) instead of
    stopping: a machine that cannot reach PyPI can still check ansinh against sqlite3."""
    def fail(message):
        if optional:
            log(f"warning: {message}; DuckDB is left out of this check")
            return None
        die(message)
    if given:
        return given
    venv = BENCH_DIR / "venv"
    exe = _duckdb_binary_in(venv) if venv.exists() else None
    if exe:
        return exe
    spec = f"duckdb-cli=={version}" if version else "duckdb-cli"
    if not (venv / "bin" / "python").exists():
        if run_cmd([sys.executable, "-m", "venv", str(venv)]).returncode != 0:
            shutil.rmtree(venv, ignore_errors=True)
            # no venv module: install into a plain folder instead
            target = BENCH_DIR / "pylib"
            if run_cmd([sys.executable, "-m", "pip", "install", "--quiet", "--target", str(target), spec]).returncode != 0:
                return fail(f"could not install {spec}")
            exe = _duckdb_binary_in(target)
            if not exe:
                return fail(f"{spec} installed in {target} but its duckdb binary was not found")
            return exe
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    if run_cmd(pip + [spec]).returncode != 0:
        return fail(f"could not install {spec} into {venv}")
    exe = _duckdb_binary_in(venv)
    if not exe:
        wrapper = venv / "bin" / "duckdb"
        if wrapper.exists():
            log("warning: duckdb-cli's binary not found; using its Python wrapper (start-up times include Python)")
            return str(wrapper)
        return fail("duckdb-cli installed but no duckdb binary found")
    return exe


def ensure_ansinh(given, build_path):
    if given:
        p = Path(given).resolve()
        if not (p.is_file() and os.access(p, os.X_OK)):
            die(f"--ansinh {given}: not an executable file")
        return str(p)
    if not shutil.which("swift"):
        die("swift not found: install the Swift toolchain or pass --ansinh PATH")
    # The same build as scripts/run makes for users: release, the Swift runtime linked in
    # statically (it starts faster: no dynamic loading of libswiftCore and friends).
    base = ["swift", "build", "-c", "release", "--static-swift-stdlib"]
    if build_path:
        base += ["--scratch-path", build_path]
    if run_cmd(base + ["--product", "ansinh"], cwd=REPO).returncode != 0:
        die("swift build -c release failed")
    out = subprocess.run(base + ["--show-bin-path"], cwd=REPO, capture_output=True, text=True)
    exe = Path(out.stdout.strip()) / "ansinh"
    if not exe.exists():
        die(f"built ansinh not found at {exe}")
    return str(exe)


def generator_version():
    """generate.py's FORMAT_VERSION: data files made by another version are not reused."""
    m = re.search(r"^FORMAT_VERSION\s*=\s*(\d+)", (HERE / "generate.py").read_text(encoding="utf-8"), re.M)
    return m.group(1) if m else "0"


def ensure_data(rows, seed, given):
    """(path, generated_now)."""
    if given:
        p = Path(given).resolve()
        if not p.exists():
            die(f"--data {given}: no such file")
        return p, False
    BENCH_DIR.mkdir(exist_ok=True)
    path = BENCH_DIR / f"facts-{rows}-s{seed}-v{generator_version()}.csv"
    if path.exists():
        log(f"data: {path.relative_to(REPO)} (already there)")
        return path, False
    tmp = path.with_suffix(".tmp")
    r = run_cmd([sys.executable, str(HERE / "generate.py"), str(rows), str(tmp), "--seed", str(seed)])
    if r.returncode != 0:
        die("generate.py failed")
    tmp.rename(path)
    return path, True


# --------------------------------------------------------------------------- running

def cpu_busy_seconds():
    """CPU seconds spent by the whole machine so far (all cores), from /proc/stat."""
    try:
        with open("/proc/stat") as f:
            fields = f.readline().split()[1:]
        user, nice, system, idle, iowait, irq, softirq, steal = (int(x) for x in fields[:8])
        return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError):
        return None


def others_busy(interval=0.5):
    """Cores kept busy by other processes over a short interval (we sleep meanwhile)."""
    a = cpu_busy_seconds()
    time.sleep(interval)
    b = cpu_busy_seconds()
    return None if a is None or b is None else (b - a) / interval


def wait_idle(limit):
    """Wait up to limit seconds until other processes use under 0.15 cores; return their load."""
    if limit <= 0:
        return None
    deadline = time.monotonic() + limit
    busy = others_busy()
    warned = False
    while busy is not None and busy > 0.15 and time.monotonic() < deadline:
        if not warned:
            log(f"  (other processes keep {busy:.1f} cores busy: waiting up to {limit:.0f} s for the machine to be idle)")
            warned = True
        busy = others_busy(2.0)
    return busy


LAST_SPAWN = {}


def spawn(cmd, stdin=None, stdout=None, stderr=None, cwd=None, timeout=None):
    """Run cmd; return (exit code, wall seconds, peak RSS in KiB). Uses os.wait4 for rusage.
    LAST_SPAWN["others"] is the cores other processes kept busy meanwhile (None if unknown)."""
    fin = open(stdin, "rb") if isinstance(stdin, (str, Path)) else subprocess.DEVNULL
    fout = open(stdout, "wb") if stdout else subprocess.DEVNULL
    ferr = open(stderr, "wb") if stderr else subprocess.DEVNULL
    try:
        busy0 = cpu_busy_seconds()
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdin=fin, stdout=fout, stderr=ferr, cwd=cwd)
        timer = None
        if timeout:
            timer = threading.Timer(timeout, lambda: p.kill())
            timer.start()
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        busy1 = cpu_busy_seconds()
        if timer:
            timer.cancel()
        own = ru.ru_utime + ru.ru_stime
        LAST_SPAWN["others"] = None if busy0 is None or busy1 is None or wall < 0.25 else max(0.0, (busy1 - busy0 - own) / wall)
        p.returncode = os.waitstatus_to_exitcode(status)
        return p.returncode, wall, ru.ru_maxrss
    finally:
        for f in (fin, fout, ferr):
            if f is not subprocess.DEVNULL:
                f.close()


def sql_literal_path(path):
    return str(path).replace("'", "''")


def engine_script(engine, queries, csv_path, reps):
    """(script text, [labels of the timed statements, in order])."""
    load, rest = queries[0], queries[1:]
    labels = []
    lines = []
    if engine == "ansinh":
        lines += [".mode csv", ".timer on", load.asq.replace("{csv}", str(csv_path))]
        labels.append("load")
    elif engine == "duckdb":
        lines += [".headers on", ".mode csv", ".timer on", load.sql["duckdb"].replace("{csv}", sql_literal_path(csv_path))]
        labels.append("load")
    else:
        # sqlite3's .timer does not time dot-commands: bracket the .import with julianday('now')
        stmt = load.sql["sqlite3"].replace("{csv}", str(csv_path))
        setup = [l for l in stmt.splitlines() if not l.startswith(".import")]
        imports = [l for l in stmt.splitlines() if l.startswith(".import")]
        lines += [".headers on", ".mode csv"] + setup + [".timer on", "SELECT julianday('now') AS t0;"] + imports + ["SELECT julianday('now') AS t1;"]
        labels += ["t0", "t1"]
    for rep in range(reps):
        for q in rest:
            lines.append(q.asq if engine == "ansinh" else q.sql[engine])
            labels.append((q.name, rep))
    return "\n".join(lines) + "\n", labels


def engine_cmd(engine, exe, script_path):
    if engine == "ansinh":
        return [exe, "--no-rc", str(script_path)], None
    if engine == "duckdb":
        return [exe, "-init", "/dev/null", "-bail"], script_path
    return [exe, "-init", "/dev/null", "-bail", ":memory:"], script_path


def split_timed(text):
    """[(seconds, [output lines before that timer line])]."""
    chunks, cur = [], []
    for line in text.splitlines():
        m = TIMER_RE.match(line)
        if m:
            chunks.append((float(m.group(1)), cur))
            cur = []
        else:
            cur.append(line)
    return chunks


def parse_csv(lines):
    """(header or None, rows) from an engine's CSV output lines."""
    lines = [l for l in lines if l.strip() != ""]
    if not lines:
        return None, []
    rows = list(csv.reader(io.StringIO("\n".join(lines) + "\n")))
    return rows[0], rows[1:]


def tail(path, n=15):
    try:
        lines = Path(path).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    return "\n".join(lines[-n:])


def run_engine(engine, exe, queries, csv_path, reps, workdir, tag, timeout):
    script, labels = engine_script(engine, queries, csv_path, reps)
    ext = "asq" if engine == "ansinh" else "sql"
    script_path = workdir / f"{engine}-{tag}.{ext}"
    script_path.write_text(script, encoding="utf-8")
    out_path = workdir / f"{engine}-{tag}.out"
    err_path = workdir / f"{engine}-{tag}.err"
    cmd, stdin = engine_cmd(engine, exe, script_path)
    code, wall, rss = spawn(cmd, stdin=stdin, stdout=out_path, stderr=err_path, cwd=workdir, timeout=timeout)
    res = {"ok": False, "error": None, "rss_kb": rss, "wall": wall, "times": {}, "answers": {}, "load": None,
           "others_busy": LAST_SPAWN.get("others")}
    text = out_path.read_text(encoding="utf-8", errors="replace")
    chunks = split_timed(text)
    if code != 0 or len(chunks) != len(labels):
        why = f"exit code {code}" if code != 0 else f"{len(chunks)} timer lines, expected {len(labels)}"
        res["error"] = (f"{LABEL[engine]} failed ({why}); command: {' '.join(map(str, cmd))}"
                        + (f" < {stdin}" if stdin else "") + f"\n--- stderr (tail) ---\n{tail(err_path)}"
                        + f"\n--- stdout (tail) ---\n{tail(out_path, 8)}")
        return res
    for (secs, lines), label in zip(chunks, labels):
        if label == "load":
            res["load"] = secs
        elif label in ("t0", "t1"):
            _, rows = parse_csv(lines)
            try:
                res[label] = float(rows[-1][-1])
            except (IndexError, ValueError):
                res["error"] = f"sqlite3: could not read julianday from {lines!r}"
                return res
        else:
            name, rep = label
            res["times"].setdefault(name, []).append(secs)
            res["answers"].setdefault(name, []).append(parse_csv(lines))
    if engine == "sqlite3":
        res["load"] = (res.pop("t1") - res.pop("t0")) * 86400.0
    res["ok"] = True
    return res


# --------------------------------------------------------------------------- checking

def _cell(c):
    if c is None:
        return None
    s = c.strip()
    if s == "" or s.upper() == "NULL":
        return None
    if NUM_RE.match(s):
        return float(s)
    return s


def _cells_equal(a, b):
    if isinstance(a, float) and isinstance(b, float):
        return a == b or abs(a - b) <= REL_TOL * max(abs(a), abs(b))
    return a == b


def _rows_equal(ra, rb):
    return len(ra) == len(rb) and all(_cells_equal(x, y) for x, y in zip(ra, rb))


def _sort_key(row):
    key = []
    for c in row:
        if c is None:
            key.append((0, ""))
        elif isinstance(c, float):
            key.append((1, float(f"{c:.6g}")))
        else:
            key.append((2, c))
    return key


def _fmt_row(row):
    return "(" + ", ".join("null" if c is None else (f"{c:.10g}" if isinstance(c, float) else c) for c in row) + ")"


def compare(check, a, b, la, lb):
    """Problems (strings) between two answers (header, rows) under a check kind."""
    (ha, ra), (hb, rb) = a, b
    # ansinh's data modes add `X_qualifier`/`X_unit` beside a figure that carries a caveat (a
    # documented extension); the SQL engines have no such columns, so compare the rest.
    def drop_caveats(h, rows, other):
        if h is None or other is None:
            return h, rows
        keep = [i for i, name in enumerate(h)
                if not ((name.endswith("_qualifier") or name.endswith("_unit")) and name not in other)]
        return [h[i] for i in keep], [[r[i] for i in keep if i < len(r)] for r in rows]
    ha, ra = drop_caveats(ha, ra, hb)
    hb, rb = drop_caveats(hb, rb, ha)
    ra = [[_cell(c) for c in r] for r in ra]
    rb = [[_cell(c) for c in r] for r in rb]
    problems = []
    if ha is not None and hb is not None and [h.strip().lower() for h in ha] != [h.strip().lower() for h in hb]:
        problems.append(f"columns differ: {la} {ha} vs {lb} {hb}")
        return problems
    if len(ra) != len(rb):
        problems.append(f"{len(ra)} rows from {la}, {len(rb)} from {lb}")
    kind, _, col = check.partition(" ")
    if kind == "set":
        ra, rb = sorted(ra, key=_sort_key), sorted(rb, key=_sort_key)
    if kind in ("set", "ordered"):
        bad = [i for i in range(min(len(ra), len(rb))) if not _rows_equal(ra[i], rb[i])]
        for i in bad[:5]:
            problems.append(f"row {i + 1}{' (sorted)' if kind == 'set' else ''}: {la} {_fmt_row(ra[i])} vs {lb} {_fmt_row(rb[i])}")
        if len(bad) > 5:
            problems.append(f"... {len(bad) - 5} more differing rows")
        if len(ra) != len(rb):
            longer, name = (ra, la) if len(ra) > len(rb) else (rb, lb)
            for r in longer[min(len(ra), len(rb)):][:3]:
                problems.append(f"only in {name}: {_fmt_row(r)}")
        return problems
    if kind == "top":
        header = ha or hb or []
        names = [h.strip().lower() for h in header]
        if col.lower() not in names:
            return [f"check 'top {col}': no column {col} in {header}"]
        k = names.index(col.lower())
        n = min(len(ra), len(rb))
        for i in range(n):
            if not _cells_equal(ra[i][k], rb[i][k]):
                problems.append(f"row {i + 1}: {col} {ra[i][k]!r} from {la} vs {rb[i][k]!r} from {lb}")
                return problems
        # Runs of tied values hold the same rows in any order. The last run may have been cut
        # at the limit, where engines may keep different tied rows: only its values count.
        i = 0
        while i < n:
            j = i
            while j + 1 < n and _cells_equal(ra[j + 1][k], ra[i][k]):
                j += 1
            if j < n - 1:
                ga = sorted(ra[i:j + 1], key=_sort_key)
                gb = sorted(rb[i:j + 1], key=_sort_key)
                if not all(_rows_equal(x, y) for x, y in zip(ga, gb)):
                    if j == i:
                        problems.append(f"row {i + 1}: {la} {_fmt_row(ga[0])} vs {lb} {_fmt_row(gb[0])}")
                    else:
                        problems.append(f"rows {i + 1}-{j + 1} (tied {col}): {la} {[_fmt_row(r) for r in ga]} vs {lb} {[_fmt_row(r) for r in gb]}")
            i = j + 1
        return problems
    return [f"unknown check kind {check!r}"]


def check_answers(queries, per_engine, engines):
    """Problems across reps of one engine and across engines, from the first successful round."""
    problems = []
    qmap = {q.name: q for q in queries}
    firsts = {}
    for e in engines:
        runs = [r for r in per_engine.get(e, []) if r["ok"]]
        if not runs:
            continue
        firsts[e] = runs[0]["answers"]
        for r in runs:
            for name, answers in r["answers"].items():
                for rep, ans in enumerate(answers[1:], start=2):
                    p = compare(qmap[name].check, answers[0], ans, f"{LABEL[e]} run 1", f"{LABEL[e]} run {rep}")
                    if p:
                        problems.append((name, f"{LABEL[e]} gives different answers when the query is repeated", p))
    ref = "duckdb" if "duckdb" in firsts else ("sqlite3" if "sqlite3" in firsts else None)
    if ref is None:
        return problems
    for e in engines:
        if e == ref or e not in firsts:
            continue
        for q in queries[1:]:
            a = firsts[e].get(q.name, [(None, [])])[0]
            b = firsts[ref].get(q.name, [(None, [])])[0]
            p = compare(q.check, a, b, LABEL[e], LABEL[ref])
            if p:
                problems.append((q.name, f"{LABEL[e]} and {LABEL[ref]} disagree", p))
    return problems


def save_answers(per_engine, workdir):
    out = workdir / "answers"
    out.mkdir(exist_ok=True)
    for e, runs in per_engine.items():
        runs = [r for r in runs if r["ok"]]
        if not runs:
            continue
        for name, answers in runs[0]["answers"].items():
            header, rows = answers[0]
            with open(out / f"{e}-{name}.csv", "w", encoding="utf-8", newline="") as f:
                w = csv.writer(f)
                if header:
                    w.writerow(header)
                w.writerows(rows)
    return out


# --------------------------------------------------------------------------- start-up and script

def measure_startup(exes, engines, launches, workdir):
    res = {e: {"wall": [], "rss_kb": [], "errors": 0} for e in engines}
    for e in engines:  # warm the page cache
        spawn(STARTUP[e](exes[e]), cwd=workdir)
    for i in range(launches):
        k = i % len(engines)
        for e in engines[k:] + engines[:k]:
            code, wall, rss = spawn(STARTUP[e](exes[e]), cwd=workdir)
            if code != 0:
                res[e]["errors"] += 1
            res[e]["wall"].append(wall)
            res[e]["rss_kb"].append(rss)
    return res


def script_files(workdir, engines, facts, tag="", check=False):
    """Write the 1,000-statement script for each engine; {engine: path}. With check, each
    statement's answer is delimited by a timer line (and SQL answers get a header row)."""
    stmts = script1000.statements()
    mode = ".mode csv\n" + (".timer on\n" if check else "")
    files = {}
    if "ansinh" in engines:
        p = workdir / f"script1000{tag}.asq"
        p.write_text(mode + "".join(a + "\n" for a, _, _ in stmts), encoding="utf-8")
        files["ansinh"] = p
    if "duckdb" in engines:
        p = workdir / f"script1000{tag}-duckdb.sql"
        p.write_text(script1000.DUCKDB_SETUP.format(facts=sql_literal_path(facts)) + (".headers on\n" if check else "") + mode
                     + "".join(s + "\n" for _, s, _ in stmts), encoding="utf-8")
        files["duckdb"] = p
    if "sqlite3" in engines:
        p = workdir / f"script1000{tag}-sqlite3.sql"
        p.write_text(script1000.sqlite_setup(facts) + (".headers on\n" if check else "") + mode
                     + "".join(s + "\n" for _, s, _ in stmts), encoding="utf-8")
        files["sqlite3"] = p
    return stmts, files


def measure_script(exes, engines, runs, workdir, timeout):
    stmts, files = script_files(workdir, engines, script1000.FACTS_CSV)
    res = {e: {"wall": [], "rss_kb": [], "error": None} for e in engines}
    for i in range(runs):
        k = i % len(engines)
        for e in engines[k:] + engines[:k]:
            if res[e]["error"]:
                continue
            cmd, stdin = engine_cmd(e, exes[e], files[e])
            err = workdir / f"script1000-{e}.err"
            code, wall, rss = spawn(cmd, stdin=stdin, stdout=None, stderr=err, cwd=workdir, timeout=timeout)
            if code != 0:
                res[e]["error"] = f"{LABEL[e]} exit code {code} on the 1,000-statement script:\n{tail(err)}"
                continue
            res[e]["wall"].append(wall)
            res[e]["rss_kb"].append(rss)
    return stmts, res


def _csv_table(path):
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    return [[_cell(c) for c in r] for r in rows]


def facts_for_check(ansinh, workdir):
    """The facts CSV whose contents match ansinh's embedded `facts` table, and a note.

    The binary embeds datasets/facts.csv as it was when it was built; when the file has
    changed since, the SQL engines are given ansinh's own CSV export of its table instead."""
    path = script1000.FACTS_CSV
    if not ansinh:
        return path, None
    export = workdir / "facts-embedded.csv"
    with open(export, "wb") as f:
        p = subprocess.run([ansinh, "--no-rc", "--mode", "csv", "-c", "from facts"], stdout=f, stderr=subprocess.DEVNULL)
    if p.returncode != 0:
        return path, "could not export ansinh's embedded facts table; checked against datasets/facts.csv"
    a, b = _csv_table(export), _csv_table(path)
    if len(a) == len(b) and all(_rows_equal(x, y) for x, y in zip(a, b)):
        return path, None
    return export, (f"ansinh's embedded facts table ({len(a) - 1} rows, {len(a[0]) if a else 0} columns) differs from "
                    f"datasets/facts.csv ({len(b) - 1} rows, {len(b[0]) if b else 0} columns): the binary is older than the file. "
                    f"The 1,000-statement answers are checked against ansinh's CSV export of its own table "
                    f"(the timed runs still load datasets/facts.csv).")


def check_script(exes, engines, workdir, timeout):
    """Run the 1,000 statements once more, untimed, with a timer line after each answer,
    and compare the answers of the engines. Returns (problems, note)."""
    problems = []
    facts, note = facts_for_check(exes.get("ansinh"), workdir)
    stmts, files = script_files(workdir, engines, facts, tag="-check", check=True)
    answers = {}
    for e in engines:
        cmd, stdin = engine_cmd(e, exes[e], files[e])
        out, err = workdir / f"script1000-check-{e}.out", workdir / f"script1000-check-{e}.err"
        code, _, _ = spawn(cmd, stdin=stdin, stdout=out, stderr=err, cwd=workdir, timeout=timeout)
        chunks = split_timed(out.read_text(encoding="utf-8", errors="replace"))
        if code != 0 or len(chunks) != len(stmts):
            problems.append(("script1000", f"{LABEL[e]} failed on the 1,000-statement script (exit {code}, "
                                           f"{len(chunks)} answers for {len(stmts)} statements)", [tail(err)]))
            continue
        answers[e] = [parse_csv(lines) for _, lines in chunks]
    ref = "duckdb" if "duckdb" in answers else ("sqlite3" if "sqlite3" in answers else None)
    for e in answers:
        if e == ref:
            continue
        bad = 0
        for i, (asq, sql, chk) in enumerate(stmts):
            p = compare(chk, answers[e][i], answers[ref][i], LABEL[e], LABEL[ref])
            if p:
                bad += 1
                if bad <= 5:
                    problems.append(("script1000", f"statement {i + 1}: {LABEL[e]} and {LABEL[ref]} disagree\n    {asq}\n    {sql}", p))
        if bad > 5:
            problems.append(("script1000", f"{LABEL[e]} and {LABEL[ref]} disagree on {bad - 5} more statements", []))
    return problems, note


# --------------------------------------------------------------------------- reporting

def median(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def summarize(queries, per_engine, engines):
    """{row label: {engine: median seconds}} and {engine: median peak RSS KiB}."""
    table = {}
    for q in queries:
        table[q.name] = {}
        for e in engines:
            runs = [r for r in per_engine.get(e, []) if r["ok"]]
            if q.name == "q1_load":
                vals = [r["load"] for r in runs]
            else:
                vals = [statistics.fmean(r["times"][q.name]) for r in runs if q.name in r["times"]]
            table[q.name][e] = median(vals)
    rss = {e: median([r["rss_kb"] for r in per_engine.get(e, []) if r["ok"]]) for e in engines}
    return table, rss


def fmt_time(s):
    if s is None:
        return "—"
    if s >= 1:
        return f"{s:.2f} s"
    if s >= 0.1:
        return f"{s * 1000:.0f} ms"
    if s >= 0.01:
        return f"{s * 1000:.1f} ms"
    return f"{s * 1000:.2f} ms"


def fmt_mem(kb):
    if kb is None:
        return "—"
    mib = kb / 1024
    return f"{mib / 1024:.2f} GiB" if mib >= 1024 else f"{mib:.0f} MiB"


def ratio(a, b):
    if a is None or b is None or b <= 0:
        return None
    return a / b


def fmt_ratio(r):
    if r is None:
        return "—"
    return f"{r:.3f}" if r < 0.1 else (f"{r:.2f}" if r < 100 else f"{r:.0f}")


def results_rows(queries, table, rss, startup, script):
    """[(label, {engine: value}, kind)] for every line of the report."""
    rows = [(q.label if q.name != "q1_load" else "load (q1)", table[q.name], "time") for q in queries]
    rows.append(("peak memory (load + queries)", rss, "mem"))
    if startup:
        rows.append(("start-up to first result", {e: median(v["wall"]) for e, v in startup.items()}, "time"))
    if script:
        rows.append(("1,000-statement script", {e: median(v["wall"]) for e, v in script.items()}, "time"))
    return rows


def text_table(rows, engines):
    cols = ["", *[LABEL[e] for e in engines]]
    if "duckdb" in engines and "ansinh" in engines:
        cols.append("ansinh/DuckDB")
    if "sqlite3" in engines and "ansinh" in engines:
        cols.append("ansinh/sqlite3")
    body = []
    for label, vals, kind in rows:
        f = fmt_mem if kind == "mem" else fmt_time
        line = [label] + [f(vals.get(e)) for e in engines]
        if "ansinh/DuckDB" in cols:
            line.append(fmt_ratio(ratio(vals.get("ansinh"), vals.get("duckdb"))))
        if "ansinh/sqlite3" in cols:
            line.append(fmt_ratio(ratio(vals.get("ansinh"), vals.get("sqlite3"))))
        body.append(line)
    return cols, body


def render_text(cols, body):
    widths = [max(len(str(r[i])) for r in [cols] + body) for i in range(len(cols))]
    out = []
    for j, r in enumerate([cols] + body):
        out.append("  ".join(str(c).ljust(widths[i]) if i == 0 else str(c).rjust(widths[i]) for i, c in enumerate(r)))
        if j == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


def render_md(cols, body):
    out = ["| " + " | ".join(cols) + " |", "|" + "|".join(["---"] + ["---:"] * (len(cols) - 1)) + "|"]
    for r in body:
        out.append("| " + " | ".join(r) + " |")
    return "\n".join(out)


def targets(rows, engines):
    """Lines saying which targets are met, and by how much the others are missed."""
    out = []
    if "ansinh" not in engines or "duckdb" not in engines:
        return out
    for label, vals, kind in rows:
        if label == "1,000-statement script":
            continue
        if label == "start-up to first result":
            a = vals.get("ansinh")
            if a is None:
                continue
            ok = a < TARGET_STARTUP_S
            out.append(f"- {'✓' if ok else '✗'} start-up: median {a * 1000:.2f} ms, target < {TARGET_STARTUP_S * 1000:.0f} ms"
                       + ("" if ok else f" — {a / TARGET_STARTUP_S:.1f}× the target"))
            continue
        r = ratio(vals.get("ansinh"), vals.get("duckdb"))
        if r is None:
            out.append(f"- ✗ {label}: no ansinh result")
            continue
        what = "memory" if kind == "mem" else "time"
        if r <= 1.0:
            out.append(f"- ✓ {label}: ansinh/DuckDB = {fmt_ratio(r)} (target ≤ 1.0{'; stretch ≤ 0.5 met' if r <= 0.5 else '; stretch ≤ 0.5 not yet'})")
        else:
            out.append(f"- ✗ {label}: ansinh/DuckDB = {fmt_ratio(r)} — ansinh's {what} is {r:.2f}× DuckDB's; "
                       f"it must drop by {(1 - 1 / r) * 100:.0f}% to meet ≤ 1.0")
    return out


def draw_chart(ansinh, rows, engines, workdir):
    """The ratios ansinh/DuckDB as a bar chart drawn by ansinh (text), or an error note."""
    if "ansinh" not in engines or "duckdb" not in engines:
        return None
    data = []
    for label, vals, kind in rows:
        r = ratio(vals.get("ansinh"), vals.get("duckdb"))
        if r is not None:
            data.append((label, round(r, 3) if r < 10 else round(r, 1)))
    data.append(("DuckDB = 1", 1))
    path = workdir / "ratios.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["query", "ratio"])
        for label, r in data:
            w.writerow([label.replace(",", ""), r])
    script = f".numbers en\n.width 78\n.import {path} AS r\nfrom r | chart ratio by query\n"
    p = subprocess.run([ansinh, "--no-rc"], input=script, capture_output=True, text=True, cwd=workdir)
    if p.returncode != 0 or not p.stdout.strip():
        return f"(ansinh could not draw the chart: exit {p.returncode}: {p.stderr.strip()[:300]})"
    return p.stdout.rstrip("\n")


def machine_info(exes):
    info = {}
    try:
        cpu = Path("/proc/cpuinfo").read_text()
        m = re.search(r"^model name\s*:\s*(.*)$", cpu, re.M)
        info["cpu"] = m.group(1).strip() if m else platform.processor()
    except OSError:
        info["cpu"] = platform.processor() or "unknown"
    info["cores"] = os.cpu_count()
    try:
        mem = Path("/proc/meminfo").read_text()
        kb = int(re.search(r"^MemTotal:\s*(\d+)", mem, re.M).group(1))
        info["memory"] = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, AttributeError):
        info["memory"] = "unknown"
    try:
        osr = Path("/etc/os-release").read_text()
        info["os"] = re.search(r'^PRETTY_NAME="?([^"\n]*)', osr, re.M).group(1)
    except (OSError, AttributeError):
        info["os"] = platform.system()
    info["kernel"] = platform.release()

    def first_line(cmd):
        try:
            p = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
            return (p.stdout or p.stderr).strip().splitlines()[0]
        except (OSError, IndexError, subprocess.TimeoutExpired):
            return "unknown"
    info["swift"] = first_line(["swift", "--version"]) if shutil.which("swift") else "not installed"
    info["python"] = platform.python_version()
    for e, exe in exes.items():
        v = first_line([exe, "--version"])
        if e == "sqlite3":
            v = " ".join(v.split()[:2])
        if e == "ansinh":
            digest = hashlib.sha256(Path(exe).read_bytes()).hexdigest()[:12]
            v = f"{v.removeprefix('ansinh ').strip()} (binary sha256 {digest}…)"
        info[e] = v
    return info


def md_machine(info):
    return "\n".join([
        f"- CPU: {info['cpu']}, {info['cores']} cores; memory {info['memory']}",
        f"- OS: {info['os']}, kernel {info['kernel']}",
        f"- ansinh {info.get('ansinh', '—')}",
        f"- DuckDB CLI {info.get('duckdb', '—')} ({info['cores']} threads: its default, one per core)",
        f"- sqlite3 {info.get('sqlite3', '—')}",
        f"- {info['swift']}; Python {info['python']}",
    ])


def md_results(args, csv_size, info, rows, engines, startup, script, problems, chart, per_engine, notes, redone):
    when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    cols, body = text_table(rows, engines)
    failed = [f"{LABEL[e]}: {r['error'].splitlines()[0]}" for e in engines for r in per_engine.get(e, []) if not r["ok"]]
    out = [
        f"### {args.rows:,} rows",
        "",
        f"Run {when}: `python3 scripts/bench/run.py --rows {args.rows} --runs {args.runs}"
        f"{' --ansinh …' if args.ansinh else ''}` ({'a prebuilt ansinh' if args.ansinh else 'ansinh built with swift build -c release --static-swift-stdlib'}; "
        f"data file {csv_size / 1e6:.0f} MB; {args.runs} rounds, queries repeated {args.reps}× per round; "
        f"start-up: {args.startup_runs} launches; 1,000-statement script: {args.script_runs} runs). "
        f"Machine: {info['cpu']}, {info['cores']} cores, {info['memory']}; ansinh {info.get('ansinh', '—')}.",
        "",
        render_md(cols, body),
        "",
    ]
    if problems:
        out += ["**The engines' answers differ** (so these times compare different work):", ""]
        out += [f"- {name}: {what}" for name, what, _ in problems[:10]]
        out.append("")
    if failed:
        out += ["**Failed runs:**", ""] + [f"- {f}" for f in failed] + [""]
    busy = [r["others_busy"] for e in engines for r in per_engine.get(e, []) if r.get("others_busy") is not None]
    if busy:
        worst = max(busy)
        line = (f"Other processes kept {statistics.median(busy):.2f} cores busy (median; at most {worst:.2f}) "
                f"while the timed runs ran.")
        if sum(redone.values()):
            line += (f" {sum(redone.values())} disturbed run(s) (over {DISTURBED} cores) were done again: "
                     + ", ".join(f"{LABEL[e]} {n}" for e, n in redone.items() if n) + ".")
        if worst > DISTURBED:
            line += " **The machine was not idle: some figures are disturbed.**"
        out += [line, ""]
    for n in notes:
        out += [f"Note: {n}", ""]
    t = targets(rows, engines)
    if t:
        out += ["Targets (set for 10 million rows; ansinh against DuckDB):", ""] + t + [""]
    if chart:
        out += ["Ratio ansinh/DuckDB (below 1 is faster or smaller than DuckDB), drawn by `ansinh … | chart ratio by query`:", "",
                "```", chart, "```", ""]
    return "\n".join(out)


MD_SKELETON = """# Benchmarks

<!-- bench:machine:start -->
<!-- bench:machine:end -->

## Results

<!-- bench:results:start -->
<!-- bench:results:end -->
"""


def write_markdown(path, rows_count, section, machine):
    path = Path(path)
    text = path.read_text(encoding="utf-8") if path.exists() else MD_SKELETON
    for marker in ("machine", "results"):
        if f"<!-- bench:{marker}:start -->" not in text:
            text += f"\n<!-- bench:{marker}:start -->\n<!-- bench:{marker}:end -->\n"
    text = re.sub(r"(<!-- bench:machine:start -->\n).*?(<!-- bench:machine:end -->)",
                  lambda m: m.group(1) + machine + "\n" + m.group(2), text, flags=re.S)
    m = re.search(r"<!-- bench:results:start -->\n(.*?)<!-- bench:results:end -->", text, flags=re.S)
    sections = dict((int(n), body) for n, body in re.findall(
        r"<!-- bench:rows=(\d+):start -->\n(.*?)<!-- bench:rows=\d+:end -->\n", m.group(1), flags=re.S))
    sections[rows_count] = section.rstrip("\n") + "\n"
    inner = "".join(f"<!-- bench:rows={n}:start -->\n{sections[n]}<!-- bench:rows={n}:end -->\n\n" for n in sorted(sections))
    text = text[:m.start(1)] + inner + text[m.end(1):]
    path.write_text(text, encoding="utf-8")


# --------------------------------------------------------------------------- main

def parse_count(text):
    t = text.strip().replace("_", "").lower()
    mult = {"k": 1_000, "m": 1_000_000}.get(t[-1:], 1)
    if mult > 1:
        t = t[:-1]
    return int(float(t) * mult)


def main(argv=None):
    ap = argparse.ArgumentParser(description="Benchmark ansinh against the DuckDB CLI and sqlite3.",
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__.split("\n\n", 1)[1])
    ap.add_argument("--rows", default="1000000", help="rows of generated data; a list runs one after the other: 1M,10M (default 1M)")
    ap.add_argument("--runs", type=int, default=5, help="rounds; each runs every engine once (default 5)")
    ap.add_argument("--reps", type=int, default=3, help="times each query runs per round (default 3)")
    ap.add_argument("--ansinh", help="ansinh binary to use (default: swift build -c release)")
    ap.add_argument("--build-path", help="--scratch-path for swift build, when building ansinh")
    ap.add_argument("--duckdb", help="DuckDB CLI binary (default: pip install duckdb-cli into .build-bench/venv)")
    ap.add_argument("--duckdb-version", default=DUCKDB_VERSION, help=f"duckdb-cli version to install (default {DUCKDB_VERSION}; '' for the latest)")
    ap.add_argument("--sqlite3", help="sqlite3 binary (default: the one on PATH, else apt-get install sqlite3)")
    ap.add_argument("--duckdb-optional", action="store_true",
                    help="if the DuckDB CLI cannot be installed (no access to PyPI), say so and go on without it")
    ap.add_argument("--engines", default=",".join(ENGINES), help="comma-separated subset of ansinh,duckdb,sqlite3")
    ap.add_argument("--data", help="use this CSV instead of generating one (must be generate.py's format)")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"generator seed (default {DEFAULT_SEED})")
    ap.add_argument("--keep-data", action="store_true", help="keep the generated CSV under .build-bench/ (default: delete it if this run made it)")
    ap.add_argument("--markdown", metavar="FILE", help="write the results section for this row count into FILE (e.g. BENCHMARKS.md)")
    ap.add_argument("--check-only", action="store_true", help="CI mode: one round, few launches; fail if anything breaks or the answers differ")
    ap.add_argument("--startup-runs", type=int, default=None, help="launches per engine for start-up (default 30; 3 with --check-only)")
    ap.add_argument("--script-runs", type=int, default=None, help="runs of the 1,000-statement script (default 5; 1 with --check-only)")
    ap.add_argument("--skip-startup", action="store_true")
    ap.add_argument("--skip-script", action="store_true")
    ap.add_argument("--wait-idle", type=float, default=None, metavar="SECONDS",
                    help="before each timed run, wait up to SECONDS for other processes to leave the CPUs idle (default 60; 0 with --check-only)")
    ap.add_argument("--retries", type=int, default=None,
                    help="times a round's run is redone when other processes kept more than 0.25 cores busy during it (default 2; 0 with --check-only)")
    ap.add_argument("--timeout", type=float, default=3600, help="seconds before an engine run is killed (default 3600)")
    args = ap.parse_args(argv)
    if args.check_only:
        args.runs = 1
    args.startup_runs = args.startup_runs if args.startup_runs is not None else (3 if args.check_only else 30)
    args.script_runs = args.script_runs if args.script_runs is not None else (1 if args.check_only else 5)
    args.wait_idle = args.wait_idle if args.wait_idle is not None else (0 if args.check_only else 60)
    args.retries = args.retries if args.retries is not None else (0 if args.check_only else 2)
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    if not engines or any(e not in ENGINES for e in engines):
        die(f"--engines: choose among {','.join(ENGINES)}")
    engines = [e for e in ENGINES if e in engines]
    try:
        args.rows_list = [parse_count(x) for x in args.rows.split(",") if x.strip()]
    except ValueError:
        die(f"--rows {args.rows}: expected a number such as 20000, 1M or 1000000,10000000")
    if not args.rows_list or min(args.rows_list) < 1 or args.runs < 1 or args.reps < 1:
        die("--rows, --runs and --reps must be at least 1")

    queries = load_queries()
    BENCH_DIR.mkdir(exist_ok=True)
    exes = {}
    if "sqlite3" in engines:
        exes["sqlite3"] = ensure_sqlite3(args.sqlite3)
    if "duckdb" in engines:
        duckdb = ensure_duckdb(args.duckdb, args.duckdb_version, optional=args.duckdb_optional)
        if duckdb:
            exes["duckdb"] = duckdb
        else:
            engines.remove("duckdb")
            log("warning: DUCKDB NOT CHECKED: comparing ansinh with sqlite3 only")
    if "ansinh" in engines:
        exes["ansinh"] = ensure_ansinh(args.ansinh, args.build_path)
    for e in engines:
        log(f"{LABEL[e]}: {exes[e]}")
    if len(args.rows_list) > 1 and args.data:
        die("--data goes with a single --rows")
    status = 0
    for n in args.rows_list:
        args.rows = n
        log("")
        log(f"=== {n:,} rows ===")
        status = max(status, run_one(args, engines, queries, exes))
    return status


def run_one(args, engines, queries, exes):
    csv_path, generated = ensure_data(args.rows, args.seed, args.data)
    csv_size = csv_path.stat().st_size
    workdir = Path(tempfile.mkdtemp(prefix=f"run-{args.rows}-", dir=BENCH_DIR))
    log(f"work files: {workdir.relative_to(REPO) if workdir.is_relative_to(REPO) else workdir}")

    per_engine = {e: [] for e in engines}
    redone = {e: 0 for e in engines}
    status = 2
    try:
        for rnd in range(args.runs):
            k = rnd % len(engines)
            for e in engines[k:] + engines[:k]:
                for attempt in range(args.retries + 1):
                    wait_idle(args.wait_idle)
                    r = run_engine(e, exes[e], queries, csv_path, args.reps, workdir, f"r{rnd + 1}", args.timeout)
                    busy = r["others_busy"]
                    if not r["ok"] or busy is None or busy <= DISTURBED or attempt == args.retries:
                        break
                    redone[e] += 1
                    log(f"round {rnd + 1}/{args.runs} {LABEL[e]:8} disturbed (other processes kept {busy:.2f} cores busy): run again")
                per_engine[e].append(r)
                if r["ok"]:
                    qs = "  ".join(f"{q.name.split('_')[0]} {fmt_time(statistics.fmean(r['times'][q.name]))}" for q in queries[1:])
                    others = "" if r["others_busy"] is None else f"  (others busy: {r['others_busy']:.2f} cores)"
                    log(f"round {rnd + 1}/{args.runs} {LABEL[e]:8} load {fmt_time(r['load'])}  {qs}  peak {fmt_mem(r['rss_kb'])}{others}")
                else:
                    log(f"round {rnd + 1}/{args.runs} {LABEL[e]:8} FAILED: {r['error'].splitlines()[0]}")

        startup = None
        if not args.skip_startup or not args.skip_script:
            wait_idle(args.wait_idle)
        if not args.skip_startup:
            log(f"start-up: {args.startup_runs} launches per engine")
            startup = measure_startup(exes, engines, args.startup_runs, workdir)
        script = None
        stmts = None
        if not args.skip_script:
            log(f"1,000-statement script: {args.script_runs} runs per engine")
            stmts, script = measure_script(exes, engines, args.script_runs, workdir, args.timeout)

        problems = check_answers(queries, per_engine, engines)
        notes = []
        if stmts is not None:
            more, note = check_script(exes, engines, workdir, args.timeout)
            problems += more
            if note:
                notes.append(note)
                log("note: " + note)
        failures = [r["error"] for e in engines for r in per_engine[e] if not r["ok"]]
        if startup:
            failures += [f"{LABEL[e]}: {v['errors']} of the start-up launches failed ({' '.join(STARTUP[e](exes[e]))})"
                         for e, v in startup.items() if v["errors"]]
        if script:
            failures += [v["error"] for v in script.values() if v["error"]]

        table, rss = summarize(queries, per_engine, engines)
        rows = results_rows(queries, table, rss,
                            {e: v for e, v in (startup or {}).items()},
                            {e: v for e, v in (script or {}).items() if v["wall"]})
        cols, body = text_table(rows, engines)
        log("")
        log(f"{args.rows:,} rows ({csv_size / 1e6:.0f} MB), median of {args.runs} round(s), each query the mean of {args.reps} reps:")
        log(render_text(cols, body))
        for line in targets(rows, engines):
            log(line)

        info = machine_info(exes)
        results = {
            "rows": args.rows, "runs": args.runs, "reps": args.reps, "csv_bytes": csv_size, "machine": info,
            "engines": engines,
            "per_engine": {e: [{k: v for k, v in r.items() if k != "answers"} for r in runs] for e, runs in per_engine.items()},
            "startup": startup, "script": script, "redone": redone,
            "problems": [(n, w, p) for n, w, p in problems], "failures": failures,
        }
        (BENCH_DIR / f"results-{args.rows}.json").write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")

        if args.markdown:
            chart = draw_chart(exes["ansinh"], rows, engines, workdir) if "ansinh" in exes else None
            section = md_results(args, csv_size, info, rows, engines, startup, script, problems, chart, per_engine, notes, redone)
            write_markdown(args.markdown, args.rows, section, md_machine(info))
            log(f"wrote the {args.rows:,}-row section of {args.markdown}")

        status = 0
        if failures:
            log("")
            log("FAILED RUNS:")
            for f in failures:
                log(f)
            status = 1
        if problems:
            ans_dir = save_answers(per_engine, workdir)
            log("")
            log(f"ANSWERS DIFFER (each engine's answers are in {ans_dir}):")
            for name, what, details in problems:
                log(f"* {name}: {what}")
                for d in details:
                    log("    " + d.replace("\n", "\n    "))
            status = 1
        if status == 0:
            log("")
            log(f"check: all engines agree on queries 2-{len(queries)}" + (" and the 1,000 statements" if stmts else "") + "; no run failed")
        # one line a test runner would print: each query's answers, the script's, and the runs
        names = [q.name for q in queries[1:]] + (["script1000"] if stmts is not None else [])
        bad = {n for n, _, _ in problems}
        failed_checks = sum(1 for n in names if n in bad) + (1 if failures else 0)
        if status != 0:
            log(f"work files kept in {workdir}")
        checked = ", ".join(LABEL[e] for e in engines)
        log(f"bench: {len(names) + 1 - failed_checks} passed, {failed_checks} failed (engines: {checked})")
        return status
    finally:
        # keep the work files (scripts, outputs, answers) when something failed, to look at them
        if status == 0:
            shutil.rmtree(workdir, ignore_errors=True)
        elif status == 2:
            log(f"work files kept in {workdir}")
        if generated and not args.keep_data:
            csv_path.unlink(missing_ok=True)


if __name__ == "__main__":
    sys.exit(main())
