#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Counts of rows where arithmetic gave null instead of trapping, reported under the result.
struct ArithmeticReport {
    var divisionsByZero = 0
    var overflows = 0
}

/// A new column's memory while a kernel fills it; nulls are recorded as they come.
struct KernelOutput {
    let type: DataType
    let count: Int
    let storage: UnsafeMutableRawPointer
    var validity: UnsafeMutablePointer<UInt64>?
    var nullCount = 0

    init(_ type: DataType, count: Int) {
        self.type = type
        self.count = count
        storage = Column.allocateStorage(type, count: count)
    }

    var integers: UnsafeMutablePointer<Int64> { storage.assumingMemoryBound(to: Int64.self) }
    var decimals: UnsafeMutablePointer<Double> { storage.assumingMemoryBound(to: Double.self) }
    var booleans: UnsafeMutablePointer<UInt8> { storage.assumingMemoryBound(to: UInt8.self) }
    var codes: UnsafeMutablePointer<UInt32> { storage.assumingMemoryBound(to: UInt32.self) }

    @inline(__always)
    mutating func setNull(_ row: Int) {
        if validity == nil { validity = Column.allocateValidity(count: count) }
        validity?[row >> 6] &= ~(1 << UInt64(row & 63))
        nullCount += 1
    }

    /// Frees the memory of an output that will not become a column.
    func discard() {
        Memory.release(storage)
        Memory.release(validity.map { UnsafeMutableRawPointer($0) })
    }

    func finish(dictionary: TextDictionary? = nil) -> Column {
        Column(type: type, count: count, storage: storage, dictionary: dictionary, validity: validity, nullCount: nullCount)
    }
}

/// Evaluates bound expressions over whole columns: each operator runs one typed loop over all
/// rows, never an interpreter call per row.
struct Evaluator {
    let relation: Relation
    var report = ArithmeticReport()
    /// ^C is checked after every node (one typed loop over all rows) and every `RowBudget.rowsPerCheck` rows of the
    /// row-at-a-time paths, so no expression runs on for long after a cancel.
    var budget: RowBudget

    init(_ relation: Relation, cancellation: CancellationCheck = .never) {
        self.relation = relation
        budget = RowBudget(cancellation)
    }

    var count: Int { relation.rowCount }

    /// The expression's values for every row of the relation, in order.
    mutating func evaluate(_ expr: BoundExpr) throws(Diagnostic) -> Column {
        switch expr.kind {
        case .column(let index):
            return relation.denseColumn(index)
        case .literal(let value):
            return Column.constant(coerced(value, to: expr.type), count: count)
        default:
            let operand = try operandVector(expr)
            if operand.stride == 1 { return operand.column }
            return broadcast(operand.column, count: count)
        }
    }

    private func coerced(_ value: Value, to type: DataType) -> Value {
        if case .integer(let number) = value, type == .decimal { return .decimal(Double(number)) }
        return value
    }

    /// A column plus a stride: 0 for a constant (one stored value read for every row), 1 otherwise.
    struct Operand {
        var column: Column
        var stride: Int
        var isConstant: Bool { stride == 0 }

        @inline(__always) func isNull(_ row: Int) -> Bool { column.isNull(row * stride) }
    }

    private func broadcast(_ column: Column, count: Int) -> Column {
        Column.constant(column.value(at: 0), count: count)
    }

    /// Evaluates to a full column, or to a one-row column when the expression is constant.
    /// A constant sub-expression is computed once for all rows; a division by zero or an
    /// overflow in it gives null in every row, and is reported so.
    private mutating func countForEveryRow(since before: ArithmeticReport) {
        report.divisionsByZero = before.divisionsByZero + (report.divisionsByZero - before.divisionsByZero) * count
        report.overflows = before.overflows + (report.overflows - before.overflows) * count
    }

    mutating func operandVector(_ expr: BoundExpr) throws(Diagnostic) -> Operand {
        let operand = try operandVectorOfNode(expr)
        try budget.spend(operand.column.count)
        return operand
    }

