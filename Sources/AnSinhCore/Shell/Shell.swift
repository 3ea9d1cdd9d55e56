#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs what a person types or a script holds: statements and dot-commands.
///
/// The shell decides what to say and where (results vs messages); the executable supplies
/// the streams, the terminal facts and, at the prompt, a way to ask yes/no questions.
public final class Shell {
    public let session: Session
    /// Results: stdout unless `.output` redirects them.
    public var writeOut: (String) -> Void
    /// Messages and errors: stderr.
    public var writeErr: (String) -> Void
    /// Asks the user a yes/no question (interactive only); nil answers no.
    public var confirm: ((String) -> Bool)?
    /// True at the prompt: a few confirmations are printed that would clutter script output.
    public var interactive = false
    public var timer = false
    /// No file writes, no imports outside the current folder (sqlite3's -safe).
    public private(set) var safeMode = false
    /// Which files may be read: any, or in safe mode only regular files of the current folder.
    public private(set) var fileAccess = FileAccess.unrestricted
    /// `--allow-connect`: `.connect` works in safe mode too.
    public var allowConnect = false
    /// Guard exported CSV cells against formula injection.
    public var excelSafe = false
    /// Overwrite existing files without asking (`--force`).
    public var forceOverwrite = false
    /// Errors reported so far (a script's exit code depends on it).
    public private(set) var errorCount = 0
    public private(set) var shouldQuit = false
    /// Lessons are parsed on first use: most sessions never open the tutorial.
    public var tutorial: Tutorial {
        if let tutorialStorage { return tutorialStorage }
        let tutorial = Tutorial(statePath: tutorialStatePath, extraLessonFolder: lessonFolder, access: fileAccess)
        tutorial.persist = !safeMode
        tutorialStorage = tutorial
        return tutorial
    }
    private var tutorialStorage: Tutorial?
    private var tutorialStarted: Bool { tutorialStorage != nil }
    private let tutorialStatePath: String?
    private let lessonFolder: String?

    private var outputFile: AtomicFileWriter?
    /// `.once FILE`: the output file is closed after the next result.
    private var outputIsOnce = false
    /// The report being collected (`.report FILE`, `--report FILE`): every result shown is added.
    var report: ReportCollector?
    private var readDepth = 0

    public init(session: Session, writeOut: @escaping (String) -> Void, writeErr: @escaping (String) -> Void,
                tutorialStatePath: String? = nil, lessonFolder: String? = nil) {
        self.session = session
        self.writeOut = writeOut
        self.writeErr = writeErr
        self.tutorialStatePath = tutorialStatePath
        self.lessonFolder = lessonFolder
    }

    /// Stop after this unit (`.quit`).
    public func quit() { shouldQuit = true }

    /// From now on: no file is written, and only regular files of the current folder (as it is
    /// now) are read. A `.output` file opened before is closed with what it holds: nothing more
    /// is written to it.
    public func enableSafeMode() {
        if let outputFile {
            self.outputFile = nil
            session.settings.excelSafe = false
            do { try outputFile.commit() } catch { report(error, source: nil) }
            message(.safeModeOutputClosed, [outputFile.path])
        }
        fileAccess = .currentFolder()
        safeMode = true
        tutorialStorage?.persist = false
    }

    /// Results go here: the `.output` file or stdout.
    func emit(_ text: String) {
        if let outputFile { outputFile.write(text) } else { writeOut(text) }
    }

    /// Help, schemas and other prose: wrapped at the terminal width, at words.
    func emitProse(_ text: String) {
        emit(UnicodeText.wrap(text, width: session.settings.width))
    }

    func report(_ diagnostic: Diagnostic, source: SourceFile?) {
        errorCount += 1
        writeErr(DiagnosticRenderer.render(diagnostic, in: source, language: session.language) + "\n")
    }

    func message(_ id: MessageID, _ arguments: [String] = []) {
        writeErr(id.format(session.language, arguments) + "\n")
    }

    // MARK: - Units

