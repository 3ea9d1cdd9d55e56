import AnSinhCore
import CEditLine
import Glibc

/// An interactive line editor over libedit: prompt, emacs keys, completion and a shared history.
///
/// Create one only when `LineEditor.isInteractive` is true; with a pipe or file on either end the
/// shell should read plain lines with `Swift.readLine` instead (libedit would neither prompt nor
/// edit, and still depends on the locale). All calls must come from one thread.
///
/// Keys beyond libedit's emacs defaults: Tab completes through `completer`; ^C discards the line
/// (`readLine()` returns `.interrupted`); ^R searches history backwards; Ctrl-Left/Right and
/// Alt-Left/Right move by word; ^W deletes the previous word (libedit's default kills a region);
/// Home/End/Delete also in their tmux/rxvt spellings. `~/.editrc` (or `$EDITRC`) lines for
/// `programName` are read before these bindings, so a user may pick vi mode and keep them.
/// ^Z and ^\ do nothing while editing, because ISIG is off then; they work while a query runs.
nonisolated final class LineEditor {
    /// What one call of `readLine()` produced.
    enum ReadResult: Equatable {
        /// A line the user submitted with Enter, without the trailing newline. It can contain
        /// newlines when a multi-line history entry was recalled and submitted.
        case line(String)
        /// Ctrl-D on an empty line, or the terminal went away.
        case eof
        /// Ctrl-C (or a SIGINT from outside): the line was discarded. A SIGINT also counts in
        /// `InterruptSignal`, so reset that before running the next statement.
        case interrupted
    }

    /// The completer's answer for the text before the cursor.
    struct Completion: Equatable {
        /// Offset in Unicode scalars from the start of the text before the cursor where the text
        /// to be replaced starts; the range `replaceFrom ..< cursor` is replaced.
        var replaceFrom: Int
        /// Full replacement texts for that range; they need not start with the typed text.
        var candidates: [String]

        /// Creates a completion answer.
        init(replaceFrom: Int, candidates: [String]) {
            self.replaceFrom = replaceFrom
            self.candidates = candidates
        }
    }

    /// Whether both standard input and standard output are terminals, the only case in which
    /// a `LineEditor` may be created (with stdout piped libedit stops editing; see libedit.md §8).
    static var isInteractive: Bool { isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1 }

    /// The prompt, read again on every redraw so the caller can switch to a continuation prompt
    /// between reads. Wrap escape sequences (colours) in `"\u{1}"` so they are not counted as width.
    var prompt: String {
        didSet { promptBuffer = Self.makeWideBuffer(prompt, replacing: promptBuffer) }
    }

    /// Given the text before the cursor, returns what to replace and the candidates (see `Completion`).
    var completer: ((_ textBeforeCursor: String) -> Completion)?

    /// Maximum number of candidates shown in a completion listing; the rest are counted.
    var completionListLimit = 200

    /// A one-line description of a problem with the history file, for the caller to print once
    /// and then set to nil. Set by `init` (unreadable or damaged file) and by `addHistory` (the
    /// file could not be written; saving then stops for this session). History keeps working in
    /// memory either way.
    var historyProblem: String?

    /// The history in memory, oldest first: the file's entries at start plus this session's.
    private(set) var historyEntries: [String]

    /// Maximum number of entries kept, in memory and in the file.
    let historyLimit: Int

    private let editLine: OpaquePointer  // EditLine *
    private let libeditHistory: OpaquePointer  // HistoryW *, what Up/Down and ^R walk through
    private var promptBuffer: UnsafeMutablePointer<wchar_t>
    private var historyFile: HistoryFile?
    /// Entries not yet in the file because it was locked by another process when they were added.
    private var unsavedEntries: [String] = []
    private var reportedBusyHistory = false
    /// Set by the ^C key function so `readLine()` can tell a discarded line from a submitted one.
    private var interruptKeyPressed = false
    /// Keys read from the terminal but not yet handed to libedit, already composed to NFC.
    private var keyQueue: [wchar_t] = []
    private var keyQueueIndex = 0
    /// The start of a UTF-8 sequence whose other bytes have not arrived yet.
    private var undecodedBytes: [UInt8] = []
    /// The lines of a bracketed paste after the first, for the caller to run (`takePastedLines`).
    private var pastedLines: [String] = []
    /// Whether the terminal is asked to mark pastes (`ESC [200~` … `ESC [201~`) while editing.
    private let bracketedPaste: Bool

    /// Sets up libedit on the terminal, or returns nil when stdin or stdout is not a terminal or
    /// libedit cannot be initialised.
    ///
    /// - Parameters:
    ///   - programName: the name `~/.editrc` lines are matched against.
    ///   - historyPath: the history file; nil keeps history in memory only. Its folder is created
    ///     (mode 0700) on the first save. Problems reading it end up in `historyProblem`.
    ///   - historyLimit: the most entries kept; older ones are dropped.
    init?(programName: String, historyPath: String? = nil, historyLimit: Int = 1000) {
        guard Self.isInteractive else { return nil }
        // libedit fixes its character decoding in el_init; without a UTF-8 LC_CTYPE it drops
        // every non-ASCII key. Callers should have called configureLocale already; this only
        // repairs a forgotten call.
        if !TerminalSetup.localeIsUTF8 { _ = TerminalSetup.configureLocale() }
        guard let editLine = cedit_init(programName) else { return nil }
        guard let libeditHistory = history_winit() else {
            el_end(editLine)
            return nil
        }
        self.editLine = editLine
        self.libeditHistory = libeditHistory
        self.prompt = "> "
        self.promptBuffer = Self.makeWideBuffer("> ", replacing: nil)
        self.historyLimit = max(1, historyLimit)
        self.historyEntries = []
        let term = getenv("TERM").map { String(cString: $0) } ?? ""
        self.bracketedPaste = !term.isEmpty && term != "dumb"

        if let historyPath, !historyPath.isEmpty {
            let file = HistoryFile(path: historyPath, limit: self.historyLimit)
            let loaded = file.load()
            // NFC, so ^R with what is typed now (composed as it is read) finds entries that
            // older versions stored decomposed (macOS input, text copied from a PDF).
            historyEntries = Self.uniqued(loaded.entries.reversed().map { UnicodeText.nfc($0) }).reversed()
            historyProblem = loaded.problem
            historyFile = loaded.writable ? file : nil
        }
        cedit_hw_setsize(libeditHistory, Int32(clamping: self.historyLimit))
        reloadLibeditHistory()

        configureLibedit()
    }

    deinit {
        el_end(editLine)
        history_wend(libeditHistory)
        promptBuffer.deallocate()
    }

    /// Reads one line with editing; blocks until Enter, Ctrl-D on an empty line, or Ctrl-C.
    ///
    /// The terminal is in libedit's raw mode only during this call and back in its original
    /// mode when it returns, so a running query sees a normal terminal (and ^C raises SIGINT).
    func readLine() -> ReadResult {
        interruptKeyPressed = false
        pastedLines = []
        var count: Int32 = 0
        // el_wgets returns NULL with count -1 both for EINTR and for a terminal that went away
        // (read returned 0 or EIO); errno tells them apart, and only EINTR may loop again.
        if bracketedPaste { write("\u{1B}[?2004h") }
        errno = 0
        let line = el_wgets(editLine, &count)
        let readErrno = errno
        if bracketedPaste { write("\u{1B}[?2004l") }
        if interruptKeyPressed { return .interrupted }
        guard let line, count > 0 else {
            if count == -1 && readErrno == EINTR {
                // A signal from outside (kill -INT): libedit left the cursor after the
                // abandoned text and would draw the next prompt right behind it.
                write("\n")
                return .interrupted
            }
            // Ctrl-D: libedit echoed "^D" and left the cursor after it.
            if count == 0 { write("\n") }
            return .eof
        }
        var scalars = Self.scalars(line, count: Int(count))
        if scalars.last == "\n" { scalars.removeLast() }
        return .line(String(scalars))
    }

    /// The lines of a paste after the one `readLine()` returned (a paste that held newlines ends
    /// the line at its first newline); empty when the last read was not such a paste.
    func takePastedLines() -> [String] {
        defer { pastedLines = [] }
        return pastedLines
    }

    /// Whether more input is already waiting (typed ahead or pasted without paste marks), within
    /// `milliseconds`: a complete statement then waits to see whether the next line continues it.
    func hasPendingInput(milliseconds: Int32 = 0) -> Bool {
        keyQueueIndex < keyQueue.count || !undecodedBytes.isEmpty || Self.inputWaiting(milliseconds: milliseconds)
    }

    /// Keeps history in memory only from now on (safe mode writes no file).
    func stopSavingHistory() {
        historyFile = nil
    }

    /// Records a statement in history (in memory and in the file); multi-line text is one entry.
    ///
    /// An entry equal to an earlier one moves it to the end; blank entries are ignored; the
    /// oldest entries beyond `historyLimit` are dropped. The file is merged with what other
    /// shells wrote in the meantime (see `HistoryFile`).
    func addHistory(_ newEntry: String) {
        let entry = UnicodeText.nfc(newEntry)
        guard entry.unicodeScalars.contains(where: { !$0.properties.isWhitespace }) else { return }
        if let index = historyEntries.firstIndex(of: entry) {
            if index != historyEntries.index(before: historyEntries.endIndex) {
                historyEntries.remove(at: index)
                historyEntries.append(entry)
                reloadLibeditHistory()
            }
        } else {
            historyEntries.append(entry)
            if historyEntries.count > historyLimit {
                historyEntries.removeFirst(historyEntries.count - historyLimit)
            }
            // H_SETSIZE makes libedit drop its oldest entry by itself.
            Self.withWideString(entry) { _ = cedit_hw_enter(libeditHistory, $0) }
        }
        saveToFile(entry)
    }

    /// Prints text through libedit's output stream (flushed at once).
    func write(_ text: String) {
        cedit_write(editLine, text)
    }

    // MARK: - Set-up

    private func configureLibedit() {
        // C callbacks cannot capture; they find this object again through EL_CLIENTDATA.
        // Unretained is safe: el_end in deinit stops every callback before self goes away.
        cedit_set_clientdata(editLine, Unmanaged.passUnretained(self).toOpaque())
        cedit_set_editor(editLine, "emacs")
        // libedit installs its handlers only inside el_wgets: it restores the terminal before
        // SIGTSTP/SIGTERM/SIGHUP take effect, redraws after SIGCONT and follows SIGWINCH.
        cedit_set_signal(editLine, 1)
        cedit_set_wprompt_esc(editLine, { editLine in
            guard let editLine, let editor = LineEditor.from(editLine) else { return nil }
            return editor.promptBuffer
        }, 1)
        cedit_set_hist_w(editLine, libeditHistory)
        cedit_set_getcfn(editLine) { editLine, character in
            guard let editLine, let character, let editor = LineEditor.from(editLine) else { return -1 }
            return editor.nextKey(character)
        }

        _ = el_source(editLine, nil)  // user's ~/.editrc; missing is fine

        cedit_addfn(editLine, "ansinh-complete", "Complete the text before the cursor", { editLine, _ in
            guard let editLine, let editor = LineEditor.from(editLine) else { return UInt8(CC_ERROR) }
            return editor.completeAtCursor()
        })
        cedit_addfn(editLine, "ansinh-interrupt", "Discard the line (Ctrl-C)", { editLine, _ in
            guard let editLine, let editor = LineEditor.from(editLine) else { return UInt8(CC_ERROR) }
            return editor.discardLine()
        })
        cedit_bind(editLine, "^I", "ansinh-complete")
        // ISIG off in edit mode only: ^C arrives as a key instead of SIGINT, which avoids
        // libedit's signal path (unreliable, see libedit.md §7). In cooked mode, i.e. while a
        // query runs, ^C still raises SIGINT for InterruptSignal.
        cedit_setty(editLine, "-d", "-isig")
        cedit_bind(editLine, "^C", "ansinh-interrupt")
        cedit_addfn(editLine, "ansinh-paste", "Take a bracketed paste as whole lines", { editLine, _ in
            guard let editLine, let editor = LineEditor.from(editLine) else { return UInt8(CC_ERROR) }
            return editor.takePaste()
        })
        cedit_bind(editLine, "\\e[200~", "ansinh-paste")

        let bindings: [(key: String, command: String)] = [
            ("^R", "em-inc-search-prev"),
            ("^W", "ed-delete-prev-word"),
            ("\\e^?", "ed-delete-prev-word"),
            ("\\e[1;5D", "ed-prev-word"), ("\\e[1;5C", "em-next-word"),  // xterm Ctrl-Left/Right
            ("\\e[1;3D", "ed-prev-word"), ("\\e[1;3C", "em-next-word"),  // xterm Alt-Left/Right
            ("\\e[5D", "ed-prev-word"), ("\\e[5C", "em-next-word"),  // older xterm, screen
            ("\\eOd", "ed-prev-word"), ("\\eOc", "em-next-word"),  // rxvt
            ("\\e[1~", "ed-move-to-beg"), ("\\e[4~", "ed-move-to-end"),  // tmux, screen, linux
            ("\\e[7~", "ed-move-to-beg"), ("\\e[8~", "ed-move-to-end"),  // rxvt
            ("\\e[3~", "ed-delete-next-char"),
        ]
        for binding in bindings { cedit_bind(editLine, binding.key, binding.command) }
    }

    private static func from(_ editLine: OpaquePointer) -> LineEditor? {
        guard let raw = cedit_get_clientdata(editLine) else { return nil }
        return Unmanaged<LineEditor>.fromOpaque(raw).takeUnretainedValue()
    }

    // MARK: - Ctrl-C

    /// Shows `^C` after the line, then ends the line through libedit's own newline command,
    /// which moves below a wrapped line and resets the display properly.
    private func discardLine() -> UInt8 {
        guard let info = el_wline(editLine)?.pointee else { return UInt8(CC_ERROR) }
        interruptKeyPressed = true
        _ = el_cursor(editLine, Int32(info.lastchar - info.cursor))
        Self.withWideString("^C") { _ = el_winsertstr(editLine, $0) }
        el_push(editLine, "\n")
        return UInt8(CC_REFRESH)
    }

    // MARK: - Reading keys: NFC and pastes

    /// libedit's character source (EL_GETCFN): hands out the queued keys, reading more when it
    /// runs dry. 1 and a character, 0 at the end of input, -1 on an error or an outside SIGINT.
    private func nextKey(_ character: UnsafeMutablePointer<wchar_t>) -> Int32 {
        while keyQueueIndex >= keyQueue.count {
            switch readBurst() {
            case .read: continue
            case .endOfInput: return 0
            case .failed: return -1
            }
        }
        character.pointee = keyQueue[keyQueueIndex]
        keyQueueIndex += 1
        return 1
    }

    private enum BurstOutcome { case read, endOfInput, failed }

    /// Reads everything the terminal has ready, decodes it as UTF-8 and composes it to NFC.
    ///
    /// Decomposed Vietnamese (macOS input, text copied from a PDF: `a` + U+0302 + U+0301) would
    /// otherwise be edited one code point at a time by libedit: two Backspaces to delete `ấ`,
    /// marks shown apart from their letter after a mid-line edit, and ^R missing an entry typed
    /// composed. A letter and its marks arrive in one write, so a burst composes them whole; all
    /// bytes already waiting are read before composing, so a long paste is not cut between a
    /// letter and its mark. An unfinished UTF-8 sequence waits for its last bytes.
    private func readBurst() -> BurstOutcome {
        let interruptsBefore = InterruptSignal.count
        var chunk = [UInt8](repeating: 0, count: 4096)
        var readAny = false
        while true {
            let count = chunk.withUnsafeMutableBytes { buffer in Glibc.read(STDIN_FILENO, buffer.baseAddress, buffer.count) }
            if count < 0 {
                // SIGWINCH or SIGCONT: libedit's handler already redrew; read on. A SIGINT from
                // outside ends the read, as libedit's own reader would.
                if errno == EINTR, InterruptSignal.count == interruptsBefore { continue }
                if readAny { break }
                return .failed
            }
            if count == 0 {
                if readAny { break }
                return .endOfInput
            }
            undecodedBytes += chunk[0..<count]
            readAny = true
            if undecodedBytes.count > 1 << 20 || !Self.inputWaiting(milliseconds: 0) { break }
        }
        let complete = Self.completeUTF8Prefix(undecodedBytes)
        let text = String(decoding: undecodedBytes[..<complete], as: UTF8.self)
        undecodedBytes.removeFirst(complete)
        var queue = Array(keyQueue[keyQueueIndex...])
        queue += UnicodeText.nfc(text).unicodeScalars.map { wchar_t(bitPattern: $0.value) }
        keyQueue = queue
        keyQueueIndex = 0
        return .read
    }

    /// The length of `bytes` without an unfinished UTF-8 sequence at the end.
    static func completeUTF8Prefix(_ bytes: [UInt8]) -> Int {
        var index = bytes.count
        var continuations = 0
        while index > 0, continuations < 4 {
            let byte = bytes[index - 1]
            if byte & 0xC0 == 0x80 {
                index -= 1
                continuations += 1
                continue
            }
            guard byte >= 0xC0 else { return bytes.count }
            let length = byte >= 0xF0 ? 4 : (byte >= 0xE0 ? 3 : 2)
            return continuations + 1 >= length ? bytes.count : index - 1
        }
        return bytes.count
    }

    private static func inputWaiting(milliseconds: Int32) -> Bool {
        var descriptor = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, milliseconds) > 0
    }

    /// Bound to `ESC [200~`, the start of a bracketed paste: reads up to `ESC [201~`. Text
    /// without a newline is inserted at the cursor like typing (no key inside it acts: a Tab is
    /// a tab); text with newlines ends the line after its first line, and the other lines wait
    /// in `takePastedLines()` so the caller runs the block as a script: each statement once, a
    /// line starting with `|` continuing the one before.
    private func takePaste() -> UInt8 {
        let end: [wchar_t] = [0x1B, 0x5B, 0x32, 0x30, 0x31, 0x7E]  // ESC [201~
        var pasted: [wchar_t] = []
        var key: wchar_t = 0
        while el_wgetc(editLine, &key) == 1 {
            pasted.append(key)
            if pasted.count >= end.count, Array(pasted.suffix(end.count)) == end {
                pasted.removeLast(end.count)
                break
            }
        }
        var text = String(Self.scalars(pasted, count: pasted.count))
        text = text.replacingCRLF()
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.count > 1, lines.last?.isEmpty == true { lines.removeLast() }
        guard let first = lines.first else { return UInt8(CC_REFRESH) }
        // Control characters would be drawn as ^X and break the line's width; a tab becomes spaces.
        let visible = String(String.UnicodeScalarView(first.unicodeScalars.map { $0 == "\t" ? " " : $0 }.filter { $0.value >= 0x20 && $0.value != 0x7F }))
        if !visible.isEmpty { Self.withWideString(visible) { _ = el_winsertstr(editLine, $0) } }
        if lines.count > 1 || text.hasSuffix("\n") {
            pastedLines = Array(lines.dropFirst())
            _ = el_cursor(editLine, Int32(clamping: Int.max / 2))
            el_push(editLine, "\n")
        }
        return UInt8(CC_REFRESH)
    }

    // MARK: - Completion

    private func completeAtCursor() -> UInt8 {
        guard let completer, let info = el_wline(editLine)?.pointee else { return UInt8(CC_ERROR) }
        let before = Array(Self.scalars(info.buffer, count: info.cursor - info.buffer))
        let completion = completer(String(String.UnicodeScalarView(before)))
        let replaceFrom = min(max(completion.replaceFrom, 0), before.count)
        let typed = String(String.UnicodeScalarView(before[replaceFrom...]))
        let candidates = Self.uniqued(completion.candidates)

        switch Self.completionAction(typed: typed, candidates: candidates) {
        case .beep:
            return UInt8(CC_REFRESH_BEEP)
        case .replace(let replacement):
            replaceBeforeCursor(count: before.count - replaceFrom, typed: typed, with: replacement)
            return UInt8(CC_REFRESH)
        case .list:
            showListing(candidates, columns: TerminalSetup.width() ?? 80)
            return UInt8(CC_REDISPLAY)
        }
    }

    /// What Tab does with a set of candidates; separate from libedit so it can be unit-tested.
    enum CompletionAction: Equatable {
        case beep
        case replace(String)
        case list
    }

    /// Decides what Tab does: beep for none, replace for one (plus a space unless it ends in
    /// `( . " /`, after which the user goes on typing), insert a longer common prefix that
    /// extends the typed text, or else list the candidates.
    static func completionAction(typed: String, candidates: [String]) -> CompletionAction {
        guard let first = candidates.first else { return .beep }
        if candidates.count == 1 {
            let keepsTyping: Set<Character> = ["(", ".", "\"", "/"]
            if let last = first.last, keepsTyping.contains(last) { return .replace(first) }
            return .replace(first + " ")
        }
        let prefix = commonPrefix(candidates)
        if prefix.count > typed.count && prefix.hasPrefix(typed) { return .replace(prefix) }
        return .list
    }

    /// The longest common prefix in whole characters, so a combining mark is never split off.
    static func commonPrefix(_ strings: [String]) -> String {
        guard var prefix = strings.first.map(Array.init) else { return "" }
        for string in strings.dropFirst() {
            var length = 0
            for character in string {
                guard length < prefix.count, prefix[length] == character else { break }
                length += 1
            }
            prefix.removeSubrange(length...)
        }
        return String(prefix)
    }

    private func replaceBeforeCursor(count: Int, typed: String, with replacement: String) {
        if count > 0 { el_deletestr(editLine, Int32(clamping: count)) }
        guard !replacement.isEmpty else { return }
        let inserted = Self.withWideString(replacement) { el_winsertstr(editLine, $0) }
        if inserted != 0 && !typed.isEmpty {
            // The buffer could not grow: put back what the user had typed.
            Self.withWideString(typed) { _ = el_winsertstr(editLine, $0) }
        }
    }

    /// Prints the candidates in columns below the input, leaving the terminal cursor where
    /// libedit's CC_REDISPLAY expects it.
    ///
    /// CC_REDISPLAY first walks from libedit's idea of the cursor row down to the last input
    /// row and back up to row 0, clearing each; it does not know that we printed anything.
    /// So the listing starts below the last input row, and afterwards the cursor is moved down
    /// as many rows as the cursor was below the first input row; libedit's row 0 is then the
    /// row right after the listing and the listing stays intact, even for a wrapped input.
    private func showListing(_ candidates: [String], columns: Int) {
        let rows = inputRows(columns: columns)
        var text = String(repeating: "\n", count: rows.last - rows.cursor + 1)
        text += Self.columnLayout(candidates, width: columns, limit: completionListLimit)
        text += String(repeating: "\n", count: rows.cursor)
        write(text)
    }

    /// Rows (from 0, the prompt's first row) of the cursor and of the end of the input, the way
    /// libedit wraps them: a full row moves to the next one, a wide character that does not fit
    /// starts a new row, `\n` starts a new row, control characters show as `^X`, tabs go to the
    /// next multiple of 8.
    private func inputRows(columns: Int) -> (cursor: Int, last: Int) {
        guard let info = el_wline(editLine)?.pointee, columns > 0 else { return (0, 0) }
        var row = 0
        var column = 0
        func advance(by width: Int) {
            if column + width > columns {
                row += 1
                column = 0
            }
            column += width
            if column >= columns {
                row += 1
                column = 0
            }
        }
        for scalar in Self.visiblePromptScalars(prompt) { advance(by: Self.displayWidth(scalar)) }
        let total = info.lastchar - info.buffer
        let cursorOffset = info.cursor - info.buffer
        var cursorRow = row
        for offset in 0..<total {
            if offset == cursorOffset { cursorRow = row }
            let value = UInt32(bitPattern: info.buffer[offset])
            switch value {
            case 0x0A:
                row += 1
                column = 0
            case 0x09:
                advance(by: 8 - column % 8)
            case 0..<0x20, 0x7F:
                advance(by: 2)
            default:
                advance(by: Unicode.Scalar(value).map(Self.displayWidth) ?? 1)
            }
        }
        if cursorOffset >= total { cursorRow = row }
        return (cursorRow, row)
    }

    /// Lays out items in columns, filled top to bottom, each column as wide as its widest item
    /// plus two spaces, as many columns as fit in `width` display cells; every line ends in `\n`.
    static func columnLayout(_ items: [String], width: Int, limit: Int = .max) -> String {
        let shown = Array(items.prefix(max(1, limit)))
        guard !shown.isEmpty else { return "" }
        let widths = shown.map { displayWidth($0) }
        let gap = 2
        let cell = (widths.max() ?? 0) + gap
        let columnCount = max(1, min(shown.count, (width + gap) / cell))
        let rowCount = (shown.count + columnCount - 1) / columnCount
        var text = ""
        for row in 0..<rowCount {
            var line = ""
            for column in 0..<columnCount {
                let index = column * rowCount + row
                guard index < shown.count else { break }
                let isLast = column == columnCount - 1 || index + rowCount >= shown.count
                line += shown[index]
                if !isLast { line += String(repeating: " ", count: cell - widths[index]) }
            }
            text += line + "\n"
        }
        if items.count > shown.count {
            text += "… \(items.count - shown.count) more; type more to narrow them down\n"
        }
        return text
    }

    /// Terminal cells a string takes: combining marks 0, East Asian wide characters 2.
    static func displayWidth(_ text: some StringProtocol) -> Int {
        text.unicodeScalars.reduce(0) { $0 + displayWidth($1) }
    }

    private static func displayWidth(_ scalar: Unicode.Scalar) -> Int {
        // wcwidth follows LC_CTYPE, which configureLocale makes UTF-8; -1 means non-printable.
        max(0, Int(cedit_wcwidth(wchar_t(bitPattern: scalar.value))))
    }

    /// The prompt without the `\u{1}`-delimited escape sequences, i.e. what takes up space.
    static func visiblePromptScalars(_ prompt: String) -> [Unicode.Scalar] {
        var visible: [Unicode.Scalar] = []
        var inEscape = false
        for scalar in prompt.unicodeScalars {
            if scalar == "\u{1}" {
                inEscape.toggle()
            } else if !inEscape {
                visible.append(scalar)
            }
        }
        return visible
    }

    private static func uniqued(_ strings: [String]) -> [String] {
        var seen = Set<String>()
        return strings.filter { seen.insert($0).inserted }
    }

    // MARK: - History

    private func reloadLibeditHistory() {
        cedit_hw_clear(libeditHistory)
        for entry in historyEntries {
            Self.withWideString(entry) { _ = cedit_hw_enter(libeditHistory, $0) }
        }
    }

    private func saveToFile(_ entry: String) {
        guard let file = historyFile else { return }
        unsavedEntries.removeAll { $0 == entry }
        unsavedEntries.append(entry)
        switch file.append(unsavedEntries) {
        case .saved:
            unsavedEntries.removeAll()
            reportedBusyHistory = false
        case .busy(let message):
            // Another shell holds the lock for seconds (maybe stopped with ^Z mid-save): keep
            // the entries and try again with the next one, and say so only once.
            if !reportedBusyHistory { historyProblem = message }
            reportedBusyHistory = true
        case .failed(let message):
            historyProblem = message
            historyFile = nil
        }
    }

    // MARK: - Wide strings (wchar_t is a UTF-32 code unit on Linux)

    private static func scalars(_ wide: [wchar_t], count: Int) -> String.UnicodeScalarView {
        wide.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return String.UnicodeScalarView() }
            return scalars(base, count: min(count, buffer.count))
        }
    }

    private static func scalars(_ pointer: UnsafePointer<wchar_t>, count: Int) -> String.UnicodeScalarView {
        var scalars = String.UnicodeScalarView()
        for index in 0..<max(0, count) {
            if let scalar = Unicode.Scalar(UInt32(bitPattern: pointer[index])) { scalars.append(scalar) }
        }
        return scalars
    }

    private static func withWideString<Result>(_ text: String, _ body: (UnsafePointer<wchar_t>) -> Result) -> Result {
        var wide = text.unicodeScalars.map { wchar_t(bitPattern: $0.value) }
        wide.append(0)
        return wide.withUnsafeBufferPointer { buffer in
            // A non-empty Array's buffer always has a base address.
            guard let base = buffer.baseAddress else { return body([0]) }
            return body(base)
        }
    }

    /// A NUL-terminated heap copy for libedit to read; the prompt callback returns it, so it
    /// must outlive the call, unlike a temporary from `withWideString`.
    private static func makeWideBuffer(_ text: String, replacing old: UnsafeMutablePointer<wchar_t>?) -> UnsafeMutablePointer<wchar_t> {
        old?.deallocate()
        var wide = text.unicodeScalars.map { wchar_t(bitPattern: $0.value) }
        wide.append(0)
        let buffer = UnsafeMutablePointer<wchar_t>.allocate(capacity: wide.count)
        buffer.initialize(from: wide, count: wide.count)
        return buffer
    }
}

