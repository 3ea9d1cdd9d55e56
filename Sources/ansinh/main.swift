// The ansinh executable: parses the command line, picks how input arrives (-c, a script, a pipe,
// or the interactive prompt), and turns outcomes into exit codes. Everything else is AnSinhCore.
import AnSinhCore
import Glibc

/// The two output streams, written unbuffered so results and messages appear in order.
enum Stream: Int32 {
    case stdout = 1, stderr = 2
}

/// Why writing a result to stdout failed (ENOSPC on /dev/full); the exit code is then 2.
nonisolated(unsafe) var standardOutputFailure: String?

func write(_ text: String, to stream: Stream) {
    var bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
        let written = bytes.withUnsafeMutableBytes { buffer -> Int in
            guard let base = buffer.baseAddress else { return 0 }
            return Glibc.write(stream.rawValue, base + offset, buffer.count - offset)
        }
        if written < 0 && errno == EINTR { continue }
        if written < 0, stream == .stdout, errno != EPIPE, standardOutputFailure == nil {
            // A full disk or a broken device: results are lost, so the run must not say 0.
            standardOutputFailure = String(cString: strerror(errno))
            write(MessageID.stdoutWriteFailed.format(StatePaths.languageFromLocale(), [standardOutputFailure ?? ""]) + "\n", to: .stderr)
        }
        if written <= 0 { return }  // a closed pipe: nothing more can be said
        offset += written
    }
    bytes.removeAll()
}

nonisolated(unsafe) let standardInput = fdopen(0, "r")

/// One line of standard input without its line end, as bytes; nil at the end of input.
func readStandardInputLine() -> [UInt8]? {
    var buffer: UnsafeMutablePointer<CChar>?
    var capacity = 0
    defer { free(buffer) }
    let length = getline(&buffer, &capacity, standardInput)
    guard length >= 0, let buffer else { return nil }
    var count = length
    if count > 0, buffer[count - 1] == 0x0A { count -= 1 }
    if count > 0, buffer[count - 1] == 0x0D { count -= 1 }
    return buffer.withMemoryRebound(to: UInt8.self, capacity: count) { Array(UnsafeBufferPointer(start: $0, count: count)) }
}

let codeset = TerminalSetup.configureLocale()

// Swift turns bytes that are not UTF-8 into U+FFFD without a word: a `-c` statement or a
// `--param` value would silently differ from what was typed. Each argument is checked as bytes.
for index in 1..<Int(CommandLine.argc) {
    guard let raw = CommandLine.unsafeArgv[index] else { continue }
    let bytes = UnsafeRawBufferPointer(start: raw, count: strlen(raw))
    if String(validating: bytes, as: UTF8.self) == nil {
        let offset = bytes.firstIndex { $0 >= 0x80 } ?? 0
        var shown = ""
        for byte in bytes.prefix(40) { shown += byte < 0x20 || byte >= 0x7F ? "\\x" + String(byte, radix: 16) : String(UnicodeScalar(byte)) }
        let previous = index > 1 ? CommandLine.unsafeArgv[index - 1].map { String(cString: $0) } : nil
        let named = previous.map { $0.hasPrefix("-") ? "\($0) \(shown)" : shown } ?? shown
        write("ansinh: " + MessageID.argumentNotUTF8.format(StatePaths.languageFromLocale(), [String(index), named, String(offset + 1)]) + "\n", to: .stderr)
        exit(1)
    }
}

let options: Options
do {
    options = try Options.parse(Array(CommandLine.arguments.dropFirst()))
} catch .help {
    write(Options.helpText(width: Options.screenWidth()) + "\n", to: .stdout)
    exit(0)
} catch .usage(let message) {
    write("ansinh: " + message + "\n" + "Usage: " + Options.usage + "\n(ansinh --help for more)\n", to: .stderr)
    exit(1)
}
if options.version {
    write("ansinh \(Help.version)\n", to: .stdout)
    exit(0)
}

var parameters: [String: Value] = [:]
/// Names in the order first given, and how often each was given.
var parameterOrder: [String] = []
var parameterTimes: [String: Int] = [:]
var parameterLastText: [String: String] = [:]
for assignment in options.parameters {
    do {
        let (name, value) = try Parameters.parse(assignment)
        parameters[name] = value
        if parameterTimes[name] == nil { parameterOrder.append(name) }
        parameterTimes[name, default: 0] += 1
        parameterLastText[name] = String(assignment.drop { $0 != "=" }.dropFirst())
    } catch {
        write("ansinh: " + error.text(in: .en) + "\n", to: .stderr)
        exit(1)
    }
}

