/// `summarize`'s propagation: for each group, the caveats of the figures it combines, the
/// single unit and the combined qualifier of its aggregate (hidden columns beside it), and the
/// notes from `CaveatChecks`. The aggregator computes numbers only and calls this.
enum AggregateCaveats {
    struct Output {
        /// Per group in output order: the single unit (null when mixed) and the combined qualifier.
        var units: Column
        var qualifiers: Column
        var warnings: [ResultWarning]
    }

    static func propagate(_ spec: AggregateSpec, values: Column?, relation: Relation, groupOfRow: [Int32], groupCount groups: Int, order: [Int], facts: Table?) -> Output {
        // Work on dictionary codes (set membership, no string hashing); strings only per group.
        func codes(_ index: Int?) -> (column: Column, strings: [String])? {
            guard let index, relation.columns[index].type == .text else { return nil }
            return (relation.columns[index], relation.columns[index].dictionary.strings)
        }
        let unitColumn = codes(spec.unitInput ?? spec.unitForWarnings), measureColumn = codes(spec.measureInput)
        let periodColumn = codes(spec.periodInput), qualifierColumn = codes(spec.qualifierInput)
        func code(_ source: (column: Column, strings: [String])?, _ logical: Int) -> UInt32? {
            guard let source else { return nil }
            let row = relation.storedRow(logical)
            return source.column.isNull(row) ? nil : source.column.codes[row]
        }
        var unitsByGroup = [Set<UInt32>](repeating: [], count: groups)
        var measuresByGroup = [Set<UInt32>](repeating: [], count: groups)
        var periodsByGroup = [Set<UInt32>](repeating: [], count: groups)
        var qualifiersByGroup = [Set<UInt32>](repeating: [], count: groups)
        var rowsByGroup = [[Int]](repeating: [], count: groups)
        for logical in 0..<groupOfRow.count {
            if let values, values.isNull(logical) { continue }
            let group = Int(groupOfRow[logical])
            rowsByGroup[group].append(logical)
            if let unit = code(unitColumn, logical) { unitsByGroup[group].insert(unit) }
            if let measure = code(measureColumn, logical) { measuresByGroup[group].insert(measure) }
            if let period = code(periodColumn, logical) { periodsByGroup[group].insert(period) }
            if let qualifier = code(qualifierColumn, logical) { qualifiersByGroup[group].insert(qualifier) }
        }
        func names(_ set: Set<UInt32>, _ source: (column: Column, strings: [String])?) -> Set<String> {
            guard let source else { return [] }
            return Set(set.map { source.strings[Int($0)] })
        }
        let caveats = (0..<groups).map { group in
            CaveatSet(units: names(unitsByGroup[group], unitColumn), measures: names(measuresByGroup[group], measureColumn),
                      periods: names(periodsByGroup[group], periodColumn),
                      // An unknown word in the qualifier column is not exact.
                      qualifiers: Set(names(qualifiersByGroup[group], qualifierColumn).map { Qualifier(text: $0) ?? .about }),
                      figures: rowsByGroup[group].count)
        }
        let units = ColumnBuilder(type: .text, capacity: order.count)
        let qualifiers = ColumnBuilder(type: .text, capacity: order.count)
        for group in order {
            guard group < groups else {
                units.appendNull()
                qualifiers.append(text: Qualifier.exact.rawValue)
                continue
            }
            if let unit = caveats[group].unit, unitColumn != nil { units.append(text: unit) } else { units.appendNull() }
            // Summing `-value` over "more than" figures gives "less than"; `abs(value)` only "about".
            let moved = Set(caveats[group].qualifiers.map { $0.moved(spec.qualifierDirection) })
            qualifiers.append(text: Qualifier.combined(moved, function: spec.function).rawValue)
        }
        var warnings = CaveatChecks.aggregate(caveats, function: spec.function, display: spec.display)
        // Rows of `facts` know the facts behind them even after `select` or `summarize` dropped
        // the columns that identify a figure; other tables are checked by those columns.
        if spec.function == .sum {
            if spec.qualifierInput != nil, let lineage = relation.lineage, let facts {
                let verdicts = DoubleCounting.judge(lineage: lineage, facts: facts, rowsByGroup: rowsByGroup, relation: relation)
                warnings += CaveatChecks.doubleCounting(verdicts, display: spec.display)
            } else if let identity = spec.identityInputs {
                let verdicts = DoubleCounting.judge(identity: identity, relation: relation, rowsByGroup: rowsByGroup, values: values)
                warnings += CaveatChecks.doubleCounting(verdicts, display: spec.display)
            }
        }
        // Warnings come in the order the aggregator always gave them: units, measures, then
        // double counting, then the sum-only rules.
        return Output(units: units.finish(), qualifiers: qualifiers.finish(), warnings: ordered(warnings))
    }

    private static func ordered(_ warnings: [ResultWarning]) -> [ResultWarning] {
        let rank: [MessageID: Int] = [.warnMixedUnits: 0, .warnMixedMeasures: 1, .warnDoubleCounted: 2, .warnPossiblyDoubleCounted: 3]
        return warnings.enumerated().sorted { (rank[$0.element.message] ?? 4, $0.offset) < (rank[$1.element.message] ?? 4, $1.offset) }.map(\.element)
    }
}
