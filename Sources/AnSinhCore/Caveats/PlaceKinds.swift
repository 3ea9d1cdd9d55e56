/// What `summarize` groups when a column names places of several kinds: the whole country, its
/// regions and their provinces in one column (a statistics office's table lists all three), so a
/// sum, count or average over a group holding two kinds counts each province two or three times.
/// This file only gathers, per group, the kinds of place its rows name (`place_kind`);
/// `CaveatChecks.mixedPlaceKinds` is the rule.
enum PlaceKinds {
    /// A column is read as places only when its dictionary is small (a list of places, not free
    /// text) and at least half of its different values are places `place_kind` knows.
    static let maximumDistinctValues = 5_000

    static func check(_ plan: SummarizePlan, input relation: Relation, cancellation: CancellationCheck) throws(Diagnostic) -> [ResultWarning] {
        guard let spec = plan.aggregates.first(where: { [.sum, .count, .avg].contains($0.function) }), relation.rowCount > 0 else { return [] }
        // Candidate columns: visible text columns whose values name at least two kinds of place.
        var candidates: [(index: Int, kinds: [Places.Kind?])] = []
        for (index, field) in relation.fields.enumerated() where !field.isHidden && field.type == .text {
            let dictionary = relation.columns[index].dictionary
            // Each dictionary's kinds are looked up once (TextDictionary.placeKinds), not per statement.
            guard dictionary.count <= maximumDistinctValues, let kinds = dictionary.placeKinds else { continue }
            let known = kinds.compactMap { $0 }
            guard Set(known).count >= 2, known.count * 2 >= kinds.count else { continue }
            candidates.append((index, kinds))
        }
        guard !candidates.isEmpty else { return [] }
        // Groups as `summarize` makes them (their order does not matter here).
        var evaluator = Evaluator(relation, cancellation: cancellation)
        var keyColumns: [Column] = []
        for key in plan.keys { keyColumns.append(try evaluator.evaluate(key)) }
        var groupOf: [[Value]: Int] = [:]
        var groupOfRow = [Int](repeating: 0, count: relation.rowCount)
        var budget = RowBudget(cancellation)
        for position in 0..<relation.rowCount {
            try budget.spend()
            let key = keyColumns.map { $0.value(at: position) }
            if let group = groupOf[key] {
                groupOfRow[position] = group
            } else {
                groupOfRow[position] = groupOf.count
                groupOf[key] = groupOf.count
            }
        }
        var warnings: [ResultWarning] = []
        for candidate in candidates {
            let column = relation.columns[candidate.index]
            var kindsByGroup = [Set<Places.Kind>](repeating: [], count: max(1, groupOf.count))
            for position in 0..<relation.rowCount {
                try budget.spend()
                let row = relation.storedRow(position)
                guard !column.isNull(row), let kind = candidate.kinds[Int(column.codes[row])] else { continue }
                kindsByGroup[groupOfRow[position]].insert(kind)
            }
            if let warning = CaveatChecks.mixedPlaceKinds(kindsByGroup, column: relation.fields[candidate.index].name, display: spec.display) {
                warnings.append(warning)
            }
        }
        return warnings
    }
}
