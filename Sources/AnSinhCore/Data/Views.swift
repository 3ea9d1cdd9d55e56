/// Built-in views over `facts`: `conflicts` and `targets`, computed once at start-up.
enum Views {
    static let names: Set<String> = ["conflicts", "targets"]

    /// Pairs of facts about the same district, indicator and detail over overlapping periods
    /// that disagree on the value, the measure or the plan — side by side with both quotes.
    static func conflicts(_ facts: Table) -> Table {
        func text(_ name: String, _ row: Int) -> String { facts.column(name)?.text(at: row) ?? "" }
        func number(_ name: String, _ row: Int) -> Double? { facts.column(name)?.double(at: row) }
        var byKey: [[String]: [Int]] = [:]
        var keyOrder: [[String]] = []
        for row in 0..<facts.rowCount {
            let key = [text("district", row), text("indicator", row), text("detail", row)]
            if byKey[key] == nil { keyOrder.append(key) }
            byKey[key, default: []].append(row)
        }
        let names = ["district", "indicator", "detail", "differs", "id_a", "period_a", "value_a", "unit", "quote_a", "source_a",
                     "id_b", "period_b", "value_b", "quote_b", "source_b", "qualifier_a", "qualifier_b"]
        let types: [String: DataType] = ["value_a": .decimal, "value_b": .decimal]
        let builders = names.map { ColumnBuilder(type: types[$0] ?? .text) }
        var lineage: [[Int32]] = []
        for key in keyOrder {
            let rows = byKey[key] ?? []
            for (position, a) in rows.enumerated() {
                for b in rows[(position + 1)...] {
                    guard let fromA = number("year_from", a), let toA = number("year_to", a),
                          let fromB = number("year_from", b), let toB = number("year_to", b),
                          fromA <= toB, fromB <= toA else { continue }
                    var differs: [String] = []
                    if number("value", a) != number("value", b) { differs.append("value") }
                    if text("unit", a) != text("unit", b) { differs.append("unit") }
                    if text("measure", a) != text("measure", b) { differs.append("measure") }
                    if text("period", a) != text("period", b), number("value", a) == number("value", b) { differs.append("period") }
                    if number("target_value", a) != number("target_value", b), number("target_value", a) != nil, number("target_value", b) != nil { differs.append("target") }
                    guard !differs.isEmpty, differs != ["period"] || text("source", a) != text("source", b) else { continue }
                    let values: [Value] = [
                        .text(key[0]), .text(key[1]), key[2].isEmpty ? .null : .text(key[2]), .text(differs.joined(separator: ", ")),
                        .text(text("id", a)), .text(text("period", a)), number("value", a).map(Value.decimal) ?? .null,
                        .text(text("unit", a)), .text(text("quote", a)), .text(text("source", a)),
                        .text(text("id", b)), .text(text("period", b)), number("value", b).map(Value.decimal) ?? .null,
                        .text(text("quote", b)), .text(text("source", b)),
                        .text(text("qualifier", a)), .text(text("qualifier", b)),
                    ]
                    for (index, value) in values.enumerated() { builders[index].append(value) }
                    lineage.append([Int32(a), Int32(b)])
                }
            }
        }
        let columns = builders.map { $0.finish() }
        var fields = zip(names, columns).map { Field(name: $0, type: $1.type) }
        fields[6].annotations = Annotations(unit: "unit", qualifier: "qualifier_a")
        fields[12].annotations = Annotations(unit: "unit", qualifier: "qualifier_b")
        fields[3].description = "what the two figures disagree on: value, unit, measure, period or target"
        return Table(name: "conflicts", fields: fields, columns: columns, rowCount: columns.first?.count ?? 0, lineage: lineage,
                     summary: "Figures about the same district, indicator and overlapping period that disagree, side by side with both quotes. Neither is averaged or dropped.")
    }

