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

    /// A sum, count or average over groups whose place column holds more than one kind of place
    /// (the country, a region, its provinces): each province is counted once for itself and again
    /// inside its region and the country. `kindsByGroup` are the kinds per group (`PlaceKinds`).
    static func mixedPlaceKinds(_ kindsByGroup: [Set<Places.Kind>], column: String, display: String) -> ResultWarning? {
        let mixed = kindsByGroup.filter { $0.count > 1 }
        guard !mixed.isEmpty else { return nil }
        let order: [Places.Kind] = [.country, .region, .province]
        let kinds = order.filter { kind in mixed.contains { $0.contains(kind) } }.map { "`\($0.rawValue)`" }.joined(separator: ", ")
        let name = column.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } && !(column.first?.isNumber ?? true) ? column : "`\(column)`"
        return ResultWarning(.warnMixedPlaceKinds, [display, kinds, String(mixed.count), name], lesson: .conflicts)
    }

    /// How a value was made from several figures; each way has its own rules.
    enum Combination: Equatable {
        /// `sum`, and `+`/`-` between figures in one row.
        case adds
        /// `avg`, `median`.
        case averages
        /// `min`, `max`, `first`, `last`: one figure chosen among several.
        case picks
        /// Rows ranked or drawn side by side (`sort`, `chart`): one set for all of them.
        case setsSideBySide
        /// `*`, `/` between figures in one row.
        case computes
    }

    /// Notes for values made from the figures in `sets` (one per group, row or chart), named by
    /// `labels` (the same length) so the reader sees which rows a note is about. Messages in
    /// `skip` were already given by an earlier rule for the same value.
    static func combining(_ sets: [CaveatSet], labels: [String], how: Combination, display: String, skip: Set<MessageID> = [], facts: Table? = nil) -> [ResultWarning] {
        var warnings: [ResultWarning] = []
        func add(_ message: MessageID, lesson: LessonTopic, _ matches: (CaveatSet) -> [String]?) {
            guard !skip.contains(message) else { return }
            var which: [String] = []
            var what = Set<String>()
            for (index, set) in sets.enumerated() {
                guard let found = matches(set) else { continue }
                which.append(labels.indices.contains(index) ? labels[index] : String(index + 1))
                what.formUnion(found)
            }
            guard !which.isEmpty else { return }
            let arguments = what.isEmpty ? [display, rowList(which)] : [display, what.sorted().joined(separator: ", "), rowList(which)]
            warnings.append(ResultWarning(message, arguments, lesson: lesson))
        }
        // Units and measures: whatever combines them (sums have their own notes in `aggregate`).
        if how != .adds {
            add(.warnComparesUnits, lesson: .units) { $0.units.count > 1 ? Array($0.units) : nil }
            add(.warnComparesMeasures, lesson: .stockFlow) { set in
                let kinds = set.measures.subtracting([CaveatWords.target])
                return kinds.count > 1 ? Array(kinds) : nil
            }
        }
        // Periods: a choice or a ranking among figures of different periods compares them.
        if how == .picks || how == .setsSideBySide {
            add(.warnComparesPeriods, lesson: .period) { set in
                let outcomes = set.periods.subtracting(set.targetPeriods)
                return outcomes.count > 1 ? Array(outcomes) : nil
            }
        }
        // Same unit, different indicators added, averaged, picked among or ranked: lending plus
        // gift spending, job referrals beside jobs created. A matching unit does not make them
        // one quantity.
        if how != .computes {
            add(how == .adds || how == .averages ? .warnAddsDifferentIndicators : .warnComparesIndicators, lesson: .units) { set in
                guard set.units.count <= 1, set.things.count > 1, !(how == .averages && set.units == [CaveatWords.percent]) else { return nil }
                let all = set.things.sorted()
                return all.count > 4 ? Array(all.prefix(4)) + ["…"] : all
            }
        }
        add(.warnDefinitionsDiffer, lesson: .definitions) { $0.definitions.count > 1 ? Array($0.definitions) : nil }
        // One indicator, some figures under a stated definition and some whose source does not
        // say: the reader cannot tell whether a change is real or a new yardstick.
        add(.warnDefinitionUnstated, lesson: .definitions) { set in
            set.definitions.count == 1 && set.unstatedDefinitions > 0 && set.things.count == 1 ? Array(set.definitions) : nil
        }
        add(.warnTargetsWithOutcomes, lesson: .targets) { $0.targets > 0 && $0.targets < $0.figures ? [] : nil }
        if how == .averages {
            add(.warnUnrelatedRates, lesson: .units) { set in
                guard set.units == [CaveatWords.percent], set.definitions.count <= 1 else { return nil }
                return set.things.count > 1 ? Array(set.things) : set.details.count > 1 ? Array(set.details) : nil
            }
        }
        if let facts, how != .averages {
            // One figure from two sources: adding it counts it twice; picking, ranking or
            // drawing it chooses between reports.
            let message: MessageID = how == .adds || how == .computes ? .warnDoubleCountedRows : .warnTwoSourcesPicked
            if !skip.contains(message) {
                let judged = DoubleCounting.judge(groups: sets.map(\.facts), facts: facts)
                let which = judged.indices.filter { judged[$0] == .doubled }.map { labels.indices.contains($0) ? labels[$0] : String($0 + 1) }
                if !which.isEmpty { warnings.append(ResultWarning(message, [display, rowList(which)], lesson: .conflicts)) }
            }
        }
        return warnings
    }

    /// "Thanh Xuân, Quận 11" — at most five names, then how many more.
    static func rowList(_ labels: [String]) -> String {
        var unique: [String] = []
        for label in labels where !unique.contains(label) { unique.append(label) }
        if unique.count <= 5 { return unique.joined(separator: ", ") }
        return unique.prefix(5).joined(separator: ", ") + " (+\(unique.count - 5))"
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

    /// Cells of a result shown with a qualifier other than exact (the "approximate" note), not
    /// counting planned figures: "<0,5% by 2025" is a target, not an approximate outcome.
    static func approximateCells(_ table: Table) -> Int {
        var count = 0
        for field in table.fields where !field.isHidden {
            guard let qualifierName = field.annotations.qualifier, let qualifiers = table.column(qualifierName),
                  let values = table.column(field.name) else { continue }
            let measures = field.annotations.measure.flatMap { table.column($0) }
            for row in 0..<table.rowCount where !values.isNull(row) {
                if measures?.text(at: row) == CaveatWords.target { continue }
                if let qualifier = qualifiers.text(at: row), qualifier != Qualifier.exact.rawValue { count += 1 }
            }
        }
        return count
    }

    /// The note for target cells shown among the values (each cell once; nil when none).
    static func targetCells(_ table: Table) -> ResultWarning? {
        var count = 0
        var periods = Set<String>()
        for field in table.fields where !field.isHidden && field.type.isNumeric {
            guard let measures = field.annotations.measure.flatMap({ table.column($0) }), let values = table.column(field.name) else { continue }
            let period = field.annotations.period.flatMap { table.column($0) }
            for row in 0..<table.rowCount where !values.isNull(row) && measures.text(at: row) == CaveatWords.target {
                count += 1
                if let text = period?.text(at: row) { periods.insert(text) }
            }
        }
        guard count > 0 else { return nil }
        return ResultWarning(.warnTargetsCounted, [String(count), periods.sorted().joined(separator: ", ")], lesson: .targets)
    }
}
