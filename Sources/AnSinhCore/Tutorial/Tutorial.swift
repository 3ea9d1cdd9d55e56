#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
            let name = FileAccess.entryName(entry)
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
            // The first 13 lines, as bytes: splitting a String walks grapheme clusters, and
            // decoding each line (or the rest of the lesson) to test its prefix cost more than
            // the query that asked.
            var lesson = text
            lesson.withUTF8 { bytes in
                var start = 0
                for _ in 0..<13 where start < bytes.count {
                    var end = start
                    while end < bytes.count, bytes[end] != 0x0A { end += 1 }
                    let line = UnsafeBufferPointer(rebasing: bytes[start..<end])
                    start = end + 1
                    /// The rest of the line after `key`, trimmed, when the line starts with it.
                    func value(_ key: StaticString) -> String? {
                        let count = key.utf8CodeUnitCount
                        guard line.count >= count, let base = line.baseAddress, memcmp(base, key.utf8Start, count) == 0 else { return nil }
                        return String(decoding: UnsafeBufferPointer(rebasing: line[count...]), as: UTF8.self).trimmingSpaces()
                    }
                    if let text = value("number:") { number = Int(text) }
                    if let text = value("topic:") { topic = LessonTopic(rawValue: text) }
                    if let text = value("title.en:") { titles[.en] = text }
                    if let text = value("title.vi:") { titles[.vi] = text }
                }
            }
            guard let number, let topic else { continue }
            let found = titles
            result[topic] = (number, { found[$0] ?? found[.en] ?? "" })
        }
        return result
    }()

    // MARK: - Progress

    /// The task of the current lesson the learner is on (0 for the first).
    var step = 0
    /// Tasks passed in lessons not yet done: lesson id → how many.
    var stepsDone: [String: Int] = [:]
    /// Wrong answers to the task on screen, and how many hints were shown for it: each hint shown,
    /// after a wrong answer or on `.tutorial hint`, brings the next one closer to an answer.
    var wrongAnswers = 0
    var hintsShown = 0
    /// Who is learning, for `.tutorial export` (a teacher collects one file per student).
    public internal(set) var student = ""
    /// Every answer, hint and solution asked for, for `.tutorial status` and `.tutorial export`.
    public internal(set) var attempts: [TutorialAttempt] = []

    private func loadProgress() {
        guard let statePath, let text = try? TextFile.read(statePath) else { return }
        for line in text.split(separator: "\n") {
            if line.hasPrefix("current ") { current = Int(line.dropFirst(8)).map { max(0, min($0, max(0, lessons.count - 1))) } ?? 0 }
            if line.hasPrefix("done ") { completed.insert(String(line.dropFirst(5))) }
            if line.hasPrefix("step ") {
                let parts = line.dropFirst(5).split(separator: " ")
                if parts.count == 2, let count = Int(parts[1]) { stepsDone[String(parts[0])] = count }
            }
            if line.hasPrefix("student ") { student = String(line.dropFirst(8)) }
        }
        if current < lessons.count, !completed.contains(lessons[current].id) {
            step = min(stepsDone[lessons[current].id] ?? 0, lessons[current].steps.count - 1)
        }
        attempts = TutorialAttempt.load(from: attemptsPath)
    }

    private func saveProgress() {
        guard persist, let statePath else { return }
        if let slash = statePath.lastIndex(of: "/") { Tutorial.makeFolders(String(statePath[..<slash])) }
        var text = "current \(current)\n" + completed.sorted().map { "done \($0)\n" }.joined()
        text += stepsDone.sorted { $0.key < $1.key }.map { "step \($0.key) \($0.value)\n" }.joined()
        if !student.isEmpty { text += "student \(student)\n" }
        try? AtomicFileWriter.write(text, to: statePath, overwrite: true)
    }

    /// Beside the progress file: one line per attempt, so a teacher's export covers every session.
    var attemptsPath: String? { statePath.map { $0 + "-attempts" } }

    private func record(_ kind: TutorialAttempt.Kind, text: String, verdict: TutorialAttempt.Verdict?, feedback: String = "", warnings: [LessonTopic] = []) {
        let lesson = lessons[current]
        let attempt = TutorialAttempt(time: Clock.isoNow(), lesson: lesson.number, lessonID: lesson.id, task: step + 1, kind: kind,
                                      text: text, verdict: verdict, feedback: feedback, warnings: warnings)
        attempts.append(attempt)
        guard persist, let attemptsPath else { return }
        if let slash = attemptsPath.lastIndex(of: "/") { Tutorial.makeFolders(String(attemptsPath[..<slash])) }
        try? AtomicFileWriter.write(attempts.map { $0.savedLine() + "\n" }.joined(), to: attemptsPath, overwrite: true)
    }

    static func makeFolders(_ path: String) {
        var built = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            built += "/" + part
            mkdir(built, 0o700)
        }
    }

    // MARK: - Commands

    /// What a `.tutorial` command prints, wrapped to the terminal's width (lesson files are
    /// wrapped at about 95 columns; hints and verdicts are one long line each).
    public func command(_ words: [String], session: Session) throws(Diagnostic) -> String {
        width = session.settings.width
        let text = try commandText(words, session: session)
        // A solution stays one line, so that it can be copied to the prompt as it is.
        if ["solution", "answer"].contains(words.first?.lowercased() ?? ""), words.count == 1 { return text }
        return UnicodeText.wrap(text, width: width)
    }

    private func commandText(_ words: [String], session: Session) throws(Diagnostic) -> String {
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
            open(current + 1)
            return present(language)
        case "previous", "prev", "back":
            isActive = true
            if current == 0 {
                return MessageID.tutorialFirstLesson.format(language, [String(lessons[0].number)])
            }
            open(max(current - 1, 0))
            return present(language)
        case "hint":
            let hints = currentStep.hints
            let hint = hints[min(hintsShown, hints.count - 1)]
            hintsShown += 1
            record(.hint, text: "", verdict: nil)
            return MessageID.tutorialHint.format(language, [lessons[current].localized(hint, language)])
        case "solution":
            return showSolution(language)
        case "answer" where words.count == 1:
            return showSolution(language)
        case "answer", "tl", "traloi":
            return judgeSentence(words.dropFirst().joined(separator: " "), language: language)
        case "list":
            var out = lessons.enumerated().map { index, lesson in
                let mark = completed.contains(lesson.id) ? "✓" : (index == current ? "→" : " ")
                return "\(mark) \(lesson.number). \(lesson.localized(lesson.title, language))"
            }.joined(separator: "\n")
            if !problems.isEmpty { out += "\n" + problems.joined(separator: "\n") }
            return out
        case "status":
            return status(language)
        case "student", "name", "ten":
            let name = UnicodeText.nfc(words.dropFirst().joined(separator: " ").trimmingSpaces())
            guard !name.isEmpty else {
                return MessageID.tutorialStudentIs.format(language, [student.isEmpty ? "—" : student])
            }
            student = String(name.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F && !(0x80..<0xA0).contains($0.value) })
            saveProgress()
            return MessageID.tutorialStudentIs.format(language, [student])
        case "reset":
            completed.removeAll()
            stepsDone.removeAll()
            open(0)
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
                open(index)
                isActive = true
                return present(language)
            }
            throw Diagnostic(.usage, .commandUsage, [Tutorial.usage])
        }
    }

    private func showSolution(_ language: Language) -> String {
        record(.solution, text: "", verdict: nil)
        let solution = currentStep.solution(language)
        return MessageID.tutorialSolution.format(language, [currentStep.wantsSentence ? ".tutorial answer " + solution : solution])
    }

    public static let usage = ".tutorial [next|N|hint|solution|answer TEXT|list|status|student NAME|export FILE|reset|quit]"

    /// Opens lesson `index` at its first task not yet passed (a done lesson from the start).
    private func open(_ index: Int) {
        current = index
        let lesson = lessons[index]
        step = completed.contains(lesson.id) ? 0 : min(stepsDone[lesson.id] ?? 0, lesson.steps.count - 1)
        saveProgress()
    }

    var currentStep: Lesson.Step { lessons[current].steps[step] }

    /// The terminal width lesson text is wrapped to; nil leaves it as written.
    var width: Int?

    /// Whether the learner has passed the task on screen: later queries are explored, not judged,
    /// until another lesson is opened.
    private var passedCurrent = false

    func present(_ language: Language) -> String {
        passedCurrent = false
        wrongAnswers = 0
        hintsShown = 0
        let lesson = lessons[current]
        let heading = MessageID.tutorialHeading.format(language, [String(lesson.number), String(lessons.count), lesson.localized(lesson.title, language)])
        var out = heading + "\n" + String(repeating: "─", count: min(72, UnicodeText.displayWidth(heading))) + "\n"
        let text = lesson.localized(lesson.text, language)
        // Lesson files are wrapped at about 95 columns; at a terminal the text is re-flowed to its width.
        out += (width.map { UnicodeText.wrap(UnicodeText.reflow(text), width: $0) } ?? text) + "\n\n"
        out += taskLine(language) + "\n"
        out += MessageID.tutorialFooter.format(language, [])
        return out
    }

    /// "Your task: …", or "Task 2 of 4: …" in a lesson of several tasks.
    func taskLine(_ language: Language) -> String {
        let lesson = lessons[current]
        let task = UnicodeText.reflow(lesson.localized(currentStep.task, language))
        var line = lesson.steps.count == 1 ? MessageID.tutorialTask.format(language, [task])
            : MessageID.tutorialStepTask.format(language, [String(step + 1), String(lesson.steps.count), task])
        if currentStep.wantsSentence { line += "\n" + MessageID.tutorialSentenceHow.format(language, []) }
        return UnicodeText.wrap(line, width: width)
    }

    /// Judges the learner's statement by its result. Nil when it was not a query.
    public func check(answer source: SourceFile, session: Session) -> String? {
        width = session.settings.width
        return judge(answer: source, session: session).map { UnicodeText.wrap($0, width: width) }
    }

    private func judge(answer source: SourceFile, session: Session) -> String? {
        guard isActive, current < lessons.count, !passedCurrent else { return nil }
        let language = session.language
        if currentStep.wantsSentence {
            return MessageID.tutorialSentenceHow.format(language, [])
        }
        let answer = Tutorial.result(of: source, session: session)
        var problems: [AnswerProblem] = []
        if let answer {
            for check in currentStep.checks {
                switch check {
                case .value(let expected):
                    if !Tutorial.contains(answer.table, value: expected, tolerance: currentStep.tolerance) { problems.append(.numberMissing) }
                case .rows(let columns, let ordered):
                    let solution = SourceFile(name: lessons[current].file, text: currentStep.solution(.en))
                    guard let expected = Tutorial.result(of: solution, session: session),
                          columns.allSatisfy({ expected.table.columnIndex($0) != nil }) else {
                        return MessageID.tutorialSolutionBroken.format(language, [lessons[current].file, columns.joined(separator: ", ")])
                    }
                    problems += Tutorial.differences(answer.table, expected.table, columns: columns, ordered: ordered, tolerance: currentStep.tolerance)
                case .warns(let topic):
                    if !answer.warnings.contains(where: { $0.lesson == topic }) { problems.append(.warningMissing(topic)) }
                case .noWarning(let topic):
                    if answer.warnings.contains(where: { $0.lesson == topic }) { problems.append(.warningStill(topic)) }
                case .words:
                    break
                }
            }
        } else {
            problems = [.noResult]
        }
        return verdict(problems, text: source.text, warnings: answer?.warnings.compactMap(\.lesson) ?? [], kind: .query, language: language)
    }

    /// Judges a sentence typed with `.tutorial answer …` against the words it must hold.
    func judgeSentence(_ text: String, language: Language) -> String {
        guard isActive, !passedCurrent, currentStep.wantsSentence else {
            return MessageID.tutorialNoSentenceWanted.format(language, [])
        }
        let folded = Tutorial.sentenceForm(text)
        var missing: [String] = []
        for case .words(let groups) in currentStep.checks {
            for group in groups where !group.contains(where: { folded.contains($0) }) {
                missing.append(group.joined(separator: " / "))
            }
        }
        return verdict(missing.isEmpty ? [] : [.wordsMissing(missing)], text: text, warnings: [], kind: .sentence, language: language)
    }

    /// A sentence as the `words` check reads it: accents and case folded, and the separators
    /// inside a number dropped, so 6.300, 6,300, 6 300 and 6300 are one word.
    static func sentenceForm(_ text: String) -> String {
        let scalars = Array(UnicodeText.fold(UnicodeText.nfc(text)).unicodeScalars)
        var out = String.UnicodeScalarView()
        for (index, scalar) in scalars.enumerated() {
            let separator = scalar == "." || scalar == "," || scalar == " " || scalar.value == 0xA0 || scalar.value == 0x202F
            if separator, index > 0, index + 1 < scalars.count,
               ("0"..."9").contains(scalars[index - 1]), ("0"..."9").contains(scalars[index + 1]) { continue }
            out.append(scalar)
        }
        return String(out)
    }

    private func verdict(_ problems: [AnswerProblem], text: String, warnings: [LessonTopic], kind: TutorialAttempt.Kind, language: Language) -> String {
        let lesson = lessons[current]
        if problems.isEmpty {
            record(kind, text: text, verdict: .correct, warnings: warnings)
            wrongAnswers = 0
            hintsShown = 0
            if step + 1 < lesson.steps.count {
                // The next task of the same lesson follows at once.
                step += 1
                stepsDone[lesson.id] = step
                saveProgress()
                return MessageID.tutorialStepCorrect.format(language, []) + "\n\n" + taskLine(language)
            }
            completed.insert(lesson.id)
            stepsDone[lesson.id] = nil
            step = 0
            saveProgress()
            passedCurrent = true
            // "Finished every lesson" only when every lesson is done, whichever came last.
            let left = lessons.filter { !completed.contains($0.id) }.map { String($0.number) }
            if left.isEmpty { return MessageID.tutorialFinished.format(language, []) }
            if current == lessons.count - 1 { return MessageID.tutorialCorrectLessonsLeft.format(language, [left.joined(separator: ", ")]) }
            return MessageID.tutorialCorrect.format(language, [])
        }
        // Say what differs first (the lesson's hint assumes one particular mistake), then the
        // hint: the first one after the first miss, a closer one after the next, and after three
        // misses the offer of a solution.
        let diagnosis = problems.map { $0.text(language) }.joined(separator: "; ")
        record(kind, text: text, verdict: .notYet, feedback: diagnosis, warnings: warnings)
        wrongAnswers += 1
        let verdict = problems == [.noResult] ? MessageID.tutorialNotYet.format(language, [])
            : MessageID.tutorialNotYetBecause.format(language, [diagnosis])
        let hints = currentStep.hints
        let hint = hints[min(hintsShown, hints.count - 1)]
        hintsShown += 1
        var out = verdict + "\n" + MessageID.tutorialHint.format(language, [lesson.localized(hint, language)])
        if wrongAnswers >= 3 { out += "\n" + MessageID.tutorialSolutionOffer.format(language, []) }
        return out
    }

    // MARK: - Status and export

    /// `.tutorial status`: lessons done, the task on screen, attempts, hints and solutions asked for.
    func status(_ language: Language) -> String {
        let answers = attempts.filter { $0.kind == .query || $0.kind == .sentence }
        let correct = answers.filter { $0.verdict == .correct }.count
        var out = MessageID.tutorialStatusDone.format(language, [String(completed.count), String(lessons.count)])
        let lesson = lessons[current]
        out += "\n" + MessageID.tutorialStatusNow.format(language, [String(lesson.number), lesson.localized(lesson.title, language),
                                                                     String(step + 1), String(lesson.steps.count)])
        out += "\n" + MessageID.tutorialStatusAttempts.format(language, [String(answers.count), String(correct),
                                                                          String(attempts.filter { $0.kind == .hint }.count),
                                                                          String(attempts.filter { $0.kind == .solution }.count)])
        for lesson in lessons {
            let mine = attempts.filter { $0.lessonID == lesson.id }
            let tried = mine.filter { $0.kind == .query || $0.kind == .sentence }.count
            let done = completed.contains(lesson.id) ? lesson.steps.count : (stepsDone[lesson.id] ?? 0)
            guard tried > 0 || done > 0 else { continue }
            let mark = completed.contains(lesson.id) ? "✓" : "…"
            out += "\n  " + MessageID.tutorialStatusLesson.format(language, [mark, String(lesson.number), String(done), String(lesson.steps.count), String(tried)])
        }
        if !student.isEmpty { out += "\n" + MessageID.tutorialStudentIs.format(language, [student]) }
        return out
    }

    /// The attempts as a file for a teacher: CSV, or JSON when `json`.
    public func exportText(json: Bool) -> String {
        if json {
            return "{\"student\": \(JSONText.quote(student)), \"lessons_done\": [" + completed.sorted().map(JSONText.quote).joined(separator: ", ")
                + "],\n \"attempts\": [\n" + attempts.map { "  " + $0.jsonLine(student: nil) }.joined(separator: ",\n") + "\n]}\n"
        }
        var out = TutorialAttempt.csvHeader + "\n"
        for attempt in attempts { out += attempt.csvLine(student: student) + "\n" }
        return out
    }

    static func result(of source: SourceFile, session: Session) -> QueryResult? {
        let (statements, errors) = Parser.parse(source)
        guard errors.isEmpty, let statement = statements.last, case .query(let pipeline) = statement.kind else { return nil }
        let binder = Binder(catalog: session.catalog, source: source)
        guard let bound = try? binder.bind(pipeline) else { return nil }
        // As `Session.run` does: rows of `facts` carry their lineage, so the notes that judge the
        // facts behind a row (a per-year average times five, double counting) are the learner's too.
        var context = session.context()
        context.withLineage = bound.source.lineage != nil
        return try? Executor.run(bound, binder: binder, context: context)
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
        case warningMissing(LessonTopic)
        case warningStill(LessonTopic)
        case wordsMissing([String])

        func text(_ language: Language) -> String {
            switch self {
            case .missingColumn(let name): MessageID.tutorialMissingColumn.format(language, [name])
            case .rowCount(let answer, let expected): MessageID.tutorialRowCount.format(language, [String(answer), String(expected)])
            case .valuesDiffer(let name): MessageID.tutorialValuesDiffer.format(language, [name])
            case .rowsMismatched: MessageID.tutorialRowsMismatched.format(language, [])
            case .orderDiffers: MessageID.tutorialOrderDiffers.format(language, [])
            case .numberMissing: MessageID.tutorialNumberMissing.format(language, [])
            case .noResult: MessageID.tutorialNoResult.format(language, [])
            case .warningMissing(let topic): MessageID.tutorialWarningMissing.format(language, [Tutorial.topicName(topic, language)])
            case .warningStill(let topic): MessageID.tutorialWarningStill.format(language, [Tutorial.topicName(topic, language)])
            case .wordsMissing(let words): MessageID.tutorialWordsMissing.format(language, [words.joined(separator: "; ")])
            }
        }
    }

    /// A note's topic as the learner knows it: the lesson that explains it ("lesson 9, When two sources disagree").
    static func topicName(_ topic: LessonTopic, _ language: Language) -> String {
        guard let lesson = lessonNumber(for: topic) else { return topic.rawValue }
        return MessageID.tutorialTopicName.format(language, [String(lesson.number), lesson.title(language)])
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