    private mutating func operandVectorOfNode(_ expr: BoundExpr) throws(Diagnostic) -> Operand {
        switch expr.kind {
        case .column(let index):
            return Operand(column: relation.denseColumn(index), stride: 1)
        case .literal(let value):
            return Operand(column: Column.constant(coerced(value, to: expr.type), count: 1), stride: 0)
        case .toDecimal(let inner):
            let operand = try operandVector(inner)
            return Operand(column: toDecimal(operand.column), stride: operand.stride)
        case .negate(let inner):
            let operand = try operandVector(inner)
            let before = report
            let column = negate(operand.column)
            if operand.isConstant { countForEveryRow(since: before) }
            return Operand(column: column, stride: operand.stride)
        case .not(let inner):
            let operand = try operandVector(inner)
            return Operand(column: not(operand.column), stride: operand.stride)
        case .arithmetic(let op, let left, let right):
            let l = try operandVector(left), r = try operandVector(right)
            let before = report
            let column = arithmetic(op, l, r, type: expr.type)
            if l.isConstant && r.isConstant { countForEveryRow(since: before) }
            return Operand(column: column, stride: l.isConstant && r.isConstant ? 0 : 1)
        case .compare(let op, let left, let right):
            let l = try operandVector(left), r = try operandVector(right)
            return Operand(column: try compare(op, l, r), stride: l.isConstant && r.isConstant ? 0 : 1)
        case .logical(let op, let left, let right):
            let l = try operandVector(left), r = try operandVector(right)
            return Operand(column: logical(op, l, r), stride: l.isConstant && r.isConstant ? 0 : 1)
        case .contains(let left, let right, let negated):
            let l = try operandVector(left), r = try operandVector(right)
            return Operand(column: try contains(l, r, negated: negated), stride: l.isConstant && r.isConstant ? 0 : 1)
        case .inList(let value, let list, let negated):
            let operand = try operandVector(value)
            var items: [Operand] = []
            for item in list { items.append(try operandVector(item)) }
            let allConstant = operand.isConstant && items.allSatisfy(\.isConstant)
            return Operand(column: try inList(operand, items, negated: negated), stride: allConstant ? 0 : 1)
        case .isNull(let inner, let negated):
            let operand = try operandVector(inner)
            let rows = operand.column.count
            let out = KernelOutput(.boolean, count: rows)
            let booleans = out.booleans
            for row in 0..<rows { booleans[row] = (operand.column.isNull(row) != negated) ? 1 : 0 }
            return Operand(column: out.finish(), stride: operand.stride)
        case .call(let function, let arguments):
            var operands: [Operand] = []
            for argument in arguments { operands.append(try operandVector(argument)) }
            let allConstant = operands.allSatisfy(\.isConstant)
            let rows = allConstant ? 1 : count
            let before = report
            let column = try call(function, operands, rows: rows, type: expr.type)
            if allConstant { countForEveryRow(since: before) }
            return Operand(column: column, stride: allConstant ? 0 : 1)
        }
    }

    // MARK: - Numeric kernels

    private func toDecimal(_ column: Column) -> Column {
        guard column.type == .integer else { return column }
        var out = KernelOutput(.decimal, count: column.count)
        let from = column.integers, to = out.decimals
        for row in 0..<column.count { to[row] = Double(from[row]) }
        copyNulls(from: column, into: &out)
        return out.finish()
    }

    private func copyNulls(from column: Column, into out: inout KernelOutput) {
        guard column.nullCount > 0 || column.type == .null else { return }
        for row in 0..<out.count where column.isNull(row) { out.setNull(row) }
    }

