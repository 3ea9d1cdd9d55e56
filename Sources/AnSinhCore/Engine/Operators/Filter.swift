/// `where`: narrows the selection vector; no column is copied.
enum FilterOperator {
    /// The stored rows of `relation` for which `condition` is true, in order.
    ///
    /// `a and b` filters by `a`, then evaluates `b` only on the survivors. A comparison of a
    /// column with a constant runs one typed loop through the selection without gathering.
    static func select(_ condition: BoundExpr, in relation: Relation, report: inout ArithmeticReport, cancellation: CancellationCheck) throws(Diagnostic) -> [UInt32] {
        try cancellation.check()
        if case .logical(.and, let left, let right) = condition.kind {
            let first = try select(left, in: relation, report: &report, cancellation: cancellation)
            var narrowed = relation
            narrowed.selection = first
            return try select(right, in: narrowed, report: &report, cancellation: cancellation)
        }
        if let fast = compareColumnWithConstant(condition, in: relation) { return fast }
        if case .literal(let value) = condition.kind {
            if value == .boolean(true) { return (0..<relation.rowCount).map { UInt32(relation.storedRow($0)) } }
            return []
        }
        var evaluator = Evaluator(relation, cancellation: cancellation)
        let mask = try evaluator.evaluate(condition)
        report.divisionsByZero += evaluator.report.divisionsByZero
        report.overflows += evaluator.report.overflows
        var result: [UInt32] = []
        result.reserveCapacity(relation.rowCount / 4)
        let booleans = mask.booleans
        if mask.type == .boolean {
            for position in 0..<relation.rowCount where booleans[position] != 0 && !mask.isNull(position) {
                result.append(UInt32(relation.storedRow(position)))
            }
        }
        return result
    }

    /// `column OP constant` (or `constant OP column`) straight over storage.
    private static func compareColumnWithConstant(_ condition: BoundExpr, in relation: Relation) -> [UInt32]? {
        guard case .compare(var op, let left, let right) = condition.kind else { return nil }
        var columnIndex: Int
        var constant: Value
        if let index = left.columnIndex, let value = right.literalValue {
            columnIndex = index
            constant = value
        } else if let index = right.columnIndex, let value = left.literalValue {
            columnIndex = index
            constant = value
            switch op {
            case .less: op = .greater
            case .lessEqual: op = .greaterEqual
            case .greater: op = .less
            case .greaterEqual: op = .lessEqual
            default: break
            }
        } else {
            return nil
        }
        let column = relation.columns[columnIndex]
        if constant == .null { return [] }
        var result: [UInt32] = []
        let selection = relation.selection
        let count = relation.rowCount

        @inline(__always) func run(_ test: (Int) -> Bool) {
            if let selection {
                result.reserveCapacity(selection.count / 2)
                selection.withUnsafeBufferPointer { rows in
                    for row in rows where test(Int(row)) { result.append(row) }
                }
            } else {
                result.reserveCapacity(count / 8)
                for row in 0..<count where test(row) { result.append(UInt32(row)) }
            }
        }

        switch (column.type, constant) {
        case (.integer, .integer(let target)):
            let values = column.integers
            let hasNulls = column.nullCount > 0
            switch op {
            case .equal: run { values[$0] == target && (!hasNulls || !column.isNull($0)) }
            case .notEqual: run { values[$0] != target && (!hasNulls || !column.isNull($0)) }
            case .less: run { values[$0] < target && (!hasNulls || !column.isNull($0)) }
            case .lessEqual: run { values[$0] <= target && (!hasNulls || !column.isNull($0)) }
            case .greater: run { values[$0] > target && (!hasNulls || !column.isNull($0)) }
            case .greaterEqual: run { values[$0] >= target && (!hasNulls || !column.isNull($0)) }
            default: return nil
            }
        case (.decimal, .decimal(let target)):
            let values = column.decimals
            let hasNulls = column.nullCount > 0
            switch op {
            case .equal: run { values[$0] == target && (!hasNulls || !column.isNull($0)) }
            case .notEqual: run { values[$0] != target && (!hasNulls || !column.isNull($0)) }
            case .less: run { values[$0] < target && (!hasNulls || !column.isNull($0)) }
            case .lessEqual: run { values[$0] <= target && (!hasNulls || !column.isNull($0)) }
            case .greater: run { values[$0] > target && (!hasNulls || !column.isNull($0)) }
            case .greaterEqual: run { values[$0] >= target && (!hasNulls || !column.isNull($0)) }
            default: return nil
            }
        case (.text, .text(let target)) where op == .equal || op == .notEqual:
            // Decide once per distinct string, then test codes.
            let strings = column.dictionary.strings
            var matches = [Bool](repeating: op == .notEqual, count: strings.count)
            for (code, string) in strings.enumerated() where string == target { matches[code] = op == .equal }
            let codes = column.codes
            let hasNulls = column.nullCount > 0
            matches.withUnsafeBufferPointer { matches in
                run { matches[Int(codes[$0])] && (!hasNulls || !column.isNull($0)) }
            }
        default:
            return nil
        }
        return result
    }

