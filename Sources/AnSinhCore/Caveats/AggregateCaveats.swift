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

    static func propagate(_ spec: AggregateSpec, values: Column?, relation: Relation, groupOfRow: [Int32], groupCount groups: Int, order: [Int], facts: Table?, labels: [String] = []) -> Output {
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
        let chosen = chosenRows(spec.function, values: values, rowsByGroup: rowsByGroup)
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
            // A choice of one figure keeps that figure's qualifier (`<` stays "less than" through `last()`).
            var groupQualifiers = caveats[group].qualifiers
            if let row = chosen?[group], row >= 0 {
                groupQualifiers = code(qualifierColumn, row).map { [Qualifier(text: qualifierColumn?.strings[Int($0)]) ?? .about] } ?? []
            }
            let moved = Set(groupQualifiers.map { $0.moved(spec.qualifierDirection) })
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
        // What the facts behind each group say, whatever columns the query kept: definitions,
        // targets, rates of different things, one figure from two sources, periods chosen among.
        if let lineage = relation.lineage, let facts, let how = combination(spec.function) {
            let reader = FactCaveats(facts: facts)
            var sets: [CaveatSet] = []
            var names: [String] = []
            for (position, group) in order.enumerated() where group < groups {
                var ids: [Int32] = []
                for logical in rowsByGroup[group] {
                    let row = relation.storedRow(logical)
                    if row < lineage.count { ids += lineage[row] }
                }
                sets.append(reader.set(ids))
                names.append(labels.indices.contains(position) && !labels[position].isEmpty ? labels[position] : reader.districts(ids))
            }
            var skip: Set<MessageID> = [.warnDoubleCountedRows]
            if warnings.contains(where: { $0.message == .warnMixedUnits }) { skip.insert(.warnComparesUnits) }
            if warnings.contains(where: { $0.message == .warnMixedMeasures }) { skip.insert(.warnComparesMeasures) }
            warnings += CaveatChecks.combining(sets, labels: names, how: how, display: spec.display, skip: skip, facts: facts)
        }
        // Warnings come in the order the aggregator always gave them: units, measures, then
        // double counting, then the sum-only rules.
        return Output(units: units.finish(), qualifiers: qualifiers.finish(), warnings: ordered(warnings))
    }

    private static func combination(_ function: AggregateFunction) -> CaveatChecks.Combination? {
        switch function {
        case .sum: .adds
        case .avg, .median: .averages
        case .min, .max, .first, .last: .picks
        case .count, .count_distinct: nil
        }
    }

    /// For `min`, `max`, `first` and `last`: the logical row each group's answer comes from, as
    /// the aggregator chooses it (first/last in row order; the smallest or largest number).
    private static func chosenRows(_ function: AggregateFunction, values: Column?, rowsByGroup: [[Int]]) -> [Int]? {
        guard let values else { return nil }
        switch function {
        case .first: return rowsByGroup.map { $0.first ?? -1 }
        case .last: return rowsByGroup.map { $0.last ?? -1 }
        case .min, .max:
            guard values.type == .integer || values.type == .decimal else { return nil }
            return rowsByGroup.map { rows in
                var best = -1
                for row in rows {
                    guard let number = values.double(at: row) else { continue }
                    if best < 0 { best = row; continue }
                    let current = values.double(at: best) ?? 0
                    if function == .max ? number > current : number < current { best = row }
                }
                return best
            }
        default: return nil
        }
    }

    private static func ordered(_ warnings: [ResultWarning]) -> [ResultWarning] {
        let rank: [MessageID: Int] = [.warnMixedUnits: 0, .warnMixedMeasures: 1, .warnDoubleCounted: 2, .warnPossiblyDoubleCounted: 3,
                                      .warnSummedPercent: 4, .warnSummedAverages: 4, .warnStockSummed: 4]
        return warnings.enumerated().sorted { (rank[$0.element.message] ?? 5, $0.offset) < (rank[$1.element.message] ?? 5, $1.offset) }.map(\.element)
    }
}
