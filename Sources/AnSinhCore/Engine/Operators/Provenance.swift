/// `why`, `per_capita` and `chart`: the stages that explain numbers rather than compute them.
enum ProvenanceOperators {
    /// For each row, the facts behind it: the article, the exact quote and the qualifier.
    static func why(_ relation: Relation, catalog: Catalog, cancellation: CancellationCheck) throws(Diagnostic) -> Relation {
        guard let lineage = relation.lineage, let facts = catalog["facts"] else {
            throw Diagnostic(.value, .whyNeedsFacts, [])
        }
        let sources = catalog["sources"]
        var sourceText: [String: String] = [:]
        if let sources, let idColumn = sources.column("source") {
            for row in 0..<sources.rowCount {
                guard let id = idColumn.text(at: row) else { continue }
                let title = sources.column("title")?.text(at: row) ?? ""
                let publisher = sources.column("publisher")?.text(at: row) ?? ""
                let published = sources.column("published")?.text(at: row) ?? ""
                sourceText[id] = [title, publisher, published].filter { !$0.isEmpty }.joined(separator: " — ") + " [\(id)]"
            }
        }
        let names = ["id", "district", "indicator", "period", "value", "unit", "qualifier", "quote"]
        let factColumns = names.map { facts.column($0) }
        let sourceColumn = facts.column("source")
        let builders = Binder.whyFields.map { ColumnBuilder(type: $0.type) }
        var outputLineage: [[Int32]] = []
        var budget = RowBudget(cancellation)
        for position in 0..<relation.rowCount {
            try budget.spend()
            let row = relation.storedRow(position)
            var seen = Set<Int32>()
            for fact in lineage[row] where seen.insert(fact).inserted {
                builders[0].append(integer: Int64(position + 1))
                for (offset, column) in factColumns.enumerated() {
                    builders[offset + 1].append(column?.value(at: Int(fact)) ?? .null)
                }
                let source = sourceColumn?.text(at: Int(fact)) ?? ""
                builders[9].append(text: sourceText[source] ?? source)
                outputLineage.append([fact])
            }
        }
        let columns = builders.map { $0.finish() }
        return Relation(fields: Binder.whyFields, columns: columns, storedCount: columns.first?.count ?? 0, lineage: outputLineage)
    }

    /// `per_capita [scale]`: value ÷ population × scale, with the population and its year.
    static func perCapita(_ plan: PerCapitaPlan, on relation: Relation, fields: [Field], catalog: Catalog, cancellation: CancellationCheck) throws(Diagnostic) -> (Relation, [ResultWarning]) {
        guard let districts = catalog["districts"], let nameColumn = districts.column("district"),
              let populationColumn = districts.column("population") else {
            throw Diagnostic(.value, .stageNeedsFacts, ["per_capita", "district, value"])
        }
        var population: [String: (Int64, Int64, String)] = [:]
        for row in 0..<districts.rowCount {
            guard let name = nameColumn.text(at: row), let people = populationColumn.double(at: row) else { continue }
            let year = districts.column("population_year")?.double(at: row) ?? 0
            let source = districts.column("population_source")?.text(at: row) ?? ""
            population[name] = (Int64(people), Int64(year), source)
        }
        let dense = relation.materialized()
        let perBuilder = ColumnBuilder(type: .decimal, capacity: dense.storedCount)
        let populationBuilder = ColumnBuilder(type: .integer, capacity: dense.storedCount)
        let yearBuilder = ColumnBuilder(type: .integer, capacity: dense.storedCount)
        var yearsUsed = Set<Int64>()
        var sourcesUsed = Set<String>()
        var percentRows = 0
        var budget = RowBudget(cancellation)
        for row in 0..<dense.storedCount {
            try budget.spend()
            let district = dense.columns[plan.district].text(at: row) ?? ""
            let value = dense.columns[plan.value].double(at: row)
            if let unit = plan.unit.flatMap({ dense.columns[$0].text(at: row) }), unit == "percent" || unit.hasPrefix("VND/") {
                // A rate or an amount per person is already relative: dividing again means nothing.
                percentRows += 1
                perBuilder.appendNull()
            } else if let (people, _, _) = population[district], let value, people > 0 {
                perBuilder.append(decimal: value / Double(people) * plan.scale)
            } else {
                perBuilder.appendNull()
            }
            if let (people, year, source) = population[district] {
                populationBuilder.append(integer: people)
                yearBuilder.append(integer: year)
                yearsUsed.insert(year)
                sourcesUsed.insert(source)
            } else {
                populationBuilder.appendNull()
                yearBuilder.appendNull()
            }
        }
        var columns = dense.columns
        columns += [perBuilder.finish(), populationBuilder.finish(), yearBuilder.finish()]
        // The new number's unit: the old one per resident (money stays money: "49.197 đồng").
        let perUnit = ColumnBuilder(type: .text, capacity: dense.storedCount)
        let suffix = plan.scale == 1 ? "/resident" : "/\(NumberText.plain(plan.scale)) residents"
        for row in 0..<dense.storedCount {
            if let unit = plan.unit.flatMap({ dense.columns[$0].text(at: row) }) { perUnit.append(text: unit + suffix) } else { perUnit.appendNull() }
        }
        columns.append(perUnit.finish())
        var warnings: [ResultWarning] = []
        if !yearsUsed.isEmpty {
            var figureYears = "their own periods (see why)"
            if let yearTo = dense.fields.firstIndex(where: { $0.name == "year_to" }) {
                let years = (0..<dense.storedCount).compactMap { dense.columns[yearTo].double(at: $0) }
                if let low = years.min(), let high = years.max() {
                    figureYears = low == high ? NumberText.plain(low) : "\(NumberText.plain(low))–\(NumberText.plain(high))"
                }
            }
            warnings.append(ResultWarning(.warnPopulationYear, [yearsUsed.sorted().map(String.init).joined(separator: ", "), sourcesUsed.sorted().joined(separator: "; "), figureYears], lesson: .perCapita))
        }
        if percentRows > 0 {
            warnings.append(ResultWarning(.warnPerCapitaSkipped, [String(percentRows)], lesson: .perCapita))
        }
        return (Relation(fields: fields, columns: columns, storedCount: dense.storedCount, lineage: dense.lineage), warnings)
    }

