import Dispatch

/// `summarize`: hash aggregation keyed on dictionary codes.
///
/// Each key becomes a small integer code per row (a text column's dictionary code, an integer's
/// offset from the minimum, …). When the product of the key cardinalities is small, the group of a
/// row is found in a dense array indexed by the combined code; otherwise in a hash table. The
/// aggregates then run as typed loops over (group id, value) pairs.
enum AggregateOperator {
    /// Per-row key codes for one grouping key.
    struct KeyCodes {
        /// Code per logical row; 0 is null.
        var codes: [UInt32]
        var cardinality: Int
        /// The value of each code (index 0 is null).
        var values: [Value]
        /// Sort position of each code (nulls last).
        var ranks: [UInt32]
    }

    struct Grouping {
        /// Group id per logical row.
        var groupOfRow: [Int32]
        /// For each group, the first logical row (its key values come from there).
        var firstRow: [Int]
        var groupCount: Int { firstRow.count }
    }

    static func run(_ plan: SummarizePlan, on relation: Relation, fields: [Field], facts: Table? = nil, cancellation: CancellationCheck) throws(Diagnostic) -> (Relation, [ResultWarning], ArithmeticReport) {
        if let (fast, overflows) = try DenseAggregation.run(plan, on: relation, fields: fields, cancellation: cancellation) {
            var report = ArithmeticReport()
            report.overflows = overflows
            var finite = fast
            finite.columns = fast.columns.map { column in
                let (checked, infinite) = finiteOrNull(column)
                report.overflows += infinite
                return checked
            }
            return (finite, [], report)
        }
        var evaluator = Evaluator(relation, cancellation: cancellation)
        let rowCount = relation.rowCount
        var keyCodes: [KeyCodes] = []
        for key in plan.keys {
            keyCodes.append(try encodeKey(key, relation: relation, evaluator: &evaluator))
            try cancellation.check()
        }
        var grouping = try group(keyCodes, rowCount: rowCount, cancellation: cancellation)
        if plan.keys.isEmpty && grouping.groupCount == 0 {
            // An aggregate without `by` over no rows still answers one row (count 0, sum null).
            grouping = Grouping(groupOfRow: [], firstRow: [-1])
        }
        try cancellation.check()

        // Groups in key order, so results are stable and read naturally.
        let order = try sortedGroups(grouping, keyCodes: keyCodes, cancellation: cancellation)
        var position = [Int](repeating: 0, count: grouping.groupCount)
        for (index, group) in order.enumerated() { position[group] = index }

        var intermediate: [Column] = []
        for (keyIndex, key) in keyCodes.enumerated() {
            intermediate.append(keyColumn(key, grouping: grouping, order: order, type: plan.keys[keyIndex].type))
        }
        var warnings: [ResultWarning] = []
        var hiddenColumns: [Int: Column] = [:]
        // Each output row named by its keys, for notes that say which rows they are about.
        let labels = (0..<order.count).map { position in
            intermediate.prefix(keyCodes.count).map { $0.value(at: position).description }.joined(separator: " · ")
        }
        for (specIndex, spec) in plan.aggregates.enumerated() {
            let values = try spec.argument.map { (argument) throws(Diagnostic) in try argumentColumn(argument, relation: relation, evaluator: &evaluator) }
            // Text min/max order by collation ranks: built here, where ^C is polled, and cached.
            if let values, values.type == .text, spec.function == .min || spec.function == .max {
                _ = try values.dictionary.ranks(cancellation: cancellation)
            }
            var overflowed = 0
            let (column, infinite) = finiteOrNull(try aggregate(spec, values: values, grouping: grouping, order: order, overflowedGroups: &overflowed, cancellation: cancellation))
            evaluator.report.overflows += overflowed + infinite
            intermediate.append(column)
            try cancellation.check()
            if spec.unitInput != nil || spec.qualifierInput != nil || spec.unitForWarnings != nil {
                let annotation = AggregateCaveats.propagate(spec, values: values, relation: relation, groupOfRow: grouping.groupOfRow, groupCount: grouping.groupCount, order: order, facts: facts, labels: labels)
                warnings += annotation.warnings
                if let target = plan.hiddenUnitFor[specIndex] { hiddenColumns[target] = annotation.units }
                if let target = plan.hiddenQualifierFor[specIndex] { hiddenColumns[target] = annotation.qualifiers }
            }
        }
        for target in hiddenColumns.keys.sorted() {
            while intermediate.count < target { intermediate.append(Column.nulls(.text, count: order.count)) }
            if intermediate.count == target, let column = hiddenColumns[target] { intermediate.append(column) }
        }
        // Outputs are expressions over the intermediate row (usually plain references).
        let intermediateFields = intermediate.indices.map { Field(name: "_\($0)", type: intermediate[$0].type) }
        let intermediateRelation = Relation(fields: intermediateFields, columns: intermediate, storedCount: order.count)
        var outputEvaluator = Evaluator(intermediateRelation, cancellation: cancellation)
        var outputs: [Column] = []
        for expr in plan.outputs {
            if let index = expr.columnIndex, index < intermediate.count {
                outputs.append(intermediate[index])
            } else {
                outputs.append(try outputEvaluator.evaluate(expr))
            }
        }
        var lineage: [[Int32]]?
        if let inputLineage = relation.lineage {
            var members = [[Int32]](repeating: [], count: order.count)
            for logical in 0..<rowCount {
                let group = Int(grouping.groupOfRow[logical])
                members[position[group]] += inputLineage[relation.storedRow(logical)]
            }
            lineage = members
        }
        var report = evaluator.report
        report.divisionsByZero += outputEvaluator.report.divisionsByZero
        report.overflows += outputEvaluator.report.overflows
        return (Relation(fields: fields, columns: outputs, storedCount: order.count, lineage: lineage), warnings, report)
    }

