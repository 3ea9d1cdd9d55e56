#!/usr/bin/env python3
"""Pushdown to a real PostgreSQL server: the same pipelines locally and on the server.

Usage: pushdown_test.py ANSINH PG_URL PSQL_ARGS...   (scripts/test starts the private server)

1. Loads every embedded table (facts, districts, indicators, sources, and the views conflicts
   and targets) into the server: the schema from `.schema`, the rows from `--mode csv`, COPY.
2. Runs every `query` block of the language cases (Tests/AnSinhCoreTests/Cases/*.test) with its
   tables read from the server (`from pg.public.facts`) and locally, and a list of pipelines of
   its own; requires the same CSV (numbers within 1e-9 relative) or, where the pipeline cannot
   run on the server, a refusal before anything ran (exit code 2 and the reason).
3. Failure cases: a missing table, a wrong password, ^C during a long query (cancel request), a
   killed server, a table name that needs quoting, NFD text.

ANSINH_PERTURB=1 makes the comparison see a perturbed server result (every number + 1e-6): the
test must then fail (proof that it compares at all).
"""
import csv
import io
import os
import re
import signal
import subprocess
import sys
import time
import unicodedata

ANSINH, PG_URL = sys.argv[1], sys.argv[2]
PSQL = sys.argv[3:]
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
CASES = os.path.join(ROOT, "Tests", "AnSinhCoreTests", "Cases")
PERTURB = os.environ.get("ANSINH_PERTURB") == "1"
TABLES = ["facts", "districts", "indicators", "sources", "conflicts", "targets"]
PG_TYPES = {"integer": "bigint", "decimal": "double precision", "text": "text", "boolean": "boolean"}

failures = []
passed = 0


def check(ok, what):
    global passed
    if ok:
        passed += 1
    else:
        failures.append(what)
        print("FAIL:", what)


def ansinh(*args, stdin=None, timeout=60, env=None):
    return subprocess.run([ANSINH, "--no-rc", *args], input=stdin, capture_output=True, text=True, timeout=timeout, env=env)


def psql(sql):
    return subprocess.run(PSQL + ["-c", sql], capture_output=True, text=True, timeout=60)


def load_tables():
    for table in TABLES:
        schema = ansinh("-c", f".schema {table}").stdout.splitlines()[1:]
        columns = []
        for line in schema:
            parts = line.split()
            if len(parts) >= 2 and parts[1] in PG_TYPES:
                columns.append((parts[0], PG_TYPES[parts[1]]))
        data = ansinh("--mode", "csv", "-c", f"from {table}").stdout
        ddl = ", ".join(f'"{name}" {kind}' for name, kind in columns)
        result = subprocess.run(PSQL + ["-c", f'DROP TABLE IF EXISTS "{table}"', "-c", f'CREATE TABLE "{table}" ({ddl})',
                                        "-c", f'COPY "{table}" FROM STDIN (FORMAT csv, HEADER true)'],
                                input=data, capture_output=True, text=True, timeout=60)
        if result.returncode != 0:
            sys.exit(f"loading {table} failed: {result.stderr}")
    check(psql("CREATE EXTENSION IF NOT EXISTS unaccent").returncode == 0, "CREATE EXTENSION unaccent")
    # A query the server needs minutes for (4e9 joined rows), to be interrupted: ^C, a killed server.
    check(psql('DROP TABLE IF EXISTS "slow"; CREATE TABLE "slow" AS SELECT g AS k, g % 10 AS m FROM generate_series(1, 200000) g').returncode == 0, "CREATE TABLE slow")


SLOW = "from pg.public.slow | join pg.public.slow on m | summarize n = count()"


def remote_text(text):
    return re.sub(r"\b(from|join(?:\s+left)?)\s+(" + "|".join(TABLES) + r")\b", r"\1 pg.public.\2", text)


def parse_csv(text):
    return list(csv.reader(io.StringIO(text)))


def same_cell(a, b):
    if a == b:
        return True
    try:
        x, y = float(a), float(b)
    except ValueError:
        return False
    return abs(x - y) <= 1e-9 * max(1.0, abs(x), abs(y))


def perturbed(rows):
    out = []
    for row in rows:
        new = []
        for cell in row:
            try:
                new.append(repr(float(cell) + 1e-6) if cell not in ("", "nan") and not cell.isalpha() else cell)
            except ValueError:
                new.append(cell)
        out.append(new)
    return out


