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
        var assembler = InputAssembler()
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
        let vi = session.language == .vi
        write(vi ? "ansinh \(Help.version) — số liệu an sinh xã hội của 4 quận, huyện (5 bài báo). Gõ .help, .tutorial; Ctrl-D để thoát.\n"
                 : "ansinh \(Help.version) — social-welfare figures of 4 districts (5 articles). Type .help or .tutorial; Ctrl-D to quit.\n", to: .stdout)
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
                return
            case .interrupted:
                assembler.reset()
                continue
            case .line(let line):
                guard let unit = assembler.addInteractive(line) else { continue }
                switch unit {
                // `.connect URL` may carry a password: it is never written to the history file.
                case .command(let text, _) where Shell.mayHoldSecret(text): break
                case .command(let text, _): editor.addHistory(text)
                case .statement(let text, _): editor.addHistory(text)
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
        }
        shell.finish()
    }

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
