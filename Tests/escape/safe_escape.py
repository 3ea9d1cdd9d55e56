#!/usr/bin/env python3
"""Escape suite for --safe: every way a script from someone else might read a file outside its
folder. Each case puts a unique marker in a file OUTSIDE the folder, runs ansinh --safe inside
the folder, and fails if the marker appears in stdout, stderr or any file written under the
work area. Cases: symbolic links, hard links, deep folder chains with links (paths longer than
PATH_MAX), a symbolic link swapped between "inside" and "outside" while ansinh imports it (a race,
bounded in tries and seconds), /proc/self/fd, /proc/self/root, /proc/self/cwd, devices, FIFOs,
the history file, `.safe on` after `.output`, lesson files (ANSINH_LESSONS).

Usage: safe_escape.py PATH/TO/ansinh   (SAFE_ESCAPE_TRIES=N for more race tries; seed printed)
"""
import os
import stat, random, shutil, subprocess, sys, tempfile, threading, time

binary = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else ".build/debug/ansinh")
tries = int(os.environ.get("SAFE_ESCAPE_TRIES", "300"))
seconds = float(os.environ.get("SAFE_ESCAPE_SECONDS", "20"))
seed = int(os.environ.get("SAFE_ESCAPE_SEED", str(random.randrange(1 << 30))))
random.seed(seed)
print(f"safe escape suite: seed {seed}, race tries {tries} (SAFE_ESCAPE_TRIES), at most {seconds:.0f} s")

root = tempfile.mkdtemp(prefix="ansinh-escape-")
marker = f"OUTSIDE{random.randrange(1 << 40):x}MARK"
outside = os.path.join(root, "outside.csv")
with open(outside, "w") as f:
    f.write(f"secret\n{marker}\n")
folder = os.path.join(root, "folder")
os.mkdir(folder)
with open(os.path.join(folder, "ok.csv"), "w") as f:
    f.write("a\n1\n")
home = os.path.join(root, "home")
os.mkdir(home)

failures = []
checked = 0

def written_files_contain_marker():
    for base, _, names in os.walk(root):
        for name in names:
            path = os.path.join(base, name)
            if path == outside or os.path.islink(path) or path.startswith(lessons):
                continue
            try:
                st = os.stat(path)
                if st.st_ino == os.stat(outside).st_ino:
                    continue  # the hard link the suite made on purpose
                if not stat.S_ISREG(st.st_mode):
                    continue  # the suite's FIFO: opening it to read would wait for a writer forever
            except OSError:
                continue
            try:
                with open(path, "rb") as f:
                    if marker.encode() in f.read():
                        return path
            except OSError:
                pass
    return None

def run(case, args, stdin=b"", env_extra=None, cwd=None):
    global checked
    env = dict(os.environ, HOME=home, XDG_STATE_HOME=os.path.join(home, "state"), LANG="C.UTF-8")
    env.update(env_extra or {})
    result = subprocess.run([binary, "--no-rc", "--safe"] + args, input=stdin, cwd=cwd or folder,
                            capture_output=True, env=env, timeout=60)
    checked += 1
    leaked = marker.encode() in result.stdout or marker.encode() in result.stderr
    if leaked:
        failures.append(f"{case}: the outside file's bytes appeared in the output")
    return result, leaked

def case(name, commands, **kw):
    args = []
    for c in commands:
        args += ["-c", c]
    _, leaked = run(name, args, **kw)
    print(("LEAK " if leaked else "ok   ") + name)

def link(target, name):
    path = os.path.join(folder, name)
    if os.path.lexists(path):
        os.unlink(path)
    os.symlink(target, path)
    return name

# Links.
case("symbolic link to the outside file", [f".import {link(outside, 'l.csv')} as t", "from t"])
case("symbolic link to /", [f".import {link('/', 'r')}{outside} as t", "from t"])
case("read through a link", [f".read {link(outside, 'l.asq')}"])
case("relative ../", [".import ../outside.csv as t", "from t"])
case("absolute path", [f".import {outside} as t", "from t"])
os.link(outside, os.path.join(folder, "hard.csv"))
case("hard link to the outside file", [".import hard.csv as t", "from t"])

# Long paths: a chain of folders deeper than PATH_MAX, with links at the end and on the way.
deep = folder
for _ in range(24):
    deep = os.path.join(deep, "d" * 200)
    try:
        os.mkdir(deep)
    except OSError:
        # Too long for mkdir with a full path: go on relative to the parent folder.
        break
chain = "c"
os.makedirs(os.path.join(folder, chain), exist_ok=True)
fd = os.open(os.path.join(folder, chain), os.O_RDONLY)
relative = chain
for i in range(22):
    os.mkdir("d" * 200, dir_fd=fd)
    nfd = os.open("d" * 200, os.O_RDONLY, dir_fd=fd)
    os.close(fd)
    fd = nfd
    relative += "/" + "d" * 200
os.symlink(outside, "x.csv", dir_fd=fd)
os.symlink("/", "up", dir_fd=fd)
os.close(fd)
case("long path ending in a link", [f".import {relative}/x.csv as t", "from t"])
case("long path then a link to /", [f".import {relative}/up{outside} as t", "from t"])
case("long path .read", [f".read {relative}/x.csv"])
link("/".join(relative.split("/")[:12]), "short")
rest = "/".join(relative.split("/")[12:])
case("short link into a long path", [f".import short/{rest}/x.csv as t", "from t"])

# /proc and devices.
with open(outside, "rb") as stdin_file:
    stdin_bytes = stdin_file.read()