def compare(label, text, refusals):
    """Runs `text` locally and on the server; the same rows, or a refusal before running."""
    local = ansinh("--mode", "csv", "--connect", PG_URL, stdin=text)
    remote = ansinh("--mode", "csv", "--connect", PG_URL, stdin=remote_text(text))
    if remote_text(text) == text:
        return "local-only"
    if local.returncode != 0:
        # An error case: the server must refuse too (maybe with another message).
        check(remote.returncode != 0, f"{label}: fails locally but not on the server")
        return "error"
    if remote.returncode != 0:
        reason = remote.stderr.strip().splitlines()[0] if remote.stderr.strip() else "?"
        refused = "cannot run there" in remote.stderr or "one pipeline cannot read both" in remote.stderr
        check(refused and remote.stdout == "", f"{label}: the server run failed without a refusal: {remote.stderr.strip()[:300]}")
        refusals.append(reason)
        return "refused"
    a, b = parse_csv(local.stdout), parse_csv(remote.stdout)
    if PERTURB:
        b = perturbed(b)
    if not re.search(r"\b(sort|summarize)\b", text):
        # Without a sort the order of rows is the table's; a SQL table has none: compare as sets.
        a, b = a[:1] + sorted(a[1:]), b[:1] + sorted(b[1:])
    ok = len(a) == len(b) and all(len(x) == len(y) and all(same_cell(p, q) for p, q in zip(x, y)) for x, y in zip(a, b))
    check(ok, f"{label}: results differ\n--- local\n{local.stdout[:800]}\n--- server\n{remote.stdout[:800]}")
    return "same"


def language_cases():
    counts = {"same": 0, "refused": 0, "error": 0, "local-only": 0}
    refusals = []
    for name in sorted(os.listdir(CASES)):
        if not name.endswith(".test"):
            continue
        lines = open(os.path.join(CASES, name), encoding="utf-8").read().split("\n")
        index = 0
        while index < len(lines):
            words = lines[index].split()
            if words[:1] == ["query"] and "lang=vi" not in words:
                start = index + 1
                end = start
                while end < len(lines) and lines[end] != "----":
                    end += 1
                text = "\n".join(lines[start:end]) + "\n"
                counts[compare(f"{name}:{start}", text, refusals)] += 1
                index = end
            index += 1
    return counts, refusals


PIPELINES = [
    "from facts | where value > 1000 | sort value desc, id | take 7",
    "from facts | summarize n = count(), total = sum(value) by unit",
    "from facts | where unit == \"VND\" | summarize total = sum(value), mean = avg(value), mid = median(value) by district",
    "from facts | derive billions = value / 1e9, r = round(value / 7, 2) | select id, billions, r | sort id | take 20",
    "from facts | where district ~ \"thanh xuan\" | summarize n = count() by indicator | sort n desc, indicator",
    "from facts | where qualifier in (\"about\", \"more_than\") and year_from >= 2020 | select id, value, qualifier | sort id",
    "from facts | distinct district, unit | sort district, unit",
    "from facts | join districts on district | summarize n = count() by province | sort province",
    "from facts | join districts on district, province | summarize n = count(), p = sum(population) by district_type | sort district_type",
    "from facts | join left districts on concat(district, \"\") == district, upper(province) == province | summarize n = count(), matched = count(area_km2) by district | sort district",
    "from facts | where value is null or target_value is not null | select id, value, target_value | sort id",
    "from facts | derive t = text(year_from), l = length(district), u = upper(unit), c = concat(district, \"/\", unit) | select id, t, l, u, c | sort id | take 30",
    "from facts | summarize lo = min(value), hi = max(value), k = count_distinct(indicator) by year_to | sort year_to",
    "from facts | derive m = value % 7, f = floor(value / 3), x = if(value > 100, \"big\", \"small\") | select id, m, f, x | sort id",
    "from facts | where fold(district) ~ \"hoang mai\" | sort value | take 5",
]


def own_pipelines():
    counts = {"same": 0, "refused": 0, "error": 0, "local-only": 0}
    refusals = []
    for index, text in enumerate(PIPELINES):
        counts[compare(f"pipeline {index + 1}", text + "\n", refusals)] += 1
    check(counts["same"] == len(PIPELINES), f"every listed pipeline runs on the server ({counts}, {refusals})")
    return counts


