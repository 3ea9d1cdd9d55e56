/// The propagation of `select`/`derive` arithmetic, `sort` and `chart`: each describes what it
/// put together as `CaveatSet`s (from the facts behind its rows) and asks `CaveatChecks`.
enum StageCaveats {
    /// Names for the rows of `relation`: the districts of the facts behind each.
    static func rowLabels(_ relation: Relation, reader: FactCaveats) -> [String] {
        guard let lineage = relation.lineage else { return [] }
        return (0..<relation.rowCount).map { position in
            let row = relation.storedRow(position)
            return row < lineage.count ? reader.districts(lineage[row]) : String(position + 1)
        }
    }

    /// Notes for computed items of `select`/`derive` over rows of `facts`. `extended` holds the
    /// input columns followed by one column per item (as the executor evaluated them).
    static func project(items: [BoundExpr], inputFields: [Field], extended: Relation, facts: Table?, districts: Table?, display: (BoundExpr) -> String) -> [ResultWarning] {
        guard let facts, extended.lineage != nil, extended.rowCount > 0 else { return [] }
        let reader = FactCaveats(facts: facts)
        guard let sets = reader.rows(of: extended) else { return [] }
        let labels = rowLabels(extended, reader: reader)
        let inputCount = inputFields.count
        // The figures (qualified input columns) each item is computed from, through earlier items.
        var figuresOf: [Set<Int>] = []
        var warnings: [ResultWarning] = []
        for item in items {
            var figures = Set<Int>()
            var population = false
            for column in item.referencedColumns {
                if column < inputCount {
                    if inputFields[column].annotations.qualifier != nil { figures.insert(column) }
                    if inputFields[column].name.lowercased().contains("population") { population = true }
                } else if column - inputCount < figuresOf.count {
                    figures.formUnion(figuresOf[column - inputCount])
                }
            }
            figuresOf.append(figures)
            guard item.type.isNumeric, item.columnIndex == nil, !figures.isEmpty else { continue }
            let text = display(item)
            if figures.count >= 2 {
                warnings += CaveatChecks.combining(sets, labels: labels, how: .computes, display: text, facts: facts)
                if item.dividesFigures(figures), sets.contains(where: { $0.units == [CaveatWords.percent] }) {
                    let which = sets.indices.filter { sets[$0].units == [CaveatWords.percent] }.map { labels[$0] }
                    warnings.append(ResultWarning(.warnRelativeChangeOfRate, [text, CaveatChecks.rowList(which)], lesson: .percentagePoints))
                }
            } else if let figure = figures.first {
                if item.scalesByWholeNumber(figure) {
                    let which = sets.indices.filter { sets[$0].measures == [CaveatWords.annualAverage] }.map { labels[$0] }
                    if !which.isEmpty { warnings.append(ResultWarning(.warnAverageTimesYears, [text, CaveatChecks.rowList(which)], lesson: .period)) }
                }
                if population, item.divides(figure) {
                    // A per-capita made by hand: the population has a year and a source too.
                    var years = Set<String>(), sources = Set<String>()
                    if let districts {
                        for row in 0..<districts.rowCount {
                            if let year = districts.column("population_year")?.value(at: row), year != .null { years.insert(year.description) }
                            if let source = districts.column("population_source")?.text(at: row) { sources.insert(source) }
                        }
                    }
                    let periods = sets.reduce(into: Set<String>()) { $0.formUnion($1.periods) }.sorted()
                    warnings.append(ResultWarning(.warnPopulationYear, [years.sorted().joined(separator: ", "), sources.sorted().joined(separator: "; "), periods.joined(separator: ", ")], lesson: .perCapita))
                    let households = sets.indices.filter { !sets[$0].units.isDisjoint(with: ["households", "families"]) }.map { labels[$0] }
                    if !households.isEmpty {
                        warnings.append(ResultWarning(.warnHouseholdsPerResident, [text, CaveatChecks.rowList(households)], lesson: .base))
                    }
                }
            }
        }
        return warnings
    }

    /// Notes for rows ranked by a figure (`sort value desc`): they are set side by side.
    static func sort(keys: [Int], relation: Relation, facts: Table?) -> [ResultWarning] {
        guard let facts, relation.lineage != nil, relation.rowCount > 1,
              let key = keys.first(where: { relation.fields[$0].annotations.qualifier != nil && relation.fields[$0].type.isNumeric }) else { return [] }
        let reader = FactCaveats(facts: facts)
        guard let sets = reader.rows(of: relation) else { return [] }
        var all = CaveatSet()
        sets.forEach { all.formUnion($0) }
        let names = rowLabels(relation, reader: reader)
        // A ranking that shows each row's indicator lets the reader see what is set side by side.
        let showsIndicator = relation.fields.contains { $0.name == "indicator" }
        return CaveatChecks.combining([all], labels: [CaveatChecks.rowList(names)], how: .setsSideBySide, display: "sort " + relation.fields[key].name,
                                      skip: showsIndicator ? [.warnComparesIndicators] : [], facts: facts)
    }