    /// The argument's values for every logical row. A plain column is read through the selection
    /// by the kernels' gather, computed expressions are evaluated.
    private static func argumentColumn(_ expr: BoundExpr, relation: Relation, evaluator: inout Evaluator) throws(Diagnostic) -> Column {
        try evaluator.evaluate(expr)
    }

    // MARK: - Keys

    static func encodeKey(_ key: BoundExpr, relation: Relation, evaluator: inout Evaluator) throws(Diagnostic) -> KeyCodes {
        let column: Column
        var selection: [UInt32]?
        if let index = key.columnIndex {
            column = relation.columns[index]
            selection = relation.selection
        } else {
            column = try evaluator.evaluate(key)
        }
        let count = relation.rowCount
        var codes = [UInt32](repeating: 0, count: count)
        let hasNulls = column.nullCount > 0 || column.type == .null

        func forEachRow(_ body: (Int, Int) -> Void) {
            if let selection {
                for position in 0..<count { body(position, Int(selection[position])) }
            } else {
                for position in 0..<count { body(position, position) }
            }
        }

        switch column.type {
        case .text:
            let dictionary = column.dictionary
            let source = column.codes
            codes.withUnsafeMutableBufferPointer { codes in
                forEachRow { position, row in
                    codes[position] = hasNulls && column.isNull(row) ? 0 : source[row] + 1
                }
            }
            var values: [Value] = [.null]
            values.reserveCapacity(dictionary.count + 1)
            for string in dictionary.strings { values.append(.text(string)) }
            let dictionaryRanks = try dictionary.ranks(cancellation: evaluator.budget.cancellation)
            var ranks: [UInt32] = [UInt32.max]
            ranks.append(contentsOf: dictionaryRanks)
            return KeyCodes(codes: codes, cardinality: dictionary.count + 1, values: values, ranks: ranks)
        case .boolean:
            let source = column.booleans
            forEachRow { position, row in
                codes[position] = hasNulls && column.isNull(row) ? 0 : UInt32(source[row]) + 1
            }
            return KeyCodes(codes: codes, cardinality: 3, values: [.null, .boolean(false), .boolean(true)], ranks: [2, 0, 1])
        case .integer:
            let source = column.integers
            var minimum = Int64.max, maximum = Int64.min
            forEachRow { _, row in
                if hasNulls && column.isNull(row) { return }
                minimum = min(minimum, source[row])
                maximum = max(maximum, source[row])
            }
            if minimum <= maximum, maximum.subtractingReportingOverflow(minimum).overflow == false, maximum - minimum < 1 << 20 {
                // Dense codes: offset from the minimum.
                let span = Int(maximum - minimum) + 1
                var used = [Bool](repeating: false, count: span)
                codes.withUnsafeMutableBufferPointer { codes in
                    forEachRow { position, row in
                        if hasNulls && column.isNull(row) { codes[position] = 0; return }
                        let offset = Int(source[row] - minimum)
                        codes[position] = UInt32(offset + 1)
                        used[offset] = true
                    }
                }
                var values: [Value] = [.null]
                var ranks: [UInt32] = [UInt32.max]
                for offset in 0..<span {
                    values.append(used[offset] ? .integer(minimum + Int64(offset)) : .null)
                    ranks.append(UInt32(offset))
                }
                return KeyCodes(codes: codes, cardinality: span + 1, values: values, ranks: ranks)
            }
            return try compress(column: column, selection: selection, count: count, cancellation: evaluator.budget.cancellation)
        case .decimal, .null:
            return try compress(column: column, selection: selection, count: count, cancellation: evaluator.budget.cancellation)
        }
    }

