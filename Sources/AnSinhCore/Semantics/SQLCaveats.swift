/// `summarize`'s hidden caveat columns written in SQL, for pushdown: per group, the single unit
/// of an aggregate and its combined qualifier, as `AggregateCaveats.propagate` computes them
/// locally.
///
/// The rules are not written again here. The server reports which qualifiers a group holds (a
/// bit per `Qualifier` case, or the one figure `min`/`max` chose), and the SQL maps that to the
/// answer through a lookup table built by calling `Qualifier.moved` and `Qualifier.combined`
/// for every possible case (32 sets of the 5 qualifiers). The single unit is `CaveatSet.unit`
/// (one distinct unit among the non-null figures, else null).
extension SQLTranslator {
    /// The SQL of the hidden intermediate columns of `plan` (after its keys and aggregates), in
    /// the binder's order. `ordered`: the input has the `__ord` of an earlier sort, which breaks
    /// ties between equal figures as the local engine's row order does.
    func hiddenAggregateColumns(_ plan: SummarizePlan, _ fields: [Field], ordered: Bool) throws(Diagnostic) -> [String] {
        let first = plan.keys.count + plan.aggregates.count
        let count = plan.hiddenUnitFor.count + plan.hiddenQualifierFor.count
        var columns = [String](repeating: "NULL", count: count)
        for (specIndex, intermediate) in plan.hiddenUnitFor where intermediate - first < count && intermediate >= first {
            columns[intermediate - first] = try unitSQL(plan.aggregates[specIndex], fields)
        }
        for (specIndex, intermediate) in plan.hiddenQualifierFor where intermediate - first < count && intermediate >= first {
            columns[intermediate - first] = try qualifierSQL(plan.aggregates[specIndex], fields, ordered: ordered)
        }
        return columns
    }

    /// Rows that count for an aggregate's caveats: those whose argument is not null.
    private func figureFilter(_ spec: AggregateSpec, _ fields: [Field]) throws(Diagnostic) -> String {
        guard let argument = spec.argument else { return "TRUE" }
        return "(\(try expression(argument, fields)) IS NOT NULL)"
    }

    private func unitSQL(_ spec: AggregateSpec, _ fields: [Field]) throws(Diagnostic) -> String {
        guard let input = spec.unitInput, fields.indices.contains(input), fields[input].type == .text else { return "CAST(NULL AS TEXT)" }
        let unit = quote(fields[input].name)
        let filter = try figureFilter(spec, fields)
        return "(CASE WHEN count(DISTINCT \(unit)) FILTER (WHERE \(filter)) = 1 THEN min(\(unit)) FILTER (WHERE \(filter)) END)"
    }

    private func qualifierSQL(_ spec: AggregateSpec, _ fields: [Field], ordered: Bool) throws(Diagnostic) -> String {
        guard let input = spec.qualifierInput, fields.indices.contains(input), fields[input].type == .text else {
            return literal(.text(Qualifier.combined([], function: spec.function).rawValue))
        }
        let qualifier = quote(fields[input].name)
        let filter = try figureFilter(spec, fields)
        // An unknown word in the qualifier column is not exact (as `AggregateCaveats`).
        func combined(_ set: Set<Qualifier>) -> String {
            literal(.text(Qualifier.combined(Set(set.map { $0.moved(spec.qualifierDirection) }), function: spec.function).rawValue))
        }
        if spec.function == .min || spec.function == .max, let argument = spec.argument, argument.type.isNumeric {
            // One figure is chosen: its qualifier, moved as the argument moves.
            let value = try expression(argument, fields)
            let order = "\(value) \(spec.function == .max ? "DESC" : "ASC")" + (ordered ? ", \"__ord\"" : "")
            let chosen = "(array_agg(\(qualifier) ORDER BY \(order)) FILTER (WHERE \(filter)))[1]"
            var cases = "CASE WHEN \(chosen) IS NULL THEN \(combined([]))"
            for q in Qualifier.allCases { cases += " WHEN \(chosen) = \(literal(.text(q.rawValue))) THEN \(combined([q]))" }
            return "(\(cases) ELSE \(combined([.about])) END)"
        }
        var bits = "CASE \(qualifier)"
        for (bit, q) in Qualifier.allCases.enumerated() { bits += " WHEN \(literal(.text(q.rawValue))) THEN \(1 << bit)" }
        let aboutBit = 1 << (Qualifier.allCases.firstIndex(of: .about) ?? 0)
        bits += " ELSE \(aboutBit) END"
        let mask = "COALESCE(bit_or(\(bits)) FILTER (WHERE \(filter) AND \(qualifier) IS NOT NULL), 0)"
        var cases = "CASE \(mask)"
        for subset in 0..<(1 << Qualifier.allCases.count) {
            let set = Set(Qualifier.allCases.enumerated().filter { subset & (1 << $0.offset) != 0 }.map(\.element))
            cases += " WHEN \(subset) THEN \(combined(set))"
        }
        return "(\(cases) END)"
    }
}
