import Testing
@testable import AnSinhCore

/// Lines at the prompt: a pasted or typed-ahead block is assembled like a script (a line starting
/// with `|` continues the pipeline), and positions count from each statement's own first line.
@Suite struct PromptInputTests {
    @Test func aPastedBlockJoinsItsPipeLinesAndNumbersEachStatementFromOne() {
        var assembler = InputAssembler(prompt: true)
        var units: [InputAssembler.Unit] = []
        for line in ["from facts | take 1", "from facts", "| where value > 1", "| take 2", ".tables", "from districts"] {
            units += assembler.addScriptLine(line)
        }
        #expect(assembler.isHolding)
        units += assembler.endOfTypeahead()
        #expect(units == [
            .statement("from facts | take 1", firstLine: 1),
            .statement("from facts\n| where value > 1\n| take 2", firstLine: 1),
            .command(".tables", line: 1),
            .statement("from districts", firstLine: 1),
        ])
        #expect(assembler.isEmpty && !assembler.isHolding)
    }

    @Test func anUnfinishedStatementWaitsForItsContinuationLine() {
        var assembler = InputAssembler(prompt: true)
        #expect(assembler.addScriptLine("from facts |").isEmpty)
        #expect(assembler.endOfTypeahead().isEmpty)  // not complete: the continuation prompt asks for more
        #expect(assembler.addScriptLine("take 1").isEmpty)
        #expect(assembler.endOfTypeahead() == [.statement("from facts |\ntake 1", firstLine: 1)])
    }

    @Test func theTenthStatementAtThePromptStillReportsLineOne() throws {
        var assembler = InputAssembler()
        for _ in 0..<9 { _ = assembler.addInteractive("from facts | take 1") }
        let tenth = assembler.addInteractive("from facts | where distrct == 1")
        let unit = try #require(tenth)
        guard case .statement(let text, let firstLine) = unit else { Issue.record("not a statement"); return }
        let session = try Session()
        do {
            _ = try session.run(SourceFile(name: nil, text: text, firstLine: firstLine))
            Issue.record("no error")
        } catch {
            let rendered = error.diagnostics.map { DiagnosticRenderer.render($0, in: SourceFile(name: nil, text: text, firstLine: firstLine), language: .en) }
            #expect(rendered.first?.hasPrefix("1:20: error") == true, "\(rendered)")
        }
    }
}
