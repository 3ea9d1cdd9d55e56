#!/usr/bin/env python3
"""Drives the real ansinh prompt through a pseudo-terminal (pexpect), as a person would.

Usage:  python3 Tests/pty/prompt_test.py [BINARY] [-k NAME]      (default .build/debug/ansinh)

Each interactive check runs under LANG=C.UTF-8 and under LANG=C (ansinh must fall back to a UTF-8
LC_CTYPE by itself, or libedit drops Vietnamese letters). Every check starts a fresh ansinh with
its own HOME and XDG_STATE_HOME, so history and tutorial progress never leak between checks.

Notes on driving libedit through a pty:
- Match output the program prints (result rows), not the echo of typed keys: redraws put escape
  sequences between echoed characters.
- Wait for the next prompt before typing the next line.
- Results are requested with --mode csv so rows are easy to match.
"""
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import termios
import threading
import time

import pexpect

ARGS = [a for a in sys.argv[1:] if not a.startswith("-")]
BIN = os.path.abspath(ARGS[0] if ARGS else ".build/debug/ansinh")
PROMPT = "ansinh>"
HEADER = "#ansinh-history v1"
UP, DOWN, LEFT, RIGHT = "\x1b[A", "\x1b[B", "\x1b[D", "\x1b[C"
TAB, BACKSPACE, ENTER, BELL = "\t", "\x7f", "\r", "\x07"
CTRL_A, CTRL_C, CTRL_D, CTRL_E, CTRL_R = "\x01", "\x03", "\x04", "\x05", "\x12"

WORK = tempfile.mkdtemp(prefix="ansinh-pty-")
os.chmod(WORK, 0o755)  # the permission checks run the binary as another user
CHECKS = []


def check(name, once=False):
    def wrap(function):
        function.check_name = name
        function.once = once
        CHECKS.append(function)
        return function
    return wrap


class Home:
    """A fresh HOME and XDG_STATE_HOME for one check."""
    def __init__(self, name):
        self.root = os.path.join(WORK, name)
        self.home = os.path.join(self.root, "home")
        self.state = os.path.join(self.root, "state")
        os.makedirs(self.home, exist_ok=True)
        for folder in (self.root, self.home):
            os.chmod(folder, 0o755)

    @property
    def history(self):
        return os.path.join(self.state, "ansinh", "history")