    /// For an empty result: `where district == "Thanh Xuan"` names a value that does not exist;
    /// suggest the nearest existing ones.
    static func emptyResultHints(_ condition: BoundExpr, in relation: Relation) -> [Diagnostic] {
        var hints: [Diagnostic] = []
        var stack = [condition]
        while let expr = stack.popLast() {
            switch expr.kind {
            case .logical(_, let left, let right):
                stack.append(left)
                stack.append(right)
            case .not(let inner):
                stack.append(inner)
            case .compare(.equal, let left, let right):
                if let index = left.columnIndex, case .literal(.text(let target)) = right.kind {
                    hints += hint(column: index, op: "==", target: target, range: right.range, in: relation, contains: false)
                }
            case .contains(let left, let right, false):
                if let index = left.columnIndex, case .literal(.text(let target)) = right.kind {
                    hints += hint(column: index, op: "~", target: target, range: right.range, in: relation, contains: true)
                }
            case .inList(let value, let list, false):
                if let index = value.columnIndex {
                    for item in list {
                        if case .literal(.text(let target)) = item.kind {
                            hints += hint(column: index, op: "in", target: target, range: item.range, in: relation, contains: false)
                        }
                    }
                }
            default:
                break
            }
        }
        return hints
    }

    private static func hint(column index: Int, op: String, target: String, range: SourceRange, in relation: Relation, contains: Bool) -> [Diagnostic] {
        let column = relation.columns[index]
        guard column.type == .text else { return [] }
        let strings = column.dictionary.strings
        let exists = contains ? column.dictionary.folded.contains { $0.contains(UnicodeText.fold(target)) } : strings.contains(target)
        if exists { return [] }
        let name = relation.fields[index].name
        let suggestions = UnicodeText.suggestions(for: target, among: strings).map { "\"\($0)\"" }
        return [Diagnostic(.name, .noRowsMatch, [name, op, target], at: range, suggestions: suggestions)]
    }
}

