/// Reads the caveats of `facts` rows: what a result value was made from, whatever columns the
/// query kept, through the lineage every row of `facts` carries.
struct FactCaveats {
    let facts: Table
    private let unit, measure, period, qualifier, indicator, detail, definition: Column?

    init(facts: Table) {
        self.facts = facts
        unit = facts.column("unit")
        measure = facts.column("measure")
        period = facts.column("period")
        qualifier = facts.column("qualifier")
        indicator = facts.column("indicator")
        detail = facts.column("detail")
        definition = facts.column("definition")
    }

    /// The caveats of these facts together (each fact once).
    func set(_ ids: [Int32]) -> CaveatSet {
        var set = CaveatSet()
        var seen = Set<Int32>()
        for fact in ids where Int(fact) < facts.rowCount && Int(fact) >= 0 {
            set.facts.append(fact)
            guard seen.insert(fact).inserted else { continue }
            let row = Int(fact)
            let measureText = measure?.text(at: row)
            set.add(unit: unit?.text(at: row), measure: measureText, period: period?.text(at: row),
                    qualifier: Qualifier(text: qualifier?.text(at: row)) ?? (qualifier?.isNull(row) == false ? .about : nil))
            let thing = indicator?.text(at: row) ?? ""
            let what = detail?.text(at: row) ?? ""
            set.things.insert(thing)
            set.details.insert(what.isEmpty ? thing : "\(thing): \(what.count > 40 ? String(what.prefix(39)) + "…" : what)")
            if let definition {
                if let text = definition.text(at: row), !text.isEmpty { set.definitions.insert(text) } else { set.unstatedDefinitions += 1 }
            }
            if measureText == CaveatWords.target {
                set.targets += 1
                if let text = period?.text(at: row) { set.targetPeriods.insert(text) }
            }
        }
        return set
    }

    /// The districts of these facts, for naming a row that has no key ("Thanh Xuân, Quận 11").
    func districts(_ ids: [Int32]) -> String {
        let column = facts.column("district")
        var names: [String] = []
        for fact in ids where Int(fact) < facts.rowCount && fact >= 0 {
            if let name = column?.text(at: Int(fact)), !names.contains(name) { names.append(name) }
        }
        return CaveatChecks.rowList(names.sorted { Comparison.less(.text($0), .text($1)) })
    }

    /// One set per row of `relation` (its lineage), or nil when the rows do not come from `facts`.
    func rows(of relation: Relation) -> [CaveatSet]? {
        guard let lineage = relation.lineage else { return nil }
        return (0..<relation.rowCount).map { position in
            let row = relation.storedRow(position)
            return row < lineage.count ? set(lineage[row]) : CaveatSet()
        }
    }
}
