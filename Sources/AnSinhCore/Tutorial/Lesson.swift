/// A lesson of the tutorial, read from a `.lesson` file (format in lessons/README.md): a text and
/// a short sequence of tasks (predict, make the tempting mistake and read the note, fix it, write
/// the sentence you would publish), each judged by its result.
public struct Lesson: Sendable {
    public var id: String
    public var number: Int
    public var topic: LessonTopic?
    public var title: [Language: String]
    public var text: [Language: String]
    public var steps: [Step]
    public var file: String

    /// One task of a lesson.
    public struct Step: Sendable {
        public var task: [Language: String]
        /// Graduated hints: a nudge first, then closer to an answer (never the solution itself
        /// first); the solution is offered after a few attempts.
        public var hints: [[Language: String]]
        /// One answer: a query, or for a sentence task the sentence (`.tutorial answer …`).
        public var solution: [Language: String]
        /// Every check must hold.
        public var checks: [Check]
        /// How far a number in the answer may be from the solution's and still count as the same
        /// (absolute, in the column's unit; 0 means equal up to floating-point noise).
        public var tolerance: Double = 0

        /// A sentence task: answered with `.tutorial answer …`, not with a query.
        public var wantsSentence: Bool {
            checks.contains { if case .words = $0 { true } else { false } }
        }

        /// The checks that need the solution's result to compare with.
        var needsSolutionResult: Bool {
            checks.contains { if case .rows = $0 { true } else { false } }
        }

        public func solution(_ language: Language) -> String {
            solution[language] ?? solution[.en] ?? solution.values.first ?? ""
        }
    }

    /// How an answer is judged: by its result (or, for a sentence, by the words it must hold),
    /// never by the text of the query.
    public enum Check: Sendable, Equatable {
        /// The answer's result holds these columns with the same values as the solution's
        /// (in any order, or in order when `ordered`).
        case rows(columns: [String], ordered: Bool)
        /// The answer's result contains this number somewhere.
        case value(Double)
        /// The answer's result carries a note explained by this lesson topic: the learner has
        /// made the tempting mistake and seen the warning.
        case warns(LessonTopic)
        /// The answer's result carries no note of this topic: the mistake is fixed.
        case noWarning(LessonTopic)
        /// A sentence (`.tutorial answer …`) holding one of each group of words (accents and
        /// case ignored), e.g. both figures of a disagreement.
        case words([[String]])
    }

    /// The first task (what a one-task lesson asks).
    public var task: [Language: String] { steps[0].task }
    public var hint: [Language: String] { steps[0].hints[0] }
    public var solution: String { steps[0].solution(.en) }

    func localized(_ texts: [Language: String], _ language: Language) -> String {
        texts[language] ?? texts[.en] ?? texts.values.first ?? ""
    }
}