case("/proc/self/fd/0 with the outside file on stdin", [".import /proc/self/fd/0 as t", "from t"], stdin=stdin_bytes)
case("link to /proc/self/fd/0", [f".import {link('/proc/self/fd/0', 'in.csv')} as t", "from t"], stdin=stdin_bytes)
case("/dev/stdin", [".import /dev/stdin as t", "from t"], stdin=stdin_bytes)
case("/proc/self/root", [f".import /proc/self/root{outside} as t", "from t"])
case("/proc/self/cwd/..", [".import /proc/self/cwd/../outside.csv as t", "from t"])
case("link to /proc/self/root", [f".import {link('/proc/self/root', 'pr')}{outside} as t", "from t"])
fifo = os.path.join(folder, "fifo.csv")
os.mkfifo(fifo)
def feed():
    try:
        fd = os.open(fifo, os.O_WRONLY)
        os.write(fd, stdin_bytes)
        os.close(fd)
    except OSError:
        pass
feeder = threading.Thread(target=feed, daemon=True)
feeder.start()
case("FIFO fed with the outside file", [".import fifo.csv as t", "from t"])
try:  # unblock the feeder if ansinh never opened the FIFO
    os.close(os.open(fifo, os.O_RDONLY | os.O_NONBLOCK))
except OSError:
    pass
case("/dev/zero is refused, not read", [".import /dev/zero as t"])

# Lessons outside the folder: ANSINH_LESSONS after .safe on (without --safe at start).
lessons = os.path.join(root, "lessons")
os.mkdir(lessons)
with open(os.path.join(lessons, "99-x.lesson"), "w") as f:
    f.write(f"# lesson 99: {marker}\n{marker}\n")
def unsafe_run(name, commands, env_extra=None):
    global checked
    env = dict(os.environ, HOME=home, XDG_STATE_HOME=os.path.join(home, "state"), LANG="C.UTF-8")
    env.update(env_extra or {})
    args = []
    for c in commands:
        args += ["-c", c]
    result = subprocess.run([binary, "--no-rc"] + args, cwd=folder, capture_output=True, env=env, timeout=60)
    checked += 1
    leaked = marker.encode() in result.stdout or marker.encode() in result.stderr
    if leaked:
        failures.append(f"{name}: the outside file's bytes appeared in the output")
    print(("LEAK " if leaked else "ok   ") + name)
    return result
unsafe_run("lessons outside the folder after .safe on", [".safe on", ".tutorial list", ".tutorial 99"], {"ANSINH_LESSONS": lessons})
unsafe_run(".safe on then links", [".safe on", ".import l.csv as t", "from t", ".read l.asq"])

# .safe on after .output: nothing after it reaches the file.
out_file = os.path.join(root, "out.txt")
result = unsafe_run(".output then .safe on", [f".output {out_file}", ".safe on", f".import {outside} as t", "from t",
                                               f".import {link(outside, 'l2.csv')} as u", "from u"])
with open(out_file, "rb") if os.path.exists(out_file) else open(os.devnull, "rb") as f:
    if marker.encode() in f.read():
        failures.append(".output then .safe on: the marker reached the .output file")

# History: the prompt under --safe writes no history file (piped input has no prompt, so this
# checks the file is absent after an interactive session when a pseudo-terminal is available).
try:
    import pty
    pid, master = pty.fork()
    if pid == 0:
        os.chdir(folder)
        os.environ.update(HOME=home, XDG_STATE_HOME=os.path.join(home, "state"), LANG="C.UTF-8", TERM="dumb")
        os.execv(binary, [binary, "--no-rc", "--safe"])
    os.write(master, f"from sources | select m = \"{marker}\"\n.quit\n".encode())
    deadline = time.time() + 20
    while time.time() < deadline:
        try:
            if not os.read(master, 4096):
                break
        except OSError:
            break
    os.waitpid(pid, 0)
    history = os.path.join(home, "state", "ansinh", "history")
    checked += 1
    if os.path.exists(history):
        failures.append("history: --safe wrote the history file")
        print("LEAK history file written under --safe")
    else:
        print("ok   no history file under --safe")
except (ImportError, OSError) as error:
    print(f"skip history (no pseudo-terminal: {error})")

# The race: a link flips between a file inside and the outside file while ansinh imports it.
inside_target = os.path.join(folder, "ok.csv")
racy = os.path.join(folder, "racy.csv")
stop = threading.Event()
def flipper():
    tmp_in, tmp_out = racy + ".in", racy + ".out"
    while not stop.is_set():
        for target, tmp in ((inside_target, tmp_in), (outside, tmp_out)):
            try:
                os.symlink(target, tmp)
            except FileExistsError:
                pass
            os.replace(tmp, racy)
os.symlink(inside_target, racy)
thread = threading.Thread(target=flipper, daemon=True)
thread.start()
script = "".join(f".import racy.csv as t{i}\nfrom t{i} | take 1\n" for i in range(50))
race_leaks = 0
done = 0
started = time.time()
while done < tries and time.time() - started < seconds:
    result = subprocess.run([binary, "--no-rc", "--safe", "--keep-going"], input=script.encode(), cwd=folder,
                            capture_output=True, env=dict(os.environ, HOME=home, LANG="C.UTF-8"), timeout=60)
    done += 50
    race_leaks += result.stdout.count(marker.encode()) + result.stderr.count(marker.encode())
stop.set()
thread.join()
checked += done
print(f"{'LEAK' if race_leaks else 'ok  '} race: {done} imports while a link flipped, {race_leaks} read the outside file "
      f"({time.time() - started:.1f} s)")
if race_leaks:
    failures.append(f"race: {race_leaks} of {done} imports read the outside file")

found = written_files_contain_marker()
if found:
    failures.append(f"a file written under the work area holds the marker: {found}")

shutil.rmtree(root, ignore_errors=True)
print(f"{checked} checks, {len(failures)} escapes")
for failure in failures:
    print("ESCAPE:", failure)
sys.exit(1 if failures else 0)
