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

/// Text made from a qualified number keeps its sign: `text(value)` of "khoảng 800 tỷ" is
/// "≈800000000000", never a bare "800000000000" that reads as exact.
enum TextCaveats {
    static func keepingQualifier(_ expr: BoundExpr, scope: [Field]) -> BoundExpr {
        var result = expr
        switch expr.kind {
        case .call(.text, let arguments) where arguments.count == 1:
            if let signed = signed(arguments[0], scope: scope, inner: expr) { return signed }
        case .call(.concat, let arguments):
            let rewritten = arguments.map { argument -> BoundExpr in
                if argument.type.isNumeric, let signed = signed(argument, scope: scope, inner: argument) { return signed }
                return keepingQualifier(argument, scope: scope)
            }
            result.kind = .call(.concat, rewritten)
            return result
        case .call(let function, let arguments):
            result.kind = .call(function, arguments.map { keepingQualifier($0, scope: scope) })
        default:
            break
        }
        return result
    }

    /// `concat(sign(qualifier), inner)` when `number` is computed from one qualified figure.
    private static func signed(_ number: BoundExpr, scope: [Field], inner: BoundExpr) -> BoundExpr? {
        guard number.type.isNumeric else { return nil }
        let figures = number.referencedColumns.filter { $0 < scope.count && scope[$0].annotations.qualifier != nil }
        guard figures.count == 1, let figure = figures.first,
              let name = scope[figure].annotations.qualifier, let column = scope.firstIndex(where: { $0.name == name }) else { return nil }
        let range = inner.range
        let qualifier = BoundExpr.qualifier(of: column, moving: number.direction(in: figure))
        func text(_ t: String) -> BoundExpr { BoundExpr(kind: .literal(.text(t)), type: .text, range: range) }
        var sign = text("")
        for case let q in Qualifier.allCases.reversed() where !q.isExact {
            let test = BoundExpr(kind: .compare(.equal, qualifier, text(q.rawValue)), type: .boolean, range: range)
            sign = BoundExpr(kind: .call(.if, [test, text(q.sign(unicode: true)), sign]), type: .text, range: range)
        }
        let textOfNumber = inner.type == .text ? inner : BoundExpr(kind: .call(.text, [inner]), type: .text, range: range)
        return BoundExpr(kind: .call(.concat, [sign, textOfNumber]), type: .text, range: range)
    }
}