// MARK: - History file

extension LineEditor {
    /// The history file shared by every ansinh process of a user, written so that neither
    /// concurrent shells nor a crash in the middle of a save can lose or damage it.
    ///
    /// Format (UTF-8 text; libedit's own H_SAVE is not used because it writes in place, keeps only
    /// the last writer's entries and drops non-ASCII under the C locale):
    ///
    ///     #ansinh-history v1
    ///     from facts | take 3
    ///     from facts\n| where district ~ "Thanh Xuân"
    ///
    /// The first line is exactly `#ansinh-history v1`. Every further line is one entry, oldest first.
    /// Inside an entry `\` is written `\\`, a newline `\n`, a carriage return `\r`, a tab `\t`, and
    /// any other control character U+0000–U+001F or U+007F as `\xHH` (two hex digits); everything else
    /// is stored as is. Reading skips lines that are not valid UTF-8 or hold an unknown escape and
    /// reports how many; a file whose first line is not the header is left alone and not written.
    /// An empty file is an empty history.
    ///
    /// Saving, each time an entry is added: take an exclusive `flock` on `<path>.lock` (a separate
    /// file that is never replaced, so every process locks the same inode), re-read the file, merge
    /// (remove equal entries, append the new ones, keep the newest `limit`), write `<path>.tmp` (only
    /// the lock holder touches it), fsync it, rename it over `<path>`, fsync the folder, unlock.
    /// Readers need no lock: `rename` swaps the whole file at once, so a `kill -9` at any moment
    /// leaves either the old or the new file, and the kernel drops the dead process's lock.
    nonisolated struct HistoryFile {
        /// The file's path; a symbolic link is followed once at creation so saving replaces the target.
        let path: String
        /// Maximum number of entries kept.
        let limit: Int

        static let header = "#ansinh-history v1"

        /// What a save did.
        enum SaveOutcome: Equatable {
            case saved
            /// The lock stayed taken for `lockTimeout`; the caller keeps the entries for the next save.
            case busy(String)
            /// Saving cannot work (unreadable, damaged, not writable): give up for this session.
            case failed(String)
        }

        /// How long a save waits for another process's lock.
        var lockTimeoutMilliseconds = 3000

        /// Describes a history file at `path` (nothing is read or created yet).
        init(path: String, limit: Int) {
            self.path = Self.resolvingSymlink(path)
            self.limit = max(1, limit)
        }

        /// Reads the file: its decodable entries (newest `limit`), a problem to report, and whether
        /// it is safe to save (false when the file exists but cannot be read or has a bad header).
        func load() -> (entries: [String], problem: String?, writable: Bool) {
            switch Self.readFile(path) {
            case .missing:
                return ([], nil, true)
            case .failure(let reason):
                return ([], "cannot read history file \(path): \(reason); history will not be saved", false)
            case .contents(let bytes):
                guard let decoded = Self.decode(bytes) else {
                    return ([], "history file \(path) is not an ansinh history file; it is left alone and history will not be saved", false)
                }
                let entries = Array(decoded.entries.suffix(limit))
                guard decoded.skipped > 0 else { return (entries, nil, true) }
                let noun = decoded.skipped == 1 ? "entry" : "entries"
                return (entries, "history file \(path): skipped \(decoded.skipped) damaged \(noun)", true)
            }
        }

        /// Adds entries to the file under the lock, merged with what other processes wrote.
        func append(_ newEntries: [String]) -> SaveOutcome {
            // Entries typed under a non-UTF-8 locale have already lost their non-ASCII letters
            // (libedit drops them), and would overwrite the good copies: save nothing then.
            guard TerminalSetup.localeIsUTF8 else {
                return .failed("history is not saved: the locale's character set is \(TerminalSetup.codeset), not UTF-8")
            }
            let folder = Self.parentFolder(of: path)
            if let problem = Self.makeFolder(folder) {
                return .failed("cannot create history folder \(folder): \(problem); history will not be saved")
            }
            let lockDescriptor = open(path + ".lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
            guard lockDescriptor >= 0 else {
                return .failed("cannot open history lock \(path).lock: \(Self.describeErrno()); history will not be saved")
            }
            defer { close(lockDescriptor) }  // closing also releases the flock
            guard lock(lockDescriptor) else {
                return .busy("history file \(path) is locked by another ansinh; entries are kept and saved later")
            }

            var merged: [String]
            switch Self.readFile(path) {
            case .missing:
                merged = []
            case .failure(let reason):
                return .failed("cannot read history file \(path): \(reason); history will not be saved")
            case .contents(let bytes):
                guard let decoded = Self.decode(bytes) else {
                    return .failed("history file \(path) is not an ansinh history file; it is left alone and history will not be saved")
                }
                merged = decoded.entries
            }
            for entry in newEntries {
                merged.removeAll { $0 == entry }
                merged.append(entry)
            }
            if merged.count > limit { merged.removeFirst(merged.count - limit) }

            if let problem = Self.replaceFile(path, with: Self.encode(merged), folder: folder) {
                return .failed("cannot write history file \(path): \(problem); history will not be saved")
            }
            return .saved
        }

        private func lock(_ descriptor: Int32) -> Bool {
            var waited = 0
            while true {
                if flock(descriptor, LOCK_EX | LOCK_NB) == 0 { return true }
                let error = errno
                guard error == EWOULDBLOCK || error == EINTR else { return false }
                guard waited < lockTimeoutMilliseconds else { return false }
                usleep(5_000)
                waited += 5
            }
        }

        // MARK: Encoding

        /// The whole file for these entries, header included.
        static func encode(_ entries: [String]) -> [UInt8] {
            let hexDigits = Array("0123456789abcdef".utf8)
            var bytes = Array(header.utf8)
            bytes.append(0x0A)
            bytes.reserveCapacity(entries.reduce(bytes.count) { $0 + $1.utf8.count + 1 })
            for entry in entries {
                // Byte-wise is enough: every byte to escape is ASCII, and UTF-8 continuation
                // bytes are all >= 0x80.
                for byte in entry.utf8 {
                    switch byte {
                    case 0x5C: bytes += [0x5C, 0x5C]  // \
                    case 0x0A: bytes += [0x5C, 0x6E]  // 

                    case 0x0D: bytes += [0x5C, 0x72]  // 
                    case 0x09: bytes += [0x5C, 0x74]  // 	
                    case 0..<0x20, 0x7F: bytes += [0x5C, 0x78, hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0xF)]]
                    default: bytes.append(byte)
                    }
                }
                bytes.append(0x0A)
            }
            return bytes
        }

