import AnSinhCore
import ArgumentParser

/// The command line. Exit codes: 0 success, 1 bad usage, 2 an error in a statement or script.
struct Options: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ansinh",
        abstract: "An analysis shell for social-welfare figures of Vietnamese districts.",
        discussion: """
        With no FILE and a terminal, starts the interactive prompt. Statements piped on stdin run \
        without a prompt. Exit codes: 0 success, 1 bad command-line usage, 2 an error in a statement.
        Examples:
          ansinh -c 'from facts | summarize n = count() by district'
          ansinh scripts/district_over_years.asq --param district="Quận 11"
          ansinh --report credit.html scripts/policy_credit.asq
        """)

    @Option(name: .customShort("c"), help: ArgumentHelp("Run STATEMENT and exit (may be repeated).", valueName: "STATEMENT"))
    var commands: [String] = []

    @Option(name: .customShort("f"), help: ArgumentHelp("Run the script FILE and exit.", valueName: "FILE"))
    var file: String?

    @Argument(help: ArgumentHelp("A script to run (.asq); - reads it from stdin.", valueName: "FILE"))
    var script: String?

    @Option(name: .customLong("param"), help: ArgumentHelp("Bind $NAME in statements (may be repeated).", valueName: "NAME=VALUE"))
    var parameters: [String] = []

    @Flag(name: .customLong("no-rc"), help: "Do not read ~/.ansinhrc.")
    var noRC = false

    @Flag(name: .customLong("keep-going"), help: "Run the rest of a script after an error (exit code is still 2).")
    var keepGoing = false

    @Flag(name: .customLong("safe"), help: "No file writes, no files outside the current folder, no rc file (for scripts from others).")
    var safe = false

    @Option(name: .customLong("connect"), help: ArgumentHelp("Attach a PostgreSQL database first (as .connect; password from PGPASSWORD or ~/.pgpass).", valueName: "URL"))
    var connect: String?

    @Flag(name: .customLong("allow-connect"), help: "Let .connect and --connect work under --safe.")
    var allowConnect = false

    @Flag(name: .customLong("excel-safe"), help: "Text cells starting with = + - @ in CSV/TSV written by .export and .output get a leading ' (no spreadsheet formulas).")
    var excelSafe = false

    @Option(name: .customLong("report"), help: ArgumentHelp("Also write the results as a report: FILE.html (one self-contained page with tables, charts, notes and sources) or FILE.md (charts as SVG files beside it).", valueName: "FILE"))
    var report: String?

    @Flag(name: .customLong("force"), help: "Let .output, .export and --report replace existing files.")
    var force = false

    @Option(help: ArgumentHelp("Output mode: box, table, csv, tsv, json, jsonl, markdown, line.", valueName: "MODE"))
    var mode: String?

    @Option(help: ArgumentHelp("Numbers: vi (169,96 tỷ đồng; the default, whatever the language of messages), en (169.96 bn VND) or raw.", valueName: "STYLE"))
    var numbers: String?

    @Option(help: ArgumentHelp("Language of messages: vi or en (default from the locale).", valueName: "LANG"))
    var lang: String?

    @Flag(name: .customLong("version"), help: "Print the version and exit.")
    var version = false

    mutating func validate() throws {
        if let mode, OutputMode(rawValue: mode) == nil {
            throw ValidationError("unknown mode '\(mode)'; modes: \(OutputMode.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let numbers, NumberStyle(rawValue: numbers) == nil {
            throw ValidationError("--numbers must be vi, en or raw")
        }
        if let lang, Language(rawValue: lang) == nil {
            throw ValidationError("--lang must be vi or en")
        }
        if file != nil && script != nil {
            throw ValidationError("give the script either as FILE or with -f, not both")
        }
        if !commands.isEmpty, let path = file ?? script {
            // Running only the -c statements would silently skip the script.
            throw ValidationError("give either -c STATEMENT or a script FILE, not both (got -c and '\(path)')")
        }
        for parameter in parameters where !parameter.contains("=") {
            throw ValidationError("--param needs NAME=VALUE, got '\(parameter)'")
        }
    }
}
