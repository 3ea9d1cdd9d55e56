#!/usr/bin/env python3
"""An independent differential oracle for ansinh's pipelines (issue 13, "Tests that can find the next one").

Written without ansinh's own generator or its `.sql` translator: this file makes random tables
(all-null columns, empty and one-row tables, constant columns, NaN-ish text, Vietnamese in NFC and
NFD), random well-typed pipelines over them (where, derive, select, summarize, sort, take,
distinct), translates each pipeline to SQL itself, and checks:

  1. differential: ansinh's rows equal what DuckDB and sqlite3 give for the translated SQL.
     When DuckDB and sqlite3 disagree with each other the case is reported as an engine
     disagreement (not counted against ansinh): the reference is not clear there.
  2. TLP (ternary logic partitioning, Rigger & Su): `where p`, `where not (p)` and
     `where (p) is null` partition the rows; their counts, sums, counts of a column, minimums and
     maximums combine to the whole table's.
  3. NoREC (non-optimising reference): the count of `where p` equals the number of rows where p,
     computed as a column, is true (`derive k = p | where k == true`, and `sum(if(p, 1, 0))`).
  4. import: the table ansinh imports equals the values this file wrote (NFC-normalised).

The rules the SQL follows are ansinh's documented ones (docs/LANGUAGE.md): exact division with
null for a zero divisor, null for `%` by zero, `where` keeps true only, nulls last in sort and
group order, sum/avg/min/max ignore nulls, aggregates without `by` give one row over no rows,
`if(null, a, b)` is b, `concat` reads null as empty, `~` is "contains, ignoring case and
diacritics". Text ordering (Vietnamese alphabetical in ansinh, bytes in SQL) is never compared:
a result ordered by a text key is compared as a multiset and is never cut with `take`.

Usage: oracle.py ANSINH [--seed N] [--seconds S] [--max-cases N] [--break-check]
Environment: ORACLE_SEED, ORACLE_SECONDS (default 60), ORACLE_MAX_CASES.
DuckDB comes from PyPI (`duckdb`, with `numpy` for its Python functions) into .build-oracle/venv (made on first use).
Exit 0 when ansinh agrees everywhere; 1 when a mismatch or crash is found (each printed with the
table, the pipeline, the SQL and the three answers).
"""
import decimal, json, math, os, random, sqlite3, subprocess, sys, tempfile, time, unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENV = ROOT / ".build-oracle" / "venv"


def ensure_duckdb(optional=False):
    """Makes DuckDB importable (re-running this script inside the venv); False when it cannot be
    installed and `optional` (a machine without PyPI: the check goes on with sqlite3 alone)."""
    try:
        import duckdb  # noqa: F401
        return True
    except ImportError:
        pass
    if os.environ.get("ORACLE_NO_DUCKDB"):  # set below when the install failed, or by hand to try this path
        if not optional:
            sys.exit("oracle: duckdb is not available (ORACLE_NO_DUCKDB)")
        return False
    python = VENV / "bin" / "python"
    if os.environ.get("ORACLE_IN_VENV"):
        sys.exit("oracle: duckdb is still missing inside " + str(VENV))
    if not python.exists():
        import venv
        print(f"oracle: making {VENV} for DuckDB (PyPI duckdb)", flush=True)
        venv.create(VENV, with_pip=True)
    check = subprocess.run([str(python), "-c", "import duckdb, numpy"], capture_output=True)
    if check.returncode != 0:
        print("oracle: pip install duckdb", flush=True)
        r = subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "duckdb", "numpy"],
                           capture_output=True, text=True, timeout=900)
        if r.returncode != 0:
            if not optional:
                sys.exit("oracle: could not install duckdb from PyPI:\n" + r.stderr[-2000:])
            print("oracle: could not install duckdb from PyPI:\n" + r.stderr[-600:], flush=True)
            os.environ["ORACLE_NO_DUCKDB"] = "1"
            return False
    env = dict(os.environ, ORACLE_IN_VENV="1")
    os.execve(str(python), [str(python), *sys.argv], env)


# ---------------------------------------------------------------- reference functions (SQL UDFs)

def nfc(s):
    return None if s is None else unicodedata.normalize("NFC", s)


def fold(s):
    """Lower case without diacritics, đ as d — written from the docs, not from ansinh's code."""
    if s is None:
        return None
    s = unicodedata.normalize("NFD", s.replace("đ", "d").replace("Đ", "D"))
    s = "".join(c for c in s if unicodedata.category(c) != "Mn")
    return unicodedata.normalize("NFC", s.lower())


def contains_fold(a, b):
    if a is None or b is None:
        return None
    return 1 if fold(b) in fold(a) else 0


def py_nfc(s):
    return nfc(s)


def starts_with_py(a, b):
    return None if a is None or b is None else int(a.startswith(b))


def ends_with_py(a, b):
    return None if a is None or b is None else int(a.endswith(b))


def replace_py(a, old, new):
    # An empty `old` leaves the text as it is (as SQL's replace does; the docs do not say).
    if a is None or old is None or new is None:
        return None
    return a if old == "" else a.replace(old, new)


class Median:
    def __init__(self):
        self.values = []

    def step(self, v):
        if v is not None:
            self.values.append(v)

    def finalize(self):
        if not self.values:
            return None
        v = sorted(self.values)
        m = len(v) // 2
        return float(v[m]) if len(v) % 2 else (v[m - 1] + v[m]) / 2


def py_lower(s):
    return None if s is None else s.lower()


def py_upper(s):
    return None if s is None else s.upper()


# ---------------------------------------------------------------- random tables

VIET = ["Nguyễn", "Đà Nẵng", "đà nẵng", "Thanh Xuân", "thanh xuan", "Quận 11", "Quận 2", "Hà Nội",
        "Phường Bến Nghé", "Từ Liêm", "ệ", "Ưu tiên", "ƯU TIÊN"]