        /// The entries of a file and how many lines could not be decoded; nil when the header is
        /// wrong. Duplicates keep their last occurrence.
        static func decode(_ bytes: [UInt8]) -> (entries: [String], skipped: Int)? {
            if bytes.isEmpty { return ([], 0) }
            let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
            guard let first = lines.first, first.elementsEqual(header.utf8) else { return nil }
            var decoded: [[UInt8]] = []
            var skipped = 0
            for line in lines.dropFirst() where !line.isEmpty {
                guard let entry = unescape(line) else {
                    skipped += 1
                    continue
                }
                decoded.append(entry)
            }
            // Keep the last of equal entries; comparing bytes is much cheaper than hashing Strings.
            var seen = Set<[UInt8]>()
            var entries: [String] = []
            for entry in decoded.reversed() where seen.insert(entry).inserted {
                guard let text = String(validating: entry, as: UTF8.self) else {
                    skipped += 1
                    continue
                }
                entries.append(text)
            }
            return (entries.reversed(), skipped)
        }

        /// The raw bytes of one stored entry, or nil for an unknown escape or a lone backslash.
        private static func unescape(_ line: ArraySlice<UInt8>) -> [UInt8]? {
            guard line.contains(0x5C) else { return Array(line) }
            var result: [UInt8] = []
            result.reserveCapacity(line.count)
            var index = line.startIndex
            while index < line.endIndex {
                let byte = line[index]
                index += 1
                guard byte == 0x5C else {
                    result.append(byte)
                    continue
                }
                guard index < line.endIndex else { return nil }
                let escape = line[index]
                index += 1
                switch escape {
                case 0x5C: result.append(0x5C)
                case 0x6E: result.append(0x0A)
                case 0x72: result.append(0x0D)
                case 0x74: result.append(0x09)
                case 0x78:
                    guard line.endIndex - index >= 2, let high = hexValue(line[index]), let low = hexValue(line[index + 1]) else { return nil }
                    result.append(high << 4 | low)
                    index += 2
                default:
                    return nil
                }
            }
            return result
        }

