import Dispatch

/// The fast path of `summarize` for the common case: keys that are text columns or integer
/// columns with a small range, and aggregates that can be accumulated in place (count, sum,
/// avg, min, max of numbers).
///
/// Each row's key codes combine into a slot of a dense array; every aggregate is accumulated
/// straight into its slot, with no per-row group ids or intermediate arrays. Rows are split over
/// both cores, each with its own partial arrays, merged at the end (PERFORMANCE.md §8, §10).
/// Anything else — computed keys, wide key spaces, median, count_distinct, first/last, text
/// min/max, units to check, facts to trace — goes through the general path.
enum DenseAggregation {
    static let maximumSlots = 1 << 20

    /// A key column read straight from storage: slot contribution = code × multiplier.
    struct Key: Sendable {
        let column: Column
        /// Text: dictionary code + 1; integer: value − minimum + 1; 0 is null.
        let cardinality: Int
        let minimum: Int64
        let multiplier: Int
    }

    enum Accumulator: Sendable {
        case count
        case countValues(Column)
        case sumInteger(Column)
        case sumDecimal(Column)
        case average(Column)
        case minimum(Column)
        case maximum(Column)
    }

    /// Per-thread partial results, one slot per key combination.
    final class Partial: @unchecked Sendable {
        var counts: [UnsafeMutablePointer<Int64>]
        var doubles: [UnsafeMutablePointer<Double>]
        var integers: [UnsafeMutablePointer<Int64>]
        var seen: [UnsafeMutablePointer<Int64>]
        var wraps: [UnsafeMutablePointer<Int64>]
        let slotCount: Int
        /// Rows per slot (to know which slots hold a group).
        let rows: UnsafeMutablePointer<Int64>

        init(slotCount: Int, accumulators: Int) {
            self.slotCount = slotCount
            func zeroed<T>(_ type: T.Type, _ value: T) -> UnsafeMutablePointer<T> {
                let pointer = Memory.allocate(slotCount * MemoryLayout<T>.stride).bindMemory(to: T.self, capacity: slotCount)
                pointer.initialize(repeating: value, count: slotCount)
                return pointer
            }
            rows = zeroed(Int64.self, 0)
            counts = (0..<accumulators).map { _ in zeroed(Int64.self, 0) }
            doubles = (0..<accumulators).map { _ in zeroed(Double.self, 0) }
            integers = (0..<accumulators).map { _ in zeroed(Int64.self, 0) }
            seen = (0..<accumulators).map { _ in zeroed(Int64.self, 0) }
            wraps = (0..<accumulators).map { _ in zeroed(Int64.self, 0) }
        }

        deinit {
            Memory.release(rows)
            for pointer in counts { Memory.release(pointer) }
            for pointer in doubles { Memory.release(pointer) }
            for pointer in integers { Memory.release(pointer) }
            for pointer in seen { Memory.release(pointer) }
            for pointer in wraps { Memory.release(pointer) }
        }
    }