ODD = ["NaN", "nan", "inf", "-inf", "Infinity", "null", "NULL", "..", "-", "NA", "n/a", "", " ", " a ",
       "0", "-0", "1e5", "12", "true", "x", "A", "a", "\u00a0", "ß",
       # canonically equal spellings that are not Vietnamese (NFC/NFD, a lone combining mark)
       "é", "e\u0301", "\u0301", "Å", "A\u030a", "\u212b", "ñ", "n\u0303"]


def text_value(rng):
    r = rng.random()
    if r < 0.55:
        s = rng.choice(VIET)
        return unicodedata.normalize("NFD", s) if rng.random() < 0.4 else s
    return rng.choice(ODD)


COLUMN_KINDS = ["integer", "integer", "decimal", "text", "text", "boolean"]


def make_table(rng):
    shape = rng.choice(["normal", "normal", "normal", "empty", "one", "small"])
    n = {"normal": rng.randint(5, 40), "empty": 0, "one": 1, "small": rng.randint(2, 4)}[shape]
    columns = [("rid", "integer")]
    counts = {}
    for kind in rng.sample(COLUMN_KINDS, k=len(COLUMN_KINDS)):
        counts[kind] = counts.get(kind, 0) + 1
        columns.append((f"{kind[0]}{counts[kind]}", kind))
    rows = [[i + 1] for i in range(n)]
    for name, kind in columns[1:]:
        mode = rng.choice(["mixed", "mixed", "mixed", "allnull", "constant", "nonull"])
        if kind == "text" and rng.random() < 0.15:
            mode = "allempty"
        pool = None
        if mode == "constant":
            pool = [value_of(kind, rng)]
        for row in rows:
            if mode == "allnull":
                v = None
            elif mode == "allempty":
                v = ""
            elif mode == "constant":
                v = pool[0]
            elif mode == "mixed" and rng.random() < 0.3:
                v = None
            else:
                v = value_of(kind, rng)
            row.append(v)
    return columns, rows


def value_of(kind, rng):
    if kind == "integer":
        return rng.choice([0, 0, 1, -1, 2, 3, -3, 5, 7, 10, 42, -100, rng.randint(-50, 50)])
    if kind == "decimal":
        return rng.choice([0.0, 0.5, -0.5, 1.25, 2.5, -2.5, 0.1, 3.75, 100.0, -7.125, round(rng.uniform(-60, 60), 2)])
    if kind == "boolean":
        return rng.random() < 0.5
    return text_value(rng)


def make_join_table(rng, t_rows):
    """The table `u` that pipelines join: keys drawn from t's values (so that some match, some
    repeat and some are null), sometimes empty."""
    n = rng.choice([0, 1, 3, 6, 12])
    ints = [v for row in t_rows for v in row[1:] if isinstance(v, int) and not isinstance(v, bool)] or [1]
    texts = [v for row in t_rows for v in row[1:] if isinstance(v, str)] or ["a"]
    rows = []
    for i in range(n):
        k = None if rng.random() < 0.2 else rng.choice(ints + [0, 1, 2])
        kt = None if rng.random() < 0.2 else rng.choice(texts)
        if isinstance(kt, str) and rng.random() < 0.3:
            kt = unicodedata.normalize("NFD", kt)
        v = None if rng.random() < 0.2 else round(rng.uniform(-10, 10), 2)
        rows.append([100 + i, k, kt, v])
    return U_COLUMNS, rows


def csv_text(columns, rows):
    def cell(v, kind):
        if v is None:
            return ""  # unquoted empty: null in every column type
        if kind == "boolean":
            return "true" if v else "false"
        if kind == "text":
            return '"' + v.replace('"', '""') + '"'
        if kind == "decimal":
            return repr(float(v))
        return str(v)
    lines = [",".join(name for name, _ in columns)]
    for row in rows:
        lines.append(",".join(cell(v, k) for v, (_, k) in zip(row, columns)))
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- expressions: (ansinh text, SQL text)

def q(s):
    """An ansinh string literal (double quotes, escapes)."""
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def sq(s):
    return "'" + nfc(s).replace("'", "''") + "'"


