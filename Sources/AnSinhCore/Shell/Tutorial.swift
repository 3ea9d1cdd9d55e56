#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A lesson of the tutorial, read from a `.lesson` file (format in lessons/README.md).
public struct Lesson: Sendable {
    public var id: String
    public var number: Int
    public var topic: LessonTopic?
    public var title: [Language: String]
    public var text: [Language: String]
    public var task: [Language: String]
    public var hint: [Language: String]
    public var solution: String
    public var check: Check
    /// How far a number in the answer may be from the solution's and still count as the same
    /// (absolute, in the column's unit; 0 means equal up to floating-point noise).
    public var tolerance: Double = 0
    public var file: String

    /// How an answer is judged: by its result, never by its text.
    public enum Check: Sendable, Equatable {
        /// The answer's result holds these columns with the same values as the solution's
        /// (in any order, or in order when `ordered`).
        case rows(columns: [String], ordered: Bool)
        /// The answer's result contains this number somewhere.
        case value(Double)
    }

    func localized(_ texts: [Language: String], _ language: Language) -> String {
        texts[language] ?? texts[.en] ?? texts.values.first ?? ""
    }
}

/// Reads `.lesson` files: `key: value` lines; a value continues on following lines indented by
/// two spaces; `#` starts a comment line.
public enum LessonParser {
    static let keys = ["number", "topic", "title.en", "title.vi", "text.en", "text.vi", "task.en", "task.vi",
                       "hint.en", "hint.vi", "solution", "check", "tolerance"]

    public struct LessonError: Error, Sendable, CustomStringConvertible {
        public var file: String
        public var line: Int
        public var message: String
        public var description: String { "\(file):\(line): \(message)" }
    }

    public static func parse(_ text: String, file: String) throws(LessonError) -> Lesson {
        var values: [String: String] = [:]
        var lines: [String: Int] = [:]
        var currentKey: String?
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.hasSuffix("\r") ? String(rawLine.dropLast()) : String(rawLine)
            let number = index + 1
            if line.hasPrefix("#") { continue }
            if line.hasPrefix("  ") || line.hasPrefix("\t") {
                guard let key = currentKey else {
                    throw LessonError(file: file, line: number, message: "an indented line must continue a `key:` line")
                }
                let content = line.hasPrefix("\t") ? String(line.dropFirst()) : String(line.dropFirst(2))
                values[key] = (values[key].map { $0.isEmpty ? "" : $0 + "\n" } ?? "") + content
                continue
            }
            if line.trimmingSpaces().isEmpty {
                if let key = currentKey, values[key] != nil, !(values[key] ?? "").isEmpty { values[key]? += "\n" }
                continue
            }
            guard let colon = line.firstIndex(of: ":") else {
                throw LessonError(file: file, line: number, message: "expected `key: value`, found `\(line)`")
            }
            let key = String(line[..<colon]).trimmingSpaces()
            guard keys.contains(key) else {
                let suggestion = UnicodeText.suggestions(for: key, among: keys).first.map { " — did you mean `\($0)`?" } ?? ""
                throw LessonError(file: file, line: number, message: "unknown key `\(key)`\(suggestion)")
            }
            if values[key] != nil {
                throw LessonError(file: file, line: number, message: "`\(key)` is given twice (first on line \(lines[key] ?? 0))")
            }
            values[key] = String(line[line.index(after: colon)...]).trimmingSpaces()
            lines[key] = number
            currentKey = key
        }
        for key in values.keys { values[key] = values[key]?.trimmingSpaces() }
        func required(_ key: String) throws(LessonError) -> String {
            guard let value = values[key], !value.isEmpty else {
                throw LessonError(file: file, line: 1, message: "missing `\(key):`")
            }
            return value
        }
        let numberText = try required("number")
        guard let number = Int(numberText), number > 0 else {
            throw LessonError(file: file, line: lines["number"] ?? 1, message: "`number` must be a positive whole number, found `\(numberText)`")
        }
        var topic: LessonTopic?
        if let topicText = values["topic"], !topicText.isEmpty {
            guard let parsed = LessonTopic(rawValue: topicText) else {
                let names = LessonTopic.allCases.map(\.rawValue)
                throw LessonError(file: file, line: lines["topic"] ?? 1, message: "unknown topic `\(topicText)`; topics: \(names.joined(separator: ", "))")
            }
            topic = parsed
        }
        let checkText = try required("check")
        let check: Lesson.Check
        let words = checkText.split(separator: " ", maxSplits: 1).map(String.init)
        switch words.first {
        case "rows", "rows-ordered":
            let columns = (words.count > 1 ? words[1] : "").split(separator: ",").map { String($0).trimmingSpaces() }.filter { !$0.isEmpty }
            guard !columns.isEmpty else {
                throw LessonError(file: file, line: lines["check"] ?? 1, message: "`check: rows` needs column names: `check: rows district, value`")
            }
            check = .rows(columns: columns, ordered: words.first == "rows-ordered")
        case "value":
            guard words.count > 1, let value = Double(words[1].replacing("_", with: "")) else {
                throw LessonError(file: file, line: lines["check"] ?? 1, message: "`check: value` needs a number: `check: value 352000000000`")
            }
            check = .value(value)
        default:
            throw LessonError(file: file, line: lines["check"] ?? 1, message: "`check` must be `rows COLUMNS`, `rows-ordered COLUMNS` or `value NUMBER`")
        }
        var tolerance = 0.0
        if let toleranceText = values["tolerance"], !toleranceText.isEmpty {
            guard let parsed = Double(toleranceText.replacing("_", with: "")), parsed >= 0, parsed.isFinite else {
                throw LessonError(file: file, line: lines["tolerance"] ?? 1, message: "`tolerance` must be a number of 0 or more, found `\(toleranceText)`")
            }
            tolerance = parsed
        }
        func pair(_ key: String) throws(LessonError) -> [Language: String] {
            var result: [Language: String] = [:]
            for language in Language.allCases {
                if let value = values["\(key).\(language.rawValue)"], !value.isEmpty { result[language] = value }
            }
            guard !result.isEmpty else { throw LessonError(file: file, line: 1, message: "missing `\(key).en:` and `\(key).vi:`") }
            return result
        }
        let stem = file.split(separator: "/").last.map(String.init) ?? file
        return Lesson(
            id: stem.hasSuffix(".lesson") ? String(stem.dropLast(7)) : stem, number: number, topic: topic,
            title: try pair("title"), text: try pair("text"), task: try pair("task"), hint: try pair("hint"),
            solution: try required("solution"), check: check, tolerance: tolerance, file: file)
    }
}

