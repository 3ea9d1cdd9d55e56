import Testing
import Glibc
@testable import AnSinhCore

/// Plays every lesson: a correct answer written differently from the solution, a wrong answer
/// (which must bring the hint), and the hint and solution commands — in both languages.
@Suite struct TutorialTests {
    /// Correct answers that differ from each lesson's solution text, so the check must compare results.
    static let alternatives: [Int: String] = [
        1: "from districts | sort district | select province, district_type, district",
        2: "from facts | where indicator == \"policy_credit_outstanding\" and district ~ \"thanh xuan\" | select id, quote",
        3: "from facts | where unit == \"VND\" and district ~ \"tan hung\" | where value > 1e10 | select value, id",
        4: "from facts | where indicator == \"tet_gift_spending\" | where district ~ \"nam tu liem\" | per_capita | select per_resident",
        5: "from facts | where category == \"policy_credit\" and district == \"Thanh Xuân\" | select period, measure, indicator",
        6: "from facts | where measure == \"annual_average\" | select value, indicator",
        7: "from targets | where period == \"2024\" and district ~ \"thanh xuan\" | select pct_of_plan, indicator",
        8: "from facts | summarize count = count() by qualifier | sort count desc",
        9: "from conflicts | where indicator ~ \"jobs\" | select value_a, value_b",
        10: "from facts | where indicator == \"poverty_rate\" and district ~ \"tan hung\" | select value, period",
        11: "from districts | select replaced_by, district",
    ]

    static let lessons = Tutorial(statePath: nil).lessons

    func play(_ lesson: Lesson, _ answer: String, language: Language) throws -> String {
        let session = try Session()
        session.language = language
        let capture = Capture()
        let shell = Shell(session: session, writeOut: { capture.out += $0 }, writeErr: { capture.err += $0 })
        shell.tutorial.persist = false
        shell.runScript(".tutorial \(lesson.number)", fileName: nil, keepGoing: false)
        capture.reset()
        shell.run(.statement(answer, firstLine: 1))
        return capture.out
    }

    @Test func thereAreAtLeastTenLessonsAndNoBrokenFile() {
        #expect(Self.lessons.count >= 10)
        #expect(Tutorial(statePath: nil).problems.isEmpty, "\(Tutorial(statePath: nil).problems)")
    }

    @Test("each lesson accepts its solution and another correct query", arguments: lessons)
    func correctAnswers(_ lesson: Lesson) throws {
        for language in Language.allCases {
            #expect(try play(lesson, lesson.solution, language: language).contains("✓"), "lesson \(lesson.number): solution not accepted")
        }
        let alternative = try #require(Self.alternatives[lesson.number], "lesson \(lesson.number) needs an alternative answer in this test")
        #expect(try play(lesson, alternative, language: .en).contains("✓ Correct!"), "lesson \(lesson.number): alternative not accepted")
    }

    @Test("a wrong answer gets the hint, in the learner's language", arguments: lessons)
    func wrongAnswers(_ lesson: Lesson) throws {
        let english = try play(lesson, "from facts | take 1", language: .en)
        #expect(english.contains("Not yet. Hint: " + (lesson.hint[.en] ?? "")), "\(english)")
        let vietnamese = try play(lesson, "from facts | take 1", language: .vi)
        #expect(vietnamese.contains("Chưa đúng. Gợi ý: " + (lesson.hint[.vi] ?? "")), "\(vietnamese)")
        #expect(try play(lesson, "from nowhere", language: .en).contains("Not yet"))
    }

    @Test func hintAndSolutionCommands() throws {
        let session = try Session()
        let capture = Capture()
        let shell = Shell(session: session, writeOut: { capture.out += $0 }, writeErr: { capture.err += $0 })
        shell.tutorial.persist = false
        shell.runScript(".tutorial 3\n.tutorial hint\n.tutorial solution", fileName: nil, keepGoing: false)
        #expect(capture.out.contains("Hint: 10 tỷ is 10_000_000_000"))
        #expect(capture.out.contains("Solution: from facts | where district == \"Tân Hưng\""))
    }

    @Test func progressIsRememberedBetweenSessions() throws {
        let path = "/tmp/ansinh-tutorial-test-\(getpid())/state"
        defer { unlink(path) }
        let first = Tutorial(statePath: path)
        let session = try Session()
        _ = try first.command(["4"], session: session)
        _ = first.check(answer: SourceFile(name: nil, text: "from facts | where district == \"Nam Từ Liêm\" and indicator == \"tet_gift_spending\" | per_capita"), session: session)
        let second = Tutorial(statePath: path)
        #expect(try second.command([], session: session).contains("Lesson 4/"))
        #expect(try second.command(["list"], session: session).contains("✓ 4."))
        _ = try second.command(["reset"], session: session)
        #expect(try Tutorial(statePath: path).command([], session: session).contains("Lesson 1/"))
    }

    @Test func brokenLessonFilesNameFileAndLine() {
        let cases: [(String, String)] = [
            ("number: 1\ntitel.en: x\n", "x.lesson:2: unknown key `titel.en` — did you mean `title.en`?"),
            ("number: one\n", "x.lesson:1: `number` must be a positive whole number, found `one`"),
            ("number: 1\ntitle.en: t\ntext.en: t\ntask.en: t\nhint.en: h\nsolution: from facts\ncheck: rows\n", "x.lesson:7: `check: rows` needs column names: `check: rows district, value`"),
            ("  stray\nnumber: 1\n", "x.lesson:1: an indented line must continue a `key:` line"),
            ("number: 1\nnumber: 2\n", "x.lesson:2: `number` is given twice (first on line 1)"),
        ]
        for (text, message) in cases {
            do {
                _ = try LessonParser.parse(text, file: "x.lesson")
                Issue.record("accepted a broken lesson: \(text)")
            } catch {
                #expect(error.description == message)
            }
        }
    }
}

extension Lesson: CustomTestStringConvertible {
    public var testDescription: String { "lesson \(number) (\(id))" }
}
