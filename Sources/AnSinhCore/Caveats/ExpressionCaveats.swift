/// Expressions' propagation (`select`, `derive`): a number computed from one qualified figure
/// gets a qualifier computed per row by the expression built here, rules as `Qualifier.moved`.
extension BoundExpr {
    /// The qualifier of a number computed from a qualified one: kept where the computation
    /// grows with it, turned round where it shrinks ("more than 5" → "−5 is less than"), and
    /// "about" where the direction is not known.
    static func qualifier(of qualifierColumn: Int, moving direction: Direction) -> BoundExpr {
        let range = SourceRange(0, 0)
        let q = BoundExpr(kind: .column(qualifierColumn), type: .text, range: range)
        func text(_ t: String) -> BoundExpr { BoundExpr(kind: .literal(.text(t)), type: .text, range: range) }
        func when(_ value: String, _ then: BoundExpr, _ otherwise: BoundExpr) -> BoundExpr {
            let test = BoundExpr(kind: .compare(.equal, q, text(value)), type: .boolean, range: range)
            return BoundExpr(kind: .call(.if, [test, then, otherwise]), type: .text, range: range)
        }
        let exact = Qualifier.exact.rawValue, about = Qualifier.about.rawValue
        let moreThan = Qualifier.moreThan.rawValue, lessThan = Qualifier.lessThan.rawValue
        let exactOrAbout = when(exact, text(exact), BoundExpr(kind: .call(.if, [BoundExpr(kind: .isNull(q, negated: false), type: .boolean, range: range), BoundExpr(kind: .literal(.null), type: .text, range: range), text(about)]), type: .text, range: range))
        switch direction {
        case .increasing: return q
        // `value * 0` no longer depends on the figure: whatever it was, the result is exact.
        case .constant:
            let isNull = BoundExpr(kind: .isNull(q, negated: false), type: .boolean, range: range)
            return BoundExpr(kind: .call(.if, [isNull, BoundExpr(kind: .literal(.null), type: .text, range: range), text(exact)]), type: .text, range: range)
        case .decreasing: return when(moreThan, text(lessThan), when(lessThan, text(moreThan), exactOrAbout))
        case .unknown: return exactOrAbout
        }
    }
}
