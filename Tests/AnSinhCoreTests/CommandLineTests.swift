import Testing
import Glibc

/// The command line as swift-argument-parser took it, before it was replaced by a hand-written
/// parser (Sources/ansinh/Options.swift): every expected output here was printed by the old
/// binary, so the new parser must accept, refuse and explain exactly as it did.
@Suite(.serialized) struct CommandLineTests {
    static let help = "OVERVIEW: An analysis shell for social-welfare figures of Vietnamese districts.\n\nWith no FILE and a terminal, starts the interactive prompt. Statements piped on\nstdin run without a prompt. Exit codes: 0 success, 1 bad command-line usage, 2\nan error in a statement.\nExamples:\n  ansinh -c 'from facts | summarize n = count() by district'\n  ansinh scripts/district_over_years.asq --param district=\"Quận 11\"\n  ansinh --report credit.html scripts/policy_credit.asq\n\nUSAGE: ansinh [<options>] [<FILE>]\n\nARGUMENTS:\n  <FILE>                  A script to run (.asq); - reads it from stdin.\n\nOPTIONS:\n  -c <STATEMENT>          Run STATEMENT and exit (may be repeated).\n  -f <FILE>               Run the script FILE and exit.\n  --param <NAME=VALUE>    Bind $NAME in statements (may be repeated).\n  --no-rc                 Do not read ~/.ansinhrc.\n  --keep-going            Run the rest of a script after an error (exit code is\n                          still 2).\n  --safe                  No file writes, no files outside the current folder,\n                          no rc file (for scripts from others).\n  --connect <URL>         Attach a PostgreSQL database first (as .connect;\n                          password from PGPASSWORD or ~/.pgpass).\n  --allow-connect         Let .connect and --connect work under --safe.\n  --excel-safe            Text cells starting with = + - @ in CSV/TSV written\n                          by .export and .output get a leading ' (no\n                          spreadsheet formulas).\n  --report <FILE>         Also write the results as a report: FILE.html (one\n                          self-contained page with tables, charts, notes and\n                          sources) or FILE.md (charts as SVG files beside it).\n  --force                 Let .output, .export and --report replace existing\n                          files.\n  --mode <MODE>           Output mode: box, table, csv, tsv, json, jsonl,\n                          markdown, line.\n  --numbers <STYLE>       Numbers: vi (169,96 tỷ đồng; the default, whatever\n                          the language of messages), en (169.96 bn VND) or raw.\n  --lang <LANG>           Language of messages: vi or en (default from the\n                          locale).\n  --version               Print the version and exit.\n  -h, --help              Show help information.\n\n"