    /// Codes through a hash table, for keys with a wide range of values.
    private static func compress(column: Column, selection: [UInt32]?, count: Int, cancellation: CancellationCheck) throws(Diagnostic) -> KeyCodes {
        var codeOf: [Value: UInt32] = [:]
        var values: [Value] = [.null]
        var codes = [UInt32](repeating: 0, count: count)
        var budget = RowBudget(cancellation)
        for position in 0..<count {
            try budget.spend()
            let row = selection.map { Int($0[position]) } ?? position
            var value = column.value(at: row)
            if value == .null { continue }
            if case .decimal(let number) = value, number == 0 { value = .decimal(0) }  // -0.0 and 0.0 are one group
            if let code = codeOf[value] {
                codes[position] = code
            } else {
                let code = UInt32(values.count)
                codeOf[value] = code
                values.append(value)
                codes[position] = code
            }
        }
        // Rank codes by value.
        let order = (1..<values.count).sorted { Comparison.less(values[$0], values[$1]) }
        var ranks = [UInt32](repeating: UInt32.max, count: values.count)
        for (rank, code) in order.enumerated() { ranks[code] = UInt32(rank) }
        return KeyCodes(codes: codes, cardinality: values.count, values: values, ranks: ranks)
    }

    static func group(_ keys: [KeyCodes], rowCount: Int, cancellation: CancellationCheck = .never) throws(Diagnostic) -> Grouping {
        var groupOfRow = [Int32](repeating: 0, count: rowCount)
        var firstRow: [Int] = []
        if keys.isEmpty {
            if rowCount > 0 { firstRow = [0] }
            return Grouping(groupOfRow: groupOfRow, firstRow: firstRow)
        }
        var product = 1
        var fitsDense = true
        for key in keys {
            let (result, overflow) = product.multipliedReportingOverflow(by: key.cardinality)
            if overflow || result > 1 << 24 { fitsDense = false; break }
            product = result
        }
        if fitsDense {
            var slots = [Int32](repeating: -1, count: product)
            slots.withUnsafeMutableBufferPointer { slots in
                groupOfRow.withUnsafeMutableBufferPointer { groupOfRow in
                    if keys.count == 1 {
                        keys[0].codes.withUnsafeBufferPointer { codes in
                            for row in 0..<rowCount {
                                let slot = Int(codes[row])
                                var group = slots[slot]
                                if group < 0 {
                                    group = Int32(firstRow.count)
                                    slots[slot] = group
                                    firstRow.append(row)
                                }
                                groupOfRow[row] = group
                            }
                        }
                    } else {
                        var combined = [Int](repeating: 0, count: rowCount)
                        var multiplier = 1
                        for key in keys.reversed() {
                            key.codes.withUnsafeBufferPointer { codes in
                                for row in 0..<rowCount { combined[row] += Int(codes[row]) * multiplier }
                            }
                            multiplier *= key.cardinality
                        }
                        for row in 0..<rowCount {
                            let slot = combined[row]
                            var group = slots[slot]
                            if group < 0 {
                                group = Int32(firstRow.count)
                                slots[slot] = group
                                firstRow.append(row)
                            }
                            groupOfRow[row] = group
                        }
                    }
                }
            }
        } else if keys.count == 2 {
            // Two wide keys (the common `distinct a, b` or `by district, value`): one UInt64 per
            // row instead of an array, which cost an allocation per row to build and to free.
            let first = keys[0].codes, second = keys[1].codes
            try hashGroups(rowCount, cancellation, &groupOfRow, &firstRow) { UInt64(first[$0]) << 32 | UInt64(second[$0]) }
        } else {
            try hashGroups(rowCount, cancellation, &groupOfRow, &firstRow) { row in keys.map { $0.codes[row] } }
        }
        return Grouping(groupOfRow: groupOfRow, firstRow: firstRow)
    }

