#!/usr/bin/env python3
"""Kills ansinh with SIGKILL while it writes `.export` and `.output` files, and checks that the
file it was replacing is never lost or half-written.

Each round starts from a file with known old contents, runs ansinh on a large imported table,
waits until the temporary file of the write appears (or, every third round, a random moment),
kills ansinh with SIGKILL and then requires the target to hold either exactly the old bytes or
exactly the bytes of a complete, unkilled write. A killed writer leaves its temporary file behind
(nothing can remove it after kill -9); the next write to the same target must remove it.

    python3 Tests/crash/kill_mid_write.py .build/debug/ansinh [ROUNDS]

Prints how many kills landed while a write was in progress; fails if too few did to prove much.
"""
import glob
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".build/debug/ansinh"))
ROUNDS = int(sys.argv[2]) if len(sys.argv) > 2 else 12
ROWS = 200_000
OLD = "precious old contents that must never be lost\n".encode()

# Two writers: the last result exported as CSV, and every result of a session sent to a file.
SCRIPTS = {
    "export": ".import big.csv AS t\n.output /dev/null\nfrom t\n.output\n.export {target} --force\n",
    "output": ".import big.csv AS t\n.output {target} --force\nfrom t | sort value desc\nfrom t | take 5\n.output\n",
}


def run(folder, script, env):
    return subprocess.Popen([BIN, "--no-rc"], cwd=folder, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, env=env)


def temporaries(folder, name):
    return glob.glob(os.path.join(folder, f".{name}.tmp-*"))


def main():
    if not os.path.exists(BIN):
        print(f"no binary at {BIN}: build first (swift build)")
        return 1
    folder = tempfile.mkdtemp(prefix="ansinh-kill-")
    env = dict(os.environ, LANG="C.UTF-8", HOME=folder, XDG_STATE_HOME=os.path.join(folder, "state"))
    try:
        subprocess.run([sys.executable, os.path.join(ROOT, "scripts/bench/generate.py"), str(ROWS),
                        os.path.join(folder, "big.csv")], check=True, stdout=subprocess.DEVNULL)
        random.seed(20261122)
        failures = []
        total_inside = 0
        for kind, template in SCRIPTS.items():
            name = f"{kind}.txt" if kind == "output" else f"{kind}.csv"
            target = os.path.join(folder, name)
            script = template.format(target=name).encode()
            # The complete result, written by a run that is not killed.
            p = run(folder, script, env)
            _, err = p.communicate(script)
            if p.returncode != 0:
                print(f"FAIL  {kind}: the unkilled run failed: {err.decode(errors='replace')}")
                return 1
            with open(target, "rb") as f:
                complete = f.read()
            if len(complete) < 1_000_000:
                print(f"FAIL  {kind}: the complete file is only {len(complete)} bytes; the check needs a long write")
                return 1
            inside = 0
            failures_before = len(failures)
            for round_number in range(ROUNDS):
                with open(target, "wb") as f:
                    f.write(OLD)
                p = run(folder, script, env)
                p.stdin.write(script)
                p.stdin.close()
                if round_number % 3 == 2:
                    time.sleep(random.uniform(0.0, 1.5))  # anywhere: during the import, the query or the write
                else:
                    deadline = time.monotonic() + 30       # the moment the write has begun
                    # (a temporary file appears, or, were the writer not atomic, the target changes)
                    while (not temporaries(folder, name) and os.path.getsize(target) == len(OLD)
                           and time.monotonic() < deadline and p.poll() is None):
                        time.sleep(0.0005)
                    time.sleep(random.uniform(0.0, 0.02))
                try:
                    os.kill(p.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass  # it had already finished
                p.wait()
                p.stderr.close()
                left = temporaries(folder, name)
                inside += bool(left)
                with open(target, "rb") as f:
                    now = f.read()
                if now != OLD and now != complete:
                    failures.append(f"{kind} round {round_number}: the file holds {len(now)} bytes, neither the old "
                                    f"{len(OLD)} nor the complete {len(complete)}")
                if len(left) > 1:
                    failures.append(f"{kind} round {round_number}: {len(left)} temporary files; stale ones were not removed")
            # One more write, not killed: it must replace the file and remove the killed writer's leftovers.
            p = run(folder, script, env)
            p.communicate(script)
            with open(target, "rb") as f:
                if f.read() != complete:
                    failures.append(f"{kind}: the write after the kills did not produce the complete file")
            if temporaries(folder, name):
                failures.append(f"{kind}: temporary files of killed writers were left after a good write: {temporaries(folder, name)}")
            verdict = "the old file was whole every time" if len(failures) == failures_before else "FILES WERE DAMAGED"
            print(f"      {kind}: {inside} of {ROUNDS} kills landed while the {len(complete) / 1e6:.1f} MB file was being "
                  f"written; {verdict}")
            total_inside += inside
            if inside < ROUNDS // 3:
                failures.append(f"{kind}: only {inside} of {ROUNDS} kills landed inside a write; the check proved little")
        for failure in failures:
            print(f"FAIL  {failure}")
        if failures:
            return 1
        print(f"ok    kill -9 mid-write: {total_inside} of {ROUNDS * len(SCRIPTS)} kills landed inside a write; no file was lost or half-written")
        return 0
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
