import AnSinhCore
import Glibc

/// Where ansinh keeps its files: `$XDG_STATE_HOME/ansinh/` (history, tutorial progress) and
/// `~/.ansinhrc`.
struct StatePaths {
    let folder: String?
    let rcFile: String?

    init() {
        let home = StatePaths.environment("HOME")
        if let state = StatePaths.environment("XDG_STATE_HOME"), state.hasPrefix("/") {
            folder = state + "/ansinh"
        } else {
            folder = home.map { $0 + "/.local/state/ansinh" }
        }
        rcFile = home.map { $0 + "/.ansinhrc" }
    }

    var history: String? { folder.map { $0 + "/history" } }
    var tutorial: String? { folder.map { $0 + "/tutorial" } }

    static func environment(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        let text = String(cString: value)
        return text.isEmpty ? nil : text
    }

    /// Vietnamese when the user's locale is (LANGUAGE, LC_ALL, LC_MESSAGES or LANG starting with vi).
    static func languageFromLocale() -> Language {
        for name in ["LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"] {
            if let value = environment(name) {
                return value.lowercased().hasPrefix("vi") ? .vi : .en
            }
        }
        return .en
    }
}

/// The interactive prompt: libedit for editing, history and completion; Ctrl-C clears the line
/// or cancels the running query; Ctrl-D on an empty line leaves.
struct REPL {
    let shell: Shell
    let paths: StatePaths
    let codeset: String

    func run() {
        // Safe mode writes no file, the history file included (history stays in memory).
        guard let editor = LineEditor(programName: "ansinh", historyPath: shell.safeMode ? nil : paths.history, historyLimit: 1000) else {
            write("ansinh: cannot start line editing; reading plain lines\n", to: .stderr)
            plainLoop()
            return
        }
        let session = shell.session
        let completer = Completer(session: session)
        var assembler = InputAssembler(prompt: true)
        editor.completer = { before in
            let completion = completer.complete(before, pending: assembler.pending)
            return LineEditor.Completion(replaceFrom: completion.replaceFrom, candidates: completion.candidates)
        }
        shell.confirm = { question in
            editor.prompt = question + " "
            if case .line(let answer) = editor.readLine() {
                return ["y", "yes", "c", "có", "co"].contains(answer.trimmingCharacters().lowercased())
            }
            return false
        }
        // Two short lines rather than one of 104 columns, which wrapped at 80.
        write(MessageID.bannerTitle.format(session.language, [Help.version]) + "\n" + MessageID.bannerHint.format(session.language, []) + "\n", to: .stdout)
        if let problem = editor.historyProblem {
            write(problem + "\n", to: .stderr)
            editor.historyProblem = nil
        }
        let color = session.settings.color
        let mainPrompt = color ? "\u{1}\u{1B}[1;32m\u{1}ansinh>\u{1}\u{1B}[0m\u{1} " : "ansinh> "
        let continuationPrompt = "   ...> "
        while !shell.shouldQuit {
            editor.prompt = assembler.isEmpty ? mainPrompt : continuationPrompt
            switch editor.readLine() {
            case .eof:
                write("\n", to: .stdout)
                for unit in assembler.endOfTypeahead() { run(unit, editor: editor) }
                return
            case .interrupted:
                assembler.reset()
                continue
            case .line(let typed):
                var lines = [typed]
                let pasted = editor.takePastedLines()
                lines += pasted
                // The rest of a paste is shown as if typed, so the screen holds the whole block.
                for line in pasted { write(continuationPrompt + line + "\n", to: .stdout) }
                // A line starting with `|` typed after a statement ran continues that statement,
                // as the next line of a script would (it runs again with the new stage).
                if assembler.isEmpty, let previous = lastStatement, typed.trimmingCharacters().hasPrefix("|") {
                    lines[0] = previous + "\n" + typed
                }
                var units: [InputAssembler.Unit] = []
                for line in lines { units += assembler.addScriptLine(line) }
                // A complete statement waits while more lines are already there (a paste without
                // paste marks, typing ahead): the next one may start with `|` and continue it.
                if !editor.hasPendingInput(milliseconds: 10) { units += assembler.endOfTypeahead() }
                for unit in units {
                    run(unit, editor: editor)
                    if shell.shouldQuit { break }
                }
            }
        }
        shell.finish()
    }

    /// Runs one unit typed or pasted at the prompt and records it in history.
    private func run(_ unit: InputAssembler.Unit, editor: LineEditor) {
        let session = shell.session
        switch unit {
        // `.connect URL` may carry a password: it is never written to the history file.
        case .command(let text, _) where Shell.mayHoldSecret(text): break
        case .command(let text, _): editor.addHistory(text)
        case .statement(let text, _):
            editor.addHistory(text)
            state.lastStatement = text
        }
        InterruptSignal.reset()
        // Read the width now, not before the prompt: a resize while typing counts for
        // this result. `.width N` stays until `.width auto`.
        if !session.settings.widthFixed { session.settings.width = TerminalSetup.width() }
        shell.run(unit)
        // `.safe on` typed at the prompt: nothing more goes to the history file.
        if shell.safeMode { editor.stopSavingHistory() }
        if let problem = editor.historyProblem {
            write(problem + "\n", to: .stderr)
            editor.historyProblem = nil
        }
    }

    /// What the prompt remembers between lines.
    final class State {
        /// The last statement run, which a line starting with `|` continues.
        var lastStatement: String?
    }
    let state = State()
    private var lastStatement: String? { state.lastStatement }

    /// When libedit cannot start on this terminal: plain lines, no editing.
    private func plainLoop() {
        var assembler = InputAssembler()
        while !shell.shouldQuit, let line = readLine(strippingNewline: true) {
            if let unit = assembler.addInteractive(line) {
                InterruptSignal.reset()
                shell.run(unit)
            }
        }
        shell.finish()
    }
}

extension String {
    func trimmingCharacters() -> String {
        var scalars = Substring(self).unicodeScalars
        while let first = scalars.first, first.properties.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.properties.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