let messageLanguage = options.lang.flatMap(Language.init(rawValue:)) ?? StatePaths.languageFromLocale()
for name in parameterOrder where (parameterTimes[name] ?? 0) > 1 {
    write("ansinh: " + MessageID.parameterRepeated.format(messageLanguage, [name, String(parameterTimes[name] ?? 0), parameterLastText[name] ?? ""]) + "\n", to: .stderr)
}

let session: Session
do {
    session = try Session(parameters: parameters)
} catch {
    write("ansinh: the embedded dataset could not be loaded: \(error.text(in: .en))\n", to: .stderr)
    exit(2)
}

/// The script to run; `-` (as FILE or with -f) means the script comes on stdin, like cat or sh.
let scriptPath = options.file ?? options.script
let interactive = options.commands.isEmpty && scriptPath == nil && LineEditor.isInteractive
let paths = StatePaths()
let shell = Shell(session: session, writeOut: { write($0, to: .stdout) }, writeErr: { write($0, to: .stderr) },
                  tutorialStatePath: options.safe ? nil : paths.tutorial,
                  lessonFolder: options.safe ? nil : StatePaths.environment("ANSINH_LESSONS"))
shell.interactive = interactive
shell.excelSafe = options.excelSafe
shell.forceOverwrite = options.force
if options.safe { shell.enableSafeMode() }
shell.allowConnect = options.allowConnect

// Rendering follows where the output goes: a terminal gets box tables and colour; a pipe or file
// gets plain ASCII tables with every row.
var settings = RenderSettings()
let stdoutIsTerminal = TerminalSetup.stdoutIsTerminal
settings.mode = stdoutIsTerminal ? (TerminalSetup.unicodeAllowed ? .box : .table) : .table
settings.maxRows = stdoutIsTerminal ? 40 : nil
settings.width = TerminalSetup.width()
settings.color = TerminalSetup.colorAllowed
settings.unicode = TerminalSetup.unicodeAllowed
settings.language = options.lang.flatMap(Language.init(rawValue:)) ?? StatePaths.languageFromLocale()
if let mode = options.mode.flatMap(OutputMode.init(rawValue:)) { settings.mode = mode }
if let numbers = options.numbers.flatMap(NumberStyle.init(rawValue:)) { settings.numbers = numbers }
session.settings = settings

InterruptSignal.install()
session.cancellation = CancellationCheck { InterruptSignal.isPending }

// The startup file: dot-commands and statements, one error reported with its line, never fatal.
if !options.noRC, !options.safe, let rcPath = paths.rcFile, let text = try? TextFile.read(rcPath) {
    let wasInteractive = shell.interactive
    shell.interactive = false
    shell.runScript(text, fileName: rcPath, keepGoing: true)
    shell.interactive = wasInteractive
}
// `--connect URL`: a failure is an error of the run (exit code 2), before any statement runs.
if let url = options.connect {
    do {
        try shell.connect(url)
    } catch {
        write("ansinh: " + error.text(in: session.language) + "\n", to: .stderr)
        exit(2)
    }
}
let errorsBeforeInput = shell.errorCount

/// The script text read before it runs, so `--report` can show it.
var scriptText: String?
if let path = scriptPath, path != "-" {
    do {
        scriptText = try TextFile.read(path)
    } catch {
        write("ansinh: " + error.text(in: session.language) + "\n", to: .stderr)
        exit(2)
    }
}
// `--param NAME=…` that no statement uses is a typo (`distric=…` would silently run the default):
// an error with the nearest used name. Only where all statements are known before they run.
if !options.parameters.isEmpty, !interactive, let statements = scriptText ?? (options.commands.isEmpty ? nil : options.commands.joined(separator: "\n")) {
    var used: [String] = []
    for token in Lexer.tokenize(SourceFile(name: nil, text: statements)).tokens {
        if case .parameter(let name) = token.kind, !used.contains(name) { used.append(name) }
    }
    let language = session.language
    for name in parameterOrder where !used.contains(name) {
        var text = used.isEmpty ? MessageID.parameterNoneUsed.format(language, [name])
            : MessageID.parameterNotUsed.format(language, [name, used.map { "`$" + $0 + "`" }.joined(separator: ", ")])
        if let nearest = UnicodeText.suggestions(for: name, among: used).first {
            text += " — " + MessageID.didYouMean.format(language, ["`" + nearest + "`"])
        }
        write("ansinh: " + text + "\n", to: .stderr)
        exit(1)
    }
}

