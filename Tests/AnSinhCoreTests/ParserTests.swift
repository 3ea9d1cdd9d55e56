import Testing
@testable import AnSinhCore

@Suite struct ParserTests {
    func parse(_ text: String) -> ([Statement], [Diagnostic]) {
        Parser.parse(SourceFile(name: nil, text: text))
    }

    @Test func pipelineAcrossLines() {
        let (statements, errors) = parse("from facts\n| where value > 1\n| take 3")
        #expect(errors.isEmpty)
        guard case .query(let pipeline) = statements.first?.kind else { Issue.record("not a query"); return }
        #expect(pipeline.stages.count == 2)
    }

    @Test func precedenceFollowsTheTable() {
        let (statements, _) = parse("from t | where a or b and not c == 1 + 2 * 3")
        guard case .query(let pipeline) = statements.first?.kind, case .filter(let expr) = pipeline.stages.first?.kind else {
            Issue.record("no filter"); return
        }
        guard case .binary(.or, _, let right) = expr.kind, case .binary(.and, _, let notPart) = right.kind,
              case .unary(.not, let comparison) = notPart.kind, case .binary(.equal, _, let sum) = comparison.kind,
              case .binary(.add, _, let product) = sum.kind, case .binary(.multiply, _, _) = product.kind else {
            Issue.record("wrong tree: \(expr)"); return
        }
    }

    @Test(arguments: ["from facts | where", "from facts |", "from facts | where (1 + 2", "from facts | where district == \"Thanh", "let x ="])
    func runningOutOfInputIsIncomplete(_ text: String) {
        let (_, errors) = parse(text)
        #expect(!errors.isEmpty)
        #expect(errors.allSatisfy { $0.kind == .incomplete }, "\(errors.map(\.message))")
        #expect(!InputAssembler.isComplete(text))
    }

    @Test func severalErrorsAreReportedTogether() {
        let (_, errors) = parse("from facts | wher x | sort | take 3 | selec a")
        #expect(errors.count == 3, "\(errors.map(\.message))")
        #expect(errors.map(\.message) == [.unknownStage, .expectedExpression, .unknownStage])
    }

    @Test func tenThousandDeepNestingIsRefusedWithoutCrashing() {
        let deep = "from t | where " + String(repeating: "(", count: 10_000) + "1" + String(repeating: ")", count: 10_000)
        let (_, errors) = parse(deep)
        #expect(errors.contains { $0.message == .nestingTooDeep })
        let longChain = "from t | where " + Array(repeating: "1", count: 5_000).joined(separator: " + ") + " > 0"
        #expect(parse(longChain).1.contains { $0.message == .nestingTooDeep })
        let negations = "from t | where " + String(repeating: "not ", count: 10_000) + "true"
        #expect(parse(negations).1.contains { $0.message == .nestingTooDeep })
        let fine = "from t | where " + String(repeating: "(", count: 50) + "1" + String(repeating: ")", count: 50) + " > 0"
        #expect(parse(fine).1.isEmpty)
    }

    @Test func leadingPipeAtThePromptExplainsItself() {
        let (_, errors) = parse("| where x > 1")
        #expect(errors.first?.notes.first?.message == .leadingPipeHint)
    }

    @Test func smartQuotesGetAHint() {
        let (_, errors) = parse("from facts | where district == “Quận 11”")
        #expect(errors.first?.notes.contains { $0.message == .smartQuoteHint } == true)
    }

    @Test func rangesPointAtTheCharacters() {
        let source = SourceFile(name: "x.asq", text: "from facts\n| where distrct == 1")
        let (statements, _) = Parser.parse(source)
        guard case .query(let pipeline) = statements.first?.kind, case .filter(let expr) = pipeline.stages.first?.kind,
              case .binary(_, let left, _) = expr.kind else { Issue.record("no filter"); return }
        #expect(source.text(in: left.range) == "distrct")
        #expect(source.location(of: left.range.start) == (2, 9))
    }
}
