import Testing
@testable import AnSinhCore

/// Engine behaviour that the language cases do not reach easily: big and odd inputs.
@Suite struct EngineTests {
    func session(with csv: String, named name: String = "t") throws -> Session {
        let session = try Session()
        session.defineTable(try CSVImporter.load(text: csv, name: name).table)
        return session
    }

    func rows(_ session: Session, _ query: String) throws -> [[Value]] {
        let outcomes = try session.run(SourceFile(name: nil, text: query))
        guard case .result(let result, _) = outcomes.last else { return [] }
        let table = result.table
        return (0..<table.rowCount).map { row in table.visibleColumnIndices.map { table.value(row: row, column: $0) } }
    }

    func warnings(_ session: Session, _ query: String) throws -> [MessageID] {
        let outcomes = try session.run(SourceFile(name: nil, text: query))
        guard case .result(let result, _) = outcomes.last else { return [] }
        return result.warnings.map(\.message)
    }

    @Test func overflowAndDivisionByZeroGiveNullWithANote() throws {
        let session = try self.session(with: "a,b\n9223372036854775807,0\n1,2\n")
        #expect(try rows(session, "from t | select s = a + 1, d = a / b") == [[.null, .null], [.integer(2), .decimal(0.5)]])
        #expect(try warnings(session, "from t | select s = a + 1, d = a / b") == [.divisionByZeroGaveNull, .overflowGaveNull])
        // A constant is computed once, but its null lands in every row, and the note says so.
        let outcomes = try session.run(SourceFile(name: nil, text: "from t | select x = 1 / 0"))
        guard case .result(let result, _) = outcomes.last else { Issue.record("no result"); return }
        #expect(result.warnings.map(\.message) == [.divisionByZeroGaveNull])
        #expect(result.warnings.first?.arguments == ["2"])
        #expect(try rows(session, "from t | summarize s = sum(a)") == [[.null]])
    }

    @Test func aggregatesIgnoreNullsAndEmptyInputStillAnswers() throws {
        let session = try self.session(with: "g,v\nx,1\nx,\ny,3\ny,5\n")
        #expect(try rows(session, "from t | summarize n = count(), c = count(v), s = sum(v), m = median(v) by g") ==
                [[.text("x"), .integer(2), .integer(1), .integer(1), .decimal(1)], [.text("y"), .integer(2), .integer(2), .integer(8), .decimal(4)]])
        #expect(try rows(session, "from t | where v > 100 | summarize n = count(), s = sum(v), a = avg(v)") == [[.integer(0), .null, .null]])
    }

    @Test func largeKeySpaceUsesTheHashPathAndAgreesWithTheDensePath() throws {
        // Two keys whose product of cardinalities exceeds the dense limit (2^24).
        var csv = "a,b,v\n"
        for index in 0..<20_000 { csv += "\(index * 1_000_003),k\(index % 5000),\(index % 7)\n" }
        let session = try self.session(with: csv)
        let grouped = try rows(session, "from t | summarize s = sum(v), n = count() by a, b | summarize groups = count(), total = sum(s)")
        #expect(grouped == [[.integer(20_000), .integer((0..<20_000).reduce(0) { $0 + Int64($1 % 7) })]])
    }

    @Test func sortIsStableWithNullsLast() throws {
        let session = try self.session(with: "k,v\nb,1\na,\nc,1\nd,0\n")
        #expect(try rows(session, "from t | sort v desc | select k") == [[.text("b")], [.text("c")], [.text("d")], [.text("a")]])
        #expect(try rows(session, "from t | sort v | select k") == [[.text("d")], [.text("b")], [.text("c")], [.text("a")]])
    }

    @Test func topNMatchesAFullSort() throws {
        var csv = "v\n"
        for index in 0..<5000 { csv += "\((index * 7919) % 5003)\n" }
        let session = try self.session(with: csv)
        let top = try rows(session, "from t | sort v desc | take 5")
        let all = try rows(session, "from t | sort v desc")
        #expect(top == Array(all.prefix(5)))
    }

    @Test func textComparisonAgainstAConstantUsesCanonicalEquality() throws {
        let session = try self.session(with: "name\nXuân\nXuân\nQuận\n")
        #expect(try rows(session, "from t | where name == \"Xua\\u{0302}n\" | summarize n = count()") == [[.integer(2)]])
    }

    @Test func joinGuardStopsRunawayResults() throws {
        var csv = "k\n"
        for _ in 0..<2000 { csv += "1\n" }
        let session = try self.session(with: csv)
        session.limits.maximumRows = 100_000
        #expect(throws: DiagnosticList.self) { try session.run(SourceFile(name: nil, text: "from t | join t on k")) }
    }

    @Test func cancellationStopsAQuery() throws {
        let session = try self.session(with: "v\n1\n2\n")
        session.cancellation = CancellationCheck { true }
        do {
            _ = try session.run(SourceFile(name: nil, text: "from t | sort v"))
            Issue.record("the query ran despite cancellation")
        } catch {
            #expect(error.diagnostics.first?.kind == .cancelled)
        }
    }

    @Test func doubleCountingIsNoticed() throws {
        let session = try Session()
        let query = "from facts | where district == \"Thanh Xuân\" and indicator == \"policy_credit_lending\" | summarize total = sum(value)"
        #expect(try warnings(session, query).contains(.warnDoubleCounted))
        let oneSource = "from facts | where district == \"Thanh Xuân\" and indicator == \"policy_credit_lending\" and source == \"tx-portal\" | summarize total = sum(value)"
        #expect(try !warnings(session, oneSource).contains(.warnDoubleCounted))
    }

    @Test func mixedUnitsAreNamed() throws {
        let session = try Session()
        #expect(try warnings(session, "from facts | summarize total = sum(value) by district").contains(.warnMixedUnits))
        #expect(try !warnings(session, "from facts | summarize total = sum(value) by district, unit").contains(.warnMixedUnits))
    }
}
