import Testing
import Glibc
@testable import AnSinhCore

/// Runs random well-formed pipelines in ansinh and, translated by `SQLTranslator` (the sqlite
/// dialect of `.sql`), in the sqlite3 CLI over the same data, and requires the same results.
///
/// Rows are compared in order when the pipeline's order is fully determined by numeric sort keys
/// (the generator always ends a sort with a unique key); otherwise as multisets. Numbers match
/// within a relative 1e-9. Replay a run with ANSINH_DIFF_SEED=N and ANSINH_DIFF_COUNT=N.
/// Features whose meaning deliberately differs from SQLite are not generated: text ordering
/// (ansinh sorts Vietnamese alphabetically, SQLite by bytes), lower/upper (SQLite folds ASCII
/// only), concat of decimals (number formatting), integer overflow (SQLite switches to floats).
@Suite struct DifferentialTests {
    static var seed: UInt64 { StatePathsForTests.environment("ANSINH_DIFF_SEED").flatMap { UInt64($0) } ?? 20_261_122 }
    static var count: Int { StatePathsForTests.environment("ANSINH_DIFF_COUNT").flatMap { Int($0) } ?? 1200 }

    @Test func randomPipelinesAgreeWithSQLite() throws {
        guard access("/usr/bin/sqlite3", X_OK) == 0 else {
            Issue.record("sqlite3 is not installed (apt-get install sqlite3; scripts/test installs it)")
            return
        }
        var random = SeededRandom(seed: Self.seed)
        let session = try Session()
        let generated = try CSVImporter.load(text: Self.generatedTable(&random), name: "gen").table
        session.defineTable(generated)
        let database = "/tmp/ansinh-diff-\(getpid()).sqlite"
        unlink(database)
        defer { unlink(database) }
        // The same rows in SQLite, written from ansinh's own tables so both engines read identical data.
        var setup = "BEGIN;\n"
        for name in ["facts", "districts", "indicators", "gen"] {
            guard let table = session.catalog[name] else { continue }
            setup += Self.createTable(table)
        }
        setup += "COMMIT;\n"
        let created = Subprocess.run("/usr/bin/sqlite3", [database], stdin: setup)
        try #require(created.status == 0 && created.err.isEmpty, "sqlite3 setup failed: \(created.err)")

        var generator = PipelineGenerator(session: session, random: random)
        var cases: [(text: String, sql: String, result: QueryResult, ordered: Bool)] = []
        var skipped = 0
        while cases.count < Self.count {
            let (text, ordered) = generator.pipeline()
            let source = SourceFile(name: nil, text: text)
            let (statements, errors) = Parser.parse(source)
            guard errors.isEmpty, case .query(let pipeline)? = statements.first?.kind else {
                Issue.record("generator wrote a pipeline that does not parse: \(text) \(errors.map { $0.text(in: .en) })")
                continue
            }
            let binder = Binder(catalog: session.catalog, source: source)
            do {
                let bound = try binder.bind(pipeline)
                let result = try Executor.run(bound, binder: binder, context: session.context())
                let sql = try SQLTranslator(dialect: .sqlite, source: source).translate(bound)
                cases.append((text, sql, result, ordered))
            } catch {
                Issue.record("generated pipeline failed in ansinh: \(text): \(error.text(in: .en))")
                skipped += 1
            }
        }
        // One sqlite3 process runs every query; a marker line separates the answers.
        // The CLI takes separators literally: real control characters, not escapes.
        var script = ".mode list\n.separator \"\u{1F}\" \"\u{1E}\"\n.nullvalue \"\u{02}NULL\u{02}\"\n.headers off\n"
        for (index, testCase) in cases.enumerated() { script += ".print @@\(index)@@\n\(testCase.sql)\n" }
        let answer = Subprocess.run("/usr/bin/sqlite3", [database], stdin: script)
        #expect(answer.err.isEmpty, "sqlite3 reported: \(answer.err.prefix(2000))")
        // Rows end with the record separator, so a marker may follow a row on the same line:
        // split on the markers themselves ("@@N@@" and its newline).
        var outputs: [Int: String] = [:]
        let pieces = answer.out.split(separator: "@@", omittingEmptySubsequences: false).map(String.init)
        var position = 1
        while position + 1 < pieces.count {
            if let index = Int(pieces[position]) {
                var body = pieces[position + 1]
                if body.hasPrefix("\n") { body.removeFirst() }
                if body.hasSuffix("\n") { body.removeLast() }
                outputs[index] = body
            }
            position += 2
        }

        var mismatches = 0
        var nonEmpty = 0
        var orderedCases = 0
        #expect(outputs.count == cases.count, "sqlite3 answered \(outputs.count) of \(cases.count) queries")
        for (index, testCase) in cases.enumerated() {
            let sqliteRows = Self.parseRows(outputs[index] ?? "")
            if !sqliteRows.isEmpty { nonEmpty += 1 }
            if testCase.ordered { orderedCases += 1 }
            let ourRows = Self.rows(testCase.result.table)
            if !Self.same(ourRows, sqliteRows, ordered: testCase.ordered) {
                mismatches += 1
                if mismatches <= 10 {
                    Issue.record("""
                    differential mismatch (seed \(Self.seed), case \(index)):
                      \(testCase.text)
                      ansinh: \(ourRows.prefix(6))\(ourRows.count > 6 ? " … (\(ourRows.count) rows)" : "")
                      sqlite: \(sqliteRows.prefix(6))\(sqliteRows.count > 6 ? " … (\(sqliteRows.count) rows)" : "")
                    """)
                }
            }
        }
        print("differential against sqlite3: seed \(Self.seed), \(cases.count) pipelines compared (\(nonEmpty) with rows, \(orderedCases) compared in order), \(mismatches) mismatches, \(skipped) failed in ansinh")
        #expect(nonEmpty > cases.count / 2, "too few queries returned rows for the comparison to mean much")
        #expect(mismatches == 0)
    }

