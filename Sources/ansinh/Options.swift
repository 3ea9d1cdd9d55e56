import AnSinhCore
import Glibc

/// The command line. Exit codes: 0 success, 1 bad usage, 2 an error in a statement or script.
///
/// Parsed by hand: swift-argument-parser cost about 7.5 M instructions a launch (a quarter of
/// start-up: run-time type lookups and the scan of every protocol conformance in the binary),
/// more than the whole of sqlite3's start-up. The syntax, messages and help are the ones it had:
/// `-c STATEMENT` or `-c=STATEMENT`, `--name VALUE` or `--name=VALUE`, `--` ends the options,
/// a value may not look like an option (`-c -x` is an error), the last of a repeated option wins.
struct Options {
    var commands: [String] = []
    var file: String?
    var script: String?
    var parameters: [String] = []
    var noRC = false
    var keepGoing = false
    var safe = false
    var connect: String?
    var allowConnect = false
    var excelSafe = false
    var report: String?
    var force = false
    var mode: String?
    var numbers: String?
    var lang: String?
    var version = false

    /// Why parsing stopped: help was asked for (exit 0), or the command line is wrong (exit 1).
    enum Stop: Error {
        case help
        case usage(String)
    }

    static let usage = "ansinh [<options>] [<FILE>]"

    /// One entry of the help: how it is written, its help text, and for options what it sets.
    private struct Entry {
        var label: String
        var help: String
    }

    private enum Value { case commands, file, parameters, connect, report, mode, numbers, lang }
    private enum Switch { case noRC, keepGoing, safe, allowConnect, excelSafe, force, version }

    /// Options that take a value, by name, with the label used in messages.
    private static let valued: [String: (Value, String)] = [
        "-c": (.commands, "-c <STATEMENT>"), "-f": (.file, "-f <FILE>"),
        "--param": (.parameters, "--param <NAME=VALUE>"), "--connect": (.connect, "--connect <URL>"),
        "--report": (.report, "--report <FILE>"), "--mode": (.mode, "--mode <MODE>"),
        "--numbers": (.numbers, "--numbers <STYLE>"), "--lang": (.lang, "--lang <LANG>"),
    ]
    private static let switches: [String: Switch] = [
        "--no-rc": .noRC, "--keep-going": .keepGoing, "--safe": .safe, "--allow-connect": .allowConnect,
        "--excel-safe": .excelSafe, "--force": .force, "--version": .version,
    ]

    private mutating func set(_ value: Value, _ text: String) {
        switch value {
        case .commands: commands.append(text)
        case .file: file = text
        case .parameters: parameters.append(text)
        case .connect: connect = text
        case .report: report = text
        case .mode: mode = text
        case .numbers: numbers = text
        case .lang: lang = text
        }
    }

    private mutating func set(_ flag: Switch) {
        switch flag {
        case .noRC: noRC = true
        case .keepGoing: keepGoing = true
        case .safe: safe = true
        case .allowConnect: allowConnect = true
        case .excelSafe: excelSafe = true
        case .force: force = true
        case .version: version = true
        }
    }

    /// An argument that reads as an option rather than a value (`-` alone is a value: stdin).
    private static func looksLikeOption(_ argument: String) -> Bool {
        argument.utf8.count > 1 && argument.utf8.first == UInt8(ascii: "-")
    }

    private static func asksForHelp(_ argument: String) -> Bool {
        if argument == "--help" || argument.hasPrefix("--help=") { return true }
        // `-h`, `-hh`: a group of short flags that are all -h.
        let bytes = Array(argument.utf8)
        return bytes.count >= 2 && bytes[0] == UInt8(ascii: "-") && bytes.dropFirst().allSatisfy { $0 == UInt8(ascii: "h") }
    }