    private mutating func negate(_ column: Column) -> Column {
        var out = KernelOutput(column.type == .null ? .integer : column.type, count: column.count)
        switch column.type {
        case .integer:
            let from = column.integers, to = out.integers
            for row in 0..<column.count {
                let (result, overflow) = Int64(0).subtractingReportingOverflow(from[row])
                to[row] = result
                if overflow && !column.isNull(row) {
                    out.setNull(row)
                    report.overflows += 1
                }
            }
        case .decimal:
            let from = column.decimals, to = out.decimals
            for row in 0..<column.count { to[row] = -from[row] }
        default:
            for row in 0..<column.count { out.setNull(row) }
            return out.finish()
        }
        copyNulls(from: column, into: &out)
        return out.finish()
    }

    private func not(_ column: Column) -> Column {
        var out = KernelOutput(.boolean, count: column.count)
        if column.type == .boolean {
            let from = column.booleans, to = out.booleans
            for row in 0..<column.count { to[row] = from[row] == 0 ? 1 : 0 }
        }
        copyNulls(from: column, into: &out)
        return out.finish()
    }

    private mutating func arithmetic(_ op: BinaryOperator, _ l: Operand, _ r: Operand, type: DataType) -> Column {
        let rows = l.isConstant && r.isConstant ? 1 : count
        var out = KernelOutput(type, count: rows)
        let ls = l.stride, rs = r.stride
        if type == .integer && l.column.type == .integer && r.column.type == .integer {
            let a = l.column.integers, b = r.column.integers, to = out.integers
            for row in 0..<rows {
                if l.isNull(row) || r.isNull(row) { out.setNull(row); continue }
                let x = a[row * ls], y = b[row * rs]
                var result: Int64 = 0
                var failed = false
                switch op {
                case .add: (result, failed) = x.addingReportingOverflow(y)
                case .subtract: (result, failed) = x.subtractingReportingOverflow(y)
                case .multiply: (result, failed) = x.multipliedReportingOverflow(by: y)
                case .remainder:
                    if y == 0 {
                        report.divisionsByZero += 1
                        out.setNull(row)
                        continue
                    }
                    // Int64.min % -1 is 0 (only the quotient overflows).
                    (result, failed) = y == -1 ? (0, false) : x.remainderReportingOverflow(dividingBy: y)
                default: failed = true
                }
                if failed {
                    report.overflows += 1
                    out.setNull(row)
                } else {
                    to[row] = result
                }
            }
            return out.finish()
        }
        // Decimal arithmetic (integers were converted by the binder).
        guard l.column.type == .decimal || l.column.type == .null, r.column.type == .decimal || r.column.type == .null, type == .decimal else {
            for row in 0..<rows { out.setNull(row) }
            return out.finish()
        }
        let a = l.column.decimals, b = r.column.decimals, to = out.decimals
        let anyNull = l.column.nullCount > 0 || r.column.nullCount > 0 || l.column.type == .null || r.column.type == .null
        switch op {
        case .add where !anyNull:
            for row in 0..<rows { to[row] = a[row * ls] + b[row * rs] }
        case .subtract where !anyNull:
            for row in 0..<rows { to[row] = a[row * ls] - b[row * rs] }
        case .multiply where !anyNull:
            for row in 0..<rows { to[row] = a[row * ls] * b[row * rs] }
        default:
            for row in 0..<rows {
                if l.isNull(row) || r.isNull(row) { out.setNull(row); continue }
                let x = a[row * ls], y = b[row * rs]
                switch op {
                case .add: to[row] = x + y
                case .subtract: to[row] = x - y
                case .multiply: to[row] = x * y
                case .divide, .remainder:
                    if y == 0 {
                        report.divisionsByZero += 1
                        out.setNull(row)
                    } else {
                        to[row] = op == .divide ? x / y : x.truncatingRemainder(dividingBy: y)
                    }
                default: out.setNull(row)
                }
            }
        }
        // Past the largest Double (1e308 * 10) is an overflow like Int64's: null and a note,
        // never `inf` or `nan` shown as a number.
        for row in 0..<rows where !to[row].isFinite {
            let wasNull = out.validity.map { ($0[row >> 6] >> UInt64(row & 63)) & 1 == 0 } ?? false
            if !wasNull {
                out.setNull(row)
                report.overflows += 1
            }
        }
        return out.finish()
    }

