/// Every rule about what cannot honestly be combined, in one place. Aggregates, expressions,
/// charts, exports and reports describe what they combined as `CaveatSet`s and ask here for the
/// notes; none of them writes its own.
enum CaveatChecks {
    /// Notes for an aggregate over groups: mixed units and measures (whatever adds them up), and
    /// for sums also percentages, yearly averages and stocks at different dates added together.
    static func aggregate(_ groups: [CaveatSet], function: AggregateFunction, display: String) -> [ResultWarning] {
        var warnings: [ResultWarning] = []
        let adds = function == .sum || function == .avg || function == .median
        if adds {
            let mixedUnits = groups.filter { $0.units.count > 1 }
            if !mixedUnits.isEmpty {
                let all = mixedUnits.reduce(into: Set<String>()) { $0.formUnion($1.units) }.sorted()
                warnings.append(ResultWarning(.warnMixedUnits, [display, all.joined(separator: ", "), String(mixedUnits.count)], lesson: .units))
            }
            let mixedMeasures = groups.filter { $0.measures.count > 1 }
            if !mixedMeasures.isEmpty {
                let all = mixedMeasures.reduce(into: Set<String>()) { $0.formUnion($1.measures) }.sorted()
                warnings.append(ResultWarning(.warnMixedMeasures, [display, all.joined(separator: ", "), String(mixedMeasures.count)], lesson: .stockFlow))
            }
        }
        if function == .sum {
            let percent = groups.filter { $0.units.contains(CaveatWords.percent) && $0.figures > 1 }
            if !percent.isEmpty {
                warnings.append(ResultWarning(.warnSummedPercent, [display, String(percent.count)], lesson: .perCapita))
            }
            let averages = groups.filter { $0.measures.contains(CaveatWords.annualAverage) && $0.figures > 1 }
            if !averages.isEmpty {
                warnings.append(ResultWarning(.warnSummedAverages, [display, String(averages.count)], lesson: .period))
            }
            let stocks = groups.filter { $0.measures == [CaveatWords.stock] && $0.periods.count > 1 }
            if !stocks.isEmpty {
                warnings.append(ResultWarning(.warnStockSummed, [display, String(stocks.count)], lesson: .stockFlow))
            }
        }
        return warnings
    }

    /// Notes for sums that count one figure twice (see `DoubleCounting`).
    static func doubleCounting(_ verdicts: [DoubleCounting.Verdict], display: String) -> [ResultWarning] {
        var warnings: [ResultWarning] = []
        let doubled = verdicts.filter { $0 == .doubled }.count
        let possibly = verdicts.filter { $0 == .possibly }.count
        if doubled > 0 { warnings.append(ResultWarning(.warnDoubleCounted, [display, String(doubled)], lesson: .conflicts)) }
        if possibly > 0 { warnings.append(ResultWarning(.warnPossiblyDoubleCounted, [display, String(possibly)], lesson: .conflicts)) }
        return warnings
    }

    /// Cells of a result shown with a qualifier other than exact (the "approximate" note).
    static func approximateCells(_ table: Table) -> Int {
        var count = 0
        for field in table.fields where !field.isHidden {
            guard let qualifierName = field.annotations.qualifier, let qualifiers = table.column(qualifierName),
                  let values = table.column(field.name) else { continue }
            for row in 0..<table.rowCount where !values.isNull(row) {
                if let qualifier = qualifiers.text(at: row), qualifier != Qualifier.exact.rawValue { count += 1 }
            }
        }
        return count
    }
}