    /// Runs one unit: a dot-command line or a complete statement. Returns false on error.
    @discardableResult
    public func run(_ unit: InputAssembler.Unit, fileName: String? = nil) -> Bool {
        let before = errorCount
        switch unit {
        case .command(let line, let lineNumber):
            runCommand(line, source: SourceFile(name: fileName, text: line, firstLine: lineNumber))
        case .statement(let text, let firstLine):
            if tutorialStarted, tutorial.isActive, fileName == nil {
                runTutorialAnswer(text, firstLine: firstLine)
            } else {
                runStatement(SourceFile(name: fileName, text: text, firstLine: firstLine))
            }
        }
        return errorCount == before
    }

    /// Runs a whole script text. Stops at the first error unless `keepGoing`.
    @discardableResult
    public func runScript(_ text: String, fileName: String?, keepGoing: Bool) -> Bool {
        let before = errorCount
        // Windows editors save UTF-8 with a byte-order mark; it is not part of the first line.
        let text = text.hasPrefix("\u{FEFF}") ? String(text.unicodeScalars.dropFirst()) : text
        for unit in InputAssembler.units(of: text) {
            if shouldQuit { break }
            // ^C stops the whole script, --keep-going or not: the user asked it to stop.
            if session.cancellation.isCancelled() { return false }
            if !run(unit, fileName: fileName), !keepGoing || session.cancellation.isCancelled() {
                return false
            }
        }
        return errorCount == before
    }

    /// Runs the statements of `source`, showing each result as it comes: with several statements
    /// on one line, those before an error are still shown. `display` is the text messages quote
    /// when it differs from what was parsed (`.explain` parses `explain …` under the command).
    func runStatement(_ source: SourceFile, display: SourceFile? = nil) {
        let started = Stopwatch()
        do {
            try session.run(source) { outcome in show(outcome) }
        } catch {
            for diagnostic in error.diagnostics { report(diagnostic, source: display ?? source) }
        }
        if timer { emit(started.line(session.language) + "\n") }
    }

    func show(_ outcome: Session.Outcome) {
        switch outcome {
        case .result(let result, let rendered):
            emit(rendered.body)
            showNotes(rendered.notes)
            report?.add(result, statement: session.lastStatementText, catalog: session.catalog)
            closeOnceOutput()
        case .defined(let name, let table):
            if interactive {
                writeErr(MessageID.letDefined.format(session.language, [name, String(table.rowCount), String(table.visibleColumnIndices.count)]) + "\n")
            }
        case .explanation(let lines, let table):
            // csv/tsv/json/jsonl stay data: one row per step.
            if session.settings.mode.isMachineReadable {
                emit(TableRenderer(settings: session.settings).render(table))
            } else {
                emit(lines.joined(separator: "\n") + "\n")
            }
            closeOnceOutput()
        }
    }

    func showNotes(_ notes: [String]) {
        guard !notes.isEmpty else { return }
        let text = notes.joined(separator: "\n") + "\n"
        if session.settings.mode.isMachineReadable { writeErr(text) } else { emit(UnicodeText.wrap(text, width: session.settings.width)) }
    }

    // MARK: - Dot-commands