def run_remote(*commands, env=None, timeout=60):
    args = []
    for command in commands:
        args += ["-c", command]
    return ansinh("--mode", "csv", "--connect", PG_URL, *args, env=env, timeout=timeout)


def failure_cases():
    # A missing table: the binder's message with the name, exit 2.
    result = run_remote("from pg.public.nosuch")
    check(result.returncode == 2 and "nosuch" in result.stderr, f"missing table: {result.returncode} {result.stderr}")
    # The table dropped on the server after connecting: the server's message, exit 2.
    psql('CREATE TABLE "gone" (a bigint)')
    proc = subprocess.Popen([ANSINH, "--no-rc", "--mode", "csv", "--connect", PG_URL], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(1.0)
    psql('DROP TABLE "gone"')
    out, err = proc.communicate("from gone\n", timeout=30)
    check(proc.returncode == 2 and "gone" in err and "refused the query" in err, f"table dropped on the server: {proc.returncode} {err}")
    # A table name that needs quoting, and NFD text (stored decomposed, read back NFC).
    psql('DROP TABLE IF EXISTS "hộ nghèo-2024"')
    psql('CREATE TABLE "hộ nghèo-2024" ("xã" text, "số hộ" bigint)')
    nfd = unicodedata.normalize("NFD", "Phường Hạ Đình")
    psql(f"INSERT INTO \"hộ nghèo-2024\" VALUES ('{nfd}', 12), ('Khương Đình', 7)")
    result = run_remote('from `pg.public.hộ nghèo-2024` | where `xã` == "Phường Hạ Đình" | select `xã`, `số hộ`')
    check(result.returncode == 0 and result.stdout.splitlines()[1:] == ["Phường Hạ Đình,12"], f"quoted name + NFD text: {result.returncode} {result.stdout!r} {result.stderr}")
    check(unicodedata.is_normalized("NFC", result.stdout), "text from the server is NFC")
    result = run_remote('from `pg.public.hộ nghèo-2024` | where `xã` ~ "ha dinh" | select `số hộ`')
    check(result.returncode == 0 and result.stdout.splitlines()[1:] == ["12"], f"~ over NFD text on the server: {result.stdout!r} {result.stderr}")
    # Untranslatable: refused before running, with the caret.
    result = run_remote("from pg.public.facts | derive t = vn_number(quote)")
    check(result.returncode == 2 and "cannot run there" in result.stderr and "^" in result.stderr, f"vn_number() refused: {result.stderr}")
    # explain shows the SQL.
    result = run_remote("explain from pg.public.facts | where value > 1 | take 2")
    check(result.returncode == 0 and "LIMIT 2" in result.stdout and "normalize(" in result.stdout, f"explain shows the SQL: {result.stdout}")
    # Mixed local + remote: refused clearly.
    result = run_remote("from pg.public.facts | join districts on district")
    check(result.returncode == 2 and "one pipeline cannot read both" in result.stderr, f"mixed refused: {result.stderr}")
    # --safe refuses .connect unless --allow-connect.
    result = ansinh("--safe", "--connect", PG_URL, "-c", "from facts | take 1")
    check(result.returncode == 2 and "--allow-connect" in result.stderr, f"--safe refuses --connect: {result.stderr}")
    result = ansinh("--safe", "--allow-connect", "--mode", "csv", "--connect", PG_URL, "-c", "from pg.public.districts | take 1")
    check(result.returncode == 0, f"--safe --allow-connect: {result.stderr}")
    # A wrong password (the cluster asks ansinh_pw for one: scripts/lib/postgres.sh), from
    # PGPASSWORD as libpq reads it; never echoed.
    psql("DROP ROLE IF EXISTS ansinh_pw")
    psql("CREATE ROLE ansinh_pw LOGIN PASSWORD 'right-horse'")
    psql("GRANT SELECT ON ALL TABLES IN SCHEMA public TO ansinh_pw")
    url = "postgres://ansinh_pw@/ansinh?host=" + PG_URL.split("host=", 1)[1]
    env = dict(os.environ, PGPASSWORD="wrong-battery")
    result = ansinh("--connect", url, "-c", "from facts | take 1", env=env)
    check(result.returncode == 2 and "could not connect" in result.stderr and "password" in result.stderr and "wrong-battery" not in result.stderr,
          f"wrong password: {result.returncode} {result.stderr}")
    env = dict(os.environ, PGPASSWORD="right-horse")
    result = ansinh("--mode", "csv", "--connect", url, "-c", "from pg.public.districts | select district | sort district | take 1", env=env)
    check(result.returncode == 0 and len(result.stdout.splitlines()) == 2, f"right password: {result.returncode} {result.stderr}")
    result = ansinh("--connect", url.replace("ansinh_pw@", "ansinh_pw:wrong-battery@"), "-c", "from facts | take 1")
    check(result.returncode == 2 and "wrong-battery" not in result.stderr, f"a password in the URL is not echoed: {result.stderr}")
    # .maxrows and .export as for local results: the same table, the same line under it
    # ("(169 rows, 3 shown: the first 2 and the last 1; .last shows all)").
    local = ansinh("--mode", "table", "-c", ".maxrows 3", "-c", "from facts | select id | sort id")
    result = ansinh("--mode", "table", "--connect", PG_URL, "-c", ".maxrows 3", "-c", "from pg.public.facts | select id | sort id")
    check(result.returncode == 0 and result.stdout == local.stdout and "3 shown" in result.stdout,
          f".maxrows as locally:\n--- local\n{local.stdout[-400:]}\n--- server\n{result.stdout[-400:]}")
    folder = subprocess.run(["mktemp", "-d"], capture_output=True, text=True).stdout.strip()
    target = os.path.join(folder, "out.csv")
    result = ansinh("--connect", PG_URL, "-c", "from pg.public.districts | select district | sort district", "-c", f".export {target}")
    exported = open(target, encoding="utf-8").read().splitlines() if os.path.exists(target) else []
    check(result.returncode == 0 and len(exported) == 5 and exported[0] == "district", f".export of a server result: {result.stderr} {exported}")


def cancel_case():
    """^C during a long server-side query: cancelled on the server, back within a second."""
    proc = subprocess.Popen([ANSINH, "--no-rc", "--mode", "csv", "--connect", PG_URL, "-c", SLOW],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(1.5)
    check(proc.poll() is None, "the slow query still runs when ^C is sent (else this checks nothing)")
    sent = time.monotonic()
    proc.send_signal(signal.SIGINT)
    try:
        out, err = proc.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        check(False, "^C did not stop the server-side query within 10 s")
        return
    elapsed = time.monotonic() - sent
    # A `-c` run stopped by ^C exits 130, as a shell does for SIGINT (issue 16 §2).
    check(proc.returncode == 130 and "cancelled" in err and out == "", f"^C: exit code {proc.returncode}, {out!r}, {err!r}")
    check(elapsed < 1.0, f"^C: back within a second ({elapsed * 1000:.0f} ms)")
    running = psql("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'ansinh' AND state = 'active'")
    check(" 0" in running.stdout or "0\n" in running.stdout, f"no ansinh query left running on the server: {running.stdout}")
    print(f"^C: back after {elapsed * 1000:.0f} ms (process exit included)")


def killed_server_case(stop_command):
    """The server killed in the middle of a query: a clear message and exit 2, no hang."""
    if not stop_command:
        return
    proc = subprocess.Popen([ANSINH, "--no-rc", "--mode", "csv", "--connect", PG_URL, "-c", SLOW],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(1.5)
    check(proc.poll() is None, "the slow query still runs when the server is killed (else this checks nothing)")
    subprocess.run(stop_command, shell=True, capture_output=True, timeout=60)
    try:
        out, err = proc.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        check(False, "a killed server left ansinh hanging")
        return
    check(proc.returncode == 2 and ("connection to" in err or "refused the query" in err), f"killed server: {proc.returncode} {err}")


def main():
    load_tables()
    counts, refusals = language_cases()
    print(f"language cases: {counts['same']} same on the server, {counts['refused']} refused before running, "
          f"{counts['error']} errors on both sides, {counts['local-only']} read no table")
    for reason in sorted(set(refusals)):
        print("  refused:", reason[:160])
    check(counts["same"] >= 10, f"at least 10 language cases run on the server ({counts['same']})")
    own = own_pipelines()
    print(f"own pipelines: {own['same']} same")
    failure_cases()
    cancel_case()
    killed_server_case(os.environ.get("PG_STOP"))
    print(f"{passed} passed, {len(failures)} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