class Gen:
    def __init__(self, rng, columns):
        self.rng = rng
        self.columns = columns  # [(name, kind)] visible now

    def cols(self, kind):
        return [n for n, k in self.columns if k == kind]

    def num(self, depth, want="any"):
        """A number expression; returns (ansinh, sql, kind) with kind integer|decimal."""
        rng = self.rng
        ints, decs = self.cols("integer"), self.cols("decimal")
        choices = ["lit"]
        if ints:
            choices += ["icol"] * 3
        if decs and want != "integer":
            choices += ["dcol"] * 2
        if depth > 0:
            choices += ["arith", "arith", "neg", "abs", "coalesce", "nullif", "if", "length"]
            if want != "integer":
                choices += ["div", "round", "floorceil"]
            choices += ["mod"]
        c = rng.choice(choices)
        if c == "lit":
            if want != "integer" and rng.random() < 0.3:
                v = rng.choice([0.5, 1.5, 0.0, -2.25, 100.49999999999999, 2.5])
                return (repr(v) if v >= 0 else f"({v!r})", f"CAST({v!r} AS DOUBLE)", "decimal")
            v = rng.choice([0, 1, 2, 3, -1, 7, 10])
            return (str(v) if v >= 0 else f"({v})", str(v), "integer")
        if c == "icol":
            n = rng.choice(ints)
            return (f"`{n}`", f'"{n}"', "integer")
        if c == "dcol":
            n = rng.choice(decs)
            return (f"`{n}`", f'"{n}"', "decimal")
        if c == "arith":
            a, b = self.num(depth - 1, want), self.num(depth - 1, want)
            op = rng.choice(["+", "-", "*"])
            kind = "integer" if a[2] == b[2] == "integer" else "decimal"
            return (f"({a[0]} {op} {b[0]})", f"({a[1]} {op} {b[1]})", kind)
        if c == "neg":
            a = self.num(depth - 1, want)
            return (f"(-({a[0]}))", f"(-({a[1]}))", a[2])
        if c == "abs":
            a = self.num(depth - 1, want)
            return (f"abs({a[0]})", f"abs({a[1]})", a[2])
        if c == "coalesce":
            a, b = self.num(depth - 1, want), self.num(depth - 1, want)
            if a[2] != b[2]:
                return a
            return (f"coalesce({a[0]}, {b[0]})", f"coalesce({a[1]}, {b[1]})", a[2])
        if c == "nullif":
            a, b = self.num(depth - 1, want), self.num(depth - 1, want)
            if a[2] != b[2]:
                return a
            return (f"nullif({a[0]}, {b[0]})", f"nullif({a[1]}, {b[1]})", a[2])
        if c == "if":
            p = self.pred(depth - 1)
            a, b = self.num(depth - 1, want), self.num(depth - 1, want)
            if a[2] != b[2]:
                return a
            return (f"if({p[0]}, {a[0]}, {b[0]})", f"(CASE WHEN {p[1]} THEN {a[1]} ELSE {b[1]} END)", a[2])
        if c == "length":
            t = self.text(depth - 1)
            return (f"length({t[0]})", f"length({t[1]})", "integer")
        if c == "div":
            a, b = self.num(depth - 1), self.num(depth - 1)
            return (f"({a[0]} / {b[0]})", f"(CAST({a[1]} AS DOUBLE) / NULLIF({b[1]}, 0))", "decimal")
        if c == "mod":
            a, b = self.num(depth - 1, "integer"), self.num(depth - 1, "integer")
            return (f"({a[0]} % {b[0]})", f"({a[1]} % NULLIF({b[1]}, 0))", "integer")
        if c == "round":
            a = self.num(depth - 1)
            k = rng.choice([None, 0, 1, 2, -1])
            if k is None:
                return (f"round({a[0]})", f"round({a[1]})", "decimal")
            if k < 0:
                return (f"round({a[0]}, {k})", f"(round(CAST({a[1]} AS DOUBLE) / 10.0) * 10)", "decimal")
            return (f"round({a[0]}, {k})", f"round({a[1]}, {k})", "decimal")
        if c == "floorceil":
            a = self.num(depth - 1)
            f = rng.choice(["floor", "ceil"])
            return (f"{f}({a[0]})", f"{f}(CAST({a[1]} AS DOUBLE))", "decimal")
        raise AssertionError(c)

    def text(self, depth):
        rng = self.rng
        texts = self.cols("text")
        choices = ["lit"] + ["col"] * (3 if texts else 0)
        if depth > 0:
            choices += ["lower", "upper", "trim", "fold", "concat", "coalesce", "nullif", "if", "textint", "replace"]
        c = rng.choice(choices)
        if c == "lit":
            s = text_value(rng)
            return (q(s), sq(s))
        if c == "col":
            n = rng.choice(texts)
            return (f"`{n}`", f'"{n}"')
        if c in ("lower", "upper", "fold"):
            a = self.text(depth - 1)
            return (f"{c}({a[0]})", f"py_{c}({a[1]})" if c != "fold" else f"py_fold({a[1]})")
        if c == "trim":
            a = self.text(depth - 1)
            return (f"trim({a[0]})", f"trim({a[1]})")
        if c == "concat":
            parts = []
            for _ in range(rng.randint(1, 3)):
                if rng.random() < 0.3:
                    a = self.num(depth - 1, "integer")
                    parts.append((a[0], f"COALESCE(CAST({a[1]} AS VARCHAR), '')"))
                else:
                    a = self.text(depth - 1)
                    parts.append((a[0], f"COALESCE({a[1]}, '')"))
            return (f"concat({', '.join(p[0] for p in parts)})", "(" + " || ".join(p[1] for p in parts) + ")")
        if c == "coalesce":
            a, b = self.text(depth - 1), self.text(depth - 1)
            return (f"coalesce({a[0]}, {b[0]})", f"coalesce({a[1]}, {b[1]})")
        if c == "nullif":
            a, b = self.text(depth - 1), self.text(depth - 1)
            return (f"nullif({a[0]}, {b[0]})", f"(CASE WHEN py_nfc({a[1]}) = py_nfc({b[1]}) THEN NULL ELSE {a[1]} END)")
        if c == "if":
            p = self.pred(depth - 1)
            a, b = self.text(depth - 1), self.text(depth - 1)
            return (f"if({p[0]}, {a[0]}, {b[0]})", f"(CASE WHEN {p[1]} THEN {a[1]} ELSE {b[1]} END)")
        if c == "replace":
            a, old, new = self.text(depth - 1), self.text(0), self.text(0)
            return (f"replace({a[0]}, {old[0]}, {new[0]})", f"replace_py({a[1]}, {old[1]}, {new[1]})")
        if c == "textint":
            a = self.num(depth - 1, "integer")
            return (f"text({a[0]})", f"CAST({a[1]} AS VARCHAR)")
        raise AssertionError(c)

    def pred(self, depth):
        rng = self.rng
        bools = self.cols("boolean")
        choices = ["cmp", "cmp", "teq", "isnull", "const", "affix"]
        if bools:
            choices += ["bcol", "bcol"]
        if depth > 0:
            choices += ["and", "or", "not", "in", "between", "contains"]
        c = rng.choice(choices)
        if c == "const":
            v = rng.choice(["true", "false"])
            return (v, "TRUE" if v == "true" else "FALSE")
        if c == "bcol":
            n = rng.choice(bools)
            return (f"`{n}`", f'"{n}"')
        if c == "cmp":
            a, b = self.num(max(depth - 1, 0)), self.num(max(depth - 1, 0))
            op = rng.choice(["==", "!=", "<", "<=", ">", ">="])
            sop = {"==": "=", "!=": "<>"}.get(op, op)
            return (f"{a[0]} {op} {b[0]}", f"({a[1]} {sop} {b[1]})")
        if c == "teq":
            a, b = self.text(max(depth - 1, 0)), self.text(max(depth - 1, 0))
            op = rng.choice(["==", "!="])
            return (f"{a[0]} {op} {b[0]}", f"(py_nfc({a[1]}) {'=' if op == '==' else '<>'} py_nfc({b[1]}))")
        if c == "affix":
            a, b = self.text(max(depth - 1, 0)), self.text(0)
            f = rng.choice(["starts_with", "ends_with"])
            return (f"{f}({a[0]}, {b[0]})", f"({f}_py({a[1]}, {b[1]}) = 1)")
        if c == "isnull":
            if rng.random() < 0.5:
                a = self.num(max(depth - 1, 0))
            else:
                a = self.text(max(depth - 1, 0))
            neg = rng.random() < 0.5
            return (f"{a[0]} is {'not ' if neg else ''}null", f"({a[1]} IS {'NOT ' if neg else ''}NULL)")
        if c in ("and", "or"):
            a, b = self.pred(depth - 1), self.pred(depth - 1)
            return (f"({a[0]} {c} {b[0]})", f"({a[1]} {c.upper()} {b[1]})")
        if c == "not":
            a = self.pred(depth - 1)
            return (f"not ({a[0]})", f"(NOT {a[1]})")
        if c == "in":
            a = self.num(depth - 1, "integer")
            items = [rng.choice(["0", "1", "2", "3", "7", "null"]) for _ in range(rng.randint(1, 4))]
            neg = rng.random() < 0.3
            sql_items = ", ".join("NULL" if i == "null" else i for i in items)
            return (f"{a[0]} {'not ' if neg else ''}in ({', '.join(items)})",
                    f"({a[1]} {'NOT ' if neg else ''}IN ({sql_items}))")
        if c == "between":
            a, lo, hi = self.num(depth - 1), self.num(0), self.num(0)
            return (f"{a[0]} between {lo[0]} and {hi[0]}", f"({a[1]} BETWEEN {lo[1]} AND {hi[1]})")
        if c == "contains":
            a = self.text(depth - 1)
            b = self.text(0)
            return (f"{a[0]} ~ {b[0]}", f"(contains_fold({a[1]}, {b[1]}) = 1)")
        raise AssertionError(c)