        private static func hexValue(_ byte: UInt8) -> UInt8? {
            switch byte {
            case 0x30...0x39: byte - 0x30
            case 0x61...0x66: byte - 0x61 + 10
            case 0x41...0x46: byte - 0x41 + 10
            default: nil
            }
        }

        // MARK: File system

        private enum FileContents {
            case missing
            case contents([UInt8])
            case failure(String)
        }

        private static func readFile(_ path: String) -> FileContents {
            let descriptor = open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else {
                return errno == ENOENT ? .missing : .failure(describeErrno())
            }
            defer { close(descriptor) }
            var status = stat()
            if fstat(descriptor, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR {
                return .failure("it is a directory")
            }
            var bytes: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
                if count == 0 { break }
                if count < 0 {
                    if errno == EINTR { continue }
                    return .failure(describeErrno())
                }
                bytes += chunk[0..<count]
            }
            return .contents(bytes)
        }

        /// Writes `<path>.tmp`, fsyncs it and renames it over `path`; returns a problem or nil.
        private static func replaceFile(_ path: String, with bytes: [UInt8], folder: String) -> String? {
            let temporary = path + ".tmp"
            let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o600)
            guard descriptor >= 0 else { return describeErrno() }
            var problem: String?
            var written = 0
            while written < bytes.count {
                let count = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress.map { $0 + written }, bytes.count - written) }
                if count < 0 {
                    if errno == EINTR { continue }
                    problem = describeErrno()
                    break
                }
                written += count
            }
            if problem == nil && fsync(descriptor) != 0 { problem = describeErrno() }
            if close(descriptor) != 0 && problem == nil { problem = describeErrno() }
            if problem == nil && rename(temporary, path) != 0 { problem = describeErrno() }
            if let problem {
                unlink(temporary)
                return problem
            }
            // Make the rename itself durable; failing here loses nothing already written.
            let folderDescriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            if folderDescriptor >= 0 {
                fsync(folderDescriptor)
                close(folderDescriptor)
            }
            return nil
        }

        /// Creates `folder` and its missing parents with mode 0700; returns a problem or nil.
        private static func makeFolder(_ folder: String) -> String? {
            var status = stat()
            if stat(folder, &status) == 0 {
                return (status.st_mode & S_IFMT) == S_IFDIR ? nil : "it is not a directory"
            }
            let parent = parentFolder(of: folder)
            if parent != folder, let problem = makeFolder(parent) { return problem }
            if mkdir(folder, 0o700) != 0 && errno != EEXIST { return describeErrno() }
            return nil
        }

        static func parentFolder(of path: String) -> String {
            var scalars = Array(path.unicodeScalars)
            while scalars.count > 1 && scalars.last == "/" { scalars.removeLast() }
            guard let slash = scalars.lastIndex(of: "/") else { return "." }
            if slash == 0 { return "/" }
            var parent = String.UnicodeScalarView()
            parent.append(contentsOf: scalars[..<slash])
            return String(parent)
        }

        private static func resolvingSymlink(_ path: String) -> String {
            var status = stat()
            guard lstat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFLNK,
                let resolved = realpath(path, nil)
            else { return path }
            defer { free(resolved) }
            return String(cString: resolved)
        }

        private static func describeErrno() -> String {
            String(cString: strerror(errno))
        }
    }
}

extension String {
    /// `\r\n` and lone `\r` (what a terminal sends for Enter) as `\n`.
    func replacingCRLF() -> String {
        var scalars = String.UnicodeScalarView()
        var previousWasCR = false
        for scalar in unicodeScalars {
            if scalar == "\r" {
                scalars.append("\n")
                previousWasCR = true
                continue
            }
            if scalar == "\n", previousWasCR {
                previousWasCR = false
                continue
            }
            previousWasCR = false
            scalars.append(scalar)
        }
        return String(scalars)
    }
}
