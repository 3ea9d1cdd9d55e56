// The syntax tree: what the person wrote, with the source range of every node.

/// A literal value as written in the query.
public enum Literal: Equatable, Sendable {
    case integer(Int64)
    case decimal(Double)
    case text(String)
    case boolean(Bool)
    case null
}

/// A name as written, with where it was written (for "unknown column" carets).
public struct Name: Equatable, Sendable {
    public var text: String
    public var range: SourceRange
    public init(_ text: String, _ range: SourceRange) {
        self.text = text
        self.range = range
    }
}

public struct Expr: Equatable, Sendable {
    public indirect enum Kind: Equatable, Sendable {
        case literal(Literal)
        case column(String)
        case parameter(String)
        /// `*`, only as the argument of `count(*)`.
        case star
        case unary(UnaryOperator, Expr)
        case binary(BinaryOperator, Expr, Expr)
        case call(Name, [Expr])
        case inList(Expr, [Expr], negated: Bool)
        case between(Expr, Expr, Expr, negated: Bool)
        case isNull(Expr, negated: Bool)
    }

    public var kind: Kind
    public var range: SourceRange
    /// The depth of the tree below this node (1 for a leaf). The parser refuses trees deeper than
    /// `Parser.maximumDepth`, so every later recursive walk is bounded.
    public let height: Int

    public init(_ kind: Kind, _ range: SourceRange) {
        self.kind = kind
        self.range = range
        switch kind {
        case .literal, .column, .parameter, .star: height = 1
        case .unary(_, let operand): height = operand.height + 1
        case .binary(_, let left, let right): height = max(left.height, right.height) + 1
        case .call(_, let arguments): height = (arguments.map(\.height).max() ?? 0) + 1
        case .inList(let value, let list, _): height = max(value.height, list.map(\.height).max() ?? 0) + 1
        case .between(let value, let low, let high, _): height = max(value.height, low.height, high.height) + 1
        case .isNull(let value, _): height = value.height + 1
        }
    }

    /// The same expression with its children visited first (no recursion deeper than `height`).
    public var children: [Expr] {
        switch kind {
        case .literal, .column, .parameter, .star: []
        case .unary(_, let operand): [operand]
        case .binary(_, let left, let right): [left, right]
        case .call(_, let arguments): arguments
        case .inList(let value, let list, _): [value] + list
        case .between(let value, let low, let high, _): [value, low, high]
        case .isNull(let value, _): [value]
        }
    }
}

public enum UnaryOperator: String, Sendable {
    case negate = "-", not = "not"
}

public enum BinaryOperator: String, Sendable {
    case or, and
    case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
    case contains = "~", notContains = "!~"
    case add = "+", subtract = "-", multiply = "*", divide = "/", remainder = "%"

    var isComparison: Bool {
        switch self {
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual: true
        default: false
        }
    }

    var isArithmetic: Bool {
        switch self {
        case .add, .subtract, .multiply, .divide, .remainder: true
        default: false
        }
    }
}

/// `EXPR [as NAME]` or `NAME = EXPR` in `select`, `derive`, `summarize`, `pivot`.
public struct SelectItem: Equatable, Sendable {
    public var name: Name?
    public var expr: Expr
    public var range: SourceRange
}

/// One key of a join: rows match where `left` (over the left rows) equals the right table's
/// column `right`. `on province` is `province == province`.
public struct JoinKey: Equatable, Sendable {
    public var left: Expr
    public var right: Name
    /// `provinces` in `== provinces.name`; nil when the column is written alone.
    public var rightTable: Name?
    public var range: SourceRange
}

public struct SortKey: Equatable, Sendable {
    public var expr: Expr
    public var descending: Bool
    public var range: SourceRange
}

public struct Stage: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        case filter(Expr)
        case select([SelectItem])
        case derive([SelectItem])
        case summarize(aggregates: [SelectItem], by: [SelectItem])
        case sort([SortKey])
        case take(Expr)
        case distinct([Name])
        /// `join [left] TABLE on KEY, …`: each key `NAME` (the same name on both sides) or
        /// `EXPR == NAME` (an expression over the left rows, a column of TABLE, which may be
        /// written `TABLE.NAME`).
        case join(left: Bool, table: Name, keys: [JoinKey])
        case pivot(rows: [SelectItem], column: Expr, value: Expr?)
        /// `compare district` / `compare year`: side by side, one column per value of the key.
        /// `compare KEY [value COLUMN]`: the number compared is `value` unless named (or the
        /// table's only other number column).
        case compare(Name, value: Name?)
        /// `chart [bar|spark] [VALUE] [by LABEL]`
        case chart(style: Name?, value: Expr?, label: Expr?)
        /// The source sentence behind each row.
        case why
        /// Divide a number column (default `value`) by the district's population:
        /// `per_capita`, `per_capita 1000`, `per_capita total 1000`.
        case perCapita(column: Name?, scale: Expr?)
        /// `unpivot COLS into NAME, VALUE`: wide → long, one row per input row and column.
        case unpivot(UnpivotColumns, into: Name, value: Name)
    }

    public var kind: Kind
    /// The stage keyword as written, for messages and `explain`.
    public var keyword: Name
    public var range: SourceRange
}

/// Which columns `unpivot` turns into rows.
public enum UnpivotColumns: Equatable, Sendable {
    /// Names and ranges (`"2006".."2015"`) in the order written.
    case list([UnpivotRange])
    /// `all except A, B`: every visible column but these (none: every column).
    case allExcept([Name])
    /// `matching "REGEX"`: every visible column whose name the pattern matches somewhere.
    case matching(String, SourceRange)
}

/// One column (`last` nil) or the columns from `first` to `last` in the table's order.
public struct UnpivotRange: Equatable, Sendable {
    public var first: Name
    public var last: Name?
}

public struct Pipeline: Equatable, Sendable {
    public var source: Name
    public var stages: [Stage]
    public var range: SourceRange
}

public struct Statement: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        case query(Pipeline)
        case assignment(Name, Pipeline)
        case explain(Pipeline)
    }

    public var kind: Kind
    public var range: SourceRange
}