# ---------------------------------------------------------------- pipelines

class Pipeline:
    """Builds ansinh text and SQL together. Each SQL step is a CTE with a hidden `__o` column
    that reproduces ansinh's row order while `ordered` is true."""

    def __init__(self, rng, columns):
        self.rng = rng
        self.columns = list(columns)
        self.ansinh = ["from t"]
        cols = ", ".join(f'"{n}"' for n, _ in columns)
        self.ctes = [f"s0 AS (SELECT rid AS __o, {cols} FROM t)"]
        self.ordered = True

    @property
    def last(self):
        return f"s{len(self.ctes) - 1}"

    def add(self, ansinh, select):
        self.ansinh.append(ansinh)
        self.ctes.append(f"s{len(self.ctes)} AS ({select})")

    def collist(self):
        return ", ".join(f'"{n}"' for n, _ in self.columns)

    def where(self, p):
        self.add(f"where {p[0]}", f"SELECT * FROM {self.last} WHERE {p[1]}")

    def derive(self, name, expr, kind):
        sel = []
        replaced = False
        for i, (n, k) in enumerate(self.columns):
            if n == name:
                sel.append(f'{expr[1]} AS "{n}"')
                self.columns[i] = (n, kind)
                replaced = True
            else:
                sel.append(f'"{n}"')
        if not replaced:
            sel.append(f'{expr[1]} AS "{name}"')
            self.columns.append((name, kind))
        self.add(f"derive `{name}` = {expr[0]}", f"SELECT __o, {', '.join(sel)} FROM {self.last}")

    def select(self, items):
        # items: [(name, (ansinh, sql), kind)]
        self.add("select " + ", ".join(f"`{n}` = {e[0]}" for n, e, _ in items),
                 "SELECT __o, " + ", ".join(f'{e[1]} AS "{n}"' for n, e, _ in items) + f" FROM {self.last}")
        self.columns = [(n, k) for n, _, k in items]

    def sort(self, keys):
        # keys: [(ansinh, sql, desc)]; numeric keys only keep the order known
        order = ", ".join(f"{s} {'DESC' if d else 'ASC'} NULLS LAST" for _, s, d in keys)
        self.add("sort " + ", ".join(f"{a}{' desc' if d else ''}" for a, _, d in keys),
                 f"SELECT {self.collist()}, ROW_NUMBER() OVER (ORDER BY {order}, __o) AS __o FROM {self.last}")

    def take(self, n):
        self.add(f"take {n}", f"SELECT * FROM {self.last} ORDER BY __o LIMIT {n}")

    def canon(self, name, kind):
        return f'py_nfc("{name}")' if kind == "text" else f'"{name}"'

    def distinct(self):
        keys = ", ".join(self.canon(n, k) for n, k in self.columns)
        out = ", ".join(f'{self.canon(n, k)} AS "{n}"' for n, k in self.columns)
        self.add("distinct", f"SELECT {out}, MIN(__o) AS __o FROM {self.last} GROUP BY {keys}")

    def join(self, left, pairs, other, u_columns):
        """`join [left] u on COLUMN == KEY, …` (pairs of (column, kind, key)); every key must match,
        a null in any never does; u's clashing names get the prefix u_."""
        names = {n for n, _ in self.columns}
        # `on a == a` (the same name on both sides) keeps one key column, as `on a` does
        shared = {key for column, _, key in pairs if column == key}
        right = [(("u_" + n) if n in names else n, n, k) for n, k in u_columns if n not in shared]
        if any(out in names for out, _, _ in right):
            return False
        cond = " AND ".join(f'py_nfc(l."{column}") = py_nfc(r."{key}")' if kind == "text" else f'l."{column}" = r."{key}"'
                            for column, kind, key in pairs)
        cols = ", ".join(f'l."{n}" AS "{n}"' for n, _ in self.columns) + ", " + ", ".join(f'r."{src}" AS "{out}"' for out, src, _ in right)
        on = ", ".join(f"`{column}` == `{key}`" for column, _, key in pairs)
        self.add(f"join {'left ' if left else ''}{other} on {on}",
                 f"SELECT {cols}, ROW_NUMBER() OVER (ORDER BY l.__o, r.__o) AS __o FROM {self.last} l "
                 f"{'LEFT ' if left else ''}JOIN (SELECT rid AS __o, * FROM {other}) r ON {cond}")
        self.columns += [(out, k) for out, _, k in right]
        return True

    def summarize(self, aggs, keys):
        # aggs: [(name, ansinh, sql, kind)], keys: [(name, kind)]
        text = "summarize " + ", ".join(f"`{n}` = {a}" for n, a, _, _ in aggs)
        if keys:
            text += " by " + ", ".join(f"`{k}`" for k, _ in keys)
            keycols = ", ".join(self.canon(k, t) for k, t in keys)
            keyout = ", ".join(f'{self.canon(k, t)} AS "{k}"' for k, t in keys)
            order = ", ".join(f'{self.canon(k, t)} ASC NULLS LAST' for k, t in keys)
            aggsql = ", ".join(f'{s} AS "{n}"' for n, _, s, _ in aggs)
            select = (f"SELECT {keyout}, {aggsql}, "
                      f"ROW_NUMBER() OVER (ORDER BY {order}) AS __o FROM {self.last} GROUP BY {keycols}")
            # Group order is by key: known only for number keys (text is in Vietnamese order).
            self.ordered = all(k in ("integer", "decimal") for _, k in keys)
        else:
            aggsql = ", ".join(f'{s} AS "{n}"' for n, _, s, _ in aggs)
            select = f"SELECT 1 AS __o, {aggsql} FROM {self.last}"
            self.ordered = True
        self.add(text, select)
        self.columns = list(keys) + [(n, k) for n, _, _, k in aggs]

    def text(self):
        return " | ".join(self.ansinh)

    def sql(self):
        return "WITH " + ", ".join(self.ctes) + f" SELECT {self.collist()} FROM {self.last} ORDER BY __o"


