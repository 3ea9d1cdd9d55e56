import Testing
@testable import AnSinhCore

@Suite struct MessagesTests {
    static func placeholders(_ text: String) -> [String] {
        var found: [String] = []
        var current = ""
        var inside = false
        for character in text {
            if character == "{" { inside = true; current = ""; continue }
            if character == "}" && inside { found.append(current); inside = false; continue }
            if inside { current.append(character) }
        }
        return found.filter { Int($0) != nil }.sorted()
    }

    @Test("every message exists in English and Vietnamese with the same placeholders", arguments: MessageID.allCases)
    func bothLanguages(_ id: MessageID) {
        let (en, vi) = id.texts
        #expect(!en.isEmpty && !vi.isEmpty, "\(id)")
        #expect(Self.placeholders(en) == Self.placeholders(vi), "\(id): \(en) / \(vi)")
    }

    @Test func formatsArguments() {
        #expect(MessageID.unknownColumn.format(.en, ["distrct"]) == "unknown column `distrct`")
        #expect(MessageID.unknownColumn.format(.vi, ["distrct"]) == "không có cột `distrct`")
    }

    @Test func oneRowIsSingularInEnglishOnly() {
        #expect(MessageID.rowCount.format(.en, ["1"]) == "1 row")
        #expect(MessageID.rowCount.format(.en, ["11"]) == "11 rows")
        #expect(MessageID.rowCount.format(.en, ["2.001"]) == "2.001 rows")
        #expect(MessageID.letDefined.format(.en, ["t", "1", "1"]) == "`t` defined: 1 row, 1 column")
        #expect(MessageID.letDefined.format(.en, ["t", "21", "31"]) == "`t` defined: 21 rows, 31 columns")
        #expect(MessageID.divisionByZeroGaveNull.format(.en, ["1"]) == "division by zero gave null for 1 value")
        #expect(MessageID.keepGoingSummary.format(.en, ["1"]) == "1 statement failed")
        #expect(MessageID.rowCount.format(.vi, ["1"]) == "1 dòng")
    }

    @Test("every lesson topic named by a warning has a lesson", arguments: LessonTopic.allCases)
    func lessonsExistForTopics(_ topic: LessonTopic) {
        #expect(Tutorial.lessonNumber(for: topic) != nil, "no lesson for \(topic)")
    }
}

/// No English left in `.lang vi` (issue 19 §2): a Vietnamese text must not contain three words in
/// a row that the English catalogue uses (code in backticks, placeholders and dot-commands aside).
@Suite struct NoEnglishInVietnameseTests {
    static func words(_ text: String) -> [String] {
        var plain = ""
        var inCode = false
        for character in text {
            if character == "`" { inCode.toggle(); plain.append(" "); continue }
            plain.append(inCode ? " " : character)
        }
        return plain.split { !($0.isLetter || $0 == "'") }.map { $0.lowercased() }
    }

    static func trigrams(_ words: [String]) -> [String] {
        guard words.count >= 3 else { return [] }
        return (0..<(words.count - 2)).map { words[$0...($0 + 2)].joined(separator: " ") }
    }

    /// Words that mark English prose rather than code or commands quoted without backticks.
    static let prose: Set<String> = ["the", "of", "to", "is", "are", "and", "with", "this", "that", "it", "was",
                                     "has", "have", "an", "you", "your", "not", "can", "cannot", "only", "each", "must", "there"]

    static let englishTrigrams: Set<String> = Set(MessageID.allCases.flatMap { trigrams(words($0.texts.en)) })

    @Test("no Vietnamese message contains an English phrase from the catalogue", arguments: MessageID.allCases)
    func vietnameseHasNoEnglish(_ id: MessageID) {
        let vi = Self.words(id.texts.vi)
        let english = Self.trigrams(vi).filter { trigram in
            Self.englishTrigrams.contains(trigram) && trigram.allSatisfy { $0.isASCII }
                && !Set(trigram.split(separator: " ").map(String.init)).isDisjoint(with: Self.prose)
        }
        #expect(english.isEmpty, "\(id): \(english) in “\(id.texts.vi)”")
    }
}
