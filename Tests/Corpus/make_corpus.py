#!/usr/bin/env python3
"""Writes the inputs of the malformed-input corpus: Tests/Corpus/query/*.input and csv/*.csv.

The committed files are the corpus; this script documents how each input was made (most are
bytes that an editor mangles: NUL, invalid UTF-8, control characters, 1 MB lines) and recreates
them. It never writes `.expected` files: those are decided by hand from the rules (README.md).

Numbers are part of the names: APPEND new cases at the end of a list, never insert or reorder.
Run: python3 Tests/Corpus/make_corpus.py
"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))

# ---------------------------------------------------------------------------------------------
# Query inputs. Each runs like a script file given to `ansinh FILE` (see README.md).
# ---------------------------------------------------------------------------------------------
Q = []


def adder(cases):
    """A function that adds (name, bytes) to `cases`; text is encoded as UTF-8."""
    def add(name, data):
        cases.append((name, data.encode("utf-8") if isinstance(data, str) else data))
    return add


q = adder(Q)


# Strings
q("string-unterminated-double-at-end", 'from districts | where district == "Thanh')
q("string-unterminated-single-at-end", "from districts | where district == 'Thanh")
q("string-unterminated-double-mid-line", 'from districts | where district == "Thanh | select district\n')
q("string-unterminated-single-mid-line", "from districts | where district == 'Thanh | take 1\n")
q("string-unterminated-across-lines", 'from districts\n| where district == "Thanh\n| select district\n')
q("string-only-opening-quote", '"')
q("string-doubled-single-quote-unterminated", "from districts | where district == 'it''s\n")
q("string-escaped-quote-at-end", 'from districts | where district == "abc\\"\n')
q("string-backslash-at-end-of-input", 'from districts | where district == "abc\\')
q("string-unknown-escape", 'from districts | where district == "a\\qb" | select district\n')
q("string-unicode-escape-out-of-range", 'from districts | select x = "\\u{110000}" | take 1\n')
q("string-unicode-escape-not-hex", 'from districts | select x = "\\u{zz}" | take 1\n')
q("string-unicode-escape-empty", 'from districts | select x = "\\u{}" | take 1\n')
q("string-unicode-escape-unclosed", 'from districts | select x = "\\u{1EA1" | take 1\n')
q("string-unicode-escape-surrogate", 'from districts | select x = "\\u{D800}" | take 1\n')
q("backtick-unterminated", "from districts | select `tỷ lệ\n")
q("backtick-empty-name", "from districts | select `` | take 1\n")
q("string-valid-escapes-run", 'from districts | select x = "a\\tb\\\\c\\u{1EA1}", y = \'it\'\'s\' | take 1\n')

# Brackets
q("paren-unclosed-at-end", "from facts | where (year_to > 2020")
q("paren-unclosed-then-pipe", "from facts | where (year_to > 2020 | take 1\n")
q("paren-extra-close", "from facts | where year_to > 2020) | take 1\n")
q("call-unclosed", "from facts | select x = round(value\n")
q("in-list-unclosed", 'from facts | where district in ("Quận 11", "Tân Hưng"\n')
q("bracket-square-open", "from facts | where [1] | take 1\n")
q("bracket-square-close", "from facts | where year_to > 2020] | take 1\n")
q("paren-close-then-open", "from facts | where )( | take 1\n")
q("paren-mismatched-square", "from facts | where (year_to > 2020] | take 1\n")
q("paren-only-open", "from facts | select (\n")
q("paren-empty", "from facts | select x = () | take 1\n")

# Depth and length
q("nesting-parens-10000", "from districts | select x = " + "(" * 10000 + "1" + ")" * 10000 + "\n")
q("nesting-not-10000", "from districts | where " + "not " * 10000 + "true\n")
q("nesting-minus-10000", "from districts | select x = " + "- " * 10000 + "1\n")
q("nesting-calls-10000", "from districts | select x = " + "abs(" * 10000 + "1" + ")" * 10000 + "\n")
q("nesting-parens-100-allowed", "from districts | select x = " + "(" * 99 + "1" + ")" * 99 + " | take 1\n")
q("nesting-parens-101", "from districts | select x = " + "(" * 101 + "1" + ")" * 101 + " | take 1\n")
q("long-sum-5000-terms", "from districts | select x = " + " + ".join(["1"] * 5000) + " | take 1\n")
q("long-or-chain-300", "from districts | where " + " or ".join(['district == "Quận 11"'] * 300) + " | select district\n")
q("long-line-1mb-in-list", "from districts | where district in (" + ", ".join(['"Quận 99"'] * 100000) + ', "Tân Hưng") | select district\n')
q("long-line-1mb-error-at-end", "from districts | where district in (" + ", ".join(['"Quận 99"'] * 100000) + ") | selec district\n")
q("long-line-1mb-comment", "# " + "x" * 1048576 + "\nfrom districts | select district | take 1\n")
q("long-identifier-100k", "from districts | select " + "a" * 100000 + "\n")
q("long-in-list-10000", "from districts | where wards_communes in (" + ", ".join(str(i) for i in range(10000)) + ") | select district, wards_communes\n")

# Encoding: invalid UTF-8, BOM, NUL
q("utf8-lone-continuation-byte", b"from districts | where district == \"\x80\"\n")
q("utf8-truncated-two-byte-at-end", b"from districts | select district\n\xc3")
q("utf8-overlong-slash", b"from districts | where district == \"\xc0\xaf\"\n")
q("utf8-surrogate-encoded", b"from districts | where district == \"\xed\xa0\x80\"\n")
q("utf8-byte-f5", b"from districts\n| take 1\n| select \xf5district\n")
q("utf8-truncated-four-byte", b"from districts | where district == \"\xf0\x9f\x98\" | take 1\n")
q("utf8-windows-1258-text", b"from districts | where district == \"Qu\xd2n 11\"\n")
q("utf8-latin1-text-line-3", b"# Tan Hung\n\nfrom districts | where district == \"T\xe2n H\xfang\"\n")
q("utf8-bom-at-start", b"\xef\xbb\xbffrom districts | select district | take 1\n")
q("utf8-bom-mid-line", "from districts |\ufeff take 1\n")
q("nul-at-start", b"\x00from districts | take 1\n")
q("nul-mid-statement", "from districts | wh\x00ere district == \"Quận 11\"\n")
q("nul-in-string", b"from districts | where district == \"Qu\x00n\"\n")
q("nul-in-comment", b"# a comment \x00 with a NUL\nfrom districts | select district | take 1\n")
q("nul-only", b"\x00")

# Control characters: every C0 byte that is not a space in the language, and DEL.
for byte in list(range(0x01, 0x09)) + [0x0B] + list(range(0x0E, 0x20)) + [0x7F]:
    q("control-%02x" % byte, b"from districts | take 1 " + bytes([byte]) + b"\n")
q("control-tab-is-space", b"from districts\t|\ttake\t1\t| select district\n")
q("control-formfeed-is-space", b"from districts |\x0ctake 1 | select district\n")
q("control-crlf-line-ends", b"from districts\r\n| where wards_communes > 11\r\n| select district\r\n")
q("control-cr-only-line-ends", b"from districts\r| take 1\r| select district\r")
q("control-escape-sequence-in-string", b"from districts | where district == \"\x1b[31mred\" | take 1\n")
q("unicode-nel-u0085", "from districts | take 1 \u0085\n")
q("unicode-line-separator-u2028", "from districts\u2028| take 1\n")
q("unicode-zero-width-space", "from districts | take\u200b 1\n")
q("unicode-no-break-space-is-space", "from districts |\u00a0take 1 | select district\n")
q("unicode-fullwidth-pipe", "from districts ｜ take 1\n")
q("unicode-fullwidth-equals", 'from districts | where district ＝＝ "Quận 11"\n')
q("unicode-nfd-spelling-matches", "from districts | where district == \"Qua\u0323\u0302n 11\" | select district\n")

# Smart quotes
q("smart-quotes-double", "from districts | where district == “Quận 11”\n")
q("smart-quotes-single", "from districts | where district == ‘Quận 11’\n")
q("smart-quotes-guillemets", "from districts | where district == «Quận 11»\n")
q("smart-quotes-low-high", "from districts | where district == „Quận 11“\n")

# Numbers
q("number-1e400", "from districts | select x = 1e400 | take 1\n")
q("number-30-digits", "from districts | select x = 123456789012345678901234567890 | take 1\n")
q("number-400-digits", "from districts | select x = " + "9" * 400 + " | take 1\n")
q("number-int64-max", "from districts | select x = 9223372036854775807 | take 1\n")
q("number-int64-min", "from districts | select x = -9223372036854775808 | take 1\n")
q("number-int64-max-plus-one-overflow", "from districts | select x = 9223372036854775807 + 1\n")
q("number-trailing-underscore", "from districts | select x = 1_ | take 1\n")
q("number-double-underscore", "from districts | select x = 1__000 | take 1\n")
q("number-underscore-before-dot", "from districts | select x = 1_.5 | take 1\n")
q("number-runs-into-letters", "from districts | select x = 12abc | take 1\n")
q("number-hex-literal", "from districts | select x = 0x1F | take 1\n")
q("number-two-dots", "from districts | select x = 1.2.3 | take 1\n")
q("number-exponent-without-digits", "from districts | select x = 2e | take 1\n")
q("number-exponent-huge", "from districts | select x = 1e99999999999999999999 | take 1\n")
q("number-tiny-underflows-to-zero", "from districts | select x = 1e-400 | take 1\n")
q("number-leading-dot-and-exponent", "from districts | select a = .5, b = 2.5E-3, c = 1_000 | take 1\n")

# Division by zero and arithmetic that gives null
q("divide-1-by-0", "from districts | select x = 1/0\n")
q("divide-column-by-0", "from districts | select district, x = wards_communes / 0\n")
q("divide-0-by-0", "from districts | take 1 | select x = 0/0\n")
q("divide-decimal-by-0", "from districts | take 1 | select x = 1.5/0\n")
q("remainder-by-0", "from districts | take 1 | select x = 7 % 0\n")
q("divide-by-0-in-where", "from districts | where 1/0 is null | select district\n")
q("divide-by-0-in-sum", "from districts | summarize s = sum(wards_communes / 0)\n")
q("arithmetic-on-null", "from districts | select x = null + 1, y = -null | take 1\n")

# Empty and trivial
q("empty", b"")
q("only-comments", "# a comment\n-- another comment\n   # indented\n")
q("only-whitespace", " \n\t\n  \r\n\n")
q("only-pipe", "|\n")
q("only-semicolons", ";;;\n")
q("only-newlines", "\n\n\n\n")
q("only-from", "from\n")
q("only-let", "let\n")
q("only-explain", "explain\n")
q("only-dot", ".\n")
q("dot-digit-is-not-a-command", ".5\n")

# Pipes
q("trailing-pipe-at-end", "from districts | take 1 |")
q("trailing-pipe-then-blank-line", "from districts | take 1 |\n\n")
q("double-pipe", "from districts | | take 1\n")
q("leading-pipe-statement", "| take 1\n")
q("pipe-then-comment-only", "from districts | # nothing after\n")
q("pipe-line-continuation-ok", "from districts\n\n| where wards_communes > 11\n# comment between\n| select district\n")

# Keywords in odd places
q("keyword-where-first", "where district == 1\n")
q("keyword-from-where", "from where\n")
q("keyword-select-and", "from districts | select and\n")
q("keyword-as-reserved", "from districts | select district as null\n")
q("keyword-from-as-stage", "from districts | from facts\n")
q("keyword-let-named-let", "let let = from districts | take 1\nfrom let | select district\n")
q("keyword-and-incomplete", 'from districts | where district == "x" and\n')
q("keyword-as-incomplete", "from districts | select district as\n")
q("keyword-sort-incomplete", "from districts | sort\n")
q("keyword-sort-desc-desc", "from districts | sort district desc desc\n")
q("keyword-explain-explain", "explain explain from districts\n")
q("keyword-not-alone", "from districts | where not\n")
q("keyword-in-empty-list", "from districts | where district in ()\n")
q("keyword-between-missing-and", "from districts | where wards_communes between 10\n")
q("keyword-is-without-null", "from districts | where district is 5\n")
q("keyword-join-alone", "from districts | join\n")
q("keyword-join-missing-on", "from districts | join facts\n")
q("keyword-pivot-missing-by", "from facts | pivot district\n")
q("keyword-select-star", "from districts | select * | take 1\n")
q("keyword-true-as-column", "from districts | where true | select true | take 1\n")
q("keyword-uppercase", "FROM districts | WHERE wards_communes > 11 | SELECT district\n")
q("keyword-after-statement", "from districts | take 1 district\n")
q("keyword-from-number", "from 5\n")
q("keyword-from-string", 'from "districts"\n')

# Unknown names
q("unknown-stage-with-suggestion", "from districts | wher wards_communes > 1\n")
q("unknown-stage-no-suggestion", "from districts | frobnicate\n")
q("unknown-table-with-suggestion", "from distrcts\n")
q("unknown-table-no-suggestion", "from zzzzzzzz\n")
q("unknown-column", "from districts | where distrct == 1\n")
q("unknown-column-no-suggestion", "from districts | select qqqqqqqq\n")
q("unknown-function-with-suggestion", "from districts | select x = rond(area_km2)\n")
q("unknown-function-no-suggestion", "from districts | select x = zzzzzz(1)\n")
q("unknown-parameter", "from districts | where district == $nope\n")
q("unknown-join-table", "from districts | join distrcts on district\n")
q("unknown-join-column", "from facts | join districts on distrct\n")
q("unknown-column-in-summarize", "from districts | summarize n = count() by provnce\n")

# Type errors
q("type-text-equals-number", "from districts | where district == 1\n")
q("type-where-not-boolean", "from districts | where wards_communes\n")
q("type-text-plus-number", "from districts | select x = district + 1\n")
q("type-not-number", "from districts | select x = not 5\n")
q("type-negate-text", "from districts | select x = -district\n")
q("type-function-argument", 'from districts | select x = round("a")\n')
q("type-function-no-arguments", "from districts | select x = round()\n")
q("type-function-too-many-arguments", "from districts | select x = round(1, 2, 3)\n")
q("type-aggregate-outside-summarize", "from districts | select x = sum(wards_communes)\n")
q("type-aggregate-inside-aggregate", "from districts | summarize s = sum(count())\n")
q("type-sum-of-text", "from districts | summarize s = sum(district)\n")
q("type-contains-number", "from districts | where wards_communes ~ 5\n")
q("type-compare-number-text", 'from districts | select x = 1 < "a"\n')
q("type-in-list-mixed", 'from districts | where district in ("Quận 11", 5)\n')
q("type-join-mismatch", "from districts | join facts on wards_communes == district\n")

# take
q("take-negative", "from districts | take -1\n")
q("take-decimal", "from districts | take 1.5\n")
q("take-null", "from districts | take null\n")
q("take-text", 'from districts | take "3"\n')
q("take-column", "from districts | take wards_communes\n")
q("take-huge-decimal", "from districts | take 99999999999999999999\n")
q("take-int64-max", "from districts | take 9223372036854775807 | select district\n")
q("take-missing-count", "from districts | take\n")
q("take-two-counts", "from districts | take 1 2\n")
q("take-expression", "from districts | take 1 + 1 | select district\n")

# let
q("let-incomplete-after-equals", "let x =\n")
q("let-missing-equals", "let x from districts\n")
q("let-missing-name", "let = from districts\n")
q("let-number", "let x = 5\n")
q("let-shadows-builtin", "let facts = from districts\n")
q("let-explain", "let x = explain from districts\n")
q("let-then-use", "let big = from districts | where wards_communes > 11\nfrom big | select district\n")
q("let-without-pipeline-then-use", "let x =\nfrom x\n")

# Statements
q("statements-error-stops-script", "from districts | select district | take 1\nfrom nowhere\nfrom districts | select district | take 1\n")
q("statements-semicolon-then-error", "from districts | select district | take 1; from nowhere\n")
q("statements-several-syntax-errors", "from districts | where (1 | select 1abc | sort )\n")
q("statements-error-on-line-3-col-with-tab", "# header\n\nfrom districts\n|\twhere\tdistrct == 1\n")
q("statements-error-after-wide-characters", 'from districts | where district == "Tân Hưng" and tỉnh == 1\n')
q("statements-unexpected-after-statement", "from districts take 1\n")

# Dot-commands with bad arguments
q("dot-unknown-command", ".tabels\n")
q("dot-unknown-command-no-suggestion", ".zzzzzzzz\n")
q("dot-mode-unknown", ".mode fancy\n")
q("dot-mode-suggestion", ".mode jsn\n")
q("dot-numbers-missing", ".numbers\n")
q("dot-numbers-unknown", ".numbers roman\n")
q("dot-maxrows-negative", ".maxrows -1\n")
q("dot-maxrows-text", ".maxrows many\n")
q("dot-width-too-small", ".width 5\n")
q("dot-timer-bad-word", ".timer maybe\n")
q("dot-import-no-file", ".import\n")
q("dot-import-missing-file", ".import /nonexistent/ansinh-corpus/x.csv AS t\n")
q("dot-import-too-many-words", ".import a.csv AS t extra\n")
q("dot-read-no-file", ".read\n")
q("dot-read-missing-file", ".read /nonexistent/ansinh-corpus/x.asq\n")
q("dot-lang-unknown", ".lang fr\n")
q("dot-limit-negative", ".limit rows -5\n")
q("dot-limit-unknown-setting", ".limit rowz 5\n")
q("dot-limit-too-many-words", ".limit rows 5 6\n")
q("dot-param-missing-value", ".param x\n")
q("dot-drop-builtin", ".drop facts\n")
q("dot-drop-unknown", ".drop nosuch\n")
q("dot-why-without-result", ".why\n")
q("dot-why-row-zero", "from facts | take 1\n.why 0\n")
q("dot-sql-empty", ".sql\n")
q("dot-sql-unknown-table", ".sql from nosuch\n")
q("dot-sql-syntax-error", ".sql from districts | where (\n")
q("dot-explain-empty", ".explain\n")
q("dot-help-unknown-topic", ".help nosuchtopic\n")
q("dot-safe-off", ".safe off\n")
q("dot-schema-unknown-table", ".schema nosuch\n")
q("dot-tutorial-unknown-lesson", ".tutorial 99\n")
q("dot-command-with-nul", b".mode\x00csv\n")

# Limits: runaway joins and pivots stop with a message
q("limit-runaway-join", "from facts | join facts on district | join facts on district | join facts on district | summarize n = count()\n")
q("limit-pivot-columns", ".limit columns 3\nfrom facts | pivot district by id\n")
q("limit-join-rows-small", ".limit rows 100\nfrom facts | join facts on district\n")

# Appended after the first review
q("dot-sql-dialect-unknown-table", ".sql duckdb from nosuch\n")
q("dot-explain-unknown-table", ".explain from nosuch\n")
q("explain-runs", "explain from districts | where wards_communes > 11 | select district\n")
q("chart-not-last", "from districts | chart wards_communes by district | take 1\n")
q("why-on-rows-not-from-facts", "from districts | why\n")
q("per-capita-negative-scale", "from facts | per_capita value -5\n")
q("compare-without-value-column", "from districts | compare district\n")
q("pivot-without-value-column", "from districts | pivot province by district_type\n")
q("distinct-unknown-column", "from districts | distinct provnce\n")
q("sort-unknown-column", "from districts | sort populaton desc\n")
q("derive-needs-name", "from districts | derive wards_communes * 2\n")
q("in-list-of-deep-parens", "from districts | where wards_communes in ((((11)))) | select district\n")

# ---------------------------------------------------------------------------------------------
# CSV inputs. Each is loaded with CSVImporter.load(bytes:…) (delimiter guessed).
# ---------------------------------------------------------------------------------------------
C = []
c = adder(C)


# Ragged rows
c("ragged-too-many-fields", "a,b\n1,2\n3,4,5\n6,7\n")
c("ragged-too-few-fields", "a,b,c\n1,2,3\n4,5\n")
c("ragged-last-line", "a,b\n1,2\n3,4\n5\n")
c("ragged-last-line-no-newline", "a,b\n1,2\n3,4\n5,6,7")
c("ragged-after-10000-rows", "id,name\n" + "".join(f"{i},n{i}\n" for i in range(10000)) + "10000,n,extra\n")
c("ragged-after-quoted-newline", 'a,b\n"x\ny",1\n"p\nq\nr",2\n3\n')
c("ragged-empty-trailing-field", "a,b\n1,2\n3,4,\n")
c("ragged-header-longer", "a,b,c\n1,2\n")
# Quoted newlines, quotes
c("quoted-newline-loads", 'id,text\n1,"line one\nline two"\n2,plain\n')
c("quoted-crlf-inside-field", b'id,text\r\n1,"a\r\nb"\r\n2,c\r\n')
c("quoted-doubled-quotes", 'id,text\n1,"say ""hi"""\n2,""""\n')
c("quoted-empty-string-vs-empty", 'id,text\n1,""\n2,\n')
c("quoted-delimiter-inside", 'id,text\n1,"a,b,c"\n')
c("quoted-text-after-closing-quote", 'id,text\n1,"a"b\n2,c\n')
c("quoted-quote-inside-unquoted", 'id,text\n1,ab"c\n2,d\n')
c("quoted-header", '"id","full name"\n1,An\n')
c("quoted-numbers-stay-numbers", 'n\n"1"\n"2"\n')
# Unterminated quotes
c("unterminated-quote-in-header", 'a,"b\n1,2\n')
c("unterminated-quote-in-row-3", 'a,b\n1,2\n3,"four\n5,6\n')
c("unterminated-quote-last-line", 'a,b\n1,2\n3,"four')
# BOM, CRLF, line ends
c("bom-loads-noted", b"\xef\xbb\xbfid,name\n1,An\n")
c("bom-crlf-loads", b"\xef\xbb\xbfid,name\r\n1,An\r\n2,B\xc3\xacnh\r\n")
c("bom-only", b"\xef\xbb\xbf")
c("bom-utf16le", b"\xff\xfe" + "id,name\n1,An\n".encode("utf-16-le"))
c("crlf-loads", b"a,b\r\n1,2\r\n3,4\r\n")
c("crlf-mixed-with-lf", b"a,b\r\n1,2\n3,4\r\n")
c("cr-only-line-ends", b"a,b\r1,2\r3,4\r")
c("no-final-newline", "a,b\n1,2\n3,4")
c("blank-lines-between-and-after", "a,b\n\n1,2\n\n3,4\n\n\n")
# Encodings
c("latin1-in-row-3", b"id,name\n1,An\n2,Tr\xe2n\n3,Ba\n")
c("latin1-in-header", b"id,t\xean\n1,An\n")
c("windows1258-in-row-2", b"id,district\n1,Qu\xe2\xf2n 11\n")
c("windows1258-combining-tone", b"id,name\n1,Nguy\xea\xecn\n2,An\n")
c("latin1-in-quoted-field", b'id,name\n1,"Tr\xe2n, An"\n')
c("latin1-in-number-column", b"id,n\n1,5\n2,7\xb0\n")
c("latin1-last-line", b"id,name\n1,An\n2,B\n3,\xc9\n")
c("utf8-truncated-at-end", b"id,name\n1,Qu\xe1\xba")
c("utf8-overlong", b"id,name\n1,\xc0\xaf\n")
# NUL
c("nul-in-row-3", b"a,b\n1,2\n3,\x004\n")
c("nul-in-header", b"a\x00,b\n1,2\n")
c("nul-at-end", b"a,b\n1,2\n\x00")
c("utf16le-without-bom", "id,name\n1,An\n".encode("utf-16-le"))
# Empty and small
c("empty-file", b"")
c("only-newlines", b"\n\n\n")
c("header-only", "a,b,c\n")
c("header-only-no-newline", "a,b,c")
c("one-column", "n\n1\n2\n3\n")
c("one-column-with-empty-value", 'n\n1\n""\n3\n')
c("one-row-one-cell", "x")
# Headers
c("duplicate-headers", "a,a,b\n1,2,3\n")
c("duplicate-headers-three", "a,a,a\n1,2,3\n")
c("duplicate-header-clashes-with-rename", "a,a_2,a\n1,2,3\n")
c("duplicate-header-nfc-nfd", "Qu\u1eadn,Qua\u0323\u0302n\n1,2\n")
c("empty-header-middle", "a,,b\n1,2,3\n")
c("empty-headers-all", ",,\n1,2,3\n")
c("empty-header-clashes", "column2,,x\n1,2,3\n")
c("header-spaces-trimmed", " a , b \n1,2\n")
c("trailing-delimiter-everywhere", "a,b,\n1,2,\n3,4,\n")
# Size and shape
c("columns-10000", ",".join(f"c{i}" for i in range(1, 10001)) + "\n" + ",".join(str(i) for i in range(1, 10001)) + "\n" + ",".join("x" for _ in range(10000)) + "\n")
c("field-1mb", "id,text\n1," + "y" * 1048576 + "\n2,short\n")
c("line-1mb-quoted", 'id,text\n1,"' + "z, " * 349526 + '"\n')
c("rows-only-delimiters", "a,b\n,\n,\n")
# Types: widened, never lost
c("mixed-int-decimal-text", "v\n1\n2.5\nx\n")
c("mixed-int-decimal", "v\n1\n2.5\n-3\n")
c("mixed-widen-after-2000-rows", "v\n" + "".join(f"{i}\n" for i in range(2500)) + "x\n")
c("mixed-decimal-after-2000-rows", "v\n" + "".join(f"{i}\n" for i in range(2500)) + "0.5\n")
c("mixed-bool-and-int", "v\ntrue\n1\nfalse\n")
c("number-beyond-int64", "v\n1\n99999999999999999999\n")
c("number-1e400", "v\n1\n1e400\n")
c("number-int64-min-max", "v\n-9223372036854775808\n9223372036854775807\n")
c("number-leading-plus-and-zeros", "v\n+5\n007\n-0\n")
c("number-nan-inf", "v\n1\nNaN\ninf\n")
c("vietnamese-numbers", 'v\n"1.234,5"\n"169,96 tỷ"\n')
c("vietnamese-percent", 'v\n"0,07%"\n"12,5%"\n')
c("booleans-mixed-case", "v\ntrue\nFALSE\nTrue\n")
c("empty-values-are-null", "a,b\n1,\n,2\n")
# Delimiters
c("semicolon-delimited", "a;b\n1;2\n3;4\n")
c("tab-delimited", "a\tb\n1\t2\n")
c("semicolon-with-decimal-commas", 'a;b\n1,5;2\n3,25;4\n')
c("delimiter-guess-quoted-commas-in-header", '"a,b";c;d\n1;2;3\n')


def write(folder, cases, extension):
    path = os.path.join(HERE, folder)
    os.makedirs(path, exist_ok=True)
    names = set()
    for number, (name, data) in enumerate(cases, start=1):
        stem = "%03d-%s" % (number, name)
        assert name not in names, name
        names.add(name)
        with open(os.path.join(path, stem + extension), "wb") as f:
            f.write(data)
    return len(cases)


if __name__ == "__main__":
    print("query:", write("query", Q, ".input"))
    print("csv:", write("csv", C, ".csv"))
