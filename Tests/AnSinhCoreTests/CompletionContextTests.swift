import Testing
@testable import AnSinhCore

/// Tab offers only what is valid at the cursor (issue 16 §3): the columns the stage can see,
/// aggregates only where they aggregate, and after a complete expression what may follow it.
@Suite struct CompletionContextTests {
    let completer: Completer

    init() throws {
        completer = Completer(session: try Session())
    }

    func candidates(_ text: String) -> [String] { completer.complete(text).candidates }

    @Test func columnsAreThoseTheStageSees() {
        // `districts` has no `value` column, and `value` is not offered as a keyword either.
        #expect(!candidates("from districts | select ").contains("value"))
        #expect(candidates("from districts | select ").contains("district"))
        // After a select, only what it kept.
        let afterSelect = candidates("from facts | select district, period | where ")
        #expect(afterSelect.contains("district") && afterSelect.contains("period"))
        #expect(!afterSelect.contains("indicator") && !afterSelect.contains("value"))
        // After summarize, its keys and outputs.
        let afterSummarize = candidates("from facts | summarize total = sum(value) by district | sort ")
        #expect(afterSummarize.contains("total") && afterSummarize.contains("district") && !afterSummarize.contains("value"))
    }

    @Test func aggregatesOnlyWhereTheyAggregate() {
        #expect(candidates("from facts | where cou").isEmpty)
        #expect(candidates("from facts | summarize n = cou") == ["count(", "count_distinct("])
    }

    @Test func afterACompleteExpressionComeOperatorsAndStageWords() {
        #expect(candidates("from facts | where value > 3 a") == ["and"])
        #expect(candidates("from facts | summarize n = count() b") == ["between", "by"])
        #expect(candidates("from facts | sort value d") == ["desc"])
        #expect(candidates("from facts | join districts o") == ["on"])
        let next = candidates("from facts | where value > 3 ")
        #expect(next.contains("and") && next.contains("|") && !next.contains("district"))
    }

    @Test func diacriticsInTableAndColumnNames() throws {
        let session = try Session()
        session.defineTable(try CSVImporter.load(text: "Quận,số_hộ\nA,1\n", name: "hộ_nghèo").table)
        let completer = Completer(session: session)
        #expect(completer.complete("from ho").candidates == ["hộ_nghèo"])
        #expect(completer.complete("from hộ_nghèo | select so").candidates == ["số_hộ"])
        #expect(completer.complete("from hộ_nghèo | where qu").candidates == ["Quận"])
    }
}