def aggregate(gen, rng, name):
    nums = gen.cols("integer") + gen.cols("decimal")
    kinds = dict(gen.columns)
    choice = rng.choice(["count", "countx", "sum", "sum", "avg", "min", "max", "cd", "sumexpr", "median"])
    if choice == "count":
        return (name, "count()", "COUNT(*)", "integer")
    if choice == "countx":
        n = rng.choice([c for c, _ in gen.columns])
        return (name, f"count(`{n}`)", f'COUNT("{n}")', "integer")
    if choice == "cd":
        cands = [c for c, k in gen.columns if k != "decimal"]
        if not cands:
            return (name, "count()", "COUNT(*)", "integer")
        n = rng.choice(cands)
        return (name, f"count_distinct(`{n}`)", f'COUNT(DISTINCT py_nfc("{n}"))' if kinds[n] == "text" else f'COUNT(DISTINCT "{n}")', "integer")
    if choice == "sumexpr" or not nums:
        e = gen.num(2)
        return (name, f"sum({e[0]})", f"SUM({e[1]})", e[2])
    n = rng.choice(nums)
    f = {"sum": "sum", "avg": "avg", "min": "min", "max": "max", "median": "median"}[choice]
    kind = "decimal" if f in ("avg", "median") else kinds[n]
    return (name, f"{f}(`{n}`)", f'{f.upper()}("{n}")', kind)


U_COLUMNS = [("rid", "integer"), ("k", "integer"), ("kt", "text"), ("v", "decimal")]


def random_pipeline(rng, columns, joins=True):
    p = Pipeline(rng, columns)
    fresh = 0
    for _ in range(rng.randint(1, 5)):
        gen = Gen(rng, p.columns)
        stage = rng.choice(["where", "where", "derive", "derive", "select", "summarize", "sort", "sort", "take", "distinct"]
                           + (["join"] if joins else []))
        if stage == "where":
            p.where(gen.pred(rng.randint(0, 3)))
        elif stage == "derive":
            fresh += 1
            kind = rng.choice(["num", "num", "text", "bool"])
            name = rng.choice([c for c, _ in p.columns]) if rng.random() < 0.2 else f"x{fresh}"
            if kind == "num":
                e = gen.num(rng.randint(0, 3))
                p.derive(name, e[:2], e[2])
            elif kind == "text":
                p.derive(name, gen.text(rng.randint(0, 3)), "text")
            else:
                p.derive(name, gen.pred(rng.randint(0, 2)), "boolean")
        elif stage == "select":
            keep = rng.sample(p.columns, k=rng.randint(1, len(p.columns)))
            items = [(n, (f"`{n}`", f'"{n}"'), k) for n, k in keep]
            if rng.random() < 0.5:
                fresh += 1
                e = gen.num(rng.randint(0, 2))
                items.append((f"x{fresh}", e[:2], e[2]))
            p.select(items)
        elif stage == "summarize":
            keycands = [(n, k) for n, k in p.columns if k != "decimal"]
            keys = rng.sample(keycands, k=min(len(keycands), rng.choice([0, 1, 1, 2]))) if keycands else []
            aggs = []
            for _ in range(rng.randint(1, 3)):
                fresh += 1
                aggs.append(aggregate(gen, rng, f"a{fresh}"))
            p.summarize(aggs, keys)
        elif stage == "sort":
            nums = [(n, k) for n, k in p.columns if k in ("integer", "decimal")]
            if nums and rng.random() < 0.85:
                keys = []
                for n, _ in rng.sample(nums, k=min(len(nums), rng.randint(1, 2))):
                    keys.append((f"`{n}`", f'"{n}"', rng.random() < 0.4))
                if rng.random() < 0.3:
                    e = gen.num(1)
                    keys.insert(0, (e[0], e[1], rng.random() < 0.5))
                p.sort(keys)
            else:
                texts = [n for n, k in p.columns if k == "text"]
                if texts:
                    n = rng.choice(texts)
                    p.sort([(f"`{n}`", f'"{n}"', rng.random() < 0.5)])
                    p.ordered = False  # Vietnamese order: not comparable with SQL's
        elif stage == "take":
            if p.ordered:
                p.take(rng.choice([0, 1, 2, 3, 5, 10, 100]))
        elif stage == "distinct":
            if not any(k == "decimal" for _, k in p.columns):
                p.distinct()
        elif stage == "join":
            cands = [(n, k) for n, k in p.columns if k in ("integer", "text")]
            ints = [n for n, k in cands if k == "integer"]
            texts = [n for n, k in cands if k == "text"]
            if ints and texts and rng.random() < 0.35:
                # two keys: an integer column against k and a text column against kt
                p.join(rng.random() < 0.5, [(rng.choice(ints), "integer", "k"), (rng.choice(texts), "text", "kt")], "u", U_COLUMNS)
            elif cands:
                column, kind = rng.choice(cands)
                p.join(rng.random() < 0.5, [(column, kind, "k" if kind == "integer" else "kt")], "u", U_COLUMNS)
    return p