    // MARK: - Data

    /// A hostile table: nulls, negatives, zeros, duplicates, empty strings, Vietnamese text.
    static func generatedTable(_ random: inout SeededRandom) -> String {
        let names = ["Thanh Xuân", "Nam Từ Liêm", "Quận 11", "Tân Hưng", "Đống Đa", "Thanh Xuan", "", "Ba Đình", "Hà Đông"]
        let groups = ["a", "b", "c", "Ư", "đ"]
        var csv = "id,name,grp,x,y,z\n"
        for id in 1...400 {
            let name = random.next(12) == 0 ? "" : (random.next(10) == 0 ? "\"\"" : names[random.next(names.count)])
            let group = random.next(9) == 0 ? "" : groups[random.next(groups.count)]
            let x = random.next(8) == 0 ? "" : String(random.next(41) - 20)
            let y = random.next(7) == 0 ? "" : NumberText.plain(Double(random.next(20001) - 10000) / 100)
            let z = random.next(5) == 0 ? "" : String(random.next(4))
            csv += "\(id),\(name),\(group),\(x),\(y),\(z)\n"
        }
        return csv
    }

    static func createTable(_ table: Table) -> String {
        func sqlType(_ type: DataType) -> String {
            switch type {
            case .integer, .boolean: "INTEGER"
            case .decimal: "REAL"
            default: "TEXT"
            }
        }
        let visible = table.visibleColumnIndices
        var sql = "CREATE TABLE \"\(table.name)\" (" + visible.map { "\"\(table.fields[$0].name)\" \(sqlType(table.fields[$0].type))" }.joined(separator: ", ") + ");\n"
        let translator = SQLTranslator(dialect: .sqlite, source: nil)
        for row in 0..<table.rowCount {
            sql += "INSERT INTO \"\(table.name)\" VALUES (" + visible.map { translator.literal(table.value(row: row, column: $0)) }.joined(separator: ", ") + ");\n"
        }
        return sql
    }

    // MARK: - Comparing

    enum Cell: Equatable, CustomStringConvertible {
        case null, number(Double), text(String)
        var description: String {
            switch self {
            case .null: "null"
            case .number(let value): NumberText.plain(value)
            case .text(let text): "\"\(text)\""
            }
        }
    }

    static func rows(_ table: Table) -> [[Cell]] {
        (0..<table.rowCount).map { row in
            table.visibleColumnIndices.map { column in
                switch table.value(row: row, column: column) {
                case .null: .null
                case .integer(let value): .number(Double(value))
                case .decimal(let value): .number(value)
                case .boolean(let flag): .number(flag ? 1 : 0)
                case .text(let text): .text(text)
                }
            }
        }
    }