    /// The result and the number of integer sums too large for 64 bits, or nil when this plan
    /// needs the general path.
    /// Each thread checks `cancellation` every `RowBudget.rowsPerCheck` rows (4 batches); a cancelled run throws
    /// once both threads have stopped.
    static func run(_ plan: SummarizePlan, on relation: Relation, fields: [Field], cancellation: CancellationCheck = .never) throws(Diagnostic) -> (Relation, overflows: Int)? {
        guard relation.lineage == nil, !plan.keys.isEmpty, plan.hiddenUnitFor.isEmpty, plan.hiddenQualifierFor.isEmpty,
              plan.outputs.allSatisfy({ $0.columnIndex != nil }),
              plan.aggregates.allSatisfy({ $0.unitInput == nil && $0.qualifierInput == nil && $0.identityInputs == nil }) else { return nil }
        // Keys: plain columns, text or small-range integers.
        var keys: [Key] = []
        var slotCount = 1
        for key in plan.keys.reversed() {
            guard let index = key.columnIndex else { return nil }
            let column = relation.columns[index]
            var cardinality = 0
            var minimum: Int64 = 0
            switch column.type {
            case .text:
                cardinality = column.dictionary.count + 1
            case .integer:
                guard let (low, high) = integerRange(column, relation: relation), high - low < Int64(maximumSlots) else { return nil }
                minimum = low
                cardinality = Int(high - low) + 2
            default:
                return nil
            }
            let (product, overflow) = slotCount.multipliedReportingOverflow(by: cardinality)
            guard !overflow, product <= maximumSlots else { return nil }
            keys.insert(Key(column: column, cardinality: cardinality, minimum: minimum, multiplier: slotCount), at: 0)
            slotCount = product
        }
        // Aggregates: accumulable over plain numeric columns.
        var accumulators: [Accumulator] = []
        for spec in plan.aggregates {
            guard let argument = spec.argument else {
                guard spec.function == .count else { return nil }
                accumulators.append(.count)
                continue
            }
            guard let index = argument.columnIndex else { return nil }
            let column = relation.columns[index]
            guard column.type == .integer || column.type == .decimal else {
                if spec.function == .count { accumulators.append(.countValues(column)); continue }
                return nil
            }
            switch spec.function {
            case .count: accumulators.append(.countValues(column))
            case .sum: accumulators.append(column.type == .integer ? .sumInteger(column) : .sumDecimal(column))
            case .avg: accumulators.append(.average(column))
            case .min: accumulators.append(.minimum(column))
            case .max: accumulators.append(.maximum(column))
            default: return nil
            }
        }

        // Accumulate over row ranges, one partial per thread.
        let rowCount = relation.rowCount
        let threads = rowCount >= 200_000 ? 2 : 1
        let partials = (0..<threads).map { _ in Partial(slotCount: slotCount, accumulators: accumulators.count) }
        let selection = relation.selection
        let finalKeys = keys, finalAccumulators = accumulators
        let work: @Sendable (Int) -> Void = { thread in
            let start = rowCount * thread / threads
            let end = rowCount * (thread + 1) / threads
            accumulate(keys: finalKeys, accumulators: finalAccumulators, selection: selection, range: start..<end, into: partials[thread], cancellation: cancellation)
        }
        if threads == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: threads, execute: work) }
        try cancellation.check()
        let total = partials[0]
        for other in partials.dropFirst() { merge(other, into: total, accumulators: accumulators) }

        // Groups: the slots that received rows, ordered by key (collation for text, nulls last).
        var groups: [Int] = []
        for slot in 0..<slotCount where total.rows[slot] > 0 { groups.append(slot) }
        var ranks: [[UInt32]] = []
        for key in keys {
            switch key.column.type {
            case .text: ranks.append([UInt32.max] + (try key.column.dictionary.ranks(cancellation: cancellation)))
            default: ranks.append([UInt32.max] + (0..<UInt32(key.cardinality - 1)).map { $0 })
            }
        }
        groups.sort { a, b in
            for (position, key) in keys.enumerated() {
                let codeA = (a / key.multiplier) % key.cardinality, codeB = (b / key.multiplier) % key.cardinality
                let rankA = ranks[position][codeA], rankB = ranks[position][codeB]
                if rankA != rankB { return rankA < rankB }
            }
            return a < b
        }

        var intermediate: [Column] = []
        for (position, key) in keys.enumerated() {
            let builder = ColumnBuilder(type: plan.keys[position].type, capacity: groups.count, dictionary: key.column.type == .text ? key.column.dictionary : nil)
            for slot in groups {
                let code = (slot / key.multiplier) % key.cardinality
                if code == 0 {
                    builder.appendNull()
                } else if key.column.type == .text {
                    builder.append(code: UInt32(code - 1))
                } else {
                    builder.append(integer: key.minimum + Int64(code - 1))
                }
            }
            intermediate.append(builder.finish())
        }
        for (index, accumulator) in accumulators.enumerated() {
            intermediate.append(finish(accumulator, index: index, type: plan.aggregates[index].type, partial: total, groups: groups))
        }
        let outputs = plan.outputs.compactMap { $0.columnIndex.map { intermediate[$0] } }
        var overflows = 0
        for (index, accumulator) in accumulators.enumerated() {
            if case .sumInteger = accumulator {
                overflows += groups.filter { total.seen[index][$0] != 0 && total.wraps[index][$0] != 0 }.count
            }
        }
        return (Relation(fields: fields, columns: outputs, storedCount: groups.count), overflows)
    }

    private static func integerRange(_ column: Column, relation: Relation) -> (Int64, Int64)? {
        var low = Int64.max, high = Int64.min
        let values = column.integers
        let hasNulls = column.nullCount > 0
        if let selection = relation.selection {
            for row in selection where !hasNulls || !column.isNull(Int(row)) {
                low = min(low, values[Int(row)])
                high = max(high, values[Int(row)])
            }
        } else {
            for row in 0..<relation.storedCount where !hasNulls || !column.isNull(row) {
                low = min(low, values[row])
                high = max(high, values[row])
            }
        }
        guard low <= high, !high.subtractingReportingOverflow(low).overflow else { return low > high ? (0, 0) : nil }
        return (low, high)
    }

    /// One thread's rows: the slot of each row, then every accumulator updated in place.
    private static func accumulate(keys: [Key], accumulators: [Accumulator], selection: [UInt32]?, range: Range<Int>, into partial: Partial, cancellation: CancellationCheck) {
        let batch = 4096
        let slots = UnsafeMutablePointer<Int>.allocate(capacity: batch)
        let rowsOfBatch = UnsafeMutablePointer<Int>.allocate(capacity: batch)
        defer {
            slots.deallocate()
            rowsOfBatch.deallocate()
        }
        var start = range.lowerBound
        var batches = 0
        while start < range.upperBound {
            batches += 1
            // The caller throws after both threads return; a thread only stops early.
            if batches * batch >= RowBudget.rowsPerCheck, cancellation.isCancelled() { return }
            if batches * batch >= RowBudget.rowsPerCheck { batches = 0 }
            let end = min(start + batch, range.upperBound)
            let count = end - start
            if let selection {
                selection.withUnsafeBufferPointer { rows in
                    for offset in 0..<count { rowsOfBatch[offset] = Int(rows[start + offset]) }
                }
            } else {
                for offset in 0..<count { rowsOfBatch[offset] = start + offset }
            }
            // Slots, key by key, over the whole batch.
            for offset in 0..<count { slots[offset] = 0 }
            for key in keys {
                let column = key.column
                let multiplier = key.multiplier
                let hasNulls = column.nullCount > 0
                if column.type == .text {
                    let codes = column.codes
                    for offset in 0..<count {
                        let row = rowsOfBatch[offset]
                        let code = hasNulls && column.isNull(row) ? 0 : Int(codes[row]) + 1
                        slots[offset] += code &* multiplier
                    }
                } else {
                    let values = column.integers
                    let minimum = key.minimum
                    for offset in 0..<count {
                        let row = rowsOfBatch[offset]
                        let code = hasNulls && column.isNull(row) ? 0 : Int(values[row] &- minimum) + 1
                        slots[offset] += code &* multiplier
                    }
                }
            }
            let rows = partial.rows
            for offset in 0..<count { rows[slots[offset]] += 1 }
            for (index, accumulator) in accumulators.enumerated() {
                switch accumulator {
                case .count:
                    let counts = partial.counts[index]
                    for offset in 0..<count { counts[slots[offset]] += 1 }
                case .countValues(let column):
                    let counts = partial.counts[index]
                    for offset in 0..<count where !column.isNull(rowsOfBatch[offset]) { counts[slots[offset]] += 1 }
                case .sumInteger(let column):
                    let values = column.integers, sums = partial.integers[index], seen = partial.seen[index], wraps = partial.wraps[index]
                    for offset in 0..<count {
                        let row = rowsOfBatch[offset]
                        if column.nullCount > 0 && column.isNull(row) { continue }
                        let slot = slots[offset]
                        let (result, overflow) = sums[slot].addingReportingOverflow(values[row])
                        sums[slot] = result
                        seen[slot] = 1
                        if overflow { wraps[slot] += values[row] > 0 ? 1 : -1 }
                    }
                case .sumDecimal(let column), .average(let column):
                    let sums = partial.doubles[index], counts = partial.counts[index]
                    if column.type == .decimal {
                        let values = column.decimals
                        if column.nullCount == 0 {
                            for offset in 0..<count {
                                let slot = slots[offset]
                                sums[slot] += values[rowsOfBatch[offset]]
                                counts[slot] += 1
                            }
                        } else {
                            for offset in 0..<count where !column.isNull(rowsOfBatch[offset]) {
                                let slot = slots[offset]
                                sums[slot] += values[rowsOfBatch[offset]]
                                counts[slot] += 1
                            }
                        }
                    } else {
                        let values = column.integers
                        for offset in 0..<count where !column.isNull(rowsOfBatch[offset]) {
                            let slot = slots[offset]
                            sums[slot] += Double(values[rowsOfBatch[offset]])
                            counts[slot] += 1
                        }
                    }
                case .minimum(let column), .maximum(let column):
                    let wantMax: Bool
                    if case .maximum = accumulator { wantMax = true } else { wantMax = false }
                    let seen = partial.seen[index]
                    if column.type == .decimal {
                        extreme(column.decimals, into: partial.doubles[index], seen: seen, column: column, rows: rowsOfBatch, slots: slots, count: count, wantMax: wantMax)
                    } else {
                        extreme(column.integers, into: partial.integers[index], seen: seen, column: column, rows: rowsOfBatch, slots: slots, count: count, wantMax: wantMax)
                    }
                }
            }
            start = end
        }
    }

    private static func merge(_ other: Partial, into total: Partial, accumulators: [Accumulator]) {
        for slot in 0..<total.slotCount where other.rows[slot] > 0 {
            total.rows[slot] += other.rows[slot]
            for (index, accumulator) in accumulators.enumerated() {
                switch accumulator {
                case .count, .countValues:
                    total.counts[index][slot] += other.counts[index][slot]
                case .sumInteger:
                    guard other.seen[index][slot] != 0 else { continue }
                    let (result, overflow) = total.integers[index][slot].addingReportingOverflow(other.integers[index][slot])
                    total.integers[index][slot] = result
                    total.wraps[index][slot] += other.wraps[index][slot] + (overflow ? (other.integers[index][slot] > 0 ? 1 : -1) : 0)
                    total.seen[index][slot] = 1
                case .sumDecimal, .average:
                    total.doubles[index][slot] += other.doubles[index][slot]
                    total.counts[index][slot] += other.counts[index][slot]
                case .minimum(let column), .maximum(let column):
                    guard other.seen[index][slot] != 0 else { continue }
                    let wantMax: Bool
                    if case .maximum = accumulator { wantMax = true } else { wantMax = false }
                    let first = total.seen[index][slot] == 0
                    if column.type == .decimal {
                        let value = other.doubles[index][slot]
                        if first || (wantMax ? value > total.doubles[index][slot] : value < total.doubles[index][slot]) { total.doubles[index][slot] = value }
                    } else {
                        let value = other.integers[index][slot]
                        if first || (wantMax ? value > total.integers[index][slot] : value < total.integers[index][slot]) { total.integers[index][slot] = value }
                    }
                    total.seen[index][slot] = 1
                }
            }
        }
    }

    private static func finish(_ accumulator: Accumulator, index: Int, type: DataType, partial: Partial, groups: [Int]) -> Column {
        var out = KernelOutput(type, count: groups.count)
        switch accumulator {
        case .count, .countValues:
            let to = out.integers
            for (position, slot) in groups.enumerated() { to[position] = partial.counts[index][slot] }
        case .sumInteger:
            let to = out.integers
            for (position, slot) in groups.enumerated() {
                if partial.seen[index][slot] == 0 || partial.wraps[index][slot] != 0 { out.setNull(position) } else { to[position] = partial.integers[index][slot] }
            }
        case .sumDecimal:
            let to = out.decimals
            for (position, slot) in groups.enumerated() {
                if partial.counts[index][slot] == 0 { out.setNull(position) } else { to[position] = partial.doubles[index][slot] }
            }
        case .average:
            let to = out.decimals
            for (position, slot) in groups.enumerated() {
                let count = partial.counts[index][slot]
                if count == 0 { out.setNull(position) } else { to[position] = partial.doubles[index][slot] / Double(count) }
            }
        case .minimum(let column), .maximum(let column):
            for (position, slot) in groups.enumerated() {
                if partial.seen[index][slot] == 0 {
                    out.setNull(position)
                } else if column.type == .decimal {
                    out.decimals[position] = partial.doubles[index][slot]
                } else {
                    out.integers[position] = partial.integers[index][slot]
                }
            }
        }
        return out.finish()
    }

    /// min or max of one batch into the per-slot bests, for Int64 or Double values (one loop,
    /// specialised per type by the compiler).
    @inline(__always)
    private static func extreme<T: Comparable>(_ values: UnsafeMutablePointer<T>, into best: UnsafeMutablePointer<T>, seen: UnsafeMutablePointer<Int64>,
                                               column: Column, rows: UnsafeMutablePointer<Int>, slots: UnsafeMutablePointer<Int>, count: Int, wantMax: Bool) {
        for offset in 0..<count {
            let row = rows[offset]
            if column.nullCount > 0 && column.isNull(row) { continue }
            let slot = slots[offset]
            let value = values[row]
            if seen[slot] == 0 || (wantMax ? value > best[slot] : value < best[slot]) {
                best[slot] = value
                seen[slot] = 1
            }
        }
    }
}
