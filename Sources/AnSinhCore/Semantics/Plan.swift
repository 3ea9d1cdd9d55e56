// The bound plan: names resolved to column indices, every expression typed.

/// A typed expression over the columns of one relation.
public struct BoundExpr: Sendable {
    public indirect enum Kind: Sendable {
        case column(Int)
        case literal(Value)
        case negate(BoundExpr)
        case not(BoundExpr)
        case arithmetic(BinaryOperator, BoundExpr, BoundExpr)
        /// Operands already have a common type (numbers both decimal or both integer, or both text).
        case compare(BinaryOperator, BoundExpr, BoundExpr)
        case logical(BinaryOperator, BoundExpr, BoundExpr)
        /// `a ~ b`: `b` occurs in `a`, ignoring case and diacritics.
        case contains(BoundExpr, BoundExpr, negated: Bool)
        case inList(BoundExpr, [BoundExpr], negated: Bool)
        case isNull(BoundExpr, negated: Bool)
        case call(ScalarFunction, [BoundExpr])
        case toDecimal(BoundExpr)
    }

    public var kind: Kind
    public var type: DataType
    public var range: SourceRange

    var columnIndex: Int? {
        if case .column(let index) = kind { return index }
        return nil
    }

    var literalValue: Value? {
        if case .literal(let value) = kind { return value }
        return nil
    }

    /// How the expression moves as `column` grows (the other columns held fixed), so that a
    /// qualifier such as "more than" can be kept (`value / 1e9`), turned round (`-value`,
    /// `100 - value`) or weakened to "about" (`abs(value)`, `value / population`).
    enum Direction { case constant, increasing, decreasing, unknown }

    func direction(in column: Int) -> Direction {
        func flip(_ d: Direction) -> Direction {
            switch d {
            case .increasing: .decreasing
            case .decreasing: .increasing
            default: d
            }
        }
        func add(_ a: Direction, _ b: Direction) -> Direction {
            if a == .constant { return b }
            if b == .constant { return a }
            return a == b && a != .unknown ? a : .unknown
        }
        /// The sign of a literal factor; nil for anything whose sign is not known here.
        func sign(_ e: BoundExpr) -> Double? {
            switch e.kind {
            case .literal(let value): value.doubleValue.map { $0 > 0 ? 1 : $0 < 0 ? -1 : 0 }
            case .negate(let inner): sign(inner).map { -$0 }
            case .toDecimal(let inner): sign(inner)
            default: nil
            }
        }
        func scaled(_ d: Direction, by factor: BoundExpr) -> Direction {
            guard let s = sign(factor) else { return .unknown }
            return s > 0 ? d : s < 0 ? flip(d) : .constant
        }
        guard referencedColumns.contains(column) else { return .constant }
        switch kind {
        case .column: return .increasing
        case .toDecimal(let inner): return inner.direction(in: column)
        case .negate(let inner): return flip(inner.direction(in: column))
        case .arithmetic(.add, let left, let right):
            return add(left.direction(in: column), right.direction(in: column))
        case .arithmetic(.subtract, let left, let right):
            return add(left.direction(in: column), flip(right.direction(in: column)))
        case .arithmetic(.multiply, let left, let right):
            let l = left.direction(in: column), r = right.direction(in: column)
            if r == .constant { return scaled(l, by: right) }
            if l == .constant { return scaled(r, by: left) }
            return .unknown
        case .arithmetic(.divide, let left, let right):
            return right.direction(in: column) == .constant ? scaled(left.direction(in: column), by: right) : .unknown
        case .call(.round, let arguments), .call(.floor, let arguments), .call(.ceil, let arguments):
            guard let first = arguments.first, arguments.dropFirst().allSatisfy({ $0.direction(in: column) == .constant }) else { return .unknown }
            return first.direction(in: column)
        default:
            return .unknown
        }
    }

    /// Indices of every column the expression reads.
    var referencedColumns: Set<Int> {
        var result = Set<Int>()
        var stack = [self]
        while let expr = stack.popLast() {
            switch expr.kind {
            case .column(let index): result.insert(index)
            case .literal: break
            case .negate(let operand), .not(let operand), .toDecimal(let operand), .isNull(let operand, _): stack.append(operand)
            case .arithmetic(_, let left, let right), .compare(_, let left, let right), .logical(_, let left, let right):
                stack.append(left)
                stack.append(right)
            case .contains(let left, let right, _):
                stack.append(left)
                stack.append(right)
            case .inList(let value, let list, _):
                stack.append(value)
                stack.append(contentsOf: list)
            case .call(_, let arguments): stack.append(contentsOf: arguments)
            }
        }
        return result
    }
}

