/// `join [left] TABLE on KEY, …`: a hash join that keeps the left table's order. A key is a
/// column or an expression over the left rows, equal to a column of the right table.
enum JoinOperator {
    /// Left rows that found no partner: dropped by `join`, kept with nulls by `join left`. Never
    /// silent: a misspelt district or a province named differently loses rows without an error.
    struct Unmatched {
        var count = 0
        var examples: [String] = []
    }

    static func run(_ plan: JoinPlan, left relation: Relation, fields: [Field], limits: ResourceLimits, cancellation: CancellationCheck, unmatched: inout Unmatched) throws(Diagnostic) -> Relation {
        guard plan.right.rowCount < Int(Int32.max) else {
            throw Diagnostic(.limit, .resultTooLarge, ["join", String(limits.maximumRows), "rows", "rows"])
        }
        // The left side of each key: a column as stored (read through the selection), or an
        // expression evaluated once over the rows in order (`place(name)`).
        var leftKeys: [(column: Column, byPosition: Bool, widen: Bool)] = []
        // What a note shows for a left row without a partner: its key, or for a key computed from
        // a column (`place(name)`) that column as the data has it: " WHOLE COUNTRY", not "Cả nước"
        // (and not `null` for a name place() does not know).
        var shownColumns: [Column] = []
        var rightKeys: [(column: Column, widen: Bool)] = []
        for key in plan.keys {
            let rightType = plan.right.fields[key.right].type
            let leftType = key.left.type
            if case .column(let index) = key.left.kind {
                leftKeys.append((relation.columns[index], false, leftType == .integer && rightType == .decimal))
                shownColumns.append(relation.columns[index])
            } else {
                shownColumns.append(key.left.referencedColumns.min().map { relation.columns[$0] } ?? Column.constant(.null, count: 1))
                var evaluator = Evaluator(relation, cancellation: cancellation)
                leftKeys.append((try evaluator.evaluate(key.left), true, leftType == .integer && rightType == .decimal))
            }
            rightKeys.append((plan.right.columns[key.right], rightType == .integer && leftType == .decimal))
        }
        // Integers meet decimals as decimals (2010 == 2010.0, as `==` says); 0.0 and -0.0 are one key.
        func read(_ column: Column, _ row: Int, widen: Bool) -> Value {
            let value = column.value(at: row)
            if widen, case .integer(let number) = value { return .decimal(Double(number)) }
            return normalized(value)
        }
        if plan.keys.count == 1 {
            let leftKey = leftKeys[0], rightKey = rightKeys[0]
            return try match(plan, left: relation, fields: fields, limits: limits, cancellation: cancellation, unmatched: &unmatched,
                             rightKey: { row in
                                 let value = read(rightKey.column, row, widen: rightKey.widen)
                                 return value == .null ? nil : value
                             },
                             leftKey: { position, row in read(leftKey.column, leftKey.byPosition ? position : row, widen: leftKey.widen) },
                             isNull: { $0 == .null },
                             shown: { row in
                                 let value = shownColumns[0].count > row ? shownColumns[0].value(at: row) : .null
                                 return value == .null ? "null" : "\"\(value.description)\""
                             })
        }
        // Several keys: a row pair matches when every key is equal; a null in any key never matches.
        return try match(plan, left: relation, fields: fields, limits: limits, cancellation: cancellation, unmatched: &unmatched,
                         rightKey: { row in
                             let values = rightKeys.map { read($0.column, row, widen: $0.widen) }
                             return values.contains(.null) ? nil : values
                         },
                         leftKey: { position, row in leftKeys.map { read($0.column, $0.byPosition ? position : row, widen: $0.widen) } },
                         isNull: { $0.contains(.null) },
                         shown: { row in "(" + shownColumns.map { $0.count > row ? $0.value(at: row) : .null }.map { value in
                             switch value {
                             case .null: "null"
                             case .text(let text): "\"\(text)\""
                             default: value.description
                             }
                         }.joined(separator: ", ") + ")" })
    }

    /// The hash join itself, over any key: `rightKey` gives a right row's key (nil for a null,
    /// which never matches), `leftKey` a left row's key from its position and stored row.
    private static func match<Key: Hashable>(_ plan: JoinPlan, left relation: Relation, fields: [Field], limits: ResourceLimits, cancellation: CancellationCheck, unmatched: inout Unmatched,
                                             rightKey: (Int) -> Key?, leftKey: (Int, Int) -> Key,
                                             isNull: (Key) -> Bool, shown: (Int) -> String) throws(Diagnostic) -> Relation {
        let right = plan.right
        // Build: right key value → its first right row, each row → the next with the same key
        // (chains in row order, built from the end). One dictionary entry per key and one array,
        // not an array per key: millions of small arrays took seconds to build and to free.
        var heads: [Key: Int32] = [:]
        var nextRow = [Int32](repeating: -1, count: right.rowCount)
        var budget = RowBudget(cancellation)
        for row in stride(from: right.rowCount - 1, through: 0, by: -1) {
            try budget.spend()
            guard let key = rightKey(row) else { continue }  // null never matches, as in SQL
            if let head = heads[key] { nextRow[row] = head }
            heads[key] = Int32(row)
        }
        var leftRows: [UInt32] = []
        var rightRows: [Int] = []
        // `.limit memory_mb` bounds what the join builds: the two row lists and the output
        // columns (a lineage row is counted as 40 bytes). Only rows were bounded before, so a
        // 7,000 × 7,000 self-join took 1.7 GB whatever memory_mb said.
        let bytesPerRow = 12 + fields.reduce(0) { $0 + Column.elementSize($1.type) } + (relation.lineage != nil ? 40 : 0)
        let memoryRows = max(1, limits.maximumMemoryMegabytes * 1_048_576 / max(1, bytesPerRow))
        for position in 0..<relation.rowCount {
            let row = relation.storedRow(position)
            let key = leftKey(position, row)
            if !isNull(key), var match = heads[key] {
                while match >= 0 {
                    leftRows.append(UInt32(row))
                    rightRows.append(Int(match))
                    match = nextRow[Int(match)]
                }
            } else {
                unmatched.count += 1
                if unmatched.examples.count < 3 {
                    let text = shown(row)
                    if !unmatched.examples.contains(text) { unmatched.examples.append(text) }
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