/// `sort`, `take`, `distinct`: reorder or cut the selection.
enum OrderOperators {
    /// Stored rows in the order given by `keys`; nulls last; ties keep their order (stable).
    /// With `limit`, only the first `limit` rows are fully ordered (partial top-N).
    static func sort(_ relation: Relation, keys: [(key: BoundExpr, descending: Bool)], limit: Int?, cancellation: CancellationCheck) throws(Diagnostic) -> [UInt32] {
        let count = relation.rowCount
        var evaluator = Evaluator(relation, cancellation: cancellation)
        var budget = RowBudget(cancellation)
        // Key normalisation: every key becomes a Double or an integer rank, so the comparator
        // compares numbers only.
        var numericKeys: [[Double]] = []
        var nullKeys: [[Bool]] = []
        for (key, _) in keys {
            let column = try evaluator.evaluate(key)
            try budget.checkNow()
            var values = [Double](repeating: 0, count: count)
            var nulls = [Bool](repeating: false, count: count)
            switch column.type {
            case .integer:
                for position in 0..<count { values[position] = Double(column.integers[position]) }
            case .decimal:
                for position in 0..<count { values[position] = column.decimals[position] }
            case .boolean:
                for position in 0..<count { values[position] = Double(column.booleans[position]) }
            case .text:
                let ranks = try column.dictionary.ranks(cancellation: cancellation)
                for position in 0..<count { values[position] = Double(ranks[Int(column.codes[position])]) }
            case .null:
                break
            }
            for position in 0..<count where column.isNull(position) { nulls[position] = true }
            numericKeys.append(values)
            nullKeys.append(nulls)
        }
        try cancellation.check()
        let descending = keys.map(\.descending)
        // Integer keys beyond 2^53 would lose order as Double; compare them exactly.
        var exactIntegers: [Column?] = []
        for pair in keys { exactIntegers.append(pair.key.type == .integer ? try evaluator.evaluate(pair.key) : nil) }
        func precedes(_ a: Int, _ b: Int) -> Bool {
            for index in 0..<numericKeys.count {
                let nullA = nullKeys[index][a], nullB = nullKeys[index][b]
                if nullA != nullB { return nullB }  // nulls last
                if nullA { continue }
                var x = numericKeys[index][a], y = numericKeys[index][b]
                if let exact = exactIntegers[index], abs(x) > 9e15 || abs(y) > 9e15 {
                    let ix = exact.integers[a], iy = exact.integers[b]
                    if ix != iy { return descending[index] ? ix > iy : ix < iy }
                    continue
                }
                if x.isNaN { x = -.infinity }
                if y.isNaN { y = -.infinity }
                if x != y { return descending[index] ? x > y : x < y }
            }
            return a < b
        }
        var order: [Int]
        if let limit, limit < count / 8 {
            // Partial selection: keep the best `limit` in a sorted buffer.
            order = []
            order.reserveCapacity(limit + 1)
            for position in 0..<count {
                if order.count == limit, let last = order.last, !precedes(position, last) { continue }
                var low = 0, high = order.count
                while low < high {
                    let middle = (low + high) / 2
                    if precedes(order[middle], position) { low = middle + 1 } else { high = middle }
                }
                order.insert(position, at: low)
                if order.count > limit { order.removeLast() }
                try budget.spend()
            }
        } else {
            order = Array(0..<count)
            try order.sort(spending: &budget, by: precedes)
            if let limit, order.count > limit { order.removeLast(order.count - limit) }
        }
        return order.map { UInt32(relation.storedRow($0)) }
    }

    /// `distinct`: the first row of each different combination of `columns`, in order.
    ///
    /// The columns are encoded and grouped as `summarize` groups them (dictionary codes, dense
    /// slots or one hash table of codes), so equal values are equal the same way, and ^C stops it
    /// at once: a `Set` of one `[Value]` per row took seconds to build and seconds more to free.
    static func distinct(_ relation: Relation, columns: [Int], cancellation: CancellationCheck) throws(Diagnostic) -> [UInt32] {
        var evaluator = Evaluator(relation, cancellation: cancellation)
        var keys: [AggregateOperator.KeyCodes] = []
        for column in columns {
            let key = BoundExpr(kind: .column(column), type: relation.fields[column].type, range: SourceRange(0, 0))
            keys.append(try AggregateOperator.encodeKey(key, relation: relation, evaluator: &evaluator))
            try cancellation.check()
        }
        let grouping = try AggregateOperator.group(keys, rowCount: relation.rowCount, cancellation: cancellation)
        // First rows are found in row order, so the groups come in order of first appearance.
        return grouping.firstRow.map { UInt32(relation.storedRow($0)) }
    }
}