    // MARK: - Comparison

    /// Three-way comparison result per row for `op`.
    @inline(__always)
    private static func holds(_ op: BinaryOperator, _ order: Int) -> Bool {
        switch op {
        case .equal: order == 0
        case .notEqual: order != 0
        case .less: order < 0
        case .lessEqual: order <= 0
        case .greater: order > 0
        case .greaterEqual: order >= 0
        default: false
        }
    }

    private mutating func compare(_ op: BinaryOperator, _ l: Operand, _ r: Operand) throws(Diagnostic) -> Column {
        let rows = l.isConstant && r.isConstant ? 1 : count
        var out = KernelOutput(.boolean, count: rows)
        let to = out.booleans
        let ls = l.stride, rs = r.stride
        let type = l.column.type == .null ? r.column.type : l.column.type
        if l.column.type == .null || r.column.type == .null {
            for row in 0..<rows { out.setNull(row) }
            return out.finish()
        }
        switch type {
        case .integer:
            let a = l.column.integers, b = r.column.integers
            for row in 0..<rows {
                let x = a[row * ls], y = b[row * rs]
                to[row] = Evaluator.holds(op, x < y ? -1 : (x > y ? 1 : 0)) ? 1 : 0
            }
        case .decimal:
            let a = l.column.decimals, b = r.column.decimals
            for row in 0..<rows {
                let x = a[row * ls], y = b[row * rs]
                to[row] = Evaluator.holds(op, x < y ? -1 : (x > y ? 1 : 0)) ? 1 : 0
            }
        case .boolean:
            let a = l.column.booleans, b = r.column.booleans
            for row in 0..<rows {
                let x = a[row * ls], y = b[row * rs]
                to[row] = Evaluator.holds(op, x < y ? -1 : (x > y ? 1 : 0)) ? 1 : 0
            }
        case .text:
            try compareText(op, l, r, rows: rows, into: to)
        case .null:
            break
        }
        for row in 0..<rows where l.isNull(row) || r.isNull(row) { out.setNull(row) }
        return out.finish()
    }

    /// Text comparison. Against a constant, the answer is computed once per dictionary entry.
    private mutating func compareText(_ op: BinaryOperator, _ l: Operand, _ r: Operand, rows: Int, into to: UnsafeMutablePointer<UInt8>) throws(Diagnostic) {
        if r.isConstant || l.isConstant {
            let (column, constant, flipped) = r.isConstant ? (l, r, false) : (r, l, true)
            guard let target = constant.column.text(at: 0) else { return }
            let targetKey = op == .equal || op == .notEqual ? [] : VietnameseCollation.key(target)
            var answers: [UInt8] = []
            answers.reserveCapacity(column.column.dictionary.count)
            for string in column.column.dictionary.strings {
                try budget.spend()
                let order: Int
                if op == .equal || op == .notEqual {
                    order = string == target ? 0 : 1
                } else {
                    let key = VietnameseCollation.key(string)
                    order = key == targetKey ? 0 : (key.lexicographicallyPrecedes(targetKey) ? -1 : 1)
                }
                answers.append(Evaluator.holds(op, flipped ? -order : order) ? 1 : 0)
            }
            let codes = column.column.codes
            let stride = column.stride
            answers.withUnsafeBufferPointer { answers in
                for row in 0..<rows { to[row] = answers[Int(codes[row * stride])] }
            }
            return
        }
        let sameDictionary = l.column.dictionary === r.column.dictionary
        let ranksLeft = op == .equal || op == .notEqual ? [] : try l.column.dictionary.ranks(cancellation: budget.cancellation)
        let ranksRight = sameDictionary ? ranksLeft : (op == .equal || op == .notEqual ? [] : try r.column.dictionary.ranks(cancellation: budget.cancellation))
        for row in 0..<rows {
            let a = Int(l.column.codes[row]), b = Int(r.column.codes[row])
            var order: Int
            if op == .equal || op == .notEqual {
                order = sameDictionary ? (a == b ? 0 : 1) : (l.column.dictionary.strings[a] == r.column.dictionary.strings[b] ? 0 : 1)
            } else if sameDictionary {
                order = ranksLeft[a] < ranksLeft[b] ? -1 : (ranksLeft[a] > ranksLeft[b] ? 1 : 0)
            } else {
                let x = VietnameseCollation.key(l.column.dictionary.strings[a])
                let y = VietnameseCollation.key(r.column.dictionary.strings[b])
                order = x == y ? 0 : (x.lexicographicallyPrecedes(y) ? -1 : 1)
                _ = ranksRight
            }
            to[row] = Evaluator.holds(op, order) ? 1 : 0
            try budget.spend()
        }
    }