    /// Splits command arguments on spaces, keeping "quoted parts" together.
    static func splitArguments(_ text: String) -> [String] {
        var arguments: [String] = []
        var current = ""
        var quote: Character?
        var hasToken = false
        for character in text {
            if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
            } else if character == "\"" || character == "'" {
                quote = character
                hasToken = true
            } else if character == " " || character == "\t" {
                if hasToken || !current.isEmpty { arguments.append(current) }
                current = ""
                hasToken = false
            } else {
                current.append(character)
                hasToken = true
            }
        }
        if hasToken || !current.isEmpty { arguments.append(current) }
        return arguments
    }

    func runCommand(_ line: String, source: SourceFile) {
        let trimmed = line.trimmingSpaces()
        if let (offset, scalar) = Shell.firstControlCharacter(trimmed) {
            let width = String(scalar).utf8.count
            report(Diagnostic(.syntax, .controlCharacter, [UnicodeText.codePoint(scalar.value)], at: SourceRange(offset, offset + width)),
                   source: SourceFile(name: source.name, text: trimmed, firstLine: source.firstLine))
            return
        }
        let nameEnd = trimmed.firstIndex(where: { $0 == " " || $0 == "\t" }) ?? trimmed.endIndex
        let name = String(trimmed[trimmed.index(after: trimmed.startIndex)..<nameEnd]).lowercased()
        let rest = String(trimmed[nameEnd...]).trimmingSpaces()
        guard let command = ShellCommands.find(name) else {
            let names = ShellCommands.all.flatMap { [$0.name] + $0.aliases }
            let suggestions = UnicodeText.suggestions(for: name, among: names).map { "." + $0 }
            let nameLength = trimmed[..<nameEnd].utf8.count
            report(Diagnostic(.usage, .unknownCommand, ["." + name], at: SourceRange(0, nameLength), suggestions: suggestions,
                              notes: suggestions.isEmpty ? [.init(.seeHelp)] : []), source: SourceFile(name: source.name, text: trimmed, firstLine: source.firstLine))
            return
        }
        let started = Stopwatch()
        do {
            try command.run(self, CommandArguments(raw: rest, words: Shell.splitArguments(rest), source: source))
        } catch {
            var diagnostic = error
            if diagnostic.kind == .usage, diagnostic.message == .commandUsage, diagnostic.arguments.isEmpty {
                diagnostic.arguments = [command.usage]
            }
            if diagnostic.range == nil {
                // Point at the arguments (at the name when there are none), so that a message
                // from line 40 of a script says line 40.
                diagnostic.range = Shell.commandRange(source.text, argumentBytes: rest.utf8.count)
            }
            report(diagnostic, source: source)
        }
        if timer, command.timed { emit(started.line(session.language) + "\n") }
    }

    // MARK: - Helpers used by commands

    /// Where a dot-command's arguments are in its line (its name when it has none).
    static func commandRange(_ line: String, argumentBytes: Int) -> SourceRange {
        let bytes = Array(line.utf8)
        var end = bytes.count
        while end > 0, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 || bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D { end -= 1 }
        if argumentBytes > 0 { return SourceRange(max(0, end - argumentBytes), end) }
        var start = 0
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
        return SourceRange(start, end)
    }

    /// The first control character (other than a tab) in a command line, with its UTF-8 offset.
    static func firstControlCharacter(_ line: String) -> (Int, Unicode.Scalar)? {
        var offset = 0
        for scalar in line.unicodeScalars {
            if (scalar.value < 0x20 && scalar != "\t") || (0x7F...0x9F).contains(scalar.value) { return (offset, scalar) }
            offset += String(scalar).utf8.count
        }
        return nil
    }

    /// `tail`, the end of the command line `line`, as a source whose offsets are those of the
    /// whole line (everything before it blanked out, `keyword` placed just before it), so a
    /// message about the pipeline of `.sql` or `.explain` points where the user typed.
    static func tailSource(_ tail: String, of line: SourceFile, keyword: String = "") -> SourceFile {
        let full = Array(line.text.utf8)
        let tailBytes = Array(tail.utf8)
        var start = full.count - tailBytes.count
        while start >= 0, !full[start...].starts(with: tailBytes) { start -= 1 }
        guard start > keyword.utf8.count else {
            return SourceFile(name: line.name, text: keyword.isEmpty ? tail : keyword + " " + tail, firstLine: line.firstLine)
        }
        var bytes = [UInt8](repeating: 0x20, count: start)
        bytes.replaceSubrange((start - 1 - keyword.utf8.count)..<(start - 1), with: Array(keyword.utf8))
        return SourceFile(name: line.name, text: String(decoding: bytes + full[start...], as: UTF8.self), firstLine: line.firstLine)
    }

    func setOutput(_ path: String?, force: Bool, once: Bool = false) throws(Diagnostic) {
        outputIsOnce = false
        if let outputFile {
            session.settings.excelSafe = false
            self.outputFile = nil
            try outputFile.commit()
            message(.outputClosed, [outputFile.path])
        }
        guard let path else {
            return
        }
        if safeMode { throw Diagnostic(.usage, .safeModeBlocked, [".output FILE"]) }
        guard let overwrite = try mayOverwrite(path, force: force) else {
            message(.nothingWritten, [path])
            return
        }
        outputFile = try AtomicFileWriter(path: path, overwrite: overwrite)
        outputIsOnce = once
        // Like .export: a csv/tsv file written by .output is guarded too (stdout stays raw).
        session.settings.excelSafe = excelSafe
        message(.outputTo, [path])
    }

    /// Whether an existing file may be replaced: --force, or a yes at the prompt. Nil when the
    /// person at the prompt answered no: nothing is to be written, and that is not an error.
    func mayOverwrite(_ path: String, force: Bool) throws(Diagnostic) -> Bool? {
        if force || forceOverwrite { return true }
        guard AtomicFileWriter.wouldReplaceFile(path) else { return false }
        if let confirm {
            return confirm(MessageID.fileExistsReplace.format(session.language, [path])) ? true : nil
        }
        throw Diagnostic(.io, .fileExists, [path])
    }

    /// After the result a `.once FILE` was for: the file is written and results go to the screen again.
    private func closeOnceOutput() {
        guard outputIsOnce else { return }
        do { try setOutput(nil, force: false) } catch { report(error, source: nil) }
    }

    /// Closes a pending `.output` file (at exit): results written so far are kept.
    public func finish() {
        if let outputFile {
            self.outputFile = nil
            session.settings.excelSafe = false
            do { try outputFile.commit() } catch { report(error, source: nil) }
        }
    }

    /// Abandons a pending `.output` file (a failed script must not leave a partial file).
    public func abandonOutput() {
        outputFile?.discard()
        outputFile = nil
        session.settings.excelSafe = false
    }

    func readScript(_ path: String) throws(Diagnostic) {
        if readDepth >= 16 { throw Diagnostic(.usage, .readDepthExceeded, ["16"]) }
        let text = try TextFile.read(path, access: fileAccess, command: ".read")
        readDepth += 1
        defer { readDepth -= 1 }
        runScript(text, fileName: path, keepGoing: false)
    }

    func importFile(_ path: String, as requestedName: String?, options: CSVOptions = CSVOptions()) throws(Diagnostic) {
        let name = requestedName ?? Shell.tableName(fromPath: path)
        if session.catalog.builtinNames.contains(name) { throw Diagnostic(.name, .letShadowsBuiltin, [name]) }
        let loaded = try CSVImporter.load(path: path, name: name, options: options, limits: session.limits, access: fileAccess, cancellation: session.cancellation)
        for note in loaded.notes { writeErr(MessageID.labelNote.format(session.language, []) + ": " + note.message.format(session.language, note.arguments) + "\n") }
        if let earlier = session.catalog[name] {
            // Like `let`, an import replaces a table of the same name; it says so.
            writeErr(MessageID.labelNote.format(session.language, []) + ": " + MessageID.tableReplaced.format(session.language, [name, String(earlier.rowCount)]) + "\n")
        }
        session.defineTable(loaded.table)
        let types = loaded.table.fields.filter { !$0.isHidden }.map { "\($0.name) \($0.type.display)" }.joined(separator: ", ")
        message(.importedTable, [String(loaded.table.rowCount), name, types])
    }

    /// `data/Hộ nghèo 2024.csv` → `ho_ngheo_2024`.
    static func tableName(fromPath path: String) -> String {
        var base = path.split(separator: "/").last.map(String.init) ?? path
        if let dot = base.lastIndex(of: "."), dot != base.startIndex { base = String(base[..<dot]) }
        var name = ""
        for scalar in UnicodeText.fold(base).unicodeScalars {
            let isWordCharacter = (scalar.value >= 0x61 && scalar.value <= 0x7A) || (scalar.value >= 0x30 && scalar.value <= 0x39) || scalar == "_"
            name.unicodeScalars.append(isWordCharacter ? scalar : "_")
        }
        while name.contains("__") { name = name.replacing("__", with: "_") }
        name = String(name.trimmingPrefix("_"))
        while name.hasSuffix("_") { name.removeLast() }
        if name.isEmpty || name.first?.isNumber == true { name = "t_" + name }
        return name
    }

    func export(_ path: String, force: Bool) throws(Diagnostic) {
        if safeMode { throw Diagnostic(.usage, .safeModeBlocked, [".export"]) }
        guard let result = session.lastResult else { throw Diagnostic(.usage, .noLastResult) }
        var settings = session.settings
        settings.maxRows = nil
        settings.color = false
        settings.width = nil
        guard let mode = Shell.exportMode(path) else {
            throw Diagnostic(.usage, .exportUnknownExtension, [path, Shell.exportExtensions.map(\.0).joined(separator: " ")])
        }
        settings.mode = mode
        var renderer = TableRenderer(settings: settings)
        renderer.excelSafe = excelSafe
        let text = ExportWriter(renderer: renderer, lessonTitle: session.lessonTitle).text(of: result)
        guard let overwrite = try mayOverwrite(path, force: force) else {
            message(.nothingWritten, [path])
            return
        }
        try AtomicFileWriter.write(text, to: path, overwrite: overwrite)
        message(.exportedRows, [String(result.table.rowCount), path])
        if mode == .csv || mode == .tsv, result.chart == nil, AtomicFileWriter.existing(path) != .deviceOrPipe {
            // Beside the file, what it is: columns, units, notes, sources and the statement.
            let companion = DataPackageWriter.companionPath(for: path)
            let writer = DataPackageWriter(table: result.table, result: result, notes: renderer.noteTexts(result, lessonTitle: session.lessonTitle),
                                           provenance: ResultProvenance(table: result.table, catalog: session.catalog),
                                           statement: session.lastStatementText, language: session.language, created: Clock.isoNow())
            let dataPath = path.split(separator: "/").last.map(String.init) ?? path
            try AtomicFileWriter.write(writer.descriptor(dataPath: dataPath, separator: mode == .tsv ? "\t" : ","), to: companion, overwrite: true)
            message(.exportedDataPackage, [companion])
        }
    }

    static let exportExtensions: [(String, OutputMode)] = [(".csv", .csv), (".tsv", .tsv), (".json", .json), (".jsonl", .jsonl), (".md", .markdown), (".txt", .table)]

    /// The format `.export` writes to `path`, from its extension; nil for any other extension
    /// (a .xlsx must not silently get CSV). A device or pipe without one (/dev/stdout) gets CSV.
    static func exportMode(_ path: String) -> OutputMode? {
        let lowered = path.lowercased()
        if let (_, mode) = exportExtensions.first(where: { lowered.hasSuffix($0.0) }) { return mode }
        let name = lowered.split(separator: "/").last ?? ""
        if !name.contains("."), AtomicFileWriter.existing(path) == .deviceOrPipe { return .csv }
        return nil
    }

    // MARK: - Tutorial

    /// `.tutorial export FILE [--force]`: every attempt, for a teacher (CSV, or JSON for `.json`).
    func exportTutorial(_ words: [String]) throws(Diagnostic) {
        if safeMode { throw Diagnostic(.usage, .safeModeBlocked, [".tutorial export"]) }
        let force = words.contains("--force")
        guard let path = words.first(where: { $0 != "--force" }) else { throw Diagnostic(.usage, .commandUsage, [".tutorial export FILE.csv|FILE.json [--force]"]) }
        let text = tutorial.exportText(json: path.lowercased().hasSuffix(".json"))
        guard let overwrite = try mayOverwrite(path, force: force) else {
            message(.nothingWritten, [path])
            return
        }
        try AtomicFileWriter.write(text, to: path, overwrite: overwrite)
        message(.tutorialExported, [String(tutorial.attempts.count), tutorial.student.isEmpty ? "—" : tutorial.student, path])
    }

    func runTutorialAnswer(_ text: String, firstLine: Int) {
        let source = SourceFile(name: nil, text: text, firstLine: firstLine)
        // The learner's query runs as usual, then is checked against the lesson.
        runStatement(source)
        if let verdict = tutorial.check(answer: source, session: session) {
            emit(verdict + "\n")
        }
    }
}

/// Wall-clock and CPU time around a statement, for `.timer on`.
struct Stopwatch {
    private let wall: Double
    private let user: Double
    private let system: Double

    init() {
        (wall, user, system) = Stopwatch.now()
    }

    static func now() -> (Double, Double, Double) {
        var clock = timespec()
        clock_gettime(CLOCK_MONOTONIC, &clock)
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return (Double(clock.tv_sec) + Double(clock.tv_nsec) / 1e9, seconds(usage.ru_utime), seconds(usage.ru_stime))
    }

    func line(_ language: Language) -> String {
        let (wallNow, userNow, systemNow) = Stopwatch.now()
        func fixed(_ value: Double) -> String {
            let micro = Int64((max(0, value) * 1e6).rounded())
            let fraction = String(micro % 1_000_000)
            return "\(micro / 1_000_000)." + String(repeating: "0", count: 6 - fraction.count) + fraction
        }
        return MessageID.timerLine.format(language, [fixed(wallNow - wall), fixed(userNow - user), fixed(systemNow - system)])
    }
}
