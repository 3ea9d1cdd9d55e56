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
        6: "from facts | where measure == \"annual_average\" | select value, indicator, period, district, id",
        7: "from targets | where period == \"2024\" and district ~ \"thanh xuan\" | select pct_of_plan, indicator",
        8: "from facts | summarize count = count() by qualifier | sort count desc",
        9: "from conflicts | where indicator ~ \"JOB\" | select value_a, value_b, district",
        10: "from facts | where indicator == \"poverty_rate\" and district ~ \"tan hung\" | select definition, value, period | sort period desc",
        11: "from districts | select replaced_by, district, dissolved_on",
        12: "from facts | where indicator == \"poverty_rate\" and district ~ \"tan hung\" | sort year_to | summarize first_rate = first(value), last_rate = last(value) | select relative = 100 * (last_rate - first_rate) / first_rate",
        13: "from facts | where indicator ~ \"emergency_support\" | summarize n = sum(value) by indicator",
        14: "from facts | where indicator == \"policy_credit_lending\" and district ~ \"thanh xuan\" | summarize lent = sum(value) by district",
    ]

    static let lessons = Tutorial(statePath: nil).lessons

    /// Opens lesson `number` in `language`, then does `action` (an answer typed at the prompt, a
    /// `.tutorial` command); returns what that printed.
    func afterOpening(_ number: Int, in language: Language, _ action: (Shell) -> Void) throws -> Capture {
        let session = try Session()
        session.language = language
        let capture = Capture()
        let shell = Shell(session: session, writeOut: { capture.out += $0 }, writeErr: { capture.err += $0 })
        shell.tutorial.persist = false
        shell.runScript(".tutorial \(number)", fileName: nil, keepGoing: false)
        capture.reset()
        action(shell)
        return capture
    }

    func play(_ lesson: Lesson, _ answer: String, language: Language) throws -> String {
        try afterOpening(lesson.number, in: language) { $0.run(.statement(answer, firstLine: 1)) }.out
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

    @Test func aPassedTaskIsNotJudgedAgainUntilTheNextLesson() throws {
        let lesson = try #require(Self.lessons.first)
        let capture = try afterOpening(lesson.number, in: .en) { shell in
            shell.run(.statement(lesson.solution, firstLine: 1))
            shell.run(.statement("from facts | take 1", firstLine: 2))
        }
        #expect(capture.out.contains("✓ Correct!"), "\(capture.out)")
        #expect(!capture.out.contains("Not yet"), "exploring after a pass is not judged: \(capture.out)")
    }

    @Test func finishingTheLastLessonFirstDoesNotClaimEveryLessonIsDone() throws {
        let last = try #require(Self.lessons.last)
        let out = try playSequence(last.number, last.steps.map { Self.typed($0, .en) })
        #expect(out.contains("✓ Correct!"), "\(out)")
        #expect(!out.contains("finished every lesson"), "\(out)")
        #expect(out.contains("still to do: 1, 2"), "\(out)")
        let vi = try playSequence(last.number, last.steps.map { Self.typed($0, .vi) }, language: .vi)
        #expect(vi.contains("còn các bài chưa làm: 1, 2"), "\(vi)")
    }

    @Test("a wrong answer gets what differs and the hint, in the learner's language", arguments: lessons)
    func wrongAnswers(_ lesson: Lesson) throws {
        let english = try play(lesson, "from facts | take 1", language: .en)
        #expect(english.contains("Not yet: "), "\(english)")
        #expect(english.contains("\nHint: " + (lesson.hint[.en] ?? "")), "\(english)")
        let vietnamese = try play(lesson, "from facts | take 1", language: .vi)
        #expect(vietnamese.contains("Chưa đúng: "), "\(vietnamese)")
        #expect(vietnamese.contains("\nGợi ý: " + (lesson.hint[.vi] ?? "")), "\(vietnamese)")
        #expect(try play(lesson, "from nowhere", language: .en).contains("Not yet.\nHint: "))
    }

    func lesson(_ number: Int) throws -> Lesson {
        try #require(Self.lessons.first { $0.number == number })
    }

    /// Answers that leave out a column the task asks for, or keep the wrong rows, are refused,
    /// and the feedback names the missing column.
    static let incomplete: [(lesson: Int, answer: String, missing: String)] = [
        (6, "from facts | where measure == \"annual_average\" | select indicator, value", "period"),
        (6, "from facts | where measure == \"annual_average\" | select indicator, period, value", "district"),
        (9, "from conflicts | where indicator == \"jobs_created\" | select value_a, value_b", "district"),
        (10, "from facts | where district == \"Tân Hưng\" and indicator == \"poverty_rate\" | select period, value", "definition"),
        (11, "from districts | select district, replaced_by", "dissolved_on"),
        (3, "from facts | where district == \"Tân Hưng\" and unit == \"VND\" and value > 10_000_000_000 | select value", "id"),
    ]

    @Test func incompleteAnswersAreRefusedAndTheMissingColumnIsNamed() throws {
        for (number, answer, missing) in Self.incomplete {
            let english = try play(try lesson(number), answer, language: .en)
            #expect(!english.contains("✓"), "lesson \(number) accepted \(answer)")
            #expect(english.contains("Not yet: ") && english.contains("your result has no column `\(missing)`"), "lesson \(number): \(english)")
            let vietnamese = try play(try lesson(number), answer, language: .vi)
            #expect(vietnamese.contains("Chưa đúng: ") && vietnamese.contains("kết quả của bạn không có cột `\(missing)`"), "lesson \(number): \(vietnamese)")
        }
    }

    @Test func wrongRowsAreDiagnosedBeforeTheHint() throws {
        // Lesson 3 without the 10 tỷ filter: the right columns, too many rows.
        let english = try play(try lesson(3), "from facts | where district == \"Tân Hưng\" and unit == \"VND\" | select id, value", language: .en)
        #expect(english.contains("Not yet: your result has 8 rows, the answer has 3 rows.\nHint: 10 tỷ"), "\(english)")
        let vietnamese = try play(try lesson(3), "from facts | where district == \"Tân Hưng\" and unit == \"VND\" | select id, value", language: .vi)
        #expect(vietnamese.contains("Chưa đúng: kết quả của bạn có 8 dòng, đáp án có 3 dòng.\nGợi ý: 10 tỷ"), "\(vietnamese)")
        // One row: English says "1 row".
        let one = try play(try lesson(10), "from facts | where district == \"Tân Hưng\" and indicator == \"poverty_rate\" | take 1 | select period, value, note", language: .en)
        #expect(one.contains("your result has 1 row, the answer has 2 rows"), "\(one)")
        // The right number of rows but other values in a named column.
        let values = try play(try lesson(11), "from districts | select district, dissolved_on = province, replaced_by", language: .en)
        #expect(values.contains("Not yet: the values in column `dissolved_on` are not the answer's."), "\(values)")
    }

    /// Correct answers that the lesson once refused: a per-resident amount rounded to whole đồng,
    /// extra columns, another column order, another row order.
    static let alsoCorrect: [(lesson: Int, answer: String)] = [
        (4, "from facts | where district == \"Nam Từ Liêm\" and indicator == \"tet_gift_spending\" | select v = round(value / 264246)"),
        (4, "from facts | where district == \"Nam Từ Liêm\" and indicator == \"tet_gift_spending\" | select v = round(value / 264246, 2)"),
        (6, "from facts | where measure == \"annual_average\" | sort value desc | select period, value, district, indicator, quote"),
        (10, "from facts | where indicator == \"poverty_rate\" and district == \"Tân Hưng\" | select id, definition, period, value, unit"),
        (11, "from districts | sort district desc | select dissolved_on, replaced_by, district, province"),
    ]

    @Test func reasonableAnswersPass() throws {
        for (number, answer) in Self.alsoCorrect {
            for language in Language.allCases {
                #expect(try play(try lesson(number), answer, language: language).contains("✓"), "lesson \(number) refused \(answer)")
            }
        }
        // The tolerance is one đồng, not anything: a per-resident amount in thousands is wrong.
        let thousands = try play(try lesson(4), "from facts | where district == \"Nam Từ Liêm\" and indicator == \"tet_gift_spending\" | select per_resident = round(value / 264246 / 1000)", language: .en)
        #expect(thousands.contains("Not yet: the values in column `per_resident` are not the answer's."), "\(thousands)")
    }

    @Test func lesson7SaysWhichRowsInBothLanguages() throws {
        let targets = try lesson(7)
        for language in Language.allCases {
            let task = try #require(targets.task[language])
            #expect(task.contains("`2024`") && task.contains("`end-2024`"), "\(language): \(task)")
        }
        // Reading "2024" as "any period mentioning 2024" is now against the task, and the
        // feedback says why: one row too many.
        let loose = try play(targets, "from targets | where district == \"Thanh Xuân\" and period ~ \"2024\" | select indicator, pct_of_plan", language: .en)
        #expect(loose.contains("Not yet: your result has 4 rows, the answer has 3 rows."), "\(loose)")
    }

    static func column(_ values: [Value]) -> Column {
        let builder = ColumnBuilder(type: values.first?.type ?? .text)
        for value in values { builder.append(value) }
        return builder.finish()
    }

    @Test func rowsMustStayTogether() {
        // Each column holds the solution's values, but paired in other rows: not the same table.
        let expected = Table(name: "e", fields: [Field(name: "a", type: .text), Field(name: "b", type: .integer)],
                             columns: [Self.column([.text("x"), .text("y")]), Self.column([.integer(1), .integer(2)])], rowCount: 2)
        let swapped = Table(name: "s", fields: [Field(name: "a", type: .text), Field(name: "b", type: .integer)],
                            columns: [Self.column([.text("x"), .text("y")]), Self.column([.integer(2), .integer(1)])], rowCount: 2)
        #expect(Tutorial.differences(swapped, expected, columns: ["a", "b"], ordered: false, tolerance: 0) == [.rowsMismatched])
        #expect(Tutorial.differences(expected, expected, columns: ["a", "b"], ordered: true, tolerance: 0).isEmpty)
        let reversed = Table(name: "r", fields: [Field(name: "b", type: .integer), Field(name: "a", type: .text)],
                             columns: [Self.column([.integer(2), .integer(1)]), Self.column([.text("y"), .text("x")])], rowCount: 2)
        #expect(Tutorial.differences(reversed, expected, columns: ["a", "b"], ordered: false, tolerance: 0).isEmpty)
        #expect(Tutorial.differences(reversed, expected, columns: ["a", "b"], ordered: true, tolerance: 0) == [.orderDiffers])
    }

    @Test func previousOnTheFirstLessonSaysSo() throws {
        let first = try #require(Self.lessons.first)
        for language in Language.allCases {
            let capture = try afterOpening(first.number, in: language) { $0.runScript(".tutorial previous", fileName: nil, keepGoing: false) }
            let expected = language == .vi ? "Bài \(first.number) là bài đầu tiên." : "Lesson \(first.number) is the first lesson."
            #expect(capture.out.hasPrefix(expected), "\(language): \(capture.out)")
            #expect(capture.err.isEmpty)
        }
    }

    @Test func nextOnTheLastLessonSaysSo() throws {
        let last = try #require(Self.lessons.last)
        for language in Language.allCases {
            let capture = try afterOpening(last.number, in: language) { $0.runScript(".tutorial next", fileName: nil, keepGoing: false) }
            let expected = language == .vi ? "Bài \(last.number) là bài cuối cùng. Gõ .tutorial 1" : "Lesson \(last.number) is the last lesson. Type .tutorial 1"
            #expect(capture.out.hasPrefix(expected), "\(language): \(capture.out)")
            #expect(capture.out.contains(".tutorial reset"))
            #expect(capture.err.isEmpty)
        }
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
        _ = try first.command(["answer", "49.197", "đồng", "per", "resident", "(2019", "census)"], session: session)
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
            ("number: 1\ntitle.en: t\ntext.en: t\ntask.en: t\nhint.en: h\nsolution: from facts\ncheck: rows id\ntolerance: a lot\n",
             "x.lesson:8: `tolerance` must be a number of 0 or more, found `a lot`"),
        ]
        Self.expectRefused(cases)
    }

    /// Each broken lesson text is refused with exactly its message (file and line included).
    static func expectRefused(_ cases: [(String, String)]) {
        for (text, message) in cases {
            do {
                _ = try LessonParser.parse(text, file: "x.lesson")
                Issue.record("accepted a broken lesson: \(text)")
            } catch {
                #expect(error.description == message)
            }
        }
    }

    // MARK: - Lessons of several tasks: the tempting mistake, its note, the fix, the sentence

    /// Plays lesson `number` from its first task, typing `answers` (queries, or `.tutorial …`
    /// commands) one after another; returns everything printed after the lesson opened.
    func playSequence(_ number: Int, _ answers: [String], language: Language = .en) throws -> String {
        try afterOpening(number, in: language) { shell in
            for (index, answer) in answers.enumerated() {
                if answer.hasPrefix(".") { shell.runScript(answer, fileName: nil, keepGoing: false) }
                else { shell.run(.statement(answer, firstLine: index + 1)) }
            }
        }.out
    }

    /// Each task's own answer, as a learner types it.
    static func typed(_ step: Lesson.Step, _ language: Language) -> String {
        step.wantsSentence ? ".tutorial answer " + step.solution(language) : step.solution(language)
    }

    @Test("every task of every lesson accepts its solution, one after another, in both languages", arguments: lessons)
    func everyTaskInOrder(_ lesson: Lesson) throws {
        for language in Language.allCases {
            let out = try playSequence(lesson.number, lesson.steps.map { Self.typed($0, language) }, language: language)
            let next = language == .vi ? "✓ Đúng rồi! Sang bài tập tiếp theo" : "✓ Correct! On to the next task"
            #expect(out.components(separatedBy: next).count - 1 == lesson.steps.count - 1, "lesson \(lesson.number) \(language): \(out)")
            #expect(!out.contains("Not yet") && !out.contains("Chưa đúng"), "lesson \(lesson.number) \(language): \(out)")
        }
    }

    @Test func theTemptingTaskNeedsItsNoteAndTheFixNeedsItGone() throws {
        let lesson9 = try lesson(9)
        #expect(lesson9.steps.count == 4)
        #expect(lesson9.steps[1].checks == [.warns(.conflicts)])
        // Task 2 asks for the mistake: an answer without the double-counting note is refused.
        let tidy = try playSequence(9, [lesson9.solution, "from facts | where district == \"Thanh Xuân\" and source == \"tx-portal\" | take 1"])
        #expect(tidy.contains("Not yet: no note pointing to lesson 9 (When two sources disagree) is under your result yet"), "\(tidy)")
        // Task 3 asks for the fix: the tempting sum again still carries the note (and lacks 6.500).
        let again = lesson9.steps[1].solution(.en)
        let unfixed = try playSequence(9, [lesson9.solution, again, again])
        #expect(unfixed.contains("the note pointing to lesson 9 (When two sources disagree) is still under your result"), "\(unfixed)")
        let vi = try playSequence(9, [lesson9.solution, again, again], language: .vi)
        #expect(vi.contains("lời nhắc dẫn tới bài 9 (Khi hai nguồn nói khác nhau) vẫn còn dưới kết quả của bạn"), "\(vi)")
        // Lesson 5: one total of a stock and a flow is the mistake; one total per measure the fix.
        let lesson5 = try lesson(5)
        let stockFlow = try playSequence(5, [lesson5.solution, lesson5.steps[1].solution(.en), lesson5.steps[1].solution(.en)])
        #expect(stockFlow.contains("the note pointing to lesson 5 (Stock or flow?) is still under your result"), "\(stockFlow)")
    }

    @Test func aSentenceNeedsItsWordsWhateverTheNumberStyleOrAccents() throws {
        let lesson9 = try lesson(9)
        let first = lesson9.steps.prefix(3).map { Self.typed($0, .en) }
        let missing = try playSequence(9, first + [".tutorial answer Thanh Xuan placed 6.300 people per year"])
        #expect(missing.contains("Not yet: your sentence lacks: 6500."), "\(missing)")
        // 6,500 and 6 500 are 6.500; "moi nam" without accents is "mỗi năm".
        for sentence in ["6,300 or 6,500 people each year", "6 300 hoặc 6 500 người moi nam", "6300–6500 a year"] {
            let out = try playSequence(9, first + [".tutorial answer " + sentence])
            #expect(out.contains("✓ Correct! Type .tutorial next"), "\(sentence): \(out)")
        }
        // A query is not a sentence, and a sentence is not a query.
        let query = try playSequence(9, first + ["from facts | take 1"])
        #expect(query.contains("Write your sentence after .tutorial answer"), "\(query)")
        let early = try playSequence(9, [".tutorial answer 6300 and 6500"])
        #expect(early.contains("This task is answered with a query"), "\(early)")
        // Lesson 5's sentence must keep the "about" of the articles.
        let lesson5 = try lesson(5)
        let noAbout = try playSequence(5, lesson5.steps.prefix(3).map { Self.typed($0, .en) } + [".tutorial answer Thanh Xuân owed 352 tỷ at the end of 2024"])
        #expect(noAbout.contains("your sentence lacks: about / around"), "\(noAbout)")
    }

    /// The first hint is a nudge: it never holds every stage of the task's solution (typed in one
    /// piece or stage by stage, with or without backticks), in either language. The second hint
    /// (`more`) may come closer.
    @Test("the first hint of every task leaves something to find", arguments: lessons)
    func firstHintIsNotTheSolution(_ lesson: Lesson) throws {
        func squeezed(_ text: String) -> String {
            text.replacingOccurrences(of: "`", with: "").split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ")
        }
        for (index, step) in lesson.steps.enumerated() where !step.wantsSentence {
            for language in Language.allCases {
                let hint = squeezed(lesson.localized(step.hints[0], language))
                let stages = step.solution(language).components(separatedBy: " | ").map(squeezed)
                #expect(!stages.allSatisfy { hint.contains($0) },
                        "lesson \(lesson.number) task \(index + 1) (\(language)): the first hint gives the whole solution: \(hint)")
            }
        }
    }

    @Test func hintsComeCloserAndTheSolutionIsOfferedAfterThreeMisses() throws {
        let step = try lesson(9).steps[1]
        #expect(step.hints.count == 2)
        let out = try playSequence(9, [try lesson(9).solution, "from facts | take 1", "from facts | take 2", "from facts | take 3"])
        let first = try #require(step.hints[0][.en]), second = try #require(step.hints[1][.en])
        let firstAt = try #require(out.range(of: "Hint: " + first)), secondAt = try #require(out.range(of: "Hint: " + second))
        #expect(firstAt.lowerBound < secondAt.lowerBound, "\(out)")
        #expect(!step.solution(.en).contains(first) && first != step.solution(.en), "the first hint is not the solution")
        #expect(out.components(separatedBy: "Stuck? .tutorial solution shows one answer.").count == 2, "offered once, after the third miss: \(out)")
        // `.tutorial hint` also moves on: after one, the next is the closer one.
        let asked = try playSequence(9, [try lesson(9).solution, ".tutorial hint", ".tutorial hint"])
        #expect(asked.contains("Hint: " + first) && asked.contains("Hint: " + second), "\(asked)")
    }

    @Test func statusAndExportForATeacher() throws {
        let folder = "/tmp/ansinh-tutorial-export-\(getpid())"
        mkdir(folder, 0o700)
        defer { for name in ["a.csv", "a.json"] { unlink(folder + "/" + name) }; rmdir(folder) }
        let lesson9 = try lesson(9)
        let capture = try afterOpening(9, in: .en) { shell in
            shell.runScript(".tutorial student Nguyễn Thị Lan", fileName: nil, keepGoing: false)
            shell.run(.statement("from facts | take 1", firstLine: 1))
            shell.run(.statement(lesson9.solution, firstLine: 2))
            shell.runScript(".tutorial hint\n.tutorial answer =HYPERLINK(\"x\")\n.tutorial status", fileName: nil, keepGoing: false)
            shell.runScript(".tutorial export \(folder)/a.csv\n.tutorial export \(folder)/a.json", fileName: nil, keepGoing: false)
        }
        #expect(capture.out.contains("Lessons done: 0 of \(Self.lessons.count)"), "\(capture.out)")
        #expect(capture.out.contains("Now: lesson 9 (When two sources disagree), task 2 of 4"), "\(capture.out)")
        #expect(capture.out.contains("Answers: 2 (1 correct); hints asked for: 1; solutions shown: 0"), "\(capture.out)")
        #expect(capture.err.contains("wrote 3 attempts of Nguyễn Thị Lan to `\(folder)/a.csv`"), "\(capture.err)")
        let csv = try TextFile.read(folder + "/a.csv").split(separator: "\n").map(String.init)
        #expect(csv.first == "student,time,lesson,lesson_id,task,kind,answer,verdict,feedback,warnings")
        #expect(csv.count == 4, "\(csv)")
        #expect(csv[1].hasPrefix("Nguyễn Thị Lan,") && csv[1].contains(",9,09-conflicts,1,query,from facts | take 1,not yet,"), "\(csv[1])")
        #expect(csv[2].contains(",1,query,") && csv[2].contains(",correct,"), "\(csv[2])")
        #expect(csv[3].contains(",2,hint,"), "\(csv[3])")
        let json = try TextFile.read(folder + "/a.json")
        #expect(json.hasPrefix("{\"student\": \"Nguyễn Thị Lan\""), "\(json)")
        #expect(json.contains("\"verdict\": \"not yet\""), "\(json)")
    }

    @Test func aFormulaTypedAsAnAnswerStaysTextInTheTeachersSpreadsheet() {
        let attempt = TutorialAttempt(time: "t", lesson: 9, lessonID: "09-conflicts", task: 4, kind: .sentence,
                                      text: "=HYPERLINK(\"http://x\")", verdict: .notYet, feedback: "", warnings: [])
        #expect(attempt.csvLine(student: "@me").contains("'@me,") && attempt.csvLine(student: "@me").contains("\"'=HYPERLINK(\"\"http://x\"\")\""))
        // The saved line reads back as the same attempt, tabs and line breaks included.
        var tricky = attempt
        tricky.text = "a\tb\nc\\d"
        tricky.warnings = [.conflicts, .period]
        #expect(TutorialAttempt.parse(Substring(tricky.savedLine())) == tricky)
    }

    @Test func theTaskReachedAndTheAttemptsAreRememberedBetweenSessions() throws {
        let path = "/tmp/ansinh-tutorial-steps-\(getpid())/state"
        defer { unlink(path); unlink(path + "-attempts") }
        let session = try Session()
        let first = Tutorial(statePath: path)
        _ = try first.command(["9"], session: session)
        _ = first.check(answer: SourceFile(name: nil, text: try lesson(9).solution), session: session)
        let second = Tutorial(statePath: path)
        #expect(try second.command([], session: session).contains("Task 2 of 4"))
        #expect(second.attempts.count == 1 && second.attempts.first?.verdict == .correct)
        #expect(try second.command(["status"], session: session).contains("… lesson 9: 1 of 4 tasks, 1 answers"))
    }

    @Test func tasksHintsAndVerdictsFitTheTerminalButASolutionStaysOneLine() throws {
        let session = try Session()
        session.language = .vi
        session.settings.width = 60
        let tutorial = Tutorial(statePath: nil)
        let lesson7 = try lesson(7)
        var printed = try tutorial.command(["7"], session: session)
        printed += "\n" + (tutorial.check(answer: SourceFile(name: nil, text: lesson7.solution), session: session) ?? "")
        printed += "\n" + (tutorial.check(answer: SourceFile(name: nil, text: "from facts | take 1"), session: session) ?? "")
        for line in printed.split(separator: "\n") {
            #expect(UnicodeText.displayWidth(String(line)) <= 60, "too wide: [\(line)]")
        }
        #expect(printed.contains("Bài tập 2/3: "), "\(printed)")
        let solution = try tutorial.command(["solution"], session: session)
        #expect(solution == "Lời giải: " + lesson7.steps[1].solution(.vi), "\(solution)")
    }

    @Test func brokenTaskSequencesNameFileAndLine() {
        let base = "number: 1\ntitle.en: t\ntext.en: t\ntask.en: t\nhint.en: h\nsolution: from facts\ncheck: rows id\n"
        let cases: [(String, String)] = [
            (base + "3.task.en: t\n", "x.lesson:8: task 3 comes before task 2"),
            (base + "2.task.en: t\n2.hint.en: h\n2.solution: from facts\n2.check: warns nothing\n",
             "x.lesson:11: unknown topic `nothing`; topics: " + LessonTopic.allCases.map(\.rawValue).joined(separator: ", ")),
            (base + "2.task.en: t\n2.hint.en: h\n2.solution: x\n2.check: words a; rows id\n",
             "x.lesson:11: `check: words` judges a sentence and cannot be joined with checks of a result"),
            (base + "2.task.en: t\n2.hint.en: h\n2.solution: x\n2.check: words , |\n",
             "x.lesson:11: `check: words` needs words: `check: words 6300, per year|each year`"),
        ]
        Self.expectRefused(cases)
    }
}

extension Lesson: CustomTestStringConvertible {
    public var testDescription: String { "lesson \(number) (\(id))" }
}