    /// SQL three-valued logic: false and null is false; true or null is true.
    private func logical(_ op: BinaryOperator, _ l: Operand, _ r: Operand) -> Column {
        let rows = l.isConstant && r.isConstant ? 1 : count
        var out = KernelOutput(.boolean, count: rows)
        let to = out.booleans
        for row in 0..<rows {
            let leftNull = l.isNull(row), rightNull = r.isNull(row)
            let x = !leftNull && l.column.booleans[row * l.stride] != 0
            let y = !rightNull && r.column.booleans[row * r.stride] != 0
            if op == .and {
                if (!leftNull && !x) || (!rightNull && !y) { to[row] = 0 } else if leftNull || rightNull { to[row] = 0; out.setNull(row) } else { to[row] = 1 }
            } else {
                if x || y { to[row] = 1 } else if leftNull || rightNull { to[row] = 0; out.setNull(row) } else { to[row] = 0 }
            }
        }
        return out.finish()
    }

    private mutating func contains(_ l: Operand, _ r: Operand, negated: Bool) throws(Diagnostic) -> Column {
        let rows = l.isConstant && r.isConstant ? 1 : count
        var out = KernelOutput(.boolean, count: rows)
        let to = out.booleans
        if l.column.type != .text || r.column.type != .text {
            for row in 0..<rows { out.setNull(row) }
            return out.finish()
        }
        if r.isConstant {
            let needle = UnicodeText.fold(r.column.text(at: 0) ?? "")
            let answers: [UInt8] = try l.column.dictionary.folded(cancellation: budget.cancellation).map { ($0.contains(needle) != negated) ? 1 : 0 }
            let codes = l.column.codes, stride = l.stride
            answers.withUnsafeBufferPointer { answers in
                for row in 0..<rows { to[row] = answers[Int(codes[row * stride])] }
            }
        } else {
            let leftFolded = try l.column.dictionary.folded(cancellation: budget.cancellation), rightFolded = try r.column.dictionary.folded(cancellation: budget.cancellation)
            for row in 0..<rows {
                let haystack = leftFolded[Int(l.column.codes[row * l.stride])]
                let needle = rightFolded[Int(r.column.codes[row * r.stride])]
                to[row] = (haystack.contains(needle) != negated) ? 1 : 0
                try budget.spend()
            }
        }
        for row in 0..<rows where l.isNull(row) || r.isNull(row) { out.setNull(row) }
        return out.finish()
    }

