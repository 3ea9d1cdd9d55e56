// The ansinh executable: parses the command line, picks how input arrives (-c, a script, a pipe,
// or the interactive prompt), and turns outcomes into exit codes. Everything else is AnSinhCore.
import AnSinhCore
import ArgumentParser
import Glibc

/// The two output streams, written unbuffered so results and messages appear in order.
enum Stream: Int32 {
    case stdout = 1, stderr = 2
}

func write(_ text: String, to stream: Stream) {
    var bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
        let written = bytes.withUnsafeMutableBytes { buffer -> Int in
            guard let base = buffer.baseAddress else { return 0 }
            return Glibc.write(stream.rawValue, base + offset, buffer.count - offset)
        }
        if written < 0 && errno == EINTR { continue }
        if written <= 0 { return }  // a closed pipe: nothing more can be said
        offset += written
    }
    bytes.removeAll()
}

let codeset = TerminalSetup.configureLocale()

let options: Options
do {
    options = try Options.parse(Array(CommandLine.arguments.dropFirst()))
} catch {
    let code = Options.exitCode(for: error)
    if code == .success {
        write(Options.fullMessage(for: error) + "\n", to: .stdout)
        exit(0)
    }
    write("ansinh: " + Options.message(for: error) + "\n" + "Usage: " + Options.usageString() + "\n(ansinh --help for more)\n", to: .stderr)
    exit(1)
}
if options.version {
    write("ansinh 0.1.0\n", to: .stdout)
    exit(0)
}

var parameters: [String: Value] = [:]
for assignment in options.parameters {
    do {
        let (name, value) = try Parameters.parse(assignment)
        parameters[name] = value
    } catch {
        write("ansinh: " + error.text(in: .en) + "\n", to: .stderr)
        exit(1)
    }
}

let session: Session
do {
    session = try Session(parameters: parameters)
} catch {
    write("ansinh: the embedded dataset could not be loaded: \(error.text(in: .en))\n", to: .stderr)
    exit(2)
}

let interactive = options.commands.isEmpty && options.file == nil && options.script == nil && LineEditor.isInteractive
let paths = StatePaths()
let shell = Shell(session: session, writeOut: { write($0, to: .stdout) }, writeErr: { write($0, to: .stderr) },
                  tutorialStatePath: options.safe ? nil : paths.tutorial,
                  lessonFolder: options.safe ? nil : StatePaths.environment("ANSINH_LESSONS"))
shell.interactive = interactive
shell.excelSafe = options.excelSafe
shell.forceOverwrite = options.force
if options.safe { shell.enableSafeMode() }

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
let errorsBeforeInput = shell.errorCount

/// Runs script text; stops at the first error unless --keep-going.
@MainActor func runScript(_ text: String, fileName: String?) -> Bool {
    InterruptSignal.reset()
    return shell.runScript(text, fileName: fileName, keepGoing: options.keepGoing)
}

var succeeded = true
if !options.commands.isEmpty {
    for command in options.commands where succeeded || options.keepGoing {
        if !runScript(command, fileName: nil) { succeeded = false }
        if shell.shouldQuit { break }
    }
} else if let path = options.file ?? options.script {
    do {
        let text = try TextFile.read(path)
        succeeded = runScript(text, fileName: path)
    } catch {
        write("ansinh: " + error.text(in: session.language) + "\n", to: .stderr)
        exit(2)
    }
} else if interactive {
    REPL(shell: shell, paths: paths, codeset: codeset).run()
} else {
    // Statements piped on stdin: no prompt, no libedit, no history.
    var assembler = InputAssembler()
    reading: while let line = readLine(strippingNewline: true) {
        for unit in assembler.addScriptLine(line) {
            InterruptSignal.reset()
            if !shell.run(unit) {
                succeeded = false
                if !options.keepGoing || InterruptSignal.isPending { break reading }
            }
            if shell.shouldQuit { break reading }
        }
    }
    if succeeded || options.keepGoing, !shell.shouldQuit {
        for unit in assembler.finishScript() where !shell.run(unit) { succeeded = false }
    }
}

if !interactive, shell.errorCount > errorsBeforeInput {
    // A failed script leaves no partial output file behind.
    shell.abandonOutput()
    if !options.keepGoing, options.commands.isEmpty {
        write(MessageID.scriptStopped.format(session.language, []) + "\n", to: .stderr)
    }
    exit(2)
}
shell.finish()
exit(succeeded ? 0 : 2)