    /// Notes for a chart: what `compare` checks (units, periods, measures, definitions, targets,
    /// two reports of one figure) over all its bars, and labels drawn more than once. Returns the
    /// labels to draw, with each bar's period added where the bars' periods differ.
    static func chart(_ bars: [ChartData.Bar], relation: Relation, facts: Table?, display: String, series: Bool = false) -> (labels: [String], warnings: [ResultWarning]) {
        var warnings: [ResultWarning] = []
        var labels = bars.map(\.label)
        var counts: [String: Int] = [:]
        for label in labels { counts[label, default: 0] += 1 }
        let repeated = labels.filter { (counts[$0] ?? 0) > 1 }
        guard let facts, relation.lineage != nil else {
            if !repeated.isEmpty { warnings.append(ResultWarning(.warnRepeatedLabels, [display, CaveatChecks.rowList(repeated)], lesson: .conflicts)) }
            return (labels, warnings)
        }
        let reader = FactCaveats(facts: facts)
        let sets = reader.rows(of: relation) ?? []
        var all = CaveatSet()
        sets.forEach { all.formUnion($0) }
        // A sparkline is a series over periods: different periods are its point, not a mix.
        warnings += CaveatChecks.combining([all], labels: [CaveatChecks.rowList(labels)], how: .setsSideBySide, display: display,
                                           skip: series ? [.warnComparesPeriods] : [], facts: facts)
        if !repeated.isEmpty { warnings.append(ResultWarning(.warnRepeatedLabels, [display, CaveatChecks.rowList(repeated)], lesson: .conflicts)) }
        if all.periods.count > 1 {
            for index in labels.indices where index < sets.count && sets[index].periods.count == 1 {
                if let period = sets[index].periods.first, labels[index] != period, !period.contains(labels[index]) {
                    labels[index] += " (\(period))"
                }
            }
        }
        return (labels, warnings)
    }
}

extension BoundExpr {
    /// Whether a division has figures on both sides (`(b - a) / a`).
    func dividesFigures(_ figures: Set<Int>) -> Bool {
        var stack = [self]
        while let expr = stack.popLast() {
            if case .arithmetic(.divide, let left, let right) = expr.kind,
               !left.referencedColumns.isDisjoint(with: figures), !right.referencedColumns.isDisjoint(with: figures) { return true }
            switch expr.kind {
            case .arithmetic(_, let l, let r): stack += [l, r]
            case .negate(let inner), .toDecimal(let inner): stack.append(inner)
            case .call(_, let arguments): stack += arguments
            default: break
            }
        }
        return false
    }

    /// Whether the figure is divided by something else (`value / population`).
    func divides(_ figure: Int) -> Bool {
        if case .arithmetic(.divide, let left, let right) = kind {
            return left.referencedColumns.contains(figure) && !right.referencedColumns.contains(figure)
        }
        switch kind {
        case .arithmetic(_, let l, let r): return l.divides(figure) || r.divides(figure)
        case .negate(let inner), .toDecimal(let inner): return inner.divides(figure)
        case .call(_, let arguments): return arguments.contains { $0.divides(figure) }
        default: return false
        }
    }

    /// Whether the figure is multiplied by a whole number above 1 (`value * 5`: years).
    func scalesByWholeNumber(_ figure: Int) -> Bool {
        if case .arithmetic(.multiply, let left, let right) = kind {
            for (figureSide, factor) in [(left, right), (right, left)] where figureSide.referencedColumns.contains(figure) {
                if let number = factor.literalNumber, number > 1, number == number.rounded() { return true }
            }
        }
        switch kind {
        case .arithmetic(_, let l, let r): return l.scalesByWholeNumber(figure) || r.scalesByWholeNumber(figure)
        case .negate(let inner), .toDecimal(let inner): return inner.scalesByWholeNumber(figure)
        default: return false
        }
    }

    private var literalNumber: Double? {
        switch kind {
        case .literal(let value): value.doubleValue
        case .toDecimal(let inner): inner.literalNumber
        default: nil
        }
    }
}