    /// Groups rows by a hashed key, numbering groups in order of first appearance.
    @inline(__always)
    private static func hashGroups<Key: Hashable>(_ rowCount: Int, _ cancellation: CancellationCheck, _ groupOfRow: inout [Int32],
                                                  _ firstRow: inout [Int], key: (Int) -> Key) throws(Diagnostic) {
        var table: [Key: Int32] = [:]
        var budget = RowBudget(cancellation)
        for row in 0..<rowCount {
            try budget.spend()
            let key = key(row)
            if let group = table[key] {
                groupOfRow[row] = group
            } else {
                let group = Int32(firstRow.count)
                table[key] = group
                firstRow.append(row)
                groupOfRow[row] = group
            }
        }
    }

    /// Group ids ordered by their key values (nulls last).
    private static func sortedGroups(_ grouping: Grouping, keyCodes: [KeyCodes], cancellation: CancellationCheck) throws(Diagnostic) -> [Int] {
        var order = Array(0..<grouping.groupCount)
        guard !keyCodes.isEmpty else { return order }
        let firstRow = grouping.firstRow
        var budget = RowBudget(cancellation)
        try order.sort(spending: &budget, by: precedes)
        return order
        func precedes(_ a: Int, _ b: Int) -> Bool {
            for key in keyCodes {
                let rankA = key.ranks[Int(key.codes[firstRow[a]])]
                let rankB = key.ranks[Int(key.codes[firstRow[b]])]
                if rankA != rankB { return rankA < rankB }
            }
            return a < b
        }
    }

    private static func keyColumn(_ key: KeyCodes, grouping: Grouping, order: [Int], type: DataType) -> Column {
        let builder = ColumnBuilder(type: type, capacity: order.count)
        for group in order {
            let row = grouping.firstRow[group]
            builder.append(row < 0 ? .null : key.values[Int(key.codes[row])])
        }
        return builder.finish()
    }

    // MARK: - Aggregates