# ---------------------------------------------------------------- running

def norm(v):
    if isinstance(v, decimal.Decimal):
        return float(v)
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, str):
        return nfc(v)
    if isinstance(v, float) and v == int(v) and abs(v) < 2 ** 53:
        return v
    return v


def same_value(a, b):
    a, b = norm(a), norm(b)
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        if isinstance(a, float) and math.isnan(a) or isinstance(b, float) and math.isnan(b):
            return False
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    return a == b


def row_key(row):
    """A total order for multiset comparison: null, then numbers (int and float alike), then text."""
    key = []
    for v in row:
        v = norm(v)
        if v is None:
            key.append((0, 0.0, ""))
        elif isinstance(v, (int, float)):
            key.append((1, round(float(v), 6), ""))
        else:
            key.append((2, 0.0, str(v)))
    return key


def same_rows(a, b, ordered):
    if len(a) != len(b):
        return False
    if any(len(x) != len(y) for x, y in zip(a, b)) and ordered:
        return False
    if not ordered:
        a, b = sorted(a, key=row_key), sorted(b, key=row_key)
    return all(len(x) == len(y) and all(same_value(u, v) for u, v in zip(x, y)) for x, y in zip(a, b))


MARK = "@@oracle@@"


def import_lines(tables):
    return [f'.import "{path}" AS {name} (types ({", ".join(f"{n} {k}" for n, k in columns)}))' for name, path, columns in tables]


def run_ansinh(binary, tables, statements, workdir):
    """Runs every statement in one ansinh process (json mode, --keep-going); returns per statement
    the rows (lists) or None when it failed, plus stderr and the exit status."""
    marker_csv = Path(workdir) / "mark.csv"
    marker_csv.write_text("m\n0\n")
    script = import_lines(tables) + [f'.import "{marker_csv}" AS oraclemark', ".mode json"]
    for i, s in enumerate(statements):
        script.append(f'from oraclemark | select m = "{MARK}{i}"')
        script.append(s)
    script.append(f'from oraclemark | select m = "{MARK}end"')
    path = Path(workdir) / "script.asq"
    path.write_text("\n".join(script) + "\n")
    try:
        r = subprocess.run([binary, "--no-rc", "--keep-going", "--lang", "en", "-f", str(path)],
                           capture_output=True, text=True, timeout=120, cwd=workdir)
    except subprocess.TimeoutExpired:
        return None, "timeout after 120 s", -1
    results = [None] * len(statements)
    current = None
    buffer = []

    def flush():
        if current is not None and current != "end":
            text = "".join(buffer).strip()
            if text:
                try:
                    data = json.loads(text)
                except json.JSONDecodeError:
                    data = {"unparsed": text}
                if isinstance(data, dict) and "rows" in data:
                    data = data["rows"]
                if isinstance(data, list) and all(isinstance(row, dict) for row in data):
                    results[current] = [list(row.values()) for row in data]
                else:
                    results[current] = {"unexpected output": text[:2000]}

    for line in r.stdout.splitlines(keepends=True):
        if MARK in line:
            flush()
            tag = line.split(MARK, 1)[1].split('"', 1)[0]
            current = "end" if tag == "end" else int(tag)
            buffer = []
        else:
            buffer.append(line)
    flush()
    ended = MARK + "end" in r.stdout
    if os.environ.get("ORACLE_KEEP"):
        Path(os.environ["ORACLE_KEEP"]).write_text(r.stdout)
    return (results if ended else None), r.stderr, r.returncode


UDFS = [("py_fold", fold, ["VARCHAR"], "VARCHAR"), ("contains_fold", contains_fold, ["VARCHAR", "VARCHAR"], "INTEGER"),
        ("py_lower", py_lower, ["VARCHAR"], "VARCHAR"), ("py_upper", py_upper, ["VARCHAR"], "VARCHAR"),
        ("py_nfc", py_nfc, ["VARCHAR"], "VARCHAR"), ("starts_with_py", starts_with_py, ["VARCHAR", "VARCHAR"], "INTEGER"),
        ("ends_with_py", ends_with_py, ["VARCHAR", "VARCHAR"], "INTEGER"),
        ("replace_py", replace_py, ["VARCHAR", "VARCHAR", "VARCHAR"], "VARCHAR")]