    static func chart(_ plan: ChartPlan, on relation: Relation, valueName: String, cancellation: CancellationCheck) throws(Diagnostic) -> ChartData {
        var evaluator = Evaluator(relation, cancellation: cancellation)
        let values = try evaluator.evaluate(plan.value)
        let labels = try plan.label.map { (label) throws(Diagnostic) in try evaluator.evaluate(label) }
        var bars: [ChartData.Bar] = []
        var units = Set<String>()
        var budget = RowBudget(cancellation)
        for position in 0..<relation.rowCount {
            try budget.spend()
            let row = relation.storedRow(position)
            let unit = plan.unit.flatMap { relation.columns[$0].text(at: row) }
            if let unit { units.insert(unit) }
            let label = labels.map { $0.value(at: position).description } ?? String(position + 1)
            bars.append(ChartData.Bar(label: label, value: values.double(at: position), unit: unit, qualifier: plan.qualifier.flatMap { relation.columns[$0].text(at: row) }))
        }
        if units.count > 1 {
            let sorted = units.sorted()
            throw Diagnostic(.value, .chartMixedUnits, [sorted.joined(separator: ", "), sorted.first ?? ""])
        }
        if plan.spark, let district = plan.district {
            var names: [String] = []
            for position in 0..<relation.rowCount {
                if let name = relation.columns[district].text(at: relation.storedRow(position)), !names.contains(name) { names.append(name) }
            }
            if names.count > 1 {
                names.sort { Comparison.less(.text($0), .text($1)) }
                throw Diagnostic(.value, .sparkMixedDistricts, [String(names.count), names.joined(separator: ", "), names[0]])
            }
        }
        if plan.spark, plan.label != nil {
            // A sparkline is a series: one point per label, in the label's order (years
            // ascending), whatever order the rows came in.
            var seen: [String: Int] = [:]
            for bar in bars { seen[bar.label, default: 0] += 1 }
            if let repeated = bars.first(where: { (seen[$0.label] ?? 0) > 1 }) {
                throw Diagnostic(.value, .sparkDuplicateLabel, [repeated.label, String(seen[repeated.label] ?? 0)])
            }
            let numeric = bars.allSatisfy { Double($0.label) != nil }
            bars.sort { a, b in
                numeric ? (Double(a.label) ?? 0) < (Double(b.label) ?? 0) : Comparison.less(.text(a.label), .text(b.label))
            }
        }
        return ChartData(bars: bars, spark: plan.spark, valueName: valueName)
    }
}