/// Reads `.lesson` files: `key: value` lines; a value continues on following lines indented by
/// two spaces; `#` starts a comment line. The first task's keys have no prefix; tasks 2 to 4 put
/// their number in front (`2.task.en`, `2.check`, …).
public enum LessonParser {
    static let lessonKeys = ["number", "topic", "title.en", "title.vi", "text.en", "text.vi"]
    static let stepKeys = ["task.en", "task.vi", "hint.en", "hint.vi", "more.en", "more.vi",
                           "solution", "solution.en", "solution.vi", "check", "tolerance"]
    static let maxSteps = 4
    static let keys = lessonKeys + stepKeys + (2...maxSteps).flatMap { step in stepKeys.map { "\(step).\($0)" } }

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
            topic = try parseTopic(topicText, file: file, line: lines["topic"] ?? 1)
        }
        func pair(_ key: String, required isRequired: Bool = true) throws(LessonError) -> [Language: String] {
            var result: [Language: String] = [:]
            for language in Language.allCases {
                if let value = values["\(key).\(language.rawValue)"], !value.isEmpty { result[language] = value }
            }
            if result.isEmpty && isRequired { throw LessonError(file: file, line: 1, message: "missing `\(key).en:` and `\(key).vi:`") }
            return result
        }
        var steps: [Lesson.Step] = []
        for step in 1...maxSteps {
            let prefix = step == 1 ? "" : "\(step)."
            if step > 1 {
                // A later task is there when any of its keys is; then it must be complete.
                guard stepKeys.contains(where: { values[prefix + $0] != nil }) else { continue }
                guard steps.count == step - 1 else {
                    throw LessonError(file: file, line: stepKeys.compactMap { lines[prefix + $0] }.min() ?? 1,
                                      message: "task \(step) comes before task \(steps.count + 1)")
                }
            }
            let checkText = try required(prefix + "check")
            let checks = try parseChecks(checkText, file: file, line: lines[prefix + "check"] ?? 1)
            var solution = try pair(prefix + "solution", required: false)
            if let plain = values[prefix + "solution"], !plain.isEmpty { solution[.en] = solution[.en] ?? plain; solution[.vi] = solution[.vi] ?? plain }
            if solution.isEmpty { _ = try required(prefix + "solution") }
            var tolerance = 0.0
            if let toleranceText = values[prefix + "tolerance"], !toleranceText.isEmpty {
                guard let parsed = Double(toleranceText.replacing("_", with: "")), parsed >= 0, parsed.isFinite else {
                    throw LessonError(file: file, line: lines[prefix + "tolerance"] ?? 1, message: "`tolerance` must be a number of 0 or more, found `\(toleranceText)`")
                }
                tolerance = parsed
            }
            var hints = [try pair(prefix + "hint")]
            let more = try pair(prefix + "more", required: false)
            if !more.isEmpty { hints.append(more) }
            steps.append(Lesson.Step(task: try pair(prefix + "task"), hints: hints, solution: solution, checks: checks, tolerance: tolerance))
        }
        let stem = file.split(separator: "/").last.map(String.init) ?? file
        return Lesson(
            id: stem.hasSuffix(".lesson") ? String(stem.dropLast(7)) : stem, number: number, topic: topic,
            title: try pair("title"), text: try pair("text"), steps: steps, file: file)
    }

    static func parseTopic(_ text: String, file: String, line: Int) throws(LessonError) -> LessonTopic {
        guard let parsed = LessonTopic(rawValue: text) else {
            let names = LessonTopic.allCases.map(\.rawValue)
            throw LessonError(file: file, line: line, message: "unknown topic `\(text)`; topics: \(names.joined(separator: ", "))")
        }
        return parsed
    }

    /// `check:` holds one or more checks separated by `;`, all of which must hold.
    static func parseChecks(_ text: String, file: String, line: Int) throws(LessonError) -> [Lesson.Check] {
        var checks: [Lesson.Check] = []
        for part in text.split(separator: ";").map({ String($0).trimmingSpaces() }) where !part.isEmpty {
            let words = part.split(separator: " ", maxSplits: 1).map(String.init)
            let rest = words.count > 1 ? words[1].trimmingSpaces() : ""
            switch words.first {
            case "rows", "rows-ordered":
                let columns = rest.split(separator: ",").map { String($0).trimmingSpaces() }.filter { !$0.isEmpty }
                guard !columns.isEmpty else {
                    throw LessonError(file: file, line: line, message: "`check: rows` needs column names: `check: rows district, value`")
                }
                checks.append(.rows(columns: columns, ordered: words.first == "rows-ordered"))
            case "value":
                guard let value = Double(rest.replacing("_", with: "")) else {
                    throw LessonError(file: file, line: line, message: "`check: value` needs a number: `check: value 352000000000`")
                }
                checks.append(.value(value))
            case "warns":
                checks.append(.warns(try parseTopic(rest, file: file, line: line)))
            case "no-warning":
                checks.append(.noWarning(try parseTopic(rest, file: file, line: line)))
            case "words":
                let groups = rest.split(separator: ",").map { group in
                    group.split(separator: "|").map { Tutorial.sentenceForm(String($0).trimmingSpaces()) }.filter { !$0.isEmpty }
                }.filter { !$0.isEmpty }
                guard !groups.isEmpty else {
                    throw LessonError(file: file, line: line, message: "`check: words` needs words: `check: words 6300, per year|each year`")
                }
                checks.append(.words(groups))
            default:
                throw LessonError(file: file, line: line, message: "`check` must be `rows COLUMNS`, `rows-ordered COLUMNS`, `value NUMBER`, `warns TOPIC`, `no-warning TOPIC` or `words W|W, W` (several joined by `;`)")
            }
        }
        guard !checks.isEmpty else {
            throw LessonError(file: file, line: line, message: "`check` must be `rows COLUMNS`, `rows-ordered COLUMNS`, `value NUMBER`, `warns TOPIC`, `no-warning TOPIC` or `words W|W, W` (several joined by `;`)")
        }
        if checks.contains(where: { if case .words = $0 { true } else { false } }), checks.count > 1 {
            throw LessonError(file: file, line: line, message: "`check: words` judges a sentence and cannot be joined with checks of a result")
        }
        return checks
    }
}
