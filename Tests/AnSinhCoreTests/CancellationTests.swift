import Glibc
import Synchronization
import Testing
@testable import AnSinhCore

/// Counts how often the engine asks "was ^C pressed?", and answers yes from the `cancelAt`-th time.
final class CountingCancellation: Sendable {
    let calls = Atomic<Int>(0)
    let cancelAt: Int

    init(cancelAt: Int = .max) { self.cancelAt = cancelAt }

    var check: CancellationCheck {
        CancellationCheck { [self] in calls.add(1, ordering: .relaxed).newValue >= cancelAt }
    }
    var count: Int { calls.load(ordering: .relaxed) }
}

/// Every operator polls for ^C in proportion to its work (issue 16 §2, issue 19 §3): a query over
/// N rows asks at least N / 65,536 times (the budget is `RowBudget.rowsPerCheck` rows; a typed
/// kernel over all rows polls once after it), so a cancel is seen soon however long the stage runs. Counting polls, not timing them, keeps the test exact on any machine.
@Suite(.serialized) struct CancellationTests {
    static let rows = 200_000

    /// Two copies of one 200,000-row table (`t`, and `u` to join it with), read once for all tests.
    static let table: Table? = {
        var csv = "id,g,k,v,w\n"
        csv.reserveCapacity(rows * 24)
        for row in 0..<rows {
            // g: 50 groups; k: a wide integer key (the hash paths); v, w: numbers.
            csv += "\(row),g\(row % 50),\(row &* 2_654_435_761 % 1_000_000_007),\(row % 977).5,\(row % 13)\n"
        }
        return try? CSVImporter.load(text: csv, name: "t").table
    }()

    /// A session of its own per test (tests run in parallel; each sets its own cancellation check).
    func session() throws -> Session {
        let table = try #require(Self.table)
        let session = try Session()
        session.defineTable(table)
        session.defineTable(table.renamed("u"))
        return session
    }

    /// One stage each, so the check before the stage is only one of the polls counted.
    static let queries: [String] = [
        "from t | sort v desc, id",                                   // the full sort's comparator
        "from t | sort v desc | take 10",                             // partial top-N
        "from t | where v * 2 > w + 3",                               // expression kernels
        "from t | select x = concat(g, \"-\", text(w))",               // row-at-a-time functions
        "from t | select x = replace(text(id), \"1\", \"one\")",       // one call per distinct string
        "from t | summarize s = sum(v), n = count() by g",            // dense aggregation, both threads
        "from t | summarize m = median(v) by k",                      // general path: hash keys, group sort
        "from t | distinct k",
        "from t | join u on k",
        "from t | pivot g by w value sum(v)",
        "from t | chart v by id",
    ]

    @Test(arguments: queries) func everyOperatorPollsOncePerBudgetOfRowsAndStopsMidStage(query: String) throws {
        let session = try session()
        let counting = CountingCancellation()
        session.cancellation = counting.check
        _ = try session.run(SourceFile(name: nil, text: query))
        // One poll per 65,536 rows at least, besides the two the executor makes around every stage.
        let minimum = Self.rows / 65_536 + 2
        #expect(counting.count >= minimum, "\(query): \(counting.count) polls over \(Self.rows) rows")

        // Cancel at the last poll but one: a poll inside the stage, after its work began.
        let cancelling = CountingCancellation(cancelAt: max(2, counting.count - 1))
        session.cancellation = cancelling.check
        do {
            _ = try session.run(SourceFile(name: nil, text: query))
            Issue.record("\(query): ran to the end although ^C was seen at poll \(cancelling.cancelAt)")
        } catch {
            #expect(error.diagnostics.map(\.message) == [.cancelled], "\(query)")
        }
    }

    /// A sort does about n·log₂n comparisons, and its comparator spends the budget: the standard
    /// library's sort cannot be paused otherwise (a 3M-row sort once took 19 s to notice ^C).
    @Test func aFullSortPollsInsideTheComparator() throws {
        let session = try session()
        let counting = CountingCancellation()
        session.cancellation = counting.check
        _ = try session.run(SourceFile(name: nil, text: "from t | sort v desc, id"))
        let comparisons = Double(Self.rows) * log2(Double(Self.rows))
        #expect(Double(counting.count) >= comparisons / Double(RowBudget.rowsPerCheck) / 2, "\(counting.count) polls")
    }
}
