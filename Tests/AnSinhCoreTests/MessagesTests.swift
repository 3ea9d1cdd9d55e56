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

    @Test("every lesson topic named by a warning has a lesson", arguments: LessonTopic.allCases)
    func lessonsExistForTopics(_ topic: LessonTopic) {
        #expect(Tutorial.lessonNumber(for: topic) != nil, "no lesson for \(topic)")
    }
}
