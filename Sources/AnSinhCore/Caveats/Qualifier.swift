/// How sure a figure is, as its source wrote it: "khoảng 800 tỷ" is about 800, "trên 16 tỷ"
/// more than 16. Stored in the `qualifier` column as its raw value; every other file uses this
/// type instead of spelling the strings.
public enum Qualifier: String, Sendable, CaseIterable, Hashable {
    case exact
    /// ≈ "khoảng", "ước", "gần như": the figure is rounded or estimated.
    case about
    /// > "trên", "hơn": the true figure is larger.
    case moreThan = "more_than"
    /// ≲ "gần", "xấp xỉ dưới": close to, not above.
    case nearly
    /// < "dưới": the true figure is smaller.
    case lessThan = "less_than"

    /// The qualifier in a text cell; nil for null or an unknown word (treated as exact by callers
    /// that need a default).
    public init?(text: String?) {
        guard let text, let qualifier = Qualifier(rawValue: text) else { return nil }
        self = qualifier
    }

    public var isExact: Bool { self == .exact }

    /// The sign shown before a number (≈, >, ≲, <; nothing for exact). ASCII terminals get ~ and ~<.
    public func sign(unicode: Bool) -> String {
        switch self {
        case .exact: ""
        case .about: unicode ? "≈" : "~"
        case .moreThan: ">"
        case .nearly: unicode ? "≲" : "~<"
        case .lessThan: "<"
        }
    }

    /// The qualifier of a number computed from this one: kept where the computation grows with
    /// the figure, turned round where it shrinks ("more than 5" → "−5 is less than"), exact where
    /// the result no longer depends on it (`value * 0`), and "about" where the direction is unknown.
    func moved(_ direction: BoundExpr.Direction) -> Qualifier {
        switch (self, direction) {
        case (.exact, _), (_, .constant): .exact
        case (_, .increasing): self
        case (.moreThan, .decreasing): .lessThan
        case (.lessThan, .decreasing): .moreThan
        default: .about
        }
    }

    /// How sure an aggregate of qualified values is. A sum of "more than" figures is more than
    /// their sum; `min`, `max`, `first` and `last` pick one figure, so its qualifier stays when
    /// every figure has the same one (`<` stays "less than" through `last()`); anything that
    /// mixes kinds, or averages, gives "about".
    static func combined(_ qualifiers: Set<Qualifier>, function: AggregateFunction) -> Qualifier {
        let inexact = qualifiers.subtracting([.exact])
        guard let only = inexact.first else { return .exact }
        switch function {
        case .sum:
            return inexact.count == 1 ? only : .about
        case .min, .max, .first, .last:
            return inexact.count == 1 && qualifiers.count == 1 ? only : .about
        default:
            return .about
        }
    }
}