def make_engines(tables):
    """tables: [(name, columns, rows)]"""
    import duckdb
    lite = sqlite3.connect(":memory:")
    duck = duckdb.connect()
    for name, fn, args, result in UDFS:
        lite.create_function(name, len(args), fn, deterministic=True)
        duck.create_function(name, fn, args, result)
    lite.create_aggregate("median", 1, Median)
    lt = {"integer": "INTEGER", "decimal": "REAL", "text": "TEXT", "boolean": "INTEGER"}
    dt = {"integer": "BIGINT", "decimal": "DOUBLE", "text": "VARCHAR", "boolean": "BOOLEAN"}
    for table, columns, rows in tables:
        lite.execute(f"CREATE TABLE {table} (" + ", ".join(f'"{n}" {lt[k]}' for n, k in columns) + ")")
        duck.execute(f"CREATE TABLE {table} (" + ", ".join(f'"{n}" {dt[k]}' for n, k in columns) + ")")
        values = [[nfc(v) if isinstance(v, str) else v for v in row] for row in rows]
        marks = ", ".join("?" for _ in columns)
        lite.executemany(f"INSERT INTO {table} VALUES ({marks})", [[int(v) if isinstance(v, bool) else v for v in row] for row in values])
        if values:
            duck.executemany(f"INSERT INTO {table} VALUES ({marks})", values)
    return lite, duck


def run_sql(conn, sql):
    try:
        return [list(r) for r in conn.execute(sql).fetchall()], None
    except Exception as e:  # an engine error is an answer too
        return None, f"{type(e).__name__}: {e}"


# ---------------------------------------------------------------- TLP / NoREC statements

def partition_checks(rng, columns, count):
    """Returns [(kind, [statements], checker)]."""
    checks = []
    for _ in range(count):
        base = random_pipeline(rng, columns) if rng.random() < 0.4 else Pipeline(rng, columns)
        # keep the base a plain row set (no summarize) so that predicates see columns
        if any(s.startswith("summarize") for s in base.ansinh):
            base = Pipeline(rng, columns)
        gen = Gen(rng, base.columns)
        p = gen.pred(rng.randint(0, 3))[0]
        nums = gen.cols("integer") + gen.cols("decimal")
        x = f"`{rng.choice(nums)}`" if nums else "1"
        agg = f"summarize n = count(), s = sum({x}), c = count({x}), lo = min({x}), hi = max({x})"
        b = base.text()
        statements = [
            f"{b} | {agg}",
            f"{b} | where {p} | {agg}",
            f"{b} | where not ({p}) | {agg}",
            f"{b} | where ({p}) is null | {agg}",
            f"{b}",
            f"{b} | where {p}",
            f"{b} | where not ({p})",
            f"{b} | where ({p}) is null",
            f"{b} | derive oracle_k = {p} | where oracle_k == true | summarize n = count()",
            f"{b} | summarize n = sum(if({p}, 1, 0))",
        ]
        checks.append((p, statements))
    return checks


def check_partition(results):
    """None when the partition holds, else a description of what broke."""
    if any(not isinstance(r, list) for r in results):
        return "a statement failed in ansinh"
    tot, pt, pf, pn = (r[0] for r in results[:4])
    n = [row[0] for row in (tot, pt, pf, pn)]
    if n[0] != n[1] + n[2] + n[3]:
        return f"TLP count: {n[0]} != {n[1]} + {n[2]} + {n[3]}"
    sums = [row[1] for row in (pt, pf, pn)]
    part_sum = sum(s for s in sums if s is not None) if any(s is not None for s in sums) else None
    if not same_value(tot[1], part_sum):
        return f"TLP sum: {tot[1]} != parts {sums}"
    if tot[2] != pt[2] + pf[2] + pn[2]:
        return f"TLP count(x): {tot[2]} != {pt[2]} + {pf[2]} + {pn[2]}"
    for i, f in ((3, min), (4, max)):
        parts = [row[i] for row in (pt, pf, pn) if row[i] is not None]
        if not same_value(tot[i], f(parts) if parts else None):
            return f"TLP {'min' if i == 3 else 'max'}: {tot[i]} != parts {[row[i] for row in (pt, pf, pn)]}"
    rows_all, rows_t, rows_f, rows_n = results[4:8]
    if not same_rows(rows_all, rows_t + rows_f + rows_n, ordered=False):
        return f"TLP rows: {len(rows_all)} rows, partitions {len(rows_t)} + {len(rows_f)} + {len(rows_n)} differ as multisets"
    norec_col, norec_sum = results[8][0][0], results[9][0][0]
    if norec_col != n[1]:
        return f"NoREC: where p kept {n[1]} rows, p computed as a column is true in {norec_col}"
    if (norec_sum or 0) != n[1]:
        return f"NoREC: where p kept {n[1]} rows, sum(if(p, 1, 0)) is {norec_sum}"
    return None


# ---------------------------------------------------------------- main loop

