import Testing
@testable import AnSinhCore

/// The code that runs on both cores — the two-chunk CSV parse (ParallelParse.swift: files over
/// 4 MB without quotes) and dense aggregation's per-thread partials (DenseAggregation.swift: 200,000
/// rows or more) — checked against answers computed here from the generating formula, not from
/// the engine's serial path alone. scripts/test runs this suite under ThreadSanitizer (with the
/// two-chunk tests of CSVImporterTests and CorpusTests), so a data race between the two threads
/// is a failure even when the numbers happen to come out right.
@Suite struct ParallelPathTests {
    static let rows = 240_000

    /// id, g (40 text groups, and a null every 7th row), k (a small integer range), v (decimal,
    /// null every 11th row), t (text that is null everywhere in the second half, so one chunk's
    /// text column holds no string at all).
    static let csv: String = {
        var text = "id,g,k,v,t\n"
        text.reserveCapacity(rows * 32)
        for row in 0..<rows {
            let g = row % 7 == 0 ? "" : "nhóm \(row % 40)"
            let v = row % 11 == 0 ? "" : "\(row % 1000).25"
            let t = row < rows / 2 ? "t\(row % 3)" : ""
            text += "\(row),\(g),\(row % 300),\(v),\(t)\n"
        }
        return text
    }()

    @Test func theTwoChunkParseGivesEveryCellOfTheFile() throws {
        #expect(Self.csv.utf8.count > 4_000_000, "the two-chunk path needs more than 4 MB")
        let table = try CSVImporter.load(text: Self.csv, name: "t").table
        #expect(table.rowCount == Self.rows)
        #expect(table.fields.map(\.type) == [.integer, .text, .integer, .decimal, .text])
        var nullG = 0, nullV = 0, nullT = 0
        for row in 0..<Self.rows {
            if table.columns[1].isNull(row) { nullG += 1 }
            if table.columns[3].isNull(row) { nullV += 1 }
            if table.columns[4].isNull(row) { nullT += 1 }
        }
        #expect(nullG == (Self.rows + 6) / 7)
        #expect(nullV == (Self.rows + 10) / 11)
        #expect(nullT == Self.rows / 2)
        for row in stride(from: 0, to: Self.rows, by: 7_919) + [Self.rows / 2 - 1, Self.rows / 2, Self.rows - 1] {
            #expect(table.value(row: row, column: 0) == .integer(Int64(row)))
            #expect(table.value(row: row, column: 1) == (row % 7 == 0 ? .null : .text("nhóm \(row % 40)")), "row \(row)")
            #expect(table.value(row: row, column: 2) == .integer(Int64(row % 300)))
            #expect(table.value(row: row, column: 3) == (row % 11 == 0 ? .null : .decimal(Double(row % 1000) + 0.25)), "row \(row)")
            #expect(table.value(row: row, column: 4) == (row < Self.rows / 2 ? .text("t\(row % 3)") : .null), "row \(row)")
        }
        #expect(table.columns[1].dictionary.count == 40)
        #expect(table.columns[4].dictionary.count == 3)
    }

    @Test func denseAggregationOnTwoThreadsGivesTheFormulasAnswer() throws {
        let session = try Session()
        session.defineTable(try CSVImporter.load(text: Self.csv, name: "t").table)
        let outcomes = try session.run(SourceFile(name: nil, text: "from t | summarize n = count(), c = count(v), s = sum(k), lo = min(v), hi = max(v), m = avg(k) by g"))
        guard case .result(let result, _) = outcomes.last else { Issue.record("no result"); return }
        let table = result.table
        // Expected per group, from the formula (nulls of g form their own group, last).
        var count: [String: Int] = [:], values: [String: Int] = [:], sum: [String: Int] = [:]
        var low: [String: Double] = [:], high: [String: Double] = [:]
        for row in 0..<Self.rows {
            let g = row % 7 == 0 ? "" : "nhóm \(row % 40)"
            count[g, default: 0] += 1
            sum[g, default: 0] += row % 300
            if row % 11 != 0 {
                let v = Double(row % 1000) + 0.25
                values[g, default: 0] += 1
                low[g] = min(low[g] ?? .infinity, v)
                high[g] = max(high[g] ?? -.infinity, v)
            }
        }
        #expect(table.rowCount == count.count)
        let columns = table.visibleColumnIndices
        for row in 0..<table.rowCount {
            let key: String
            switch table.value(row: row, column: columns[0]) {
            case .text(let text): key = text
            case .null: key = ""
            default: Issue.record("group key \(table.value(row: row, column: columns[0]))"); continue
            }
            let n = try #require(count[key])
            #expect(table.value(row: row, column: columns[1]) == .integer(Int64(n)), "\(key)")
            #expect(table.value(row: row, column: columns[2]) == .integer(Int64(values[key] ?? 0)), "\(key)")
            #expect(table.value(row: row, column: columns[3]) == .integer(Int64(sum[key] ?? 0)), "\(key)")
            #expect(table.value(row: row, column: columns[4]) == (low[key].map { .decimal($0) } ?? .null), "\(key)")
            #expect(table.value(row: row, column: columns[5]) == (high[key].map { .decimal($0) } ?? .null), "\(key)")
            #expect(table.value(row: row, column: columns[6]) == .decimal(Double(sum[key] ?? 0) / Double(n)), "\(key)")
        }
        #expect(table.value(row: table.rowCount - 1, column: columns[0]) == .null, "the null group comes last")
    }
}
