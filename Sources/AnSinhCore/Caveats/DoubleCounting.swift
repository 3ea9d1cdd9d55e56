/// One figure counted twice in a sum: the same fact twice (a join that repeated rows), a total
/// together with one of its own parts (`part_of`, followed through chains), or one figure from
/// two sources (same district, indicator and detail over overlapping years). One implementation,
/// fed either from the facts behind each row (lineage) or from a table's own identity columns.
enum DoubleCounting {
    enum Verdict: Equatable { case none, doubled, possibly }

    /// What identifies a figure.
    struct Figure {
        var district = "", indicator = "", detail = ""
        var yearFrom = 0.0, yearTo = 0.0
        var source = "", id = "", partOf = ""
        var value: Double?
        var unit = ""
        /// The row of `facts`, when known (so the same fact twice is noticed).
        var fact: Int32?
    }

    /// The columns of `facts` (and of tables shaped like it) that identify a figure.
    static let identityColumns = ["district", "indicator", "detail", "year_from", "year_to", "source", "id", "part_of"]

    /// Judges one group. `ancestors` gives the totals an id is part of; `lookForPossible` also
    /// reports groups that only *may* count one figure twice: one article giving the same amount
    /// for the same district and indicator over overlapping years, described differently (Tân
    /// Hưng's "trên 16 tỷ", once for workers and once for households).
    static func judge(_ group: [Figure], ancestors: (String) -> Set<String>, lookForPossible: Bool) -> Verdict {
        guard group.count > 1 else { return .none }
        let facts = group.compactMap(\.fact)
        if facts.count == group.count, Set(facts).count < facts.count { return .doubled }
        let ids = Set(group.map(\.id))
        if ids.contains(where: { !ancestors($0).isDisjoint(with: ids) }) { return .doubled }
        func overlap(_ a: Figure, _ b: Figure) -> Bool { a.yearFrom <= b.yearTo && b.yearFrom <= a.yearTo }
        var byFigure: [[String]: [Figure]] = [:]
        for figure in group { byFigure[[figure.district, figure.indicator, figure.detail], default: []].append(figure) }
        for same in byFigure.values where same.count > 1 {
            for (position, a) in same.enumerated() {
                // Two sources reporting one figure, or one article stating the same figure twice.
                for b in same[(position + 1)...] where (a.source != b.source || a.value == b.value) && overlap(a, b) { return .doubled }
            }
        }
        guard lookForPossible else { return .none }
        var bySameAmount: [[String]: [Figure]] = [:]
        // Equal rates of different groups (100% of children, 100% of pensioners) are common.
        for figure in group where (figure.value ?? 0) != 0 && figure.unit != CaveatWords.percent {
            bySameAmount[[figure.source, figure.district, figure.indicator, figure.unit, String(figure.value ?? 0)], default: []].append(figure)
        }
        let maybe = bySameAmount.values.contains { same in
            same.indices.contains { i in
                same[(i + 1)...].contains { b in same[i].detail != b.detail && overlap(same[i], b) }
            }
        }
        return maybe ? .possibly : .none
    }

    /// The totals each id is part of, following `part_of` through every row of `table` (the
    /// middle link of a chain is often filtered out of the rows being summed).
    static func ancestry(ids: [String], parents: [String]) -> (String) -> Set<String> {
        var parentOf: [String: String] = [:]
        for (id, parent) in zip(ids, parents) where !parent.isEmpty { parentOf[id] = parent }
        return { id in
            var seen = Set<String>()
            var current = parentOf[id]
            while let parent = current, seen.insert(parent).inserted { current = parentOf[parent] }
            return seen
        }
    }

    /// Verdicts for groups of facts (each group the facts behind one value).
    static func judge(groups: [[Int32]], facts: Table) -> [Verdict] {
        let relation = Relation(fields: [], columns: [], storedCount: groups.count, lineage: groups)
        return judge(lineage: groups, facts: facts, rowsByGroup: groups.indices.map { [$0] }, relation: relation)
    }

    /// Verdicts per group, judged on the facts behind each row.
    static func judge(lineage: [[Int32]], facts: Table, rowsByGroup: [[Int]], relation: Relation) -> [Verdict] {
        let columns = (identityColumns + ["value", "unit"]).map { facts.column($0) }
        func text(_ column: Int, _ fact: Int32) -> String { columns[column]?.text(at: Int(fact)) ?? "" }
        func number(_ column: Int, _ fact: Int32) -> Double? { columns[column]?.double(at: Int(fact)) }
        func figure(_ fact: Int32) -> Figure {
            Figure(district: text(0, fact), indicator: text(1, fact), detail: text(2, fact),
                   yearFrom: number(3, fact) ?? 0, yearTo: number(4, fact) ?? 0,
                   source: text(5, fact), id: text(6, fact), partOf: text(7, fact),
                   value: number(8, fact) ?? 0, unit: text(9, fact), fact: fact)
        }
        let all = (0..<facts.rowCount).map { Int32($0) }
        let ancestors = ancestry(ids: all.map { text(6, $0) }, parents: all.map { text(7, $0) })
        return rowsByGroup.map { rows in
            var group: [Figure] = []
            for logical in rows {
                let row = relation.storedRow(logical)
                guard row < lineage.count else { continue }
                group += lineage[row].map(figure)
            }
            return judge(group, ancestors: ancestors, lookForPossible: true)
        }
    }

    /// Verdicts per group, judged on the rows' own identity columns (`identity` in the order of
    /// `identityColumns`; -1 where a column is missing) and the summed values.
    static func judge(identity: [Int], relation: Relation, rowsByGroup: [[Int]], values: Column?) -> [Verdict] {
        func text(_ column: Int, _ logical: Int) -> String {
            column < 0 ? "" : relation.columns[column].text(at: relation.storedRow(logical)) ?? ""
        }
        func number(_ column: Int, _ logical: Int) -> Double {
            column < 0 ? 0 : relation.columns[column].double(at: relation.storedRow(logical)) ?? 0
        }
        func figure(_ logical: Int) -> Figure {
            Figure(district: text(identity[0], logical), indicator: text(identity[1], logical), detail: text(identity[2], logical),
                   yearFrom: number(identity[3], logical), yearTo: number(identity[4], logical),
                   source: text(identity[5], logical), id: text(identity[6], logical), partOf: text(identity[7], logical),
                   value: values?.double(at: logical))
        }
        let everyRow = Array(0..<relation.rowCount)
        let ancestors = ancestry(ids: everyRow.map { text(identity[6], $0) }, parents: everyRow.map { text(identity[7], $0) })
        return rowsByGroup.map { rows in judge(rows.map(figure), ancestors: ancestors, lookForPossible: false) }
    }
}
