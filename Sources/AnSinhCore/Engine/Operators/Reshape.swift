/// `pivot` (long → wide) and `compare` (side by side with differences).
enum ReshapeOperators {
    // MARK: - pivot

    /// Runs the pivot's aggregation, then spreads the column key's values into columns.
    static func pivot(_ plan: PivotPlan, on relation: Relation, summarizeFields: [Field], facts: Table? = nil, limits: ResourceLimits, cancellation: CancellationCheck) throws(Diagnostic) -> (Relation, [ResultWarning], ArithmeticReport) {
        // The cells are `summarize` groups: their caveats are judged there, cell by cell.
        let (long, warnings, report) = try AggregateOperator.run(plan.summarize, on: relation, fields: summarizeFields, facts: facts, cancellation: cancellation)
        let rowKeys = plan.rowKeyCount
        let columnKey = long.columns[rowKeys]
        let cell = long.columns[rowKeys + 1]
        let cellField = summarizeFields[rowKeys + 1]
        // Column values in key order (the aggregation sorted groups by key, but the column key is
        // the last key, so collect and sort its distinct values).
        var columnValues: [Value] = []
        var columnIndex: [Value: Int] = [:]
        var budget = RowBudget(cancellation)
        for row in 0..<long.storedCount {
            try budget.spend()
            let value = columnKey.value(at: row)
            if columnIndex[value] == nil {
                columnIndex[value] = -1
                columnValues.append(value)
            }
        }
        columnValues.sort(by: Comparison.less)
        for (index, value) in columnValues.enumerated() { columnIndex[value] = index }
        if columnValues.count > limits.maximumColumns {
            throw Diagnostic(.limit, .resultTooLarge, ["pivot", String(limits.maximumColumns), "columns", "columns"])
        }
        // Output rows: distinct row-key combinations, in order of appearance (already sorted).
        var rowIndex: [[Value]: Int] = [:]
        var rowKeysInOrder: [[Value]] = []
        var cellOf: [Int: [Int: Int]] = [:]  // output row → column → long row
        for row in 0..<long.storedCount {
            try budget.spend()
            let key = (0..<rowKeys).map { long.columns[$0].value(at: row) }
            let outputRow: Int
            if let existing = rowIndex[key] {
                outputRow = existing
            } else {
                outputRow = rowKeysInOrder.count
                rowIndex[key] = outputRow
                rowKeysInOrder.append(key)
            }
            cellOf[outputRow, default: [:]][columnIndex[columnKey.value(at: row)] ?? 0] = row
        }
        if rowKeysInOrder.count * max(1, columnValues.count) > limits.maximumCells {
            throw Diagnostic(.limit, .resultTooLarge, ["pivot", String(limits.maximumCells), "cells", "cells"])
        }
        try cancellation.check()
        var fields: [Field] = []
        var columns: [Column] = []
        for keyIndex in 0..<rowKeys {
            let builder = ColumnBuilder(type: summarizeFields[keyIndex].type, capacity: rowKeysInOrder.count)
            for key in rowKeysInOrder { builder.append(key[keyIndex]) }
            columns.append(builder.finish())
            fields.append(Field(name: plan.rowKeyNames[keyIndex], type: summarizeFields[keyIndex].type))
        }
        let unitColumn = cellField.annotations.unit.flatMap { name in summarizeFields.firstIndex { $0.name == name } }.map { long.columns[$0] }
        let qualifierColumn = cellField.annotations.qualifier.flatMap { name in summarizeFields.firstIndex { $0.name == name } }.map { long.columns[$0] }
        var usedNames = Set(fields.map(\.name))
        for (index, value) in columnValues.enumerated() {
            var name = value == .null ? "null" : value.description
            while usedNames.contains(name) { name += "_" }
            usedNames.insert(name)
            let builder = ColumnBuilder(type: cell.type, capacity: rowKeysInOrder.count)
            let units = ColumnBuilder(type: .text, capacity: rowKeysInOrder.count)
            let qualifiers = ColumnBuilder(type: .text, capacity: rowKeysInOrder.count)
            for outputRow in 0..<rowKeysInOrder.count {
                try budget.spend()
                if let longRow = cellOf[outputRow]?[index] {
                    builder.append(from: cell, row: longRow)
                    units.append(unitColumn?.value(at: longRow) ?? .null)
                    qualifiers.append(qualifierColumn?.value(at: longRow) ?? .null)
                } else {
                    builder.appendNull()
                    units.appendNull()
                    qualifiers.appendNull()
                }
            }
            columns.append(builder.finish())
            var field = Field(name: name, type: cell.type == .null ? .text : cell.type)
            if unitColumn != nil {
                columns.append(units.finish())
                field.annotations.unit = Annotations.hiddenUnitName(for: name)
            }
            if qualifierColumn != nil {
                columns.append(qualifiers.finish())
                field.annotations.qualifier = Annotations.hiddenQualifierName(for: name)
            }
            fields.append(field)
            if unitColumn != nil { fields.append(Field(name: Annotations.hiddenUnitName(for: name), type: .text, isHidden: true)) }
            if qualifierColumn != nil { fields.append(Field(name: Annotations.hiddenQualifierName(for: name), type: .text, isHidden: true)) }
        }
        var lineage: [[Int32]]?
        if let longLineage = long.lineage {
            lineage = (0..<rowKeysInOrder.count).map { outputRow in
                (cellOf[outputRow] ?? [:]).values.sorted().flatMap { longLineage[$0] }
            }
        }
        return (Relation(fields: fields, columns: columns, storedCount: rowKeysInOrder.count, lineage: lineage), warnings, report)
    }