    /// Facts stated against a plan: achieved, plan and % of plan; `met` says whether the plan
    /// was reached (for "less than" targets, whether the value stayed below it). `qualifier` is the
    /// achieved value's (so an estimate shows as ≈). `note` flags an achieved/plan pair that the same
    /// article also gives the other way round: when only the other order agrees with a percentage the
    /// article states, this row's pair looks swapped and `met` is left empty rather than reporting a
    /// miss (or a success) the article does not claim.
    static func targets(_ facts: Table) -> Table {
        let names = ["id", "district", "indicator", "detail", "period", "achieved", "planned", "pct_of_plan", "met", "unit", "qualifier", "target", "quote", "note"]
        let types: [String: DataType] = ["achieved": .decimal, "planned": .decimal, "pct_of_plan": .decimal, "met": .boolean]
        let builders = names.map { ColumnBuilder(type: types[$0] ?? .text) }
        func text(_ name: String, _ row: Int) -> String { facts.column(name)?.text(at: row) ?? "" }
        func number(_ name: String, _ row: Int) -> Double? { facts.column(name)?.double(at: row) }
        /// A stated percentage of plan ("đạt 151% KH") in the target text.
        func statedPercent(_ row: Int) -> Double? {
            let targetText = text("target", row)
            return targetText.isEmpty ? nil : VietnameseNumber.findAll(in: targetText).first(where: \.isPercent)?.value
        }
        /// True when the row's achieved ÷ planned matches the percentage its own text states.
        func agreesWithStatedPercent(_ row: Int) -> Bool {
            guard let stated = statedPercent(row), let achieved = number("value", row), let planned = number("target_value", row), planned != 0 else { return false }
            return abs(achieved / planned * 100 - stated) <= 0.1
        }
        /// Another fact of the same article, district, indicator, unit and overlapping years whose
        /// achieved/plan pair is this row's the other way round.
        func reversed(_ row: Int) -> Int? {
            guard let achieved = number("value", row), let planned = number("target_value", row), achieved != planned,
                  let from = number("year_from", row), let to = number("year_to", row) else { return nil }
            for other in 0..<facts.rowCount where other != row {
                guard text("source", other) == text("source", row), text("district", other) == text("district", row),
                      text("indicator", other) == text("indicator", row), text("unit", other) == text("unit", row),
                      number("value", other) == planned, number("target_value", other) == achieved,
                      let otherFrom = number("year_from", other), let otherTo = number("year_to", other),
                      otherFrom <= to, from <= otherTo else { continue }
                return other
            }
            return nil
        }
        var lineage: [[Int32]] = []
        for row in 0..<facts.rowCount {
            let targetText = text("target", row)
            let planned = number("target_value", row)
            let achieved = number("value", row)
            let measure = text("measure", row)
            guard measure != "target", !targetText.isEmpty || planned != nil else { continue }
            let stated = statedPercent(row)
            guard planned != nil || stated != nil else { continue }
            var percent: Double?
            if let planned, let achieved, planned != 0 { percent = achieved / planned * 100 } else { percent = stated }
            var met: Value = percent.map { .boolean($0 >= 100) } ?? .null
            var note: Value = .null
            if let other = reversed(row) {
                let otherID = text("id", other), otherTarget = text("target", other)
                if agreesWithStatedPercent(other) && !agreesWithStatedPercent(row) {
                    met = .null
                    note = .text("pair looks swapped: \(otherID) in the same article gives \"\(otherTarget)\", which matches its stated %; as written this would be a miss the article does not report, so met is empty")
                } else if agreesWithStatedPercent(row) {
                    note = .text("\(otherID) in the same article gives this pair swapped (\"\(otherTarget)\"); this row matches its own stated %")
                } else {
                    met = .null
                    note = .text("\(otherID) in the same article gives this pair the other way round (\"\(otherTarget)\"); which order is right is not stated, so met is empty")
                }
            }
            let values: [Value] = [
                facts.value(row: row, column: facts.columnIndex("id") ?? 0),
                facts.column("district")?.value(at: row) ?? .null,
                facts.column("indicator")?.value(at: row) ?? .null,
                facts.column("detail")?.value(at: row) ?? .null,
                facts.column("period")?.value(at: row) ?? .null,
                achieved.map(Value.decimal) ?? .null,
                planned.map(Value.decimal) ?? .null,
                percent.map { .decimal(Evaluator.round($0, digits: 1)) } ?? .null,
                met,
                facts.column("unit")?.value(at: row) ?? .null,
                facts.column("qualifier")?.value(at: row) ?? .null,
                .text(targetText),
                facts.column("quote")?.value(at: row) ?? .null,
                note,
            ]
            for (index, value) in values.enumerated() { builders[index].append(value) }
            lineage.append([Int32(row)])
        }
        let columns = builders.map { $0.finish() }
        var fields = zip(names, columns).map { Field(name: $0, type: $1.type) }
        fields[5].annotations = Annotations(unit: "unit", qualifier: "qualifier")
        fields[6].annotations = Annotations(unit: "unit")
        fields[7].description = "achieved ÷ planned × 100, or the percentage the article states"
        fields[8].description = "true when achieved ≥ planned; empty when the achieved/plan pair looks swapped (see note)"
        fields[10].description = "how exact the achieved value is: exact, about (ước đạt, khoảng), more_than, nearly, less_than"
        fields[13].description = "an achieved/plan pair the same article also gives the other way round"
        return Table(name: "targets", fields: fields, columns: columns, rowCount: columns.first?.count ?? 0, lineage: lineage,
                     summary: "Figures stated against a plan (X/Y, đạt N% KH): achieved, planned, % of plan and whether it was met.")
    }
}