    static func parse(_ arguments: [String]) throws(Stop) -> Options {
        // Help wins over every other argument before `--`, even a wrong one.
        for argument in arguments {
            if argument == "--" { break }
            if asksForHelp(argument) { throw .help }
        }
        var options = Options()
        var positionals: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if argument == "--" {
                positionals += arguments[index...]
                break
            }
            guard looksLikeOption(argument) else {
                positionals.append(argument)
                continue
            }
            let isLong = argument.hasPrefix("--")
            if argument.hasPrefix("---") { throw .usage("Invalid option: \(argument)") }
            // The name, and a value written after `=` (`--mode=csv`, `-c=STATEMENT`).
            let name: String, attached: String?
            if let equals = argument.firstIndex(of: "=") {
                name = String(argument[..<equals])
                attached = String(argument[argument.index(after: equals)...])
            } else {
                name = argument
                attached = nil
            }
            if !isLong, name.utf8.count > 2 {
                // `-cx`: a group of short options; -c and -f need a value, so it never parses.
                if let option = name.dropFirst().first(where: { $0 == "c" || $0 == "f" }), let (_, label) = valued["-" + String(option)] {
                    throw .usage("Unknown option '\(argument)'\n   or: Missing value for '\(label)' in '\(argument)'")
                }
                throw .usage("Unknown option '\(argument)'")
            }
            if let flag = switches[name] {
                if let attached { throw .usage("The option '\(name)' does not take any value, but '\(attached)' was specified.") }
                options.set(flag)
            } else if let (value, label) = valued[name] {
                if let attached {
                    if attached.isEmpty { throw .usage("Missing value for '\(label)'") }
                    options.set(value, attached)
                } else {
                    guard index < arguments.count, !looksLikeOption(arguments[index]) else { throw .usage("Missing value for '\(label)'") }
                    options.set(value, arguments[index])
                    index += 1
                }
            } else {
                throw .usage("Unknown option '\(isLong ? name : argument)'")
            }
        }
        if positionals.count > 1 { throw .usage("Unexpected argument '\(positionals[1])'") }
        options.script = positionals.first
        try options.validate()
        return options
    }

    func validate() throws(Stop) {
        if let mode, OutputMode(rawValue: mode) == nil {
            throw .usage("unknown mode '\(mode)'; modes: \(OutputMode.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let numbers, NumberStyle(rawValue: numbers) == nil {
            throw .usage("--numbers must be vi, en or raw")
        }
        if let lang, Language(rawValue: lang) == nil {
            throw .usage("--lang must be vi or en")
        }
        if file != nil && script != nil {
            throw .usage("give the script either as FILE or with -f, not both")
        }
        if !commands.isEmpty, let path = file ?? script {
            // Running only the -c statements would silently skip the script.
            throw .usage("give either -c STATEMENT or a script FILE, not both (got -c and '\(path)')")
        }
        for parameter in parameters where !parameter.contains("=") {
            throw .usage("--param needs NAME=VALUE, got '\(parameter)'")
        }
    }

    // MARK: Help

    private static let abstract = "An analysis shell for social-welfare figures of Vietnamese districts."
    private static let discussion = """
        With no FILE and a terminal, starts the interactive prompt. Statements piped on stdin run \
        without a prompt. Exit codes: 0 success, 1 bad command-line usage, 2 an error in a statement.
        Examples:
          ansinh -c 'from facts | summarize n = count() by district'
          ansinh scripts/district_over_years.asq --param district="Quận 11"
          ansinh --report credit.html scripts/policy_credit.asq
        """
    private static let arguments = [Entry(label: "<FILE>", help: "A script to run (.asq); - reads it from stdin.")]
    private static let entries = [
        Entry(label: "-c <STATEMENT>", help: "Run STATEMENT and exit (may be repeated)."),
        Entry(label: "-f <FILE>", help: "Run the script FILE and exit."),
        Entry(label: "--param <NAME=VALUE>", help: "Bind $NAME in statements (may be repeated)."),
        Entry(label: "--no-rc", help: "Do not read ~/.ansinhrc."),
        Entry(label: "--keep-going", help: "Run the rest of a script after an error (exit code is still 2)."),
        Entry(label: "--safe", help: "No file writes, no files outside the current folder, no rc file (for scripts from others)."),
        Entry(label: "--connect <URL>", help: "Attach a PostgreSQL database first (as .connect; password from PGPASSWORD or ~/.pgpass)."),
        Entry(label: "--allow-connect", help: "Let .connect and --connect work under --safe."),
        Entry(label: "--excel-safe", help: "Text cells starting with = + - @ in CSV/TSV written by .export and .output get a leading ' (no spreadsheet formulas)."),
        Entry(label: "--report <FILE>", help: "Also write the results as a report: FILE.html (one self-contained page with tables, charts, notes and sources) or FILE.md (charts as SVG files beside it)."),
        Entry(label: "--force", help: "Let .output, .export and --report replace existing files."),
        Entry(label: "--mode <MODE>", help: "Output mode: box, table, csv, tsv, json, jsonl, markdown, line."),
        Entry(label: "--numbers <STYLE>", help: "Numbers: vi (169,96 tỷ đồng; the default, whatever the language of messages), en (169.96 bn VND) or raw."),
        Entry(label: "--lang <LANG>", help: "Language of messages: vi or en (default from the locale)."),
        Entry(label: "--version", help: "Print the version and exit."),
        Entry(label: "-h, --help", help: "Show help information."),
    ]

    /// The width help is wrapped to: COLUMNS, else the terminal on stdout, else 80.
    static func screenWidth() -> Int {
        if let text = getenv("COLUMNS").map({ String(cString: $0) }), let columns = Int(text) { return columns }
        var size = winsize()
        if ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return 80
    }

    /// Words wrapped to `width` columns, lines after a break indented by `indent` (every line
    /// that is not empty starts with the indent; a word longer than a line stays whole).
    static func wrapped(_ text: String, to width: Int, indent: Int = 0) -> String {
        let columns = width - indent
        guard columns > 0 else { return "" }
        let characters = Array(text)
        var lines: [ArraySlice<Character>] = []
        var start = 0
        while true {
            let end = min(start + columns, characters.count)
            let chunk = characters[start..<end]
            if let lastBreak = chunk.lastIndex(of: "\n") {
                lines += characters[start..<lastBreak].split(separator: "\n", omittingEmptySubsequences: false)
                start = lastBreak + 1
            } else if end == characters.count {
                lines.append(characters[start...])
                break
            } else if let lastSpace = chunk.lastIndex(of: " ") {
                lines.append(characters[start..<lastSpace])
                start = lastSpace + 1
            } else if let nextSpace = characters[start...].firstIndex(of: " ") {
                lines.append(characters[start..<nextSpace])
                start = nextSpace + 1
            } else {
                lines.append(characters[start...])
                break
            }
        }
        let padding = String(repeating: " ", count: indent)
        return lines.map { $0.isEmpty ? "" : padding + String($0) }.joined(separator: "\n")
    }

    /// `--help`, laid out as swift-argument-parser laid it out (label column of 26).
    static func helpText(width: Int) -> String {
        func render(_ entry: Entry) -> String {
            let label = "  " + entry.label
            let help = wrapped(entry.help, to: width, indent: 26)
            return label + (label.count < 26 ? String(help.dropFirst(label.count)) : "\n" + help) + "\n"
        }
        return wrapped("OVERVIEW: \(abstract)\n\n\(discussion)", to: width) + "\n\n"
            + "USAGE: \(usage)\n\n"
            + "ARGUMENTS:\n" + arguments.map(render).joined() + "\n"
            + "OPTIONS:\n" + entries.map(render).joined()
    }
}