    /// `x in (a, b, …)`: true if equal to any; null when no match and some side is null (as SQL).
    private mutating func inList(_ value: Operand, _ items: [Operand], negated: Bool) throws(Diagnostic) -> Column {
        let rows = value.isConstant && items.allSatisfy(\.isConstant) ? 1 : count
        var out = KernelOutput(.boolean, count: rows)
        let to = out.booleans
        var sawNull = [Bool](repeating: false, count: rows)
        for row in 0..<rows { to[row] = 0 }
        if value.column.type == .text && items.allSatisfy({ $0.isConstant }) {
            let targets = Set(items.compactMap { $0.column.text(at: 0) })
            let anyNullItem = items.contains { $0.isNull(0) }
            let answers: [UInt8] = value.column.dictionary.strings.map { targets.contains($0) ? 1 : 0 }
            for row in 0..<rows {
                to[row] = answers[Int(value.column.codes[row * value.stride])]
                if to[row] == 0 && anyNullItem { sawNull[row] = true }
            }
        } else {
            for item in items {
                let equal = try compare(.equal, value, item)
                for row in 0..<rows {
                    let index = equal.count == 1 ? 0 : row
                    if equal.isNull(index) { sawNull[row] = true } else if equal.booleans[index] != 0 { to[row] = 1 }
                }
            }
        }
        for row in 0..<rows {
            if value.isNull(row) {
                out.setNull(row)
            } else if to[row] == 0 && sawNull[row] {
                out.setNull(row)
            } else if negated {
                to[row] = to[row] == 0 ? 1 : 0
            }
        }
        return out.finish()
    }

    // MARK: - Functions

    private mutating func call(_ function: ScalarFunction, _ arguments: [Operand], rows: Int, type: DataType) throws(Diagnostic) -> Column {
        switch function {
        case .lower, .upper, .fold, .trim:
            let argument = arguments[0]
            guard argument.column.type == .text else { return Column.nulls(.text, count: rows) }
            let transform: (String) -> String
            switch function {
            case .lower: transform = { $0.lowercased() }
            case .upper: transform = { $0.uppercased() }
            case .fold: transform = UnicodeText.fold
            default: transform = { $0.trimmingSpaces() }
            }
            return try mapDictionary(argument, rows: rows, transform)
        case .length:
            return try mapText(arguments[0], rows: rows, as: .integer) { .integer(Int64($0.unicodeScalars.count)) }
        case .vn_number:
            return try mapText(arguments[0], rows: rows, as: .decimal) { text in
                VietnameseNumber.parseValue(text, requireWellFormed: true).map(Value.decimal) ?? .null
            }
        case .number:
            // The binder allows only a constant mark; a null or odd one reads as '.'.
            var mark = DecimalMark.dot
            if arguments.count == 2, case .text(let text) = arguments[1].column.value(at: 0), let given = DecimalMark.named(text) { mark = given }
            return try mapText(arguments[0], rows: rows, as: .decimal) { text in
                mark.parse(text).map(Value.decimal) ?? .null
            }
        case .replace, .matches, .extract, .regex_replace, .squish, .starts_with, .ends_with, .split_part, .year_of, .place, .place_kind:
            return try textFunction(function, arguments, rows: rows, type: type)
        default:
            break
        }
        let builder = ColumnBuilder(type: type, capacity: rows)
        for row in 0..<rows {
            let values = arguments.map { $0.column.value(at: row * $0.stride) }
            builder.append(scalar(function, values, type: type))
            try budget.spend()
        }
        return builder.finish()
    }

    /// Applies a text → text function once per distinct string.
    mutating func mapDictionary(_ argument: Operand, rows: Int, _ transform: (String) -> String) throws(Diagnostic) -> Column {
        let source = argument.column
        let dictionary = TextDictionary()
        var remap: [UInt32] = []
        remap.reserveCapacity(source.dictionary.count)
        for string in source.dictionary.strings {
            remap.append(dictionary.intern(transform(string)))
            try budget.spend()
        }
        var out = KernelOutput(.text, count: rows)
        let codes = out.codes
        for row in 0..<rows { codes[row] = remap[Int(source.codes[row * argument.stride])] }
        for row in 0..<rows where argument.isNull(row) { out.setNull(row) }
        return out.finish(dictionary: dictionary)
    }

