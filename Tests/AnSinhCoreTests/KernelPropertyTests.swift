import Foundation
import Testing
import PropertyBased
@testable import AnSinhCore

/// Property-based tests of the kernels (issue 13, "Tests that can find the next one"), with
/// x-sheep/swift-property-based: random tables — all-null, empty and one-row columns included,
/// canonically equal NFC/NFD spellings, NaN-ish text — and properties that hold for every input:
///
/// - `sort` is a permutation of its input, ordered by the key with nulls last, and stable;
/// - `summarize … by k` partitions the rows: group counts add up to the row count, group sums
///   to the total sum, and no two groups share a key;
/// - `where p`, `where not (p)` and `where (p) is null` partition the rows;
/// - `distinct` keeps exactly one row per different value, in first-occurrence order;
/// - import → export (csv mode, raw values) → import gives the same table;
/// - NFC is idempotent, agrees on concatenations (`nfc(a + b) == nfc(nfc(a) + nfc(b))`) and with
///   Foundation's canonical composition.
///
/// On failure the library prints the (shrunk) input and a `.fixedSeed(…)` that replays it.
/// ANSINH_PROPERTY_COUNT sets the number of random inputs per property (default 150).
@Suite struct KernelPropertyTests {
    static var count: Int { StatePathsForTests.environment("ANSINH_PROPERTY_COUNT").flatMap { Int($0) } ?? 150 }

    /// Words that stress text handling: Vietnamese in NFC and NFD, canonically equal spellings,
    /// markers that are not nulls in a text column, spaces, a lone combining mark.
    static let words = ["Đà Nẵng", "Đa\u{300} Nă\u{306}\u{303}ng", "đà nẵng", "Quận 11", "Quận 2", "Thanh Xuân",
                        "NaN", "inf", "..", "-", "null", "", " ", " a ", "é", "e\u{301}", "\u{301}", "Å", "\u{212B}", "ß", "A", "a", "12"]