    /// One aggregate per group; `overflowedGroups` counts integer sums too large for 64 bits.
    /// The typed loops over all rows are checked for ^C by the caller, after each aggregate; the
    /// row-at-a-time ones (median, count_distinct) spend the row budget as they go.
    static func aggregate(_ spec: AggregateSpec, values: Column?, grouping: Grouping, order: [Int], overflowedGroups: inout Int,
                          cancellation: CancellationCheck = .never) throws(Diagnostic) -> Column {
        let groups = max(grouping.groupCount, order.count)
        let rowCount = grouping.groupOfRow.count
        var out = KernelOutput(spec.type, count: order.count)
        let groupOfRow = grouping.groupOfRow
        var budget = RowBudget(cancellation)
        func spend(_ rows: Int = 1) throws(Diagnostic) {
            do { try budget.spend(rows) } catch {
                out.discard()
                throw error
            }
        }

        func emit<T>(_ results: [T], _ valid: [Bool]?, _ store: (Int, T) -> Void) {
            for (index, group) in order.enumerated() {
                if let valid, !valid[group] { out.setNull(index); continue }
                store(index, results[group])
            }
        }

        // An aggregate whose input has no value of a type it reads (a constant null such as
        // `sum(7 % 0)`, typed integer but stored as a null column) is null in every group; no
        // path below may leave its output unwritten.
        func nulls() -> Column {
            out.discard()
            return Column.nulls(spec.type, count: order.count)
        }

        switch spec.function {
        case .count:
            var counts = [Int64](repeating: 0, count: groups)
            counts.withUnsafeMutableBufferPointer { counts in
                groupOfRow.withUnsafeBufferPointer { groupOfRow in
                    if let values, values.nullCount > 0 || values.type == .null {
                        for row in 0..<rowCount where !values.isNull(row) { counts[Int(groupOfRow[row])] += 1 }
                    } else {
                        for row in 0..<rowCount { counts[Int(groupOfRow[row])] += 1 }
                    }
                }
            }
            let to = out.integers
            emit(counts, nil) { to[$0] = $1 }

        case .sum where spec.type == .integer:
            guard let values, values.type == .integer else { return nulls() }
            // Wrapping addition with a count of wraps: the true sum is sum + wraps × 2⁶⁴, so the
            // total is exact whenever it fits, whatever overflows happen on the way.
            var sums = [Int64](repeating: 0, count: groups)
            var seen = [Bool](repeating: false, count: groups)
            var wraps = [Int](repeating: 0, count: groups)
            let source = values.integers
            for row in 0..<rowCount where !values.isNull(row) {
                let group = Int(groupOfRow[row])
                let (result, overflow) = sums[group].addingReportingOverflow(source[row])
                sums[group] = result
                seen[group] = true
                if overflow { wraps[group] += source[row] > 0 ? 1 : -1 }
            }
            let valid = (0..<groups).map { seen[$0] && wraps[$0] == 0 }
            overflowedGroups += (0..<groups).filter { seen[$0] && wraps[$0] != 0 }.count
            let to = out.integers
            emit(sums, valid) { to[$0] = $1 }

        case .sum, .avg:
            guard let values else { return nulls() }
            var sums = [Double](repeating: 0, count: groups)
            var counts = [Int](repeating: 0, count: groups)
            sums.withUnsafeMutableBufferPointer { sums in
                counts.withUnsafeMutableBufferPointer { counts in
                    groupOfRow.withUnsafeBufferPointer { groupOfRow in
                        if values.type == .decimal {
                            let source = values.decimals
                            if values.nullCount == 0 {
                                for row in 0..<rowCount {
                                    let group = Int(groupOfRow[row])
                                    sums[group] += source[row]
                                    counts[group] += 1
                                }
                            } else {
                                for row in 0..<rowCount where !values.isNull(row) {
                                    let group = Int(groupOfRow[row])
                                    sums[group] += source[row]
                                    counts[group] += 1
                                }
                            }
                        } else if values.type == .integer {
                            let source = values.integers
                            for row in 0..<rowCount where !values.isNull(row) {
                                let group = Int(groupOfRow[row])
                                sums[group] += Double(source[row])
                                counts[group] += 1
                            }
                        }
                    }
                }
            }
            let valid = counts.map { $0 > 0 }
            let to = out.decimals
            if spec.function == .avg {
                let averages = (0..<groups).map { counts[$0] > 0 ? sums[$0] / Double(counts[$0]) : 0 }
                emit(averages, valid) { to[$0] = $1 }
            } else {
                emit(sums, valid) { to[$0] = $1 }
            }

        case .min, .max:
            guard let values else { return nulls() }
            let wantMax = spec.function == .max
            var best = [Int](repeating: -1, count: groups)
            switch values.type {
            case .integer:
                let source = values.integers
                for row in 0..<rowCount where !values.isNull(row) {
                    let group = Int(groupOfRow[row])
                    let current = best[group]
                    if current < 0 || (wantMax ? source[row] > source[current] : source[row] < source[current]) { best[group] = row }
                }
            case .decimal:
                let source = values.decimals
                for row in 0..<rowCount where !values.isNull(row) {
                    let group = Int(groupOfRow[row])
                    let current = best[group]
                    if current < 0 || (wantMax ? source[row] > source[current] : source[row] < source[current]) { best[group] = row }
                }
            case .text:
                let ranks = values.dictionary.ranks
                let codes = values.codes
                for row in 0..<rowCount where !values.isNull(row) {
                    let group = Int(groupOfRow[row])
                    let current = best[group]
                    let rank = ranks[Int(codes[row])]
                    if current < 0 || (wantMax ? rank > ranks[Int(codes[current])] : rank < ranks[Int(codes[current])]) { best[group] = row }
                }
            case .boolean:
                let source = values.booleans
                for row in 0..<rowCount where !values.isNull(row) {
                    let group = Int(groupOfRow[row])
                    let current = best[group]
                    if current < 0 || (wantMax ? source[row] > source[current] : source[row] < source[current]) { best[group] = row }
                }
            case .null:
                break
            }
            out.discard()
            return pick(best, from: values, order: order, type: spec.type)

        case .first, .last:
            guard let values else { return nulls() }
            var chosen = [Int](repeating: -1, count: groups)
            for row in 0..<rowCount where !values.isNull(row) {
                let group = Int(groupOfRow[row])
                if spec.function == .last || chosen[group] < 0 { chosen[group] = row }
            }
            out.discard()
            return pick(chosen, from: values, order: order, type: spec.type)

        case .median:
            guard let values else { return nulls() }
            var byGroup = [[Double]](repeating: [], count: groups)
            for row in 0..<rowCount {
                if let number = values.double(at: row) { byGroup[Int(groupOfRow[row])].append(number) }
                try spend()
            }
            let to = out.decimals
            for (index, group) in order.enumerated() {
                var numbers = byGroup[group]
                if numbers.isEmpty { out.setNull(index); continue }
                try spend(numbers.count)
                numbers.sort()
                let middle = numbers.count / 2
                to[index] = numbers.count % 2 == 1 ? numbers[middle] : (numbers[middle - 1] + numbers[middle]) / 2
            }

        case .count_distinct:
            guard let values else { return nulls() }
            var sets = [Set<Value>](repeating: [], count: groups)
            if values.type == .text {
                var codeSets = [Set<UInt32>](repeating: [], count: groups)
                for row in 0..<rowCount where !values.isNull(row) {
                    codeSets[Int(groupOfRow[row])].insert(values.codes[row])
                    try spend()
                }
                let to = out.integers
                emit(codeSets.map { Int64($0.count) }, nil) { to[$0] = $1 }
                return out.finish()
            }
            for row in 0..<rowCount where !values.isNull(row) {
                var value = values.value(at: row)
                if case .decimal(let number) = value, number == 0 { value = .decimal(0) }
                sets[Int(groupOfRow[row])].insert(value)
                try spend()
            }
            let to = out.integers
            emit(sets.map { Int64($0.count) }, nil) { to[$0] = $1 }
        }
        return out.finish()
    }