/// One aggregate to compute per group.
struct AggregateSpec: Sendable {
    var function: AggregateFunction
    /// nil for `count()`.
    var argument: BoundExpr?
    var type: DataType
    var range: SourceRange
    /// The input columns that qualify the argument, when it is an annotated column such as `value`.
    var unitInput: Int?
    var qualifierInput: Int?
    var measureInput: Int?
    var periodInput: Int?
    /// district, indicator, detail, year_from, year_to, source, id, part_of of the input (when
    /// all exist): to notice one figure counted twice, from two sources or as total and part.
    var identityInputs: [Int]?
    /// For an argument computed from a figure (`sum(value / 1e9)`): the figure's unit column,
    /// for warnings only (the result is no longer in that unit), and how the argument moves
    /// with the figure (a sum of `-value` over "more than" figures is "less than").
    var unitForWarnings: Int?
    var qualifierDirection: BoundExpr.Direction = .increasing
    /// Text of the call for warnings: `sum(value)`.
    var display: String
}

struct SummarizePlan: Sendable {
    /// Grouping keys over the input.
    var keys: [BoundExpr]
    var aggregates: [AggregateSpec]
    /// Output columns as expressions over the intermediate row [keys…, aggregates…].
    var outputs: [BoundExpr]
    /// For each aggregate: the intermediate index of a hidden unit/qualifier column to produce.
    var hiddenUnitFor: [Int: Int]
    var hiddenQualifierFor: [Int: Int]
}

/// One key of a join: `left` over the left rows equals the right table's column `right`.
struct JoinKeyPlan: Sendable {
    var left: BoundExpr
    var right: Int
}

struct JoinPlan: Sendable {
    var isLeft: Bool
    var right: Table
    /// One or more keys; a row pair matches when every key is equal (and none is null).
    var keys: [JoinKeyPlan]
    /// Right columns kept, in output order.
    var rightColumns: [Int]
}

struct PivotPlan: Sendable {
    var summarize: SummarizePlan
    /// Number of row keys (the first outputs of `summarize`); the next output is the column key,
    /// the last the cell value.
    var rowKeyCount: Int
    var rowKeyNames: [String]
}

struct ComparePlan: Sendable {
    /// `district` or `year` (or another column).
    var keyColumn: Int
    var keyName: String
    var indicator: Int?
    var detail: Int?
    var value: Int
    var unit: Int?
    var measure: Int?
    var period: Int?
    var yearTo: Int?
    var qualifier: Int?
    /// When the compared key is not the district: rows of different districts are never merged.
    var district: Int? = nil
    var yearFrom: Int? = nil
    /// Comparing years: the periods differ by design; what must agree is their length.
    var comparesYears: Bool = false
    /// A table without `indicator` (an import, a `let`): the columns that say what a row is, one
    /// output row per combination of their values. nil: rows are named by indicator (and district).
    var identity: [Int]? = nil
}

struct ChartPlan: Sendable {
    var spark: Bool
    var value: BoundExpr
    var label: BoundExpr?
    var unit: Int?
    var qualifier: Int?
    /// A sparkline is one series: rows of several districts are refused.
    var district: Int? = nil
}

struct PerCapitaPlan: Sendable {
    var scale: Double
    var district: Int
    var value: Int
    var unit: Int?
}

struct UnpivotPlan: Sendable {
    /// Where a caveat of the value column comes from, for one unpivoted column.
    enum CaveatSource: Sendable {
        case none
        case column(Int)
        case constant(String)
    }

    /// Input columns turned into rows, in the order their rows come out.
    var columns: [Int]
    /// Their names, as the name column shows them.
    var names: [String]
    /// Input columns kept on every output row (visible and hidden), in order.
    var kept: [Int]
    var valueType: DataType
    /// One hidden output column per caveat (unit, qualifier, measure, period) that any unpivoted
    /// column carries: for each unpivoted column, where its rows' caveat comes from.
    var caveats: [[CaveatSource]]
}

enum BoundStage: Sendable {
    case filter(BoundExpr)
    /// `select` and `derive`: `items` are computed in order over the input columns followed by
    /// the items computed before them (so `derive a = x * 2, b = a + 1` works); `outputs` picks
    /// the result columns from that extended list.
    case project(items: [BoundExpr], outputs: [Int])
    case summarize(SummarizePlan)
    case sort([(key: BoundExpr, descending: Bool)])
    case take(Int)
    case distinct([Int])
    case join(JoinPlan)
    case pivot(PivotPlan)
    case compare(ComparePlan)
    case chart(ChartPlan)
    case why
    case perCapita(PerCapitaPlan)
    case unpivot(UnpivotPlan)
}

/// A pipeline ready to run: the source table and each stage with the schema it produces.
public struct BoundPipeline: Sendable {
    public var source: Table
    var stages: [(stage: BoundStage, fields: [Field], syntax: Stage)]
    public var syntax: Pipeline

    /// The columns of the result.
    public var fields: [Field] { stages.last?.fields ?? source.fields }
}