def spawn(home, *extra, lang="C.UTF-8", dimensions=(24, 100), user=None, mode="csv"):
    """Starts ansinh on a fresh pty and waits for its first prompt."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LC_") and k not in ("NO_COLOR", "LANGUAGE")}
    env.update(LANG=lang, TERM="xterm", HOME=home.home, XDG_STATE_HOME=home.state)
    args = ["--mode", mode, *extra] if mode else list(extra)
    command = BIN
    if user is not None:  # run as another user (root ignores file permissions)
        command, args = "setpriv", [f"--reuid={user}", f"--regid={user}", "--clear-groups", BIN, *args]
    child = pexpect.spawn(command, args, env=env, encoding="utf-8", dimensions=dimensions, timeout=10, cwd=home.root)
    child.expect_exact("Ctrl-D")  # the banner
    child.startup = child.before  # what came before it (the startup file's messages)
    return child


def prompt(child):
    child.expect_exact(PROMPT)


def run(child, keys, expected):
    """Types keys, waits for output containing `expected`, then for the next prompt."""
    child.send(keys)
    child.expect_exact(expected)
    prompt(child)


def quit_child(child):
    child.send(CTRL_D)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, f"exit status {child.exitstatus}, signal {child.signalstatus}"


def lflag(child):
    return termios.tcgetattr(child.child_fd)[3]


def read_history(path):
    """Decodes a history file; raises on anything malformed (truncated, bad header, bad UTF-8)."""
    with open(path, "rb") as f:
        data = f.read()
    if not data:
        return []
    assert data.endswith(b"\n"), "file does not end with a newline (truncated?)"
    lines = data.split(b"\n")[:-1]
    assert lines[0].decode() == HEADER, f"bad header {lines[0][:40]!r}"
    entries = []
    for raw in lines[1:]:
        text = raw.decode("utf-8")
        out, i = [], 0
        while i < len(text):
            if text[i] == "\\":
                nxt = text[i + 1]
                if nxt in "\\nrt":
                    out.append({"\\": "\\", "n": "\n", "r": "\r", "t": "\t"}[nxt])
                    i += 2
                elif nxt == "x":
                    out.append(chr(int(text[i + 2:i + 4], 16)))
                    i += 4
                else:
                    raise AssertionError(f"unknown escape in {text!r}")
            else:
                out.append(text[i])
                i += 1
        entries.append("".join(out))
    return entries


def ascii_name(district_in_quotes):
    return f'from districts | where district == {district_in_quotes} | select district_ascii'


# ------------------------------------------------------------------ interactive checks

@check("typing and editing Vietnamese; the edited text matches the data")
def typing_and_editing(lang):
    home = Home(f"typing-{lang}")
    c = spawn(home, lang=lang)
    prompt(c)
    run(c, ascii_name('"Thanh Xuân"') + ENTER, "Thanh Xuan")
    # Type "Nam Tu Liêm", then fix it: 5 x Left puts the cursor after "Tu", Backspace, "ừ",
    # Ctrl-E to the end of the line to finish the statement.
    c.send('from districts | where district == "Nam Tu Liêm' + LEFT * 5 + BACKSPACE + "ừ" + CTRL_E + '" | select district_ascii' + ENTER)
    c.expect_exact("Nam Tu Liem")
    prompt(c)
    run(c, 'from districts | where district == "Quận 11" | select wards_communes' + ENTER, "16")
    # Home and a correction at the start of the line.
    c.send("rom districts | where district_type == \"huyện\" | select district" + CTRL_A + "f" + ENTER)
    c.expect_exact("Tân Hưng")
    prompt(c)
    quit_child(c)
    entries = read_history(home.history)
    assert entries[-1] == 'from districts | where district_type == "huyện" | select district', entries[-1]
    assert 'from districts | where district == "Nam Từ Liêm" | select district_ascii' in entries, entries


@check("history survives a restart: Up, ^R, multi-line statements as one entry")
def history_restart(lang):
    home = Home(f"restart-{lang}")
    c = spawn(home, lang=lang)
    prompt(c)
    run(c, ascii_name('"Thanh Xuân"') + ENTER, "Thanh Xuan")
    c.send("from districts |" + ENTER)
    c.expect_exact("...>")  # continuation prompt
    run(c, 'where district == "Nam Từ Liêm" | select district_ascii' + ENTER, "Nam Tu Liem")
    run(c, ".tables" + ENTER, "districts")
    quit_child(c)
    entries = read_history(home.history)
    assert entries[-3:] == [ascii_name('"Thanh Xuân"'), 'from districts |\nwhere district == "Nam Từ Liêm" | select district_ascii', ".tables"], entries

    c = spawn(home, lang=lang)
    prompt(c)
    run(c, UP + UP + ENTER, "Nam Tu Liem")          # the two-line statement, as one entry
    run(c, UP + UP + UP + ENTER, "Thanh Xuan")       # older entries moved up by the repeat
    run(c, CTRL_R + "Liêm" + ENTER, "Nam Tu Liem")   # incremental search with diacritics
    quit_child(c)


@check("Tab completion: stages, tables, columns, values without accents, listings")
def completion(lang):
    home = Home(f"completion-{lang}")
    c = spawn(home, lang=lang)
    prompt(c)
    # `fr` -> `from `, `dist` -> `districts`, after | `se` -> `select`, columns complete too.
    run(c, "fr" + TAB + "dist" + TAB + "| se" + TAB + "district_asc" + TAB + ENTER, "Tân Hưng".replace("â", "a").replace("ư", "u"))
    # A value typed without accents completes to the quoted Vietnamese name.
    run(c, "from facts | where district ~ thanh x" + TAB + " | summarize n = count()" + ENTER, "n")
    # Several candidates are listed in columns; the line is redrawn below the listing.
    c.send("from facts | s" + TAB)
    c.expect(r"select\s+sort\s+summarize")
    prompt(c)
    run(c, "ummarize total = count() by province" + ENTER, "TP. Hồ Chí Minh")
    # Dot-commands complete, and so do their arguments.
    run(c, ".sche" + TAB + "sou" + TAB + ENTER, "publisher")
    # Nothing matches: a bell, the line is unchanged.
    c.send("from facts | zzz" + TAB)
    c.expect_exact(BELL)
    c.send(CTRL_C)
    prompt(c)
    quit_child(c)
    history = read_history(home.history)
    assert 'from facts | where district ~ "Thanh Xuân" | summarize n = count()' in history, history


@check("^C at the prompt discards the line, also in a continuation line")
def ctrl_c_line(lang):
    home = Home(f"ctrlc-{lang}")
    c = spawn(home, lang=lang)
    prompt(c)
    c.send("garbage Thanh Xuân")
    c.send(CTRL_C)
    c.expect(r"garbage.*\^C")
    prompt(c)
    run(c, ascii_name('"Quận 11"') + ENTER, "Quan 11")  # not "garbage…from"
    c.send("from facts |" + ENTER)
    c.expect_exact("...>")
    c.send("where" + CTRL_C)
    prompt(c)
    run(c, ascii_name('"Tân Hưng"') + ENTER, "Tan Hung")  # the unfinished statement is gone
    quit_child(c)


@check("^C cancels a long import; more ^C never kill the shell", once=True)
def ctrl_c_query(lang):
    home = Home(f"query-{lang}")
    big = os.path.join(home.root, "big.csv")
    with open(big, "w") as f:
        f.write("id,district,year,value\n")
        chunk = "".join(f"{i},Quận {i % 705},{2010 + i % 16},{i * 0.37:.2f}\n" for i in range(200000))
        for _ in range(15):  # 3 million rows: seconds to import in a debug build
            f.write(chunk)
    c = spawn(home, lang=lang)
    prompt(c)
    assert not lflag(c) & termios.ISIG, "ISIG must be off while editing (^C is a key)"
    c.send(".import big.csv AS big" + ENTER)
    time.sleep(0.4)
    flags = lflag(c)
    assert flags & termios.ISIG and flags & termios.ICANON, "a query must run in cooked mode with ISIG"
    started = time.monotonic()
    c.send(CTRL_C)
    c.send(CTRL_C)  # a second ^C while it stops must not kill the process
    c.expect_exact("query cancelled")
    elapsed = time.monotonic() - started
    assert elapsed < 2.0, f"cancellation took {elapsed:.1f} s"
    prompt(c)
    assert c.isalive()
    c.send(".tables" + ENTER)
    c.expect_exact("districts")
    prompt(c)
    assert "big " not in c.before, "a cancelled import must not leave a table"
    quit_child(c)


def write_big_csv(path, rows):
    """A facts-shaped table big enough that each query below runs for seconds in a debug build."""
    with open(path, "w") as f:
        f.write("id,district,year,value\n")
        block = 100000
        chunk = "".join(f"{i},Quận {i % 705},{2010 + i % 16},{(i * 7919) % 100003 * 0.37:.2f}\n" for i in range(block))
        for part in range(rows // block):
            f.write(chunk.replace(",Quận", f"{part},Quận") if part else chunk)  # ids stay distinct


# Each runs long enough (debug build, 1M rows) that ^C lands mid-stage: sort, hash grouping, distinct, join, functions.
CANCEL_QUERIES = [
    "from big | sort value desc, id | take 500000 | summarize n = count()",
    "from big | summarize m = median(value) by id | summarize n = count()",
    "from big | distinct id, value | summarize n = count()",
    "from big | join big on id | summarize n = count()",
    "from big | derive t = concat(district, \" \", text(year)) | summarize n = count_distinct(t)",
]


@check("^C stops each long query within a blink at the prompt; latency measured", once=True)
def ctrl_c_latency(lang):
    home = Home("latency")
    write_big_csv(os.path.join(home.root, "big.csv"), 1000000)
    c = spawn(home, lang=lang)
    prompt(c)
    c.send(".import big.csv AS big" + ENTER)
    c.expect_exact("imported 1", timeout=120)
    prompt(c)
    latencies = []
    for query in CANCEL_QUERIES:
        c.send(query + ENTER)
        time.sleep(0.6)
        started = time.monotonic()
        c.send(CTRL_C)
        index = c.expect_exact(["query cancelled", "(1 rows)"], timeout=30)
        elapsed = time.monotonic() - started
        prompt(c)
        assert index == 0, f"finished before ^C, proves nothing: {query}"
        latencies.append(elapsed)
        print(f"      {elapsed * 1000:4.0f} ms  {query}")
    latencies.sort()
    median = latencies[len(latencies) // 2]
    print(f"      ^C to 'query cancelled' over {len(latencies)} queries: median {median * 1000:.0f} ms, worst {latencies[-1] * 1000:.0f} ms")
    # Generous for a debug build on a busy machine; the engine's own bound is one budget of rows.
    assert latencies[-1] < 1.0, f"worst cancellation took {latencies[-1]:.2f} s"
    run(c, ".tables" + ENTER, "big")  # the shell carries on with its tables
    quit_child(c)


@check("^C stops a script or -c at once with exit status 130", once=True)
def ctrl_c_script(lang):
    home = Home("script-sigint")
    big = os.path.join(home.root, "big.csv")
    write_big_csv(big, 1000000)
    script = os.path.join(home.root, "long.asq")
    with open(script, "w") as f:
        f.write(".import big.csv AS big\n" + CANCEL_QUERIES[0] + "\nfrom facts | take 1\n")
    env = dict(os.environ, LANG=lang, HOME=home.home, XDG_STATE_HOME=home.state)
    for arguments in (["--no-rc", script], ["--no-rc", "--keep-going", "-c", ".import big.csv AS big", "-c", CANCEL_QUERIES[0], "-c", "from facts | take 1"]):
        child = subprocess.Popen([BIN, *arguments], cwd=home.root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = child.stderr.readline()
        assert line.startswith("imported"), line
        time.sleep(0.6)
        started = time.monotonic()
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=30)
        elapsed = time.monotonic() - started
        assert child.returncode == 130, f"exit status {child.returncode}: {err}"
        assert "query cancelled" in err and "Ctrl-C" in err, err
        assert "Thanh" not in out and "hnm-" not in out, "the statement after the cancelled one must not run"
        assert elapsed < 2.0, f"exit took {elapsed:.2f} s"
        print(f"      {'a script' if len(arguments) == 2 else '-c with --keep-going'}: SIGINT to exit 130 in {elapsed * 1000:.0f} ms")


README_BLOCK = """from facts
| where district ~ "thanh xuan" and indicator == "near_poor_households"
| select period, value, source
| sort period"""

PASTE_START, PASTE_END = "\x1b[200~", "\x1b[201~"


@check("a pasted multi-line block runs each statement once; `|` lines continue the pipeline")
def paste(lang):
    home = Home(f"paste-{lang}")
    c = spawn(home, lang=lang)
    prompt(c)
    # Bracketed paste (what xterm, tmux, iTerm send when paste marks are asked for), two statements.
    c.send(PASTE_START + README_BLOCK + "\n" + ascii_name('"Tân Hưng"') + "\n" + PASTE_END)
    c.expect_exact("start-2021,55,households,tx-portal")  # the whole pipeline ran, not `from facts` alone
    c.expect_exact("Tan Hung")   # and then the second statement, once
    prompt(c)
    assert "error" not in c.before, c.before
    # The same block without paste marks (an old terminal): lines arriving together still join.
    c.send(README_BLOCK.replace("\n", ENTER) + ENTER)
    c.expect_exact("start-2021,55,households,tx-portal")
    prompt(c)
    assert "error" not in c.before and "more rows" not in c.before, c.before
    # Typed by hand after a statement ran: a line starting with `|` continues it.
    run(c, "from districts" + ENTER, "Quận 11")
    run(c, '| where district == "Quận 11" | select district_ascii' + ENTER, "Quan 11")
    # A paste without a newline is inserted at the cursor like typing, and waits for Enter.
    c.send("from districts | where district == " + PASTE_START + '"Nam Từ Liêm"' + PASTE_END)
    c.send(" | select district_ascii" + ENTER)
    c.expect_exact("Nam Tu Liem")
    prompt(c)
    quit_child(c)
    history = read_history(home.history)
    assert README_BLOCK in history, history
    assert 'from districts\n| where district == "Quận 11" | select district_ascii' in history, history


@check("decomposed (NFD) input is composed as it is read: editing, matching and ^R agree")
def nfd_input(lang):
    import unicodedata
    home = Home(f"nfd-{lang}")
    os.makedirs(os.path.dirname(home.history))
    nfd_entry = unicodedata.normalize("NFD", ascii_name('"Tân Hưng"'))
    with open(home.history, "w") as f:  # an entry saved decomposed by an older version
        f.write(HEADER + "\n" + nfd_entry + "\n")
    c = spawn(home, lang=lang)
    prompt(c)
    # "Thanh Xuân" typed decomposed, then one Backspace: it must delete the whole "n", and a
    # second one the whole "â" (composed), so retyping "ân" gives the name back.
    nfd = unicodedata.normalize("NFD", "Thanh Xuân")
    c.send('from districts | where district == "' + nfd + BACKSPACE * 2 + "ân" + '" | select district_ascii' + ENTER)
    c.expect_exact("Thanh Xuan")
    prompt(c)
    # ^R with composed text finds the entry stored decomposed.
    run(c, CTRL_R + "Tân H" + ENTER, "Tan Hung")
    quit_child(c)
    history = read_history(home.history)
    assert all(unicodedata.is_normalized("NFC", entry) for entry in history), history


@check("errors at the prompt count lines from the statement's own first line")
def error_positions(lang):
    home = Home(f"positions-{lang}")
    c = spawn(home, lang=lang)
    prompt(c)
    for _ in range(3):
        run(c, "from facts | take 1" + ENTER, "hnm-")
    c.send("from facts | where distrct == 1" + ENTER)
    c.expect(r"(\d+):(\d+): error")
    assert c.match.group(1) == "1" and c.match.group(2) == "20", c.match.group(0)
    prompt(c)
    c.send("from facts" + ENTER)
    prompt(c)
    c.send("| where distrct == 1" + ENTER)  # line 2 of the statement it continues
    c.expect(r"(\d+):(\d+): error")
    assert c.match.group(1) == "2" and c.match.group(2) == "9", c.match.group(0)
    prompt(c)
    quit_child(c)


@check(".once FILE takes only the next result; the banner fits in 80 columns")
def once_and_banner(lang):
    home = Home(f"once-{lang}")
    c = spawn(home, lang=lang, dimensions=(24, 80))
    banner = [line for line in (c.startup + "Ctrl-D").splitlines() if "ansinh" in line or "Ctrl-D" in line]
    assert banner and all(len(line.rstrip()) <= 80 for line in banner), banner
    prompt(c)
    run(c, ".once first.csv" + ENTER, "first.csv")
    c.send("from districts | select district" + ENTER)
    prompt(c)
    assert "Tân Hưng" not in c.before, "the result went to the screen, not the file"
    run(c, "from sources | take 1 | select source" + ENTER, "hnm-tx")  # back on the screen
    quit_child(c)
    with open(os.path.join(home.root, "first.csv"), encoding="utf-8") as f:
        text = f.read()
    assert text.startswith("district\n") and "Tân Hưng" in text and "hnm-tx" not in text, text


@check("Ctrl-D exits and leaves the terminal sane")
def ctrl_d(lang):
    home = Home(f"eof-{lang}")
    c = spawn(home, lang=lang)
    prompt(c)
    time.sleep(0.1)
    at_prompt = lflag(c)
    assert not at_prompt & termios.ICANON and not at_prompt & termios.ECHO, "libedit raw mode expected at the prompt"
    c.send("abc" + CTRL_D)          # not empty: does not exit
    c.send(BACKSPACE * 3 + CTRL_D)  # empty line: exit
    c.expect(pexpect.EOF)
    after = lflag(c)
    c.close()
    assert c.exitstatus == 0, f"exit status {c.exitstatus}"
    assert after & termios.ICANON and after & termios.ECHO and after & termios.ISIG, "terminal not restored"


@check("errors at the prompt show a caret and a suggestion; the shell carries on")
def errors(lang):
    home = Home(f"errors-{lang}")
    c = spawn(home, lang=lang)
    prompt(c)
    c.send("from facts | where distrct == 1" + ENTER)
    c.expect_exact("did you mean `district`?")
    c.expect(r"\^\^\^\^\^\^\^")
    prompt(c)
    run(c, ".mod csvv" + ENTER, "did you mean `.mode`?")
    run(c, ascii_name('"Quận 11"') + ENTER, "Quan 11")
    quit_child(c)


@check("the startup file runs, its errors name the line, --no-rc skips it")
def rc_file(lang):
    home = Home(f"rc-{lang}")
    with open(os.path.join(home.home, ".ansinhrc"), "w") as f:
        f.write(".numbers en\nlet tx = from facts | where district == \"Thanh Xuân\"\nfrom nowhere | take 1\n")
    c = spawn(home, lang=lang, mode="box")
    assert ".ansinhrc:3:6: error: unknown table `nowhere`" in c.startup, c.startup
    prompt(c)
    run(c, "from tx | where indicator == \"policy_credit_outstanding\" | select value | take 1" + ENTER, "352 bn VND")
    quit_child(c)
    c = spawn(home, "--no-rc", lang=lang)
    prompt(c)
    run(c, "from tx | take 1" + ENTER, "unknown table `tx`")
    quit_child(c)


@check("the whole tutorial can be followed through the prompt, every task of every lesson, and remembers progress")
def tutorial(lang):
    def finish_lesson(c):
        """Types each task's solution (a query, or `.tutorial answer SENTENCE`) until the lesson is
        done; returns how it ended."""
        while True:
            c.send(".tutorial solution" + ENTER)
            c.expect(r"Solution: ((?:from|\.tutorial answer) [^\r\n]+)")
            solution = c.match.group(1)
            prompt(c)
            c.send(solution + ENTER)
            index = c.expect_exact(["✓ Correct! On to the next task", "✓ Correct! Type .tutorial next", "You have finished every lesson.",
                                    "✓ Correct! That was the last lesson", "Not yet"])
            prompt(c)
            assert index != 4, f"a lesson's own solution was refused: {solution}"
            if index != 0:
                return index

    home = Home(f"tutorial-{lang}")
    c = spawn(home, lang=lang, mode="box")
    prompt(c)
    run(c, ".tutorial" + ENTER, "Lesson 1/")
    run(c, "from nowhere" + ENTER, "Not yet")
    assert finish_lesson(c) == 1
    run(c, ".tutorial next" + ENTER, "Lesson 2/")
    quit_child(c)
    c = spawn(home, lang=lang, mode="box")
    prompt(c)
    c.send(".tutorial" + ENTER)  # progress kept
    c.expect(r"Lesson 2/(\d+)")
    total = int(c.match.group(1))
    prompt(c)
    run(c, ".tutorial list" + ENTER, "✓ 1.")
    # The rest of the tutorial, end to end: each task's solution typed at the prompt is judged
    # correct (a lesson of several tasks moves to its next task), and `.tutorial next` moves on
    # until the last lesson is done.
    for number in range(2, total + 1):
        ended = finish_lesson(c)
        if number < total:
            assert ended == 1, f"lesson {number} ended with {ended}"
            run(c, ".tutorial next" + ENTER, f"Lesson {number + 1}/{total}")
        else:
            assert ended == 2, f"the last lesson ended with {ended}"
    run(c, ".tutorial list" + ENTER, f"✓ {total}.")
    run(c, ".tutorial status" + ENTER, f"Lessons done: {total} of {total}")
    quit_child(c)


# -------------------------------------------------------------- history robustness

@check("damaged or unreadable history files are reported once and never stop the shell")
def damaged_history(lang):
    # A foreign file (libedit's own format): reported once, left untouched, memory history works.
    home = Home(f"foreign-{lang}")
    os.makedirs(os.path.dirname(home.history))
    foreign = b"_HiStOrY_V2_\nThanh\\040Xu\xc3\xa2n\n"
    with open(home.history, "wb") as f:
        f.write(foreign)
    c = spawn(home, lang=lang)
    c.expect_exact("is not an ansinh history file")
    prompt(c)
    run(c, ascii_name('"Quận 11"') + ENTER, "Quan 11")
    run(c, UP + ENTER, "Quan 11")
    assert "history" not in c.before, "reported more than once"
    quit_child(c)
    assert open(home.history, "rb").read() == foreign, "a foreign file was modified"

    # Undecodable entries are skipped and counted; the rest is kept.
    home = Home(f"damaged-{lang}")
    os.makedirs(os.path.dirname(home.history))
    good = ascii_name('"Tân Hưng"').encode()
    with open(home.history, "wb") as f:
        f.write(HEADER.encode() + b"\n" + good + b"\nbad \xff\xfe bytes\nbad \\q escape\n")
    c = spawn(home, lang=lang)
    c.expect_exact("skipped 2 damaged entries")
    prompt(c)
    run(c, UP + ENTER, "Tan Hung")
    quit_child(c)

    # A directory where the file should be.
    home = Home(f"isdir-{lang}")
    os.makedirs(home.history)
    c = spawn(home, lang=lang)
    c.expect_exact("it is a directory")
    prompt(c)
    run(c, ascii_name('"Quận 11"') + ENTER, "Quan 11")
    quit_child(c)

    # Permission denied: the file belongs to root, mode 0600, ansinh runs as nobody.
    home = Home(f"denied-{lang}")
    os.makedirs(os.path.dirname(home.history))
    for folder in (home.state, os.path.dirname(home.history)):
        os.chmod(folder, 0o755)
    with open(home.history, "w") as f:
        f.write(HEADER + "\nsecret\n")
    os.chmod(home.history, 0o600)
    c = spawn(home, lang=lang, user=65534)
    c.expect_exact("Permission denied")
    prompt(c)
    run(c, ascii_name('"Quận 11"') + ENTER, "Quan 11")
    quit_child(c)
    assert read_history(home.history) == ["secret"]


@check("two shells adding history at the same time lose nothing")
def concurrent_shells(lang):
    home = Home(f"concurrent-{lang}")
    count = 25
    errors = []

    def shell(tag):
        try:
            c = spawn(home, lang=lang)
            prompt(c)
            for i in range(count):
                run(c, f"from facts | take 0 -- {tag} {i} Từ Liêm" + ENTER, "quote")
            quit_child(c)
        except Exception as error:
            errors.append(f"{tag}: {error!r}")

    threads = [threading.Thread(target=shell, args=(tag,)) for tag in ("A", "B")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    entries = read_history(home.history)
    expected = {f"from facts | take 0 -- {tag} {i} Từ Liêm" for tag in "AB" for i in range(count)}
    assert expected <= set(entries), f"missing: {sorted(expected - set(entries))[:5]}"
    for tag in "AB":
        own = [e for e in entries if f"-- {tag} " in e]
        assert own == [f"from facts | take 0 -- {tag} {i} Từ Liêm" for i in range(count)], "order changed"


@check("kill -9 during history writes always leaves a complete, valid file", once=True)
def kill_nine(lang):
    home = Home("kill")
    os.makedirs(os.path.dirname(home.history))
    temporary = home.history + ".tmp"
    # 1000 entries of 2 KB make each save (read, merge, write 2 MB, fsync, rename) slow enough
    # for some kills to land inside one.
    with open(home.history, "w") as f:
        f.write(HEADER + "\n" + "".join(f"from facts | take 0 -- seed {i} {'x' * 2000}\n" for i in range(1000)))
    random.seed(4)
    inside = 0
    rounds = 12
    for round_number in range(rounds):
        if os.path.exists(temporary):
            os.unlink(temporary)
        c = spawn(home, lang=lang)
        prompt(c)
        for i in range(8):
            c.send(f"from facts | take 0 -- round {round_number} entry {i} {'y' * 2000}" + ENTER)
        if round_number % 2 == 0:
            time.sleep(random.uniform(0.0, 0.15))  # anywhere
        else:
            deadline = time.monotonic() + 5       # the moment a save starts writing
            while not os.path.exists(temporary) and time.monotonic() < deadline:
                time.sleep(0.0002)
        os.kill(c.pid, signal.SIGKILL)
        c.close(force=True)
        entries = read_history(home.history)  # raises on a truncated or half-written file
        assert len(entries) == 1000, f"{len(entries)} entries"
        inside += os.path.exists(temporary)
    print(f"      {inside} of {rounds} kills landed inside a save; the file was whole every time")
    assert inside >= rounds // 4, "too few kills landed inside a save; the check proved little"


# ------------------------------------------------------------------------------ main

def main():
    only = sys.argv[sys.argv.index("-k") + 1] if "-k" in sys.argv else None
    if not os.path.exists(BIN):
        print(f"no binary at {BIN}: build first (swift build)")
        sys.exit(1)
    results = []
    for function in CHECKS:
        if only and only not in function.__name__:
            continue
        for lang in (["C.UTF-8"] if function.once else ["C.UTF-8", "C"]):
            label = f"[LANG={lang}] {function.check_name}"
            started = time.monotonic()
            try:
                function(lang)
                results.append(True)
                print(f"ok    {label} ({time.monotonic() - started:.1f} s)", flush=True)
            except Exception as error:
                detail = f"{type(error).__name__}: {error}"
                if isinstance(error, pexpect.ExceptionPexpect):
                    lines = str(error).splitlines()
                    detail = f"{type(error).__name__}: {lines[0]} | " + " | ".join(l for l in lines if l.startswith(("before", "    0:")))
                results.append(False)
                print(f"FAIL  {label}\n      {detail}", flush=True)
    shutil.rmtree(WORK, ignore_errors=True)
    passed = sum(results)
    print(f"{passed} passed, {len(results) - passed} failed")
    sys.exit(0 if results and all(results) else 1)


if __name__ == "__main__":
    main()