    /// For each group in order, the value at the chosen row (null where none was chosen).
    private static func pick(_ chosen: [Int], from values: Column, order: [Int], type: DataType) -> Column {
        let builder = ColumnBuilder(type: type, capacity: order.count, dictionary: values.type == .text ? values.dictionary : nil)
        for group in order {
            let row = group < chosen.count ? chosen[group] : -1
            if row < 0 { builder.appendNull() } else { builder.append(from: values, row: row) }
        }
        return builder.finish()
    }

    /// A sum or average past the largest Double (`sum(value * 1e307)`) is an overflow: null and
    /// counted, never `inf`. Columns without such values are returned as they are.
    static func finiteOrNull(_ column: Column) -> (Column, Int) {
        guard column.type == .decimal else { return (column, 0) }
        var bad = 0
        for row in 0..<column.count where !column.isNull(row) && !(column.double(at: row)?.isFinite ?? true) { bad += 1 }
        guard bad > 0 else { return (column, 0) }
        let builder = ColumnBuilder(type: .decimal, capacity: column.count)
        for row in 0..<column.count {
            if let value = column.double(at: row), value.isFinite { builder.append(decimal: value) } else { builder.appendNull() }
        }
        return (builder.finish(), bad)
    }
}

/// Ordering of boxed values: numbers numerically, text by Vietnamese collation, nulls last.
enum Comparison {
    static func less(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.null, _): return false
        case (_, .null): return true
        case (.text(let x), .text(let y)):
            return VietnameseCollation.key(x).lexicographicallyPrecedes(VietnameseCollation.key(y))
        case (.boolean(let x), .boolean(let y)): return !x && y
        default:
            if let x = a.doubleValue, let y = b.doubleValue { return x < y }
            return a.description < b.description
        }
    }
}