    // MARK: - compare

    /// One row per indicator (and detail), one column per value of the compared key; with two
    /// keys, the difference, ratio and % change — only where unit, measure and period agree.
    static func compare(_ plan: ComparePlan, on relation: Relation, facts: Table?, cancellation: CancellationCheck) throws(Diagnostic) -> (Relation, [ResultWarning]) {
        func text(_ index: Int?, _ row: Int) -> String? { index.flatMap { relation.columns[$0].text(at: row) } }
        /// A figure's unit, measure or period: from its column, or — after `summarize`, where a
        /// row stands for several facts — from the facts behind it, so a total over different
        /// periods or units is not compared as if it were one figure.
        func attribute(_ index: Int?, _ factColumn: String, _ row: Int) -> String? {
            if let value = text(index, row) { return value }
            guard let lineage = relation.lineage, row < lineage.count, let column = facts?.column(factColumn) else { return nil }
            var seen: [String] = []
            for fact in lineage[row] {
                if let value = column.text(at: Int(fact)), !seen.contains(value) { seen.append(value) }
            }
            return seen.isEmpty ? nil : seen.sorted { Comparison.less(.text($0), .text($1)) }.joined(separator: " + ")
        }
        let keyColumn = relation.columns[plan.keyColumn]
        // Compared values in order.
        var keys: [Value] = []
        var seenKeys = Set<Value>()
        var budget = RowBudget(cancellation)
        for position in 0..<relation.rowCount {
            try budget.spend()
            let value = keyColumn.value(at: relation.storedRow(position))
            if value != .null, seenKeys.insert(value).inserted { keys.append(value) }
        }
        keys.sort(by: Comparison.less)
        guard keys.count >= 2 else {
            throw Diagnostic(.value, .compareNeedsTwo, [plan.keyName, keys.map(\.description).joined(separator: ", ").isEmpty ? "none" : keys.map(\.description).joined(separator: ", ")])
        }
        // Rows grouped by indicator (and district, unless districts are what is compared: two
        // districts' figures never share a row), and within that by compared key.
        // Any other table (`plan.identity`): by the values of its other columns.
        struct GroupKey: Hashable { var indicator: String; var district: String; var identity: [Value] = [] }
        var groupOrder: [GroupKey] = []
        var groups: [GroupKey: [Value: [Int]]] = [:]
        for position in 0..<relation.rowCount {
            try budget.spend()
            let row = relation.storedRow(position)
            let key = keyColumn.value(at: row)
            if key == .null { continue }
            let group = GroupKey(indicator: text(plan.indicator, row) ?? "", district: text(plan.district, row) ?? "",
                                 identity: plan.identity?.map { relation.columns[$0].value(at: row) } ?? [])
            if groups[group] == nil {
                groups[group] = [:]
                groupOrder.append(group)
            }
            groups[group]?[key, default: []].append(row)
        }
        groupOrder.sort { a, b in
            if a.identity != b.identity {
                for (x, y) in zip(a.identity, b.identity) where x != y {
                    if x == .null || y == .null { return y == .null }  // nulls last
                    return Comparison.less(x, y)
                }
            }
            return a.indicator != b.indicator ? Comparison.less(.text(a.indicator), .text(b.indicator)) : Comparison.less(.text(a.district), .text(b.district))
        }

        let builderIndicator = ColumnBuilder(type: .text)
        let builderDistrict = ColumnBuilder(type: .text)
        let differenceQualifierBuilder = ColumnBuilder(type: .text)
        let builderDetail = ColumnBuilder(type: .text)
        let builderUnit = ColumnBuilder(type: .text)
        let valueBuilders = keys.map { _ in ColumnBuilder(type: .decimal) }
        let qualifierBuilders = keys.map { _ in ColumnBuilder(type: .text) }
        let periodBuilders = keys.map { _ in ColumnBuilder(type: .text) }
        let differenceBuilder = ColumnBuilder(type: .decimal)
        let ratioBuilder = ColumnBuilder(type: .decimal)
        let changeBuilder = ColumnBuilder(type: .decimal)
        let noteBuilder = ColumnBuilder(type: .text)
        var lineage: [[Int32]]? = relation.lineage == nil ? nil : []
        var markedRows = 0
        var definitionRows = 0
        let two = keys.count == 2

        for group in groupOrder {
            try budget.spend()
            guard let cells = groups[group] else { continue }
            builderIndicator.append(text: group.indicator)
            builderDistrict.append(group.district.isEmpty ? .null : .text(group.district))
            var notes: [String] = []
            var chosen: [Int?] = []
            var rowLineage: [Int32] = []
            for (index, key) in keys.enumerated() {
                guard let rows = cells[key], !rows.isEmpty else {
                    valueBuilders[index].appendNull()
                    qualifierBuilders[index].appendNull()
                    periodBuilders[index].appendNull()
                    chosen.append(nil)
                    continue
                }
                // Several figures for one cell: prefer what was achieved over a plan, then the
                // general figure (no detail), then the latest; say how many others there are
                // (`why` lists them all).
                func rank(_ row: Int) -> (Int, Int, Double, Int) {
                    let achieved = attribute(plan.measure, "measure", row) == CaveatWords.target ? 0 : 1
                    let general = (text(plan.detail, row) ?? "").isEmpty ? 1 : 0
                    let year = plan.yearTo.flatMap { relation.columns[$0].double(at: row) } ?? 0
                    return (achieved, general, year, -row)
                }
                let best = rows.max { rank($0) < rank($1) } ?? rows[0]
                chosen.append(best)
                valueBuilders[index].append(relation.columns[plan.value].value(at: best))
                qualifierBuilders[index].append(text(plan.qualifier, best).map(Value.text) ?? .null)
                periodBuilders[index].append(attribute(plan.period, "period", best).map(Value.text) ?? .null)
                if rows.count > 1 {
                    notes.append("\(key.description): \(rows.count - 1) more figure\(rows.count > 2 ? "s" : "") (see why)")
                }
                if let inputLineage = relation.lineage { rows.forEach { rowLineage += inputLineage[$0] } }
            }
            let present = chosen.compactMap { $0 }
            let details = Set(present.map { text(plan.detail, $0) ?? "" })
            builderDetail.append(details.count == 1 ? (details.first.map { $0.isEmpty ? Value.null : .text($0) } ?? .null) : .null)
            let units = Set(present.compactMap { attribute(plan.unit, "unit", $0) })
            let measures = Set(present.compactMap { attribute(plan.measure, "measure", $0) })
            let periods = present.compactMap { attribute(plan.period, "period", $0) }
            builderUnit.append(units.count == 1 ? .text(units.first ?? "") : (units.isEmpty ? .null : .text(units.sorted().joined(separator: " / "))))
            var comparable = present.count >= 2
            if units.count > 1 {
                notes.insert("units differ: \(units.sorted().joined(separator: " vs "))", at: 0)
                comparable = false
            }
            if measures.count > 1 {
                notes.insert("measures differ: \(measures.sorted().joined(separator: " vs "))", at: 0)
                comparable = false
            }
            if details.count > 1 {
                let shown = present.map { text(plan.detail, $0).flatMap { $0.isEmpty ? nil : $0 } ?? ("(general)") }
                notes.insert("counts differ: \(shown.joined(separator: " vs "))", at: 0)
                comparable = false
            }
            // Definitions (poverty standards): two stated ones, or a stated one beside a figure
            // whose source does not say, make any change partly a change of yardstick.
            if facts?.column("definition") != nil, present.count >= 2 {
                let definitions = present.map { attribute(nil, "definition", $0) ?? "" }
                let stated = Set(definitions.filter { !$0.isEmpty })
                if stated.count > 1 || (stated.count == 1 && definitions.contains("")) {
                    let shown = definitions.map { $0.isEmpty ? MessageID.compareDefinitionNotStated.format(.en, []) : $0 }
                    notes.insert(MessageID.compareDefinitionsDiffer.format(.en, [shown.joined(separator: " vs ")]), at: 0)
                    comparable = false
                    definitionRows += 1
                }
            }
            if plan.comparesYears {
                // Years are compared: each figure must cover as many years as the others
                // (2021 against 2020-2022 is not a change from one year to the next).
                let spans = present.map { row -> Double? in
                    guard let from = plan.yearFrom.flatMap({ relation.columns[$0].double(at: row) }),
                          let to = plan.yearTo.flatMap({ relation.columns[$0].double(at: row) }) else { return nil }
                    return to - from
                }
                let known = spans.compactMap { $0 }
                if known.count == spans.count, Set(known).count > 1 {
                    notes.insert("period lengths differ: \(periods.joined(separator: " vs "))", at: 0)
                    comparable = false
                } else if known.count < spans.count, Set(periods).count > 1 {
                    notes.insert("periods differ: \(periods.joined(separator: " vs "))", at: 0)
                    comparable = false
                }
            } else if Set(periods).count > 1 {
                notes.insert("periods differ: \(periods.joined(separator: " vs "))", at: 0)
                comparable = false
            }
            if !notes.isEmpty && !comparable && present.count >= 2 { markedRows += 1 }
            if two, comparable, let first = chosen[0], let second = chosen[1],
               let a = relation.columns[plan.value].double(at: first), let b = relation.columns[plan.value].double(at: second) {
                differenceBuilder.append(decimal: b - a)
                ratioBuilder.append(a == 0 ? .null : .decimal(b / a))
                changeBuilder.append(a == 0 ? .null : .decimal((b - a) / abs(a) * 100))
                // A difference of approximate figures is approximate too (≈), whatever its sign.
                let exact = [first, second].allSatisfy { Qualifier(text: text(plan.qualifier, $0)) ?? .exact == .exact }
                differenceQualifierBuilder.append(text: (exact ? Qualifier.exact : .about).rawValue)
            } else if two {
                differenceBuilder.appendNull()
                ratioBuilder.appendNull()
                changeBuilder.appendNull()
                differenceQualifierBuilder.append(text: Qualifier.exact.rawValue)
            }
            noteBuilder.append(notes.isEmpty ? .null : .text(notes.joined(separator: "; ")))
            lineage?.append(rowLineage)
        }

        var fields: [Field] = []
        var columns: [Column] = []
        if let identity = plan.identity {
            // The identifying columns as the table has them, then the unit when it has one.
            for index in identity {
                let source = relation.columns[index]
                let builder = ColumnBuilder(type: source.type, capacity: groupOrder.count, dictionary: source.type == .text ? source.dictionary : nil)
                for group in groupOrder {
                    guard let cells = groups[group], let row = cells.values.first?.first else { builder.appendNull(); continue }
                    builder.append(from: source, row: row)
                }
                fields.append(Field(name: relation.fields[index].name, type: source.type))
                columns.append(builder.finish())
            }
        } else {
            fields.append(Field(name: "indicator", type: .text))
            columns.append(builderIndicator.finish())
        }
        if plan.identity != nil {
            if plan.unit != nil {
                fields.append(Field(name: "unit", type: .text))
                columns.append(builderUnit.finish())
            }
        } else if plan.district != nil {
            fields.append(Field(name: "district", type: .text))
            columns.append(builderDistrict.finish())
        }
        if plan.identity == nil {
            fields += [Field(name: "detail", type: .text), Field(name: "unit", type: .text)]
            columns += [builderDetail.finish(), builderUnit.finish()]
        }
        var hiddenFields: [Field] = []
        var hiddenColumns: [Column] = []
        let unitName: String? = plan.identity != nil && plan.unit == nil ? nil : "unit"
        for (index, key) in keys.enumerated() {
            let name = key.description
            fields.append(Field(name: name, type: .decimal, annotations: Annotations(unit: unitName, qualifier: Annotations.hiddenQualifierName(for: name), period: Annotations.hiddenPeriodName(for: name))))
            columns.append(valueBuilders[index].finish())
            hiddenFields.append(Field(name: Annotations.hiddenQualifierName(for: name), type: .text, isHidden: true))
            hiddenColumns.append(qualifierBuilders[index].finish())
            hiddenFields.append(Field(name: Annotations.hiddenPeriodName(for: name), type: .text, isHidden: true))
            hiddenColumns.append(periodBuilders[index].finish())
        }
        if two {
            fields.append(Field(name: "difference", type: .decimal, description: "second minus first", annotations: Annotations(unit: unitName, qualifier: Annotations.hiddenQualifierName(for: "difference"))))
            columns.append(differenceBuilder.finish())
            fields.append(Field(name: "ratio", type: .decimal, description: "second ÷ first", annotations: Annotations(qualifier: Annotations.hiddenQualifierName(for: "difference"))))
            columns.append(ratioBuilder.finish())
            fields.append(Field(name: "pct_change", type: .decimal, description: "(second − first) ÷ first × 100", annotations: Annotations(qualifier: Annotations.hiddenQualifierName(for: "difference"))))
            columns.append(changeBuilder.finish())
            hiddenFields.append(Field(name: Annotations.hiddenQualifierName(for: "difference"), type: .text, isHidden: true))
            hiddenColumns.append(differenceQualifierBuilder.finish())
        }
        // Notes are written in English whatever `.lang` says, so a result (and its CSV) is the same
        // in every session; `CompareNotes` translates them when a table is shown.
        var noteField = Field(name: "note", type: .text, description: "why figures were not compared, and figures not shown")
        noteField.translatesNotes = true
        fields.append(noteField)
        columns.append(noteBuilder.finish())
        // The period of each compared figure is shown: without it, a comparison cannot be read.
        for (index, key) in keys.enumerated() where plan.identity == nil || plan.period != nil || relation.lineage != nil {
            fields.append(Field(name: "period_\(key.description)", type: .text))
            columns.append(periodBuilders.isEmpty ? Column.nulls(.text, count: groupOrder.count) : hiddenColumns[index * 2 + 1])
        }
        fields += hiddenFields
        columns += hiddenColumns
        var warnings: [ResultWarning] = []
        if markedRows > 0 { warnings.append(ResultWarning(.warnPeriodsDiffer, [String(markedRows)], lesson: .period)) }
        if definitionRows > 0 { warnings.append(ResultWarning(.warnDefinitionsMarked, [String(definitionRows)], lesson: .definitions)) }
        return (Relation(fields: fields, columns: columns, storedCount: groupOrder.count, lineage: lineage), warnings)
    }
}