    static func parseRows(_ text: String) -> [[Cell]] {
        guard !text.isEmpty else { return [] }
        // Every record ends with the separator: the piece after the last one is not a row.
        var records = text.split(separator: "\u{1E}", omittingEmptySubsequences: false)
        if records.last?.isEmpty == true { records.removeLast() }
        return records.compactMap { record in
            let fields = record.split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init)
            return fields.map { field in
                if field == "\u{02}NULL\u{02}" { return .null }
                if let number = Double(field), !field.isEmpty, field.first != " " { return .number(number) }
                return .text(field)
            }
        }
    }

    static func close(_ a: Cell, _ b: Cell) -> Bool {
        switch (a, b) {
        case (.number(let x), .number(let y)): abs(x - y) <= 1e-9 * max(1, abs(x), abs(y))
        case (.text(let x), .number(let y)): Double(x).map { abs($0 - y) <= 1e-9 * max(1, abs(y)) } ?? false
        case (.number, .text): close(b, a)
        default: a == b
        }
    }

    static func same(_ ours: [[Cell]], _ theirs: [[Cell]], ordered: Bool) -> Bool {
        guard ours.count == theirs.count else { return false }
        func rowsEqual(_ a: [Cell], _ b: [Cell]) -> Bool { a.count == b.count && zip(a, b).allSatisfy(close) }
        if ordered { return zip(ours, theirs).allSatisfy(rowsEqual) }
        var remaining = theirs
        for row in ours {
            guard let match = remaining.firstIndex(where: { rowsEqual(row, $0) }) else { return false }
            remaining.remove(at: match)
        }
        return true
    }
}

enum StatePathsForTests {
    static func environment(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        return String(cString: value)
    }
}

/// splitmix64: a small, seedable generator, so a failing seed can be replayed exactly.
struct SeededRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func nextValue() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func next(_ bound: Int) -> Int { Int(nextValue() % UInt64(max(1, bound))) }
    mutating func chance(_ percent: Int) -> Bool { next(100) < percent }
    mutating func pick<T>(_ items: [T]) -> T { items[next(items.count)] }
}

/// Writes random pipelines that ansinh and SQLite must agree on.
struct PipelineGenerator {
    let session: Session
    var random: SeededRandom

    struct Column { var name: String; var type: DataType }

    mutating func pipeline() -> (text: String, ordered: Bool) {
        let source = random.pick(["gen", "gen", "facts"])
        var columns = session.catalog[source]?.fields.filter { !$0.isHidden }.map { Column(name: $0.name, type: $0.type) } ?? []
        var text = "from \(source)"
        var ordered = false
        var aggregated = false
        if source == "facts", random.chance(20) {
            let joined = random.pick(["districts", "indicators"])
            // Districts also on two keys (district and province: one ON … AND …).
            let keys = joined == "districts" ? (random.chance(50) ? ["district", "province"] : ["district"]) : ["indicator"]
            text += " | join \(joined) on \(keys.joined(separator: ", "))"
            let existing = Set(columns.map(\.name))
            for field in session.catalog[joined]?.fields ?? [] where !field.isHidden && !keys.contains(field.name) {
                columns.append(Column(name: existing.contains(field.name) ? "\(joined)_\(field.name)" : field.name, type: field.type))
            }
        }
        let stageCount = 1 + random.next(4)
        for _ in 0..<stageCount {
            switch random.next(6) {
            case 0, 1:
                text += " | where " + condition(columns, depth: 0)
            case 2:
                let name = "d\(random.next(1000))"
                let expr = numericExpression(columns, depth: 0)
                text += " | derive \(name) = \(expr.text)"
                columns.removeAll { $0.name == name }
                columns.append(Column(name: name, type: expr.type))
            case 3 where !aggregated:
                let keyChoices = columns.filter { $0.type == .text || $0.type == .integer }
                let keys = keyChoices.isEmpty ? [] : (0..<random.next(3)).map { _ in random.pick(keyChoices) }.reduce(into: [Column]()) { list, key in
                    if !list.contains(where: { $0.name == key.name }) { list.append(key) }
                }
                var aggregates: [(String, DataType)] = []
                let numeric = columns.filter { $0.type == .integer || $0.type == .decimal }
                for index in 0..<(1 + random.next(3)) {
                    let choice = random.next(6)
                    if choice == 0 || numeric.isEmpty {
                        aggregates.append(("a\(index) = count()", .integer))
                    } else {
                        let column = random.pick(numeric)
                        switch choice {
                        case 1: aggregates.append(("a\(index) = sum(\(column.name))", column.type))
                        case 2: aggregates.append(("a\(index) = avg(\(column.name))", .decimal))
                        case 3: aggregates.append(("a\(index) = \(random.pick(["min", "max"]))(\(column.name))", column.type))
                        case 4: aggregates.append(("a\(index) = count(\(column.name))", .integer))
                        default: aggregates.append(("a\(index) = count_distinct(\(column.name))", .integer))
                        }
                    }
                }
                text += " | summarize " + aggregates.map(\.0).joined(separator: ", ")
                if !keys.isEmpty { text += " by " + keys.map(\.name).joined(separator: ", ") }
                columns = keys + aggregates.enumerated().map { Column(name: "a\($0.offset)", type: $0.element.1) }
                aggregated = true
                ordered = false
            case 4:
                // Sort by numbers only, ending with a unique key (or every column) so the order is
                // fully determined without comparing text (whose order legitimately differs).
                let numeric = columns.filter { $0.type == .integer || $0.type == .decimal }
                let hasUniqueKey = source == "gen" && !aggregated && columns.contains { $0.name == "id" }
                guard !numeric.isEmpty, hasUniqueKey || !columns.contains(where: { $0.type == .text }) else { continue }
                var keys = (0..<(1 + random.next(2))).map { _ in random.pick(numeric).name + (random.chance(50) ? " desc" : "") }
                if hasUniqueKey {
                    keys.append("id")
                } else {
                    for column in columns where !keys.contains(column.name) { keys.append(column.name) }
                }
                text += " | sort " + keys.joined(separator: ", ")
                ordered = true
                if random.chance(50) { text += " | take \(random.next(15))" }
            default:
                let kept = columns.filter { _ in random.chance(60) }
                guard !kept.isEmpty else { continue }
                if random.chance(30) {
                    text += " | distinct " + kept.map(\.name).joined(separator: ", ")
                    columns = kept
                    ordered = false
                } else {
                    text += " | select " + kept.map(\.name).joined(separator: ", ")
                    columns = kept
                }
            }
        }
        return (text, ordered)
    }