// `--report FILE`: every result of the run is collected and written at the end.
if let reportPath = options.report {
    do {
        let shownScript = scriptText ?? (options.commands.isEmpty ? nil : options.commands.joined(separator: "\n"))
        // As a shell would take it back: each word in single quotes when it needs them.
        func quoted(_ word: String) -> String {
            word.allSatisfy({ $0.isLetter || $0.isNumber || "-_./=".contains($0) }) ? word : "'" + word.replacing("'", with: "'\\''") + "'"
        }
        var words = ["ansinh", "--report", reportPath]
        if let lang = options.lang { words += ["--lang", lang] }
        if let numbers = options.numbers { words += ["--numbers", numbers] }
        for parameter in options.parameters { words += ["--param", parameter] }
        if let scriptPath { words.append(scriptPath) } else { for command in options.commands { words += ["-c", command] } }
        try shell.startReport(reportPath, force: options.force, scriptName: scriptPath, scriptText: shownScript,
                              commandLine: words.map(quoted).joined(separator: " "))
    } catch {
        write("ansinh: " + error.text(in: session.language) + "\n", to: .stderr)
        exit(1)
    }
}

/// Runs script text; stops at the first error unless --keep-going.
@MainActor func runScript(_ text: String, fileName: String?) -> Bool {
    InterruptSignal.reset()
    return shell.runScript(text, fileName: fileName, keepGoing: options.keepGoing)
}

/// Set when ^C (SIGINT) stopped a script, `-c` or piped statements: the exit code is then 130
/// (128 + SIGINT), as for sh, sqlite3 and DuckDB, not 2.
var interrupted = false

var succeeded = true
if !options.commands.isEmpty {
    for command in options.commands where succeeded || options.keepGoing {
        if !runScript(command, fileName: nil) { succeeded = false }
        if InterruptSignal.isPending { interrupted = true; break }
        if shell.shouldQuit { break }
    }
} else if let path = scriptPath, path != "-", let text = scriptText {
    succeeded = runScript(text, fileName: path)
    interrupted = InterruptSignal.isPending
} else if interactive {
    REPL(shell: shell, paths: paths, codeset: codeset).run()
} else {
    // Statements piped on stdin: no prompt, no libedit, no history. Lines are read as bytes and
    // checked like a script file: `readLine` would quietly turn bad bytes into U+FFFD.
    var assembler = InputAssembler()
    var lineNumber = 0
    reading: while let bytes = readStandardInputLine() {
        lineNumber += 1
        guard var line = String(validating: bytes, as: UTF8.self) else {
            write("ansinh: " + MessageID.fileNotUTF8.format(session.language, ["<stdin>", String(lineNumber)]) + "\n", to: .stderr)
            shell.abandonOutput()
            exit(2)
        }
        if lineNumber == 1, line.hasPrefix("\u{FEFF}") { line = String(line.unicodeScalars.dropFirst()) }
        for unit in assembler.addScriptLine(line) {
            InterruptSignal.reset()
            if !shell.run(unit) {
                succeeded = false
                if InterruptSignal.isPending { interrupted = true }
                if !options.keepGoing || interrupted { break reading }
            }
            if InterruptSignal.isPending { interrupted = true; break reading }
            if shell.shouldQuit { break reading }
        }
    }
    // getline returns early when ^C interrupts the read itself.
    if InterruptSignal.isPending { interrupted = true }
    if !interrupted, succeeded || options.keepGoing, !shell.shouldQuit {
        for unit in assembler.finishScript() where !shell.run(unit) { succeeded = false }
    }
}

if !interactive, interrupted {
    // Like a failed script: a half-written `.output` file is not left behind.
    shell.abandonOutput()
    shell.abandonReport()
    write(MessageID.scriptInterrupted.format(session.language, []) + "\n", to: .stderr)
    exit(130)
}

/// Writes the `--report` (or an unwritten `.report`) at the end of the run; a failure is an error of the run.
@MainActor func writePendingReport() {
    guard shell.isCollectingReport else { return }
    do {
        try shell.writeReport()
    } catch {
        write("ansinh: " + error.text(in: session.language) + "\n", to: .stderr)
        exit(2)
    }
}

if !interactive, shell.errorCount > errorsBeforeInput {
    if options.keepGoing {
        // The user asked to go on past errors: the results that were written are kept.
        shell.finish()
        writePendingReport()
    } else {
        // A failed script leaves no partial output file or report behind.
        shell.abandonOutput()
        shell.abandonReport()
    }
    if !options.keepGoing, options.commands.isEmpty {
        write(MessageID.scriptStopped.format(session.language, []) + "\n", to: .stderr)
    }
    exit(2)
}
shell.finish()
writePendingReport()
// Closing the `.output` file can fail too (a full disk, /dev/full): that is an error of the run.
if !interactive, shell.errorCount > errorsBeforeInput { exit(2) }
exit(succeeded && standardOutputFailure == nil ? 0 : 2)
