#!/usr/bin/env python3
"""How fast ^C stops each benchmark query: the time from Ctrl-C to "query cancelled" at the prompt.

Usage: python3 scripts/bench/cancel_latency.py --ansinh .build/release/ansinh --data big.csv [--trials 5] [--seed 16]

Runs the real prompt on a pseudo-terminal (pexpect), imports DATA once, times each query of
scripts/bench/queries.asq uncancelled, then runs it TRIALS times and presses ^C at a random
moment between 10 % and 90 % of its running time. A trial where the query finished before the ^C
arrived is counted apart (it measures nothing). The import itself (q1) is cancelled the same way,
in a fresh process each time. Prints per-query median and worst, and both over all trials.
Not part of CI (it needs a large file); the pty test measures the same in a debug build.
"""
import argparse
import os
import random
import re
import statistics
import sys
import time

import pexpect

HERE = os.path.dirname(os.path.abspath(__file__))
PROMPT = "ansinh>"


# Slower operators the six benchmark queries do not reach (their general paths).
EXTRA = [
    ("x1_full_sort", "from big | sort value desc, id | take 5000000 | summarize n = count()"),
    ("x2_median_by_district", "from big | summarize m = median(value) by district, indicator"),
    ("x3_distinct", "from big | distinct district, value | summarize n = count()"),
    ("x4_text_function", "from big | derive t = concat(district, \" \", indicator) | summarize n = count_distinct(t)"),
    ("x5_self_join", "from big | where year == 2024 | join big on id | summarize n = count()"),
]


def queries():
    text = open(os.path.join(HERE, "queries.asq"), encoding="utf-8").read()
    found = []
    for block in re.split(r"^# name: ", text, flags=re.M)[1:]:
        name = block.split("\n", 1)[0].strip()
        statement = "\n".join(l for l in block.split("\n")[1:] if l and not l.startswith("#"))
        found.append((name, " ".join(statement.split("\n"))))
    return found + EXTRA


def spawn(binary):
    env = dict(os.environ, LANG="C.UTF-8", TERM="xterm", HOME=os.environ.get("HOME", "/tmp"))
    child = pexpect.spawn(binary, ["--no-rc", "--mode", "csv"], env=env, encoding="utf-8", timeout=600, dimensions=(40, 200))
    child.expect_exact(PROMPT)
    return child


def timed(child, statement):
    started = time.monotonic()
    child.send(statement + "\r")
    child.expect_exact(PROMPT)
    return time.monotonic() - started


def cancel(child, statement, delay):
    """Sends the statement, ^C after `delay` s; returns the latency, or None if it finished first."""
    child.send(statement + "\r")
    time.sleep(delay)
    started = time.monotonic()
    child.sendcontrol("c")
    index = child.expect_exact(["query cancelled", PROMPT])
    latency = time.monotonic() - started
    if index == 0:
        child.expect_exact(PROMPT)
        return latency
    return None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--ansinh", default=".build/release/ansinh")
    parser.add_argument("--data", required=True)
    parser.add_argument("--trials", type=int, default=5)
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--only", help="run only the queries whose name contains this")
    args = parser.parse_args()
    random.seed(args.seed)
    print(f"seed {args.seed}, {args.trials} trials per query, data {args.data}")
    all_latencies, finished_first = [], 0
    rows = []
    for name, statement in queries():
        if args.only and args.only not in name:
            continue
        statement = statement.replace("{csv}", args.data)
        latencies = []
        if name.startswith("q1"):
            child = spawn(args.ansinh)
            duration = timed(child, statement)
            child.close(force=True)
            for _ in range(args.trials):
                child = spawn(args.ansinh)
                latency = cancel(child, statement, duration * random.uniform(0.1, 0.9))
                child.close(force=True)
                latencies.append(latency)
        else:
            if "session" not in globals():
                globals()["session"] = spawn(args.ansinh)
                timed(session, f".import {args.data} AS big")
            duration = statistics.median(timed(session, statement) for _ in range(3 if name.startswith("q") else 1))
            for _ in range(args.trials):
                latencies.append(cancel(session, statement, duration * random.uniform(0.05, 0.6)))
        measured = sorted(l for l in latencies if l is not None)
        finished_first += len(latencies) - len(measured)
        all_latencies += measured
        if measured:
            rows.append(f"| {name} | {duration * 1000:.0f} | {len(measured)}/{len(latencies)} | {statistics.median(measured) * 1000:.1f} | {measured[-1] * 1000:.1f} |")
        else:
            rows.append(f"| {name} | {duration * 1000:.0f} | 0/{len(latencies)} | – | – |")
        print(rows[-1], flush=True)
    print("\n| query | runs (ms) | cancelled | median ^C latency (ms) | worst (ms) |\n|---|---|---|---|---|")
    print("\n".join(rows))
    if all_latencies:
        all_latencies.sort()
        print(f"\nall: {len(all_latencies)} cancelled, median {statistics.median(all_latencies) * 1000:.1f} ms, "
              f"worst {all_latencies[-1] * 1000:.1f} ms; {finished_first} finished before the ^C arrived")
    sys.exit(0 if all_latencies else 1)


if __name__ == "__main__":
    main()