    mutating func numericExpression(_ columns: [Column], depth: Int) -> (text: String, type: DataType) {
        let numeric = columns.filter { ($0.type == .integer || $0.type == .decimal) && $0.name != "id" && !$0.name.hasPrefix("year") }
        if depth > 2 || numeric.isEmpty || random.chance(35) {
            if !numeric.isEmpty, random.chance(70) {
                let column = random.pick(numeric)
                return (column.name, column.type)
            }
            return random.chance(50) ? (String(random.next(21) - 10), .integer) : (NumberText.plain(Double(random.next(2001) - 1000) / 100), .decimal)
        }
        let left = numericExpression(columns, depth: depth + 1)
        let right = numericExpression(columns, depth: depth + 1)
        switch random.next(11) {
        case 9: return ("round(\(left.text), -1)", .decimal)
        case 10: return ("(\(left.text) % \(right.text))", left.type == .integer && right.type == .integer ? .integer : .decimal)
        case 0: return ("abs(\(left.text))", left.type)
        case 1: return ("coalesce(\(left.text), \(right.text))", left.type == .integer && right.type == .integer ? .integer : .decimal)
        case 2: return ("if(\(left.text) > \(right.text), \(left.text), \(right.text))", left.type == .integer && right.type == .integer ? .integer : .decimal)
        case 3: return ("(\(left.text) / \(right.text))", .decimal)
        case 4: return ("round(\(left.text), 2)", .decimal)
        default:
            let op = random.pick(["+", "-", "*"])
            return ("(\(left.text) \(op) \(right.text))", left.type == .integer && right.type == .integer ? .integer : .decimal)
        }
    }

    mutating func condition(_ columns: [Column], depth: Int) -> String {
        if depth < 2, random.chance(30) {
            let op = random.pick(["and", "or"])
            return "(\(condition(columns, depth: depth + 1)) \(op) \(condition(columns, depth: depth + 1)))"
        }
        if depth < 2, random.chance(8) { return "not \(condition(columns, depth: depth + 1))" }
        let text = columns.filter { $0.type == .text }
        if !text.isEmpty, random.chance(40) {
            let column = random.pick(text)
            let values = session.catalog.allTables.compactMap { $0.column(column.name) }.first?.dictionary.strings ?? ["x"]
            let value = values.isEmpty ? "x" : random.pick(values)
            switch random.next(6) {
            case 0: return "\(column.name) == \(quoted(value))"
            case 1: return "\(column.name) != \(quoted(value))"
            case 2: return "\(column.name) ~ \(quoted(String(UnicodeText.fold(value).prefix(1 + random.next(5)))))"
            case 3: return "\(column.name) is \(random.chance(50) ? "not " : "")null"
            case 4: return "\(column.name) in (\(quoted(value)), \(quoted(random.pick(values + ["zz"]))))"
            default: return "length(\(column.name)) > \(random.next(12))"
            }
        }
        let left = numericExpression(columns, depth: 1)
        switch random.next(5) {
        case 0: return "\(left.text) between \(random.next(21) - 10) and \(random.next(40))"
        case 1: return "\(left.text) is \(random.chance(50) ? "not " : "")null"
        default:
            let right = numericExpression(columns, depth: 2)
            return "\(left.text) \(random.pick(["==", "!=", "<", "<=", ">", ">="])) \(right.text)"
        }
    }

    func quoted(_ text: String) -> String {
        "\"" + text.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"") + "\""
    }
}