    /// (arguments after --no-rc, exit code, stdout, stderr).
    static let cases: [([String], Int32, String, String)] = [
        (["--help", "--bogus"], 0, help, ""),
        (["--bogus", "--help"], 0, help, ""),
        (["--version", "--bogus"], 1, "", "ansinh: Unknown option '--bogus'\nUsage: ansinh [<options>] [<FILE>]\n(ansinh --help for more)\n"),
        (["-x"], 1, "", "ansinh: Unknown option '-x'\nUsage: ansinh [<options>] [<FILE>]\n(ansinh --help for more)\n"),
        (["-cx"], 1, "", "ansinh: Unknown option '-cx'\n   or: Missing value for '-c <STATEMENT>' in '-cx'\nUsage: ansinh [<options>] [<FILE>]\n(ansinh --help for more)\n"),
        (["-c=from sources | select source | take 1"], 0, "+--------+\n| source |\n+--------+\n| hnm-tx |\n+--------+\n(1 row)\n", ""),
        (["--c", "from sources | select source | take 1"], 1, "", "ansinh: Unknown option '--c'\nUsage: ansinh [<options>] [<FILE>]\n(ansinh --help for more)\n"),
        (["---x"], 1, "", "ansinh: Invalid option: ---x\nUsage: ansinh [<options>] [<FILE>]\n(ansinh --help for more)\n"),
        (["--", "a", "b"], 1, "", "ansinh: Unexpected argument 'b'\nUsage: ansinh [<options>] [<FILE>]\n(ansinh --help for more)\n"),
        (["--mode"], 1, "", "ansinh: Missing value for '--mode <MODE>'\nUsage: ansinh [<options>] [<FILE>]\n(ansinh --help for more)\n"),
        (["--mode=csv", "-c", "from sources | select source | take 1"], 0, "source\nhnm-tx\n", ""),
        (["--mode", "csv", "--mode", "json", "-c", "from sources | select source | take 1"], 0, "[{\"source\":\"hnm-tx\"}]\n", ""),
        (["--param"], 1, "", "ansinh: Missing value for '--param <NAME=VALUE>'\nUsage: ansinh [<options>] [<FILE>]\n(ansinh --help for more)\n"),
        (["-c"], 1, "", "ansinh: Missing value for '-c <STATEMENT>'\nUsage: ansinh [<options>] [<FILE>]\n(ansinh --help for more)\n"),
        (["-c", "-x"], 1, "", "ansinh: Missing value for '-c <STATEMENT>'\nUsage: ansinh [<options>] [<FILE>]\n(ansinh --help for more)\n"),
        (["-c", "-"], 2, "", "1:1: error: a statement starts with `from`, `let`, `explain` or a dot-command; found `-`\n 1 | -\n   | ^\n"),
        (["-c", "--", "from sources | select source | take 1"], 1, "", "ansinh: Missing value for '-c <STATEMENT>'\nUsage: ansinh [<options>] [<FILE>]\n(ansinh --help for more)\n"),
        (["a", "b"], 1, "", "ansinh: Unexpected argument 'b'\nUsage: ansinh [<options>] [<FILE>]\n(ansinh --help for more)\n"),
        (["-c", "x", "y"], 1, "", "ansinh: give either -c STATEMENT or a script FILE, not both (got -c and 'y')\nUsage: ansinh [<options>] [<FILE>]\n(ansinh --help for more)\n"),
        (["-f", "x", "y"], 1, "", "ansinh: give the script either as FILE or with -f, not both\nUsage: ansinh [<options>] [<FILE>]\n(ansinh --help for more)\n"),
        (["--lang", "xx"], 1, "", "ansinh: --lang must be vi or en\nUsage: ansinh [<options>] [<FILE>]\n(ansinh --help for more)\n"),
        (["--numbers", "zz"], 1, "", "ansinh: --numbers must be vi, en or raw\nUsage: ansinh [<options>] [<FILE>]\n(ansinh --help for more)\n"),
        (["--no-rc=1"], 1, "", "ansinh: The option '--no-rc' does not take any value, but '1' was specified.\nUsage: ansinh [<options>] [<FILE>]\n(ansinh --help for more)\n"),
        (["-ch"], 1, "", "ansinh: Unknown option '-ch'\n   or: Missing value for '-c <STATEMENT>' in '-ch'\nUsage: ansinh [<options>] [<FILE>]\n(ansinh --help for more)\n"),
        (["--mode=", "-c", "from sources | select source | take 1"], 1, "", "ansinh: Missing value for '--mode <MODE>'\nUsage: ansinh [<options>] [<FILE>]\n(ansinh --help for more)\n"),
        (["-", "-c", "from sources | select source | take 1"], 1, "", "ansinh: give either -c STATEMENT or a script FILE, not both (got -c and '-')\nUsage: ansinh [<options>] [<FILE>]\n(ansinh --help for more)\n"),
        (["-c", "-5"], 1, "", "ansinh: Missing value for '-c <STATEMENT>'\nUsage: ansinh [<options>] [<FILE>]\n(ansinh --help for more)\n"),
        (["-c", "from sources | select source | take 1", "--version"], 0, "ansinh 0.1.0\n", ""),
        (["--version=1"], 1, "", "ansinh: The option '--version' does not take any value, but '1' was specified.\nUsage: ansinh [<options>] [<FILE>]\n(ansinh --help for more)\n"),
        (["--help=1"], 0, help, ""),
        (["-hh"], 0, help, ""),
        (["-c", "from sources | select source | take 1", "--", "-c"], 1, "", "ansinh: give either -c STATEMENT or a script FILE, not both (got -c and '-c')\nUsage: ansinh [<options>] [<FILE>]\n(ansinh --help for more)\n"),
    ]

    @Test func argumentsParseAsBefore() throws {
        guard access(Subprocess.ansinh, X_OK) == 0 else {
            Issue.record("no binary at \(Subprocess.ansinh): run `swift build` first (scripts/test does)")
            return
        }
        for (arguments, status, out, err) in Self.cases {
            let result = Subprocess.run(Subprocess.ansinh, ["--no-rc"] + arguments, directory: "/tmp")
            #expect(result.status == status, "\(arguments)")
            #expect(result.out == out, "\(arguments)")
            #expect(result.err == err, "\(arguments)")
        }
    }

    /// Help is wrapped to COLUMNS (else the terminal, else 80 columns), as before.
    @Test func helpWrapsToTheWidth() throws {
        let wide = Subprocess.run(Subprocess.ansinh, ["--help"], environment: ["COLUMNS": "80"])
        #expect(wide.status == 0 && wide.out == Self.help && wide.err.isEmpty)
        let narrow = Subprocess.run(Subprocess.ansinh, ["-h"], environment: ["COLUMNS": "50"])
        #expect(narrow.status == 0)
        #expect(narrow.out.contains("  --keep-going            Run the rest of a\n                          script after an error\n                          (exit code is still 2).\n"))
        #expect(narrow.out.split(separator: "\n").allSatisfy { $0.count <= 50 || !$0.contains(" ") })
    }
}