/// The tutorial: lessons in order, the current one, and progress saved between sessions.
public final class Tutorial {
    /// Write progress to disk (off in safe mode).
    public var persist = true
    public private(set) var isActive = false
    public private(set) var lessons: [Lesson]
    /// Lesson files that could not be read, with the reason (shown by `.tutorial list`).
    public private(set) var problems: [String] = []
    var current = 0
    var completed: Set<String> = []
    let statePath: String?

    /// `access`: in safe mode, lesson files outside the current folder are refused.
    public init(statePath: String?, extraLessonFolder: String? = nil, access: FileAccess = .unrestricted) {
        self.statePath = statePath
        var loaded: [Lesson] = []
        var problems: [String] = []
        for (name, text) in EmbeddedDataset.lessons {
            do { loaded.append(try LessonParser.parse(text, file: "lessons/\(name)")) } catch { problems.append(error.description) }
        }
        if let folder = extraLessonFolder {
            for path in Tutorial.lessonFiles(in: folder) {
                do {
                    loaded.append(try LessonParser.parse(try TextFile.read(path, access: access, command: "ANSINH_LESSONS"), file: path))
                } catch let error as LessonParser.LessonError {
                    problems.append(error.description)
                } catch let error as Diagnostic {
                    problems.append("\(path): \(error.text(in: .en))")
                } catch {
                    problems.append("\(path): \(error)")
                }
            }
        }
        loaded.sort { ($0.number, $0.id) < ($1.number, $1.id) }
        lessons = loaded
        self.problems = problems
        loadProgress()
    }

