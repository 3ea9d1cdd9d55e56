/// One thing a learner did in the tutorial: an answer (a query or a sentence) with its verdict,
/// or a hint or solution asked for. `.tutorial status` counts them; `.tutorial export` writes them
/// for a teacher, who collects one file per student.
public struct TutorialAttempt: Sendable, Equatable {
    public enum Kind: String, Sendable { case query, sentence, hint, solution }
    public enum Verdict: String, Sendable { case correct, notYet = "not yet" }

    public var time: String
    public var lesson: Int
    public var lessonID: String
    public var task: Int
    public var kind: Kind
    public var text: String
    public var verdict: Verdict?
    /// What differed from the answer (in the learner's language at the time).
    public var feedback: String
    /// The notes under the learner's result, by the lesson topic that explains them.
    public var warnings: [LessonTopic]

    static let csvHeader = "student,time,lesson,lesson_id,task,kind,answer,verdict,feedback,warnings"

    /// A spreadsheet opens this file: a learner's text starting with `=` stays text.
    func csvLine(student: String) -> String {
        [student, time, String(lesson), lessonID, String(task), kind.rawValue, text, verdict?.rawValue ?? "", feedback,
         warnings.map(\.rawValue).joined(separator: " ")]
            .map { TableRenderer.csvField($0, separator: ",", guardFormula: true) }.joined(separator: ",")
    }

    func jsonLine(student: String? = nil) -> String {
        var members: [(String, String)] = []
        if let student { members.append(("student", JSONText.quote(student))) }
        members += [("time", JSONText.quote(time)), ("lesson", String(lesson)), ("lesson_id", JSONText.quote(lessonID)),
                    ("task", String(task)), ("kind", JSONText.quote(kind.rawValue)), ("answer", JSONText.quote(text)),
                    ("verdict", verdict.map { JSONText.quote($0.rawValue) } ?? "null"), ("feedback", JSONText.quote(feedback)),
                    ("warnings", "[" + warnings.map { JSONText.quote($0.rawValue) }.joined(separator: ", ") + "]")]
        return "{" + members.map { JSONText.quote($0.0) + ": " + $0.1 }.joined(separator: ", ") + "}"
    }

    /// The line kept in the attempts file: tab-separated fields, with `\\`, tab and line breaks escaped.
    func savedLine() -> String {
        [time, String(lesson), lessonID, String(task), kind.rawValue, verdict?.rawValue ?? "", warnings.map(\.rawValue).joined(separator: " "), feedback, text]
            .map(TutorialAttempt.escape).joined(separator: "\t")
    }

    static func escape(_ field: String) -> String {
        var out = ""
        for scalar in field.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func unescape(_ field: Substring) -> String {
        var out = ""
        var escaped = false
        for scalar in field.unicodeScalars {
            if escaped {
                switch scalar {
                case "t": out += "\t"
                case "n": out += "\n"
                case "r": out += "\r"
                default: out.unicodeScalars.append(scalar)
                }
                escaped = false
            } else if scalar == "\\" {
                escaped = true
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Reads the attempts saved by earlier sessions; a damaged line is skipped, never fatal.
    static func load(from path: String?) -> [TutorialAttempt] {
        guard let path, let text = try? TextFile.read(path) else { return [] }
        return text.split(separator: "\n").compactMap { parse($0) }
    }

    static func parse(_ line: Substring) -> TutorialAttempt? {
        let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(unescape)
        guard fields.count == 9, let lesson = Int(fields[1]), let task = Int(fields[3]), let kind = Kind(rawValue: fields[4]) else { return nil }
        return TutorialAttempt(time: fields[0], lesson: lesson, lessonID: fields[2], task: task, kind: kind, text: fields[8],
                               verdict: Verdict(rawValue: fields[5]), feedback: fields[7],
                               warnings: fields[6].split(separator: " ").compactMap { LessonTopic(rawValue: String($0)) })
    }
}