def main():
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    binary = str(Path(args[0]).resolve())

    def opt(name, env, default):
        if name in args:
            return int(args[args.index(name) + 1])
        return int(os.environ.get(env, default))
    seed = opt("--seed", "ORACLE_SEED", int(time.time()) % 1_000_000)
    seconds = opt("--seconds", "ORACLE_SECONDS", 60)
    max_cases = opt("--max-cases", "ORACLE_MAX_CASES", 10 ** 9)
    with_duckdb = ensure_duckdb(optional="--duckdb-optional" in args)
    if not with_duckdb:
        # sqlite3 alone is no oracle here: where the two engines differ (trim of U+00A0, say) a
        # single engine cannot tell ansinh's choice from a bug. The sqlite3 differential test in
        # `swift test` still runs.
        print("ORACLE NOT RUN: DUCKDB COULD NOT BE INSTALLED FROM PyPI (the sqlite3 differential in swift test still ran)", flush=True)
        sys.exit(0)
    print(f"oracle: seed {seed} (replay: ORACLE_SEED={seed}), up to {seconds} s; ORACLE_SECONDS=N runs longer", flush=True)
    rng = random.Random(seed)
    start = time.time()
    stats = dict(tables=0, pipelines=0, compared=0, both_engines_agree=0, engine_disagreements=0,
                 engine_errors=0, ansinh_refused=0, partitions=0, mismatches=0)
    failures, disagreements = [], []
    workdir = tempfile.mkdtemp(prefix="ansinh-oracle-")
    round_no = 0
    while time.time() - start < seconds and stats["pipelines"] < max_cases:
        round_no += 1
        columns, rows = make_table(rng)
        u_columns, u_rows = make_join_table(rng, rows)
        csv_path = Path(workdir) / "t.csv"
        csv_path.write_text(csv_text(columns, rows), encoding="utf-8")
        u_path = Path(workdir) / "u.csv"
        u_path.write_text(csv_text(u_columns, u_rows), encoding="utf-8")
        tables = [("t", csv_path, columns), ("u", u_path, u_columns)]
        stats["tables"] += 1
        pipelines = [random_pipeline(rng, columns) for _ in range(60)]
        parts = partition_checks(rng, columns, 15)
        statements = ["from t"] + [p.text() for p in pipelines]
        for _, sts in parts:
            statements += sts
        results, stderr, status = run_ansinh(binary, tables, statements, workdir)
        table_desc = csv_path.read_text(encoding="utf-8") + "  u:\n" + u_path.read_text(encoding="utf-8")
        if results is None or status not in (0, 2) or "Fatal error" in stderr:
            failures.append(f"ansinh did not finish the batch (exit {status}) on this table:\n{table_desc}\n"
                            f"stderr tail:\n{stderr[-1500:]}\n" + bisect_crash(binary, tables, statements, workdir))
            stats["mismatches"] += 1
            continue
        # 4. the imported table is what was written
        expected = [[nfc(v) if isinstance(v, str) else v for v in row] for row in rows]
        if not same_rows(results[0] or [], expected, ordered=True):
            failures.append(f"import: `from t` differs from the written table\n{table_desc}\nansinh: {results[0]}")
            stats["mismatches"] += 1
        lite, duck = make_engines([("t", columns, rows), ("u", u_columns, u_rows)])
        for i, p in enumerate(pipelines):
            stats["pipelines"] += 1
            sql = p.sql()
            a = results[1 + i]
            l_rows, l_err = run_sql(lite, sql)
            d_rows, d_err = run_sql(duck, sql)
            if l_err or d_err:
                stats["engine_errors"] += 1
                if l_err and d_err:
                    continue
            if l_rows is not None and d_rows is not None and not same_rows(l_rows, d_rows, p.ordered):
                stats["engine_disagreements"] += 1
                if len(disagreements) < 20:
                    disagreements.append(describe(p, table_desc, a, l_rows, d_rows, l_err, d_err))
                continue
            reference = l_rows if l_rows is not None else d_rows
            if l_rows is not None and d_rows is not None:
                stats["both_engines_agree"] += 1
            if not isinstance(a, list):
                stats["ansinh_refused"] += 1
                failures.append("ansinh refused a pipeline the engines ran:\n" + describe(p, table_desc, a, l_rows, d_rows, l_err, d_err)
                                + error_of(binary, tables, p.text(), workdir))
                stats["mismatches"] += 1
                continue
            stats["compared"] += 1
            if not same_rows(a, reference, p.ordered):
                stats["mismatches"] += 1
                failures.append(describe(p, table_desc, a, l_rows, d_rows, l_err, d_err))
        offset = 1 + len(pipelines)
        for pred, sts in parts:
            stats["partitions"] += 1
            problem = check_partition(results[offset:offset + len(sts)])
            if problem:
                stats["mismatches"] += 1
                failures.append(f"{problem}\n  predicate: {pred}\n  statements:\n    " + "\n    ".join(sts) + f"\n  table:\n{table_desc}")
            offset += len(sts)
        if len(failures) >= 30:
            break
    elapsed = time.time() - start
    for d in disagreements:
        print("ENGINE DISAGREEMENT (DuckDB and sqlite3 differ; not counted against ansinh):\n" + d + "\n", flush=True)
    for f in failures[:30]:
        print("MISMATCH:\n" + f + "\n", flush=True)
    print(f"oracle: seed {seed}, {elapsed:.0f} s: " + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in stats.items()))
    print(f"{stats['compared'] + stats['partitions'] - stats['mismatches']} passed, {stats['mismatches']} failed")
    sys.exit(1 if failures else 0)


def describe(p, table, a, l_rows, d_rows, l_err, d_err):
    return (f"  pipeline: {p.text()}\n  sql: {p.sql()}\n  ordered: {p.ordered}\n  ansinh:  {a}\n"
            f"  sqlite3: {l_rows if l_err is None else l_err}\n  duckdb:  {d_rows if d_err is None else d_err}\n  table:\n{table}")


def one_statement(tables, text):
    return [x for line in import_lines(tables) for x in ("-c", line)] + ["-c", text]


def error_of(binary, tables, text, workdir):
    r = subprocess.run([binary, "--no-rc", "--lang", "en", *one_statement(tables, text)],
                       capture_output=True, text=True, timeout=60, cwd=workdir)
    return f"  ansinh said (exit {r.returncode}): {r.stderr.strip()[-800:]}\n"


def bisect_crash(binary, tables, statements, workdir):
    for s in statements:
        r = subprocess.run([binary, "--no-rc", "--lang", "en", *one_statement(tables, s)],
                           capture_output=True, text=True, timeout=60, cwd=workdir)
        if r.returncode not in (0, 2):
            return f"first crashing statement (exit {r.returncode}): {s}\n{r.stderr[-600:]}"
    return "no single statement crashes alone"


if __name__ == "__main__":
    main()