    struct Row: Sendable, CustomStringConvertible {
        var k: Int?
        var x: Int?
        var d: Double?
        var t: String?
        var description: String { "(\(k.map(String.init) ?? "·"), \(x.map(String.init) ?? "·"), \(d.map { "\($0)" } ?? "·"), \(t.map { "\"\($0.unicodeScalars.map { $0.isASCII ? String($0) : "\\u{\(String($0.value, radix: 16))}" }.joined())\"" } ?? "·"))" }
    }

    /// Rows, each column sometimes entirely null (the generator's optional rate applies per value;
    /// `allNull` blanks whole columns so that all-null columns of every type come up often).
    static let tables = zip(
        zip(Gen.int(in: -3...3).optional(valueRate: 0.8),
            Gen.int(in: -1000...1000).optional(valueRate: 0.8),
            Gen.element(of: [-2.5, -0.5, 0, 0.1, 0.25, 1.5, 2.5, 1e15, -7.125]).map { $0 ?? 0 }.optional(valueRate: 0.8),
            Gen.element(of: words).map { $0 ?? "" }.optional(valueRate: 0.8))
            .map { Row(k: $0, x: $1, d: $2, t: $3) }
            .array(of: 0...24),
        Gen.int(in: 0...15)
    ).map { rows, allNull -> [Row] in
        rows.map { row in
            var row = row
            if allNull & 1 != 0 { row.k = nil }
            if allNull & 2 != 0 { row.x = nil }
            if allNull & 4 != 0 { row.d = nil }
            if allNull & 8 != 0 { row.t = nil }
            return row
        }
    }

    // MARK: - helpers

    static func csv(_ rows: [Row]) -> String {
        var text = "rid,k,x,d,t\n"
        for (index, row) in rows.enumerated() {
            let t = row.t.map { "\"" + $0.replacingAll("\"", with: "\"\"") + "\"" } ?? ""
            text += "\(index + 1),\(row.k.map(String.init) ?? ""),\(row.x.map(String.init) ?? ""),\(row.d.map { "\($0)" } ?? ""),\(t)\n"
        }
        return text
    }

    static let types: [String: DataType] = ["rid": .integer, "k": .integer, "x": .integer, "d": .decimal, "t": .text]

    static func session(_ rows: [Row]) throws -> Session {
        let session = try Session()
        session.defineTable(try CSVImporter.load(text: csv(rows), name: "g", options: CSVOptions(types: types)).table)
        return session
    }

    static func run(_ session: Session, _ text: String) throws -> Table {
        let source = SourceFile(name: nil, text: text)
        let (statements, errors) = Parser.parse(source)
        guard errors.isEmpty, case .query(let pipeline)? = statements.first?.kind else {
            throw PropertyFailure("does not parse: \(text)")
        }
        let binder = Binder(catalog: session.catalog, source: source)
        do {
            let bound = try binder.bind(pipeline)
            return try Executor.run(bound, binder: binder, context: session.context()).table
        } catch {
            throw PropertyFailure("\(text): \(error.text(in: .en))")
        }
    }

    static func values(_ table: Table) -> [[Value]] {
        (0..<table.rowCount).map { row in table.visibleColumnIndices.map { table.value(row: row, column: $0) } }
    }

    static func column(_ table: Table, _ name: String) -> [Value] {
        guard let index = table.columnIndex(name) else { return [] }
        return (0..<table.rowCount).map { table.value(row: $0, column: index) }
    }

    struct PropertyFailure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    static func number(_ value: Value) -> Double? {
        switch value {
        case .integer(let v): Double(v)
        case .decimal(let v): v
        default: nil
        }
    }

    /// Canonical spelling of a row, to compare results as multisets.
    static func key(_ row: [Value]) -> String {
        row.map { value in
            switch value {
            case .null: "·"
            case .text(let s): "t" + UnicodeText.nfc(s)
            default: number(value).map { "n\($0)" } ?? "\(value)"
            }
        }.joined(separator: "\u{1F}")
    }

    // MARK: - properties

    @Test func sortIsAStableOrderedPermutation() async throws {
        await propertyCheck(count: Self.count, input: Self.tables, Gen.element(of: ["x", "d", "k"]).map { $0 ?? "x" }, Gen.bool) { rows, column, descending in
            let session = try Self.session(rows)
            let input = try Self.run(session, "from g")
            let sorted = try Self.run(session, "from g | sort \(column)\(descending ? " desc" : "")")
            // a permutation: the same rows, as multisets
            #expect(Self.values(input).map(Self.key).sorted() == Self.values(sorted).map(Self.key).sorted())
            // ordered, nulls last whichever the direction; ties keep the input order (rid ascending)
            let keys = Self.column(sorted, column).map(Self.number)
            let rids = Self.column(sorted, "rid").map(Self.number)
            for position in keys.indices.dropFirst() {
                let a = keys[position - 1], b = keys[position]
                switch (a, b) {
                case (nil, .some): Issue.record("a null before a value at row \(position) of \(rows)")
                case (.some(let a), .some(let b)):
                    #expect(descending ? a >= b : a <= b, "out of order at row \(position): \(a), \(b) in \(rows)")
                    if a == b { #expect((rids[position - 1] ?? 0) < (rids[position] ?? 0), "not stable at row \(position) in \(rows)") }
                case (nil, nil):
                    #expect((rids[position - 1] ?? 0) < (rids[position] ?? 0), "nulls not stable at row \(position) in \(rows)")
                case (.some, nil): break
                }
            }
        }
    }

    @Test func groupsPartitionTheRows() async throws {
        await propertyCheck(count: Self.count, input: Self.tables, Gen.element(of: ["k", "t"]).map { $0 ?? "k" }) { rows, key in
            let session = try Self.session(rows)
            let total = try Self.run(session, "from g | summarize n = count(), s = sum(x), c = count(x), lo = min(x), hi = max(x)")
            let groups = try Self.run(session, "from g | summarize n = count(), s = sum(x), c = count(x), lo = min(x), hi = max(x) by \(key)")
            let counts = Self.column(groups, "n").compactMap(Self.number)
            #expect(counts.reduce(0, +) == Double(rows.count), "group counts \(counts) for \(rows.count) rows: \(rows)")
            #expect(counts.allSatisfy { $0 > 0 }, "an empty group: \(counts)")
            let sums = Self.column(groups, "s").compactMap(Self.number)
            let expected = rows.compactMap(\.x).map(Double.init)
            #expect(Self.column(total, "s").first.flatMap(Self.number) == (expected.isEmpty ? nil : expected.reduce(0, +)), "total sum of \(rows)")
            #expect(sums.reduce(0, +) == expected.reduce(0, +), "group sums \(sums) vs \(expected)")
            #expect(Self.column(groups, "c").compactMap(Self.number).reduce(0, +) == Double(expected.count))
            #expect(Self.column(total, "lo").first.flatMap(Self.number) == expected.min())
            #expect(Self.column(total, "hi").first.flatMap(Self.number) == expected.max())
            #expect(Self.column(groups, "lo").compactMap(Self.number).min() == expected.min())
            // one group per key, canonically: NFC and NFD spellings are one group
            let keys = Self.column(groups, key).map { Self.key([$0]) }
            #expect(Set(keys).count == keys.count, "a key in two groups: \(keys)")
            let distinctInput = Set(rows.map { row in key == "k" ? Self.key([row.k.map { .integer(Int64($0)) } ?? .null]) : Self.key([row.t.map { .text($0) } ?? .null]) })
            #expect(Set(keys) == distinctInput || rows.isEmpty, "groups \(keys) vs keys \(distinctInput)")
        }
    }

    @Test func whereNotAndIsNullPartitionTheRows() async throws {
        let predicates = ["x > 0", "x % 2 == 0", "d < k", "t == \"e\u{301}\"", "t ~ \"da nang\"", "k in (1, null)", "x between k and 10",
                          "not (k == 0) or t is null", "x / k > 1", "length(t) > 1 and d != 0", "upper(t) == \"Đà Nẵng\"", "coalesce(k, x) > 0"]
        await propertyCheck(count: Self.count, input: Self.tables, Gen.element(of: predicates).map { $0 ?? "x > 0" }) { rows, p in
            let session = try Self.session(rows)
            let all = Self.values(try Self.run(session, "from g")).map(Self.key).sorted()
            let parts = try ["where \(p)", "where not (\(p))", "where (\(p)) is null"].map { Self.values(try Self.run(session, "from g | \($0)")).map(Self.key) }
            #expect(all == parts.flatMap { $0 }.sorted(), "`\(p)`: \(parts.map(\.count)) of \(all.count) rows in \(rows)")
            // non-optimising reference: the predicate computed as a column
            let computed = try Self.run(session, "from g | derive k2 = \(p) | where k2 == true")
            #expect(computed.rowCount == parts[0].count, "`\(p)` as a column is true in \(computed.rowCount) rows, where keeps \(parts[0].count)")
        }
    }

    @Test func distinctKeepsOneRowPerValueInFirstOrder() async throws {
        await propertyCheck(count: Self.count, input: Self.tables) { rows in
            let session = try Self.session(rows)
            let result = try Self.run(session, "from g | select k, t | distinct")
            var seen: [String] = []
            for row in rows {
                let key = Self.key([row.k.map { .integer(Int64($0)) } ?? .null, row.t.map { .text($0) } ?? .null])
                if !seen.contains(key) { seen.append(key) }
            }
            #expect(Self.values(result).map(Self.key) == seen, "distinct of \(rows)")
        }
    }

    @Test func importExportImportRoundTrips() async throws {
        await propertyCheck(count: Self.count, input: Self.tables) { rows in
            let first = try CSVImporter.load(text: Self.csv(rows), name: "g", options: CSVOptions(types: Self.types)).table
            var settings = RenderSettings()
            settings.mode = .csv
            settings.maxRows = nil
            let exported = TableRenderer(settings: settings).render(first)
            let second = try CSVImporter.load(text: exported, name: "g", options: CSVOptions(types: Self.types)).table
            #expect(second.fields.map(\.name) == first.fields.map(\.name))
            #expect(Self.values(second) == Self.values(first), "csv written:\n\(exported)\nfrom \(rows)")
            // and the values are the ones written (text in NFC)
            let expected: [[Value]] = rows.enumerated().map { index, row in
                [.integer(Int64(index + 1)), row.k.map { .integer(Int64($0)) } ?? .null, row.x.map { .integer(Int64($0)) } ?? .null,
                 row.d.map { .decimal($0) } ?? .null, row.t.map { .text(UnicodeText.nfc($0)) } ?? .null]
            }
            #expect(Self.values(first) == expected, "imported \(Self.values(first)) from \(rows)")
        }
    }

    @Test func nfcIsIdempotentAndAgreesOnConcatenation() async throws {
        let scalars = Gen.element(of: Array("aeoAEOuUyđĐ ".unicodeScalars) + ["\u{300}", "\u{301}", "\u{303}", "\u{309}", "\u{323}", "\u{302}", "\u{306}", "\u{31B}", "\u{212B}", "\u{1EA1}", "\u{1EC7}", "\u{1EDF}"])
            .map { $0 ?? "a" }
        let texts = scalars.array(of: 0...12).map { String(String.UnicodeScalarView($0)) }
        await propertyCheck(count: Self.count * 4, input: texts, texts) { a, b in
            let n = UnicodeText.nfc(a)
            #expect(UnicodeText.nfc(n) == n)
            #expect(Array(UnicodeText.nfc(n).unicodeScalars) == Array(n.unicodeScalars), "NFC of NFC changed the scalars of \(a.debugDescription)")
            let joined = UnicodeText.nfc(a + b)
            #expect(Array(joined.unicodeScalars) == Array(UnicodeText.nfc(UnicodeText.nfc(a) + UnicodeText.nfc(b)).unicodeScalars),
                    "nfc(a + b) != nfc(nfc(a) + nfc(b)) for \(a.debugDescription), \(b.debugDescription)")
            #expect(joined == a + b, "NFC changed what the text is (canonical equality) for \(a.debugDescription)")
            // and it is NFC: Foundation's canonical composition, an implementation of its own, agrees
            #expect(Array(n.unicodeScalars) == Array(a.precomposedStringWithCanonicalMapping.unicodeScalars),
                    "NFC of \(a.debugDescription) differs from Foundation's")
        }
    }
}

private extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