    /// Applies a text → value function once per distinct string, then gathers by code.
    mutating func mapText(_ argument: Operand, rows: Int, as type: DataType, _ transform: (String) -> Value) throws(Diagnostic) -> Column {
        let source = argument.column
        let builder = ColumnBuilder(type: type, capacity: rows)
        guard source.type == .text else {
            for _ in 0..<rows { builder.appendNull() }
            return builder.finish()
        }
        var answers: [Value] = []
        answers.reserveCapacity(source.dictionary.count)
        for string in source.dictionary.strings {
            answers.append(transform(string))
            try budget.spend()
        }
        for row in 0..<rows {
            builder.append(argument.isNull(row) ? .null : answers[Int(source.codes[row * argument.stride])])
            try budget.spend()
        }
        return builder.finish()
    }

    /// Row-at-a-time functions whose cost is dominated by their own work (concat, if, …).
    private mutating func scalar(_ function: ScalarFunction, _ values: [Value], type: DataType) -> Value {
        switch function {
        case .abs:
            switch values[0] {
            case .integer(let number):
                if number == .min { report.overflows += 1; return .null }
                return .integer(Swift.abs(number))
            case .decimal(let number): return .decimal(Swift.abs(number))
            default: return .null
            }
        case .round:
            let digits: Int64
            if values.count > 1 {
                guard case .integer(let requested) = values[1] else { return .null }
                digits = max(-18, min(18, requested))
            } else {
                digits = 0
            }
            switch values[0] {
            case .integer(let number) where values.count == 1: return .integer(number)
            case .integer(let number): return .decimal(Evaluator.round(Double(number), digits: Int(digits)))
            case .decimal(let number): return .decimal(Evaluator.round(number, digits: Int(digits)))
            default: return .null
            }
        case .floor, .ceil:
            switch values[0] {
            case .integer(let number): return .integer(number)
            case .decimal(let number): return .decimal(function == .floor ? number.rounded(.down) : number.rounded(.up))
            default: return .null
            }
        case .concat:
            return .text(values.map(\.description).joined())
        case .text:
            return values[0].isNull ? .null : .text(values[0].description)
        case .coalesce:
            return values.first { !$0.isNull }.map { coerced($0, to: type) } ?? .null
        case .nullif:
            return values[0] == coerced(values[1], to: values[0].type) ? .null : values[0]
        case .if:
            if case .boolean(true) = values[0] { return coerced(values[1], to: type) }
            return coerced(values[2], to: type)
        default:
            return .null
        }
    }

    /// Rounds half away from zero at `digits` decimal places, like SQLite's round().
    static func round(_ value: Double, digits: Int) -> Double {
        // To a whole number nothing is scaled, so the double itself is rounded, half away from
        // zero: 100.49999999999999 is below the half and gives 100 (sqlite3 and DuckDB agree).
        if digits == 0 { return value.rounded(.toNearestOrAwayFromZero) }
        if digits > 0 {
            var factor = 1.0
            for _ in 0..<digits { factor *= 10 }
            let scaled = value * factor
            guard scaled.isFinite, abs(scaled) < 1e17 else { return value }
            // 0.285 is stored as 0.28499999999999998: a half that binary fractions miss by a few
            // units in the last place is still a half, as the reader wrote it (SQLite agrees).
            let whole = scaled.rounded(.towardZero)
            // Only where a few ulps are far below a half (|scaled| < 2^48); beyond, every value
            // would count as a half and 1e13 would round to 10000000000000.01.
            if abs(scaled) < 0x1p48, scaled != whole, abs(abs(scaled - whole) - 0.5) <= 4 * abs(scaled).ulp {
                return (whole + (scaled < 0 ? -1 : 1)) / factor
            }
            return scaled.rounded(.toNearestOrAwayFromZero) / factor
        }
        var factor = 1.0
        for _ in 0..<(-digits) { factor *= 10 }
        return (value / factor).rounded(.toNearestOrAwayFromZero) * factor
    }
}

extension String {
    /// Without spaces, tabs and line breaks at both ends.
    func trimmingSpaces() -> String {
        var scalars = Substring(self).unicodeScalars
        while let first = scalars.first, first.properties.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.properties.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
