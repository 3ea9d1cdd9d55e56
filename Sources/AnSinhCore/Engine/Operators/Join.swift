/// `join [left] TABLE on A [== B]`: a hash join that keeps the left table's order.
enum JoinOperator {
    /// Left rows that found no partner: dropped by `join`, kept with nulls by `join left`. Never
    /// silent: a misspelt district or a province named differently loses rows without an error.
    struct Unmatched {
        var count = 0
        var examples: [String] = []
    }

    static func run(_ plan: JoinPlan, left relation: Relation, fields: [Field], limits: ResourceLimits, cancellation: CancellationCheck, unmatched: inout Unmatched) throws(Diagnostic) -> Relation {
        let right = plan.right
        let rightKey = right.columns[plan.rightKey]
        // Build: right key value → its first right row, each row → the next with the same key
        // (chains in row order, built from the end). One dictionary entry per key and one array,
        // not an array per key: millions of small arrays took seconds to build and to free.
        guard right.rowCount < Int(Int32.max) else {
            throw Diagnostic(.limit, .resultTooLarge, ["join", String(limits.maximumRows), "rows", "rows"])
        }
        var heads: [Value: Int32] = [:]
        var nextRow = [Int32](repeating: -1, count: right.rowCount)
        var budget = RowBudget(cancellation)
        for row in stride(from: right.rowCount - 1, through: 0, by: -1) {
            try budget.spend()
            var value = rightKey.value(at: row)
            if value == .null { continue }  // null never matches, as in SQL
            if case .integer(let number) = value, plan.right.fields[plan.rightKey].type == .integer,
               relation.fields[plan.leftKey].type == .decimal {
                value = .decimal(Double(number))
            }
            let key = normalized(value)
            if let head = heads[key] { nextRow[row] = head }
            heads[key] = Int32(row)
        }
        let leftKey = relation.columns[plan.leftKey]
        var leftRows: [UInt32] = []
        var rightRows: [Int] = []
        // `.limit memory_mb` bounds what the join builds: the two row lists and the output
        // columns (a lineage row is counted as 40 bytes). Only rows were bounded before, so a
        // 7,000 × 7,000 self-join took 1.7 GB whatever memory_mb said.
        let bytesPerRow = 12 + fields.reduce(0) { $0 + Column.elementSize($1.type) } + (relation.lineage != nil ? 40 : 0)
        let memoryRows = max(1, limits.maximumMemoryMegabytes * 1_048_576 / max(1, bytesPerRow))
        for position in 0..<relation.rowCount {
            let row = relation.storedRow(position)
            var value = leftKey.value(at: row)
            if case .integer(let number) = value, relation.fields[plan.leftKey].type == .integer,
               plan.right.fields[plan.rightKey].type == .decimal {
                value = .decimal(Double(number))
            }
            if value != .null, var match = heads[normalized(value)] {
                while match >= 0 {
                    leftRows.append(UInt32(row))
                    rightRows.append(Int(match))
                    match = nextRow[Int(match)]
                }
            } else {
                unmatched.count += 1
                if unmatched.examples.count < 3 {
                    let shown = value == .null ? "null" : "\"\(value.description)\""
                    if !unmatched.examples.contains(shown) { unmatched.examples.append(shown) }
                }
                if plan.isLeft {
                    leftRows.append(UInt32(row))
                    rightRows.append(-1)
                }
            }
            if leftRows.count > limits.maximumRows {
                throw Diagnostic(.limit, .resultTooLarge, ["join", String(limits.maximumRows), "rows", "rows"])
            }
            if leftRows.count > memoryRows {
                throw Diagnostic(.limit, .resultTooLarge, ["join", String(limits.maximumMemoryMegabytes), "MB", "memory_mb"])
            }
            try budget.spend()
        }
        var columns = relation.columns.map { $0.gather(leftRows) }
        for index in plan.rightColumns {
            let source = right.columns[index]
            let builder = ColumnBuilder(type: source.type, capacity: rightRows.count, dictionary: source.type == .text ? source.dictionary : nil)
            try budget.checkNow()
            for row in rightRows {
                if row < 0 { builder.appendNull() } else { builder.append(from: source, row: row) }
            }
            columns.append(builder.finish())
        }
        let lineage = relation.lineage.map { lineage in leftRows.map { lineage[Int($0)] } }
        return Relation(fields: fields, columns: columns, storedCount: leftRows.count, lineage: lineage)
    }

    private static func normalized(_ value: Value) -> Value {
        if case .decimal(let number) = value, number == 0 { return .decimal(0) }
        return value
    }
}