    static func lessonFiles(in folder: String) -> [String] {
        guard let directory = opendir(folder) else { return [] }
        defer { closedir(directory) }
        var files: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name.hasSuffix(".lesson") { files.append(folder + "/" + name) }
        }
        return files.sorted()
    }

    /// The lesson that explains a warning's topic, for "why this matters: .tutorial N".
    public static func lessonNumber(for topic: LessonTopic) -> (number: Int, title: (Language) -> String)? {
        builtinTopics[topic]
    }

    nonisolated(unsafe) static let builtinTopics: [LessonTopic: (number: Int, title: (Language) -> String)] = {
        var result: [LessonTopic: (number: Int, title: (Language) -> String)] = [:]
        // Only the header lines are read here (number, topic, titles): this runs whenever a warning
        // names its lesson, and a full parse of every lesson would cost more than the query.
        for (_, text) in EmbeddedDataset.lessons {
            var number: Int?
            var topic: LessonTopic?
            var titles: [Language: String] = [:]
            // Lines as UTF-8 bytes: splitting a String walks grapheme clusters, far slower.
            for bytes in text.utf8.split(separator: 0x0A, maxSplits: 12) {
                let line = String(decoding: bytes, as: UTF8.self)
                if line.hasPrefix("number:") { number = Int(String(line.dropFirst(7)).trimmingSpaces()) }
                if line.hasPrefix("topic:") { topic = LessonTopic(rawValue: String(line.dropFirst(6)).trimmingSpaces()) }
                if line.hasPrefix("title.en:") { titles[.en] = String(line.dropFirst(9)).trimmingSpaces() }
                if line.hasPrefix("title.vi:") { titles[.vi] = String(line.dropFirst(9)).trimmingSpaces() }
            }
            guard let number, let topic else { continue }
            let found = titles
            result[topic] = (number, { found[$0] ?? found[.en] ?? "" })
        }
        return result
    }()

    // MARK: - Progress

    private func loadProgress() {
        guard let statePath, let text = try? TextFile.read(statePath) else { return }
        for line in text.split(separator: "\n") {
            if line.hasPrefix("current ") { current = Int(line.dropFirst(8)).map { max(0, min($0, max(0, lessons.count - 1))) } ?? 0 }
            if line.hasPrefix("done ") { completed.insert(String(line.dropFirst(5))) }
        }
    }

    private func saveProgress() {
        guard persist, let statePath else { return }
        if let slash = statePath.lastIndex(of: "/") { Tutorial.makeFolders(String(statePath[..<slash])) }
        let text = "current \(current)\n" + completed.sorted().map { "done \($0)\n" }.joined()
        try? AtomicFileWriter.write(text, to: statePath, overwrite: true)
    }

    static func makeFolders(_ path: String) {
        var built = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            built += "/" + part
            mkdir(built, 0o700)
        }
    }

    // MARK: - Commands

    public func command(_ words: [String], session: Session) throws(Diagnostic) -> String {
        width = session.settings.width
        let language = session.language
        guard !lessons.isEmpty else { return problems.joined(separator: "\n") }
        switch words.first?.lowercased() {
        case nil, "start", "resume":
            isActive = true
            return present(language)
        case "next":
            isActive = true
            if current >= lessons.count - 1 {
                current = lessons.count - 1
                return MessageID.tutorialLastLesson.format(language, [String(lessons[current].number)])
            }
            current += 1
            saveProgress()
            return present(language)
        case "previous", "prev", "back":
            isActive = true
            if current == 0 {
                return MessageID.tutorialFirstLesson.format(language, [String(lessons[0].number)])
            }
            current = max(current - 1, 0)
            saveProgress()
            return present(language)
        case "hint":
            return MessageID.tutorialHint.format(language, [lessons[current].localized(lessons[current].hint, language)])
        case "solution", "answer":
            return MessageID.tutorialSolution.format(language, [lessons[current].solution])
        case "list":
            var out = lessons.enumerated().map { index, lesson in
                let mark = completed.contains(lesson.id) ? "✓" : (index == current ? "→" : " ")
                return "\(mark) \(lesson.number). \(lesson.localized(lesson.title, language))"
            }.joined(separator: "\n")
            if !problems.isEmpty { out += "\n" + problems.joined(separator: "\n") }
            return out
        case "reset":
            completed.removeAll()
            current = 0
            saveProgress()
            isActive = true
            return MessageID.tutorialProgressCleared.format(language, []) + "\n\n" + present(language)
        case "quit", "stop", "off":
            isActive = false
            return MessageID.tutorialLeft.format(language, [])
        default:
            if let word = words.first, let number = Int(word) {
                guard let index = lessons.firstIndex(where: { $0.number == number }) else {
                    throw Diagnostic(.usage, .commandUsage, [".tutorial 1–\(lessons.last?.number ?? 1)"])
                }
                current = index
                isActive = true
                saveProgress()
                return present(language)
            }
            throw Diagnostic(.usage, .commandUsage, [".tutorial [next|N|hint|solution|list|reset|quit]"])
        }
    }

    /// The terminal width lesson text is wrapped to; nil leaves it as written.
    var width: Int?

    /// Whether the learner has passed the task on screen: later queries are explored, not judged,
    /// until another lesson is opened.
    private var passedCurrent = false

    func present(_ language: Language) -> String {
        passedCurrent = false
        let lesson = lessons[current]
        let heading = MessageID.tutorialHeading.format(language, [String(lesson.number), String(lessons.count), lesson.localized(lesson.title, language)])
        var out = heading + "\n" + String(repeating: "─", count: min(72, UnicodeText.displayWidth(heading))) + "\n"
        let text = lesson.localized(lesson.text, language)
        // Lesson files are wrapped at about 95 columns; at a terminal the text is re-flowed to its width.
        out += (width.map { UnicodeText.wrap(UnicodeText.reflow(text), width: $0) } ?? text) + "\n\n"
        out += MessageID.tutorialTask.format(language, [lesson.localized(lesson.task, language)]) + "\n"
        out += MessageID.tutorialFooter.format(language, [])
        return out
    }

    /// Judges the learner's statement by its result. Nil when it was not a query.
    public func check(answer source: SourceFile, session: Session) -> String? {
        guard isActive, current < lessons.count, !passedCurrent else { return nil }
        let lesson = lessons[current]
        let language = session.language
        let problems: [AnswerProblem]
        if let answer = Tutorial.result(of: source, session: session) {
            switch lesson.check {
            case .value(let expected):
                problems = Tutorial.contains(answer.table, value: expected, tolerance: lesson.tolerance) ? [] : [.numberMissing]
            case .rows(let columns, let ordered):
                guard let expected = Tutorial.result(of: SourceFile(name: lesson.file, text: lesson.solution), session: session),
                      columns.allSatisfy({ expected.table.columnIndex($0) != nil }) else {
                    return MessageID.tutorialSolutionBroken.format(language, [lesson.file, columns.joined(separator: ", ")])
                }
                problems = Tutorial.differences(answer.table, expected.table, columns: columns, ordered: ordered, tolerance: lesson.tolerance)
            }
        } else {
            problems = [.noResult]
        }
        if problems.isEmpty {
            completed.insert(lesson.id)
            saveProgress()
            passedCurrent = true
            // "Finished every lesson" only when every lesson is done, whichever came last.
            let left = lessons.filter { !completed.contains($0.id) }.map { String($0.number) }
            if left.isEmpty { return MessageID.tutorialFinished.format(language, []) }
            if current == lessons.count - 1 { return MessageID.tutorialCorrectLessonsLeft.format(language, [left.joined(separator: ", ")]) }
            return MessageID.tutorialCorrect.format(language, [])
        }
        // Say what differs first (the lesson's hint assumes one particular mistake), then the hint.
        let diagnosis = problems.map { $0.text(language) }.joined(separator: "; ")
        let verdict = problems == [.noResult] ? MessageID.tutorialNotYet.format(language, [])
            : MessageID.tutorialNotYetBecause.format(language, [diagnosis])
        return verdict + "\n" + MessageID.tutorialHint.format(language, [lesson.localized(lesson.hint, language)])
    }

    static func result(of source: SourceFile, session: Session) -> QueryResult? {
        let (statements, errors) = Parser.parse(source)
        guard errors.isEmpty, let statement = statements.last, case .query(let pipeline) = statement.kind else { return nil }
        let binder = Binder(catalog: session.catalog, source: source)
        guard let bound = try? binder.bind(pipeline) else { return nil }
        return try? Executor.run(bound, binder: binder, context: session.context())
    }

    static func contains(_ table: Table, value: Double, tolerance: Double = 0) -> Bool {
        for index in table.visibleColumnIndices {
            for row in 0..<table.rowCount {
                if let number = table.columns[index].double(at: row), close(number, value, tolerance: tolerance) { return true }
            }
        }
        return false
    }

    /// Equal up to floating-point noise (relative 1e-9), or within `tolerance`.
    static func close(_ a: Double, _ b: Double, tolerance: Double = 0) -> Bool {
        abs(a - b) <= max(tolerance, 1e-9 * max(1, abs(a), abs(b)))
    }

    /// What differs between a learner's result and the solution's.
    enum AnswerProblem: Equatable {
        case missingColumn(String)
        case rowCount(answer: Int, expected: Int)
        case valuesDiffer(String)
        case rowsMismatched
        case orderDiffers
        case numberMissing
        case noResult

        func text(_ language: Language) -> String {
            switch self {
            case .missingColumn(let name): MessageID.tutorialMissingColumn.format(language, [name])
            case .rowCount(let answer, let expected): MessageID.tutorialRowCount.format(language, [String(answer), String(expected)])
            case .valuesDiffer(let name): MessageID.tutorialValuesDiffer.format(language, [name])
            case .rowsMismatched: MessageID.tutorialRowsMismatched.format(language, [])
            case .orderDiffers: MessageID.tutorialOrderDiffers.format(language, [])
            case .numberMissing: MessageID.tutorialNumberMissing.format(language, [])
            case .noResult: MessageID.tutorialNoResult.format(language, [])
            }
        }
    }

    /// True when the answer holds every checked column of the solution (see `differences`).
    static func matches(_ answer: Table, _ expected: Table, columns: [String], ordered: Bool, tolerance: Double = 0) -> Bool {
        differences(answer, expected, columns: columns, ordered: ordered, tolerance: tolerance).isEmpty
    }

    /// Compares the answer with the solution on the checked columns; an empty list means correct.
    ///
    /// Every checked column must be in the answer: under its own name, or under another name
    /// if its values are the solution's. Extra columns and column order do not matter; row order
    /// matters only when `ordered`. The rows must be the solution's rows, not just each column's
    /// values shuffled: the checked columns are compared together, row by row.
    static func differences(_ answer: Table, _ expected: Table, columns: [String], ordered: Bool, tolerance: Double) -> [AnswerProblem] {
        func values(_ table: Table, _ index: Int) -> [Value] {
            (0..<table.rowCount).map { row in
                let value = table.columns[index].value(at: row)
                if case .integer(let number) = value { return .decimal(Double(number)) }
                return value
            }
        }
        func same(_ a: Value, _ b: Value) -> Bool {
            if case .decimal(let x) = a, case .decimal(let y) = b { return close(x, y, tolerance: tolerance) }
            return a == b
        }
        func sameMultiset(_ a: [Value], _ b: [Value]) -> Bool {
            guard a.count == b.count else { return false }
            // Sorting both sides pairs up numbers in order, which is right for a tolerance too.
            return zip(a.sorted(by: Comparison.less), b.sorted(by: Comparison.less)).allSatisfy { same($0, $1) }
        }
        let wanted: [[Value]] = columns.compactMap { name in expected.columnIndex(name).map { values(expected, $0) } }
        guard wanted.count == columns.count else { return [.missingColumn(columns.first { expected.columnIndex($0) == nil } ?? "")] }
        let visible = answer.visibleColumnIndices
        let names = visible.map { answer.fields[$0].name }
        let candidates = visible.map { values(answer, $0) }
        let sameCount = answer.rowCount == expected.rowCount

        // For each checked column, the answer's columns that could be it: the one with its name
        // first, then any whose values are the solution's.
        var choices: [[Int]] = []
        var problems: [AnswerProblem] = []
        for (position, name) in columns.enumerated() {
            let byName = names.firstIndex(of: name)
            var fitting: [Int] = []
            if sameCount {
                if let byName, sameMultiset(candidates[byName], wanted[position]) { fitting.append(byName) }
                for index in candidates.indices where index != byName && sameMultiset(candidates[index], wanted[position]) {
                    fitting.append(index)
                }
            }
            choices.append(fitting)
            if byName == nil && fitting.isEmpty {
                problems.append(.missingColumn(name))
            } else if sameCount && fitting.isEmpty {
                problems.append(.valuesDiffer(name))
            }
        }
        if !sameCount {
            problems.append(.rowCount(answer: answer.rowCount, expected: expected.rowCount))
        }
        guard problems.isEmpty else { return problems }

        // Every column fits on its own: find distinct answer columns that give the solution's rows.
        let rowCount = expected.rowCount
        func rowsMatch(_ chosen: [Int], ordered: Bool) -> Bool {
            if ordered {
                return (0..<rowCount).allSatisfy { row in
                    chosen.indices.allSatisfy { same(candidates[chosen[$0]][row], wanted[$0][row]) }
                }
            }
            var used = [Bool](repeating: false, count: rowCount)
            for row in 0..<rowCount {
                let partner = (0..<rowCount).first { other in
                    !used[other] && chosen.indices.allSatisfy { same(candidates[chosen[$0]][other], wanted[$0][row]) }
                }
                guard let partner else { return false }
                used[partner] = true
            }
            return true
        }
        var tried = 0
        var matchedUnordered = false
        func search(_ chosen: [Int]) -> Bool {
            if chosen.count == columns.count {
                tried += 1
                if ordered && rowsMatch(chosen, ordered: true) { return true }
                if rowsMatch(chosen, ordered: false) {
                    if !ordered { return true }
                    matchedUnordered = true
                }
                return false
            }
            for index in choices[chosen.count] where !chosen.contains(index) {
                if tried >= 256 { return false }  // a learner's result with many look-alike columns
                if search(chosen + [index]) { return true }
            }
            return false
        }
        if search([]) { return [] }
        return [matchedUnordered ? .orderDiffers : .rowsMismatched]
    }
}
