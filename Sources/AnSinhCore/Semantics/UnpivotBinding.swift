/// Binding `unpivot COLS into NAME, VALUE`: which columns become rows, what stays, the value
/// column's type and the caveats (unit, qualifier, measure, period) each row keeps.
extension Binder {
    func bindUnpivot(_ spec: UnpivotColumns, into nameColumn: Name, value valueColumn: Name, input: [Field], keyword: Name) throws(Diagnostic) -> (BoundStage, [Field]) {
        let visible = input.indices.filter { !input[$0].isHidden }
        let visibleNames = visible.map { input[$0].name }
        func listed() -> String {
            let shown = visibleNames.prefix(12).map { "`\($0)`" }.joined(separator: ", ")
            return visibleNames.count > 12 ? shown + ", … (\(visibleNames.count))" : shown
        }
        func resolve(_ name: Name) throws(Diagnostic) -> Int {
            if let index = visible.first(where: { input[$0].name == name.text }) { return index }
            // `"pre. 2016"` for `Pre. 2016`: one column whose name differs only in case.
            let lowered = name.text.lowercased()
            let caseless = visible.filter { input[$0].name.lowercased() == lowered }
            if caseless.count == 1, let only = caseless.first { return only }
            let suggestions = UnicodeText.suggestions(for: name.text, among: visibleNames)
            throw Diagnostic(.name, .unpivotNoColumns, ["`\(UnicodeText.clipped(name.text))`", listed()], at: name.range, suggestions: suggestions)
        }

        var chosen: [Int] = []
        switch spec {
        case .list(let ranges):
            for range in ranges {
                let first = try resolve(range.first)
                guard let lastName = range.last else {
                    chosen.append(first)
                    continue
                }
                let last = try resolve(lastName)
                guard first <= last else {
                    throw Diagnostic(.value, .unpivotRangeOrder, [range.first.text, lastName.text], at: range.first.range.joined(lastName.range))
                }
                chosen += (first...last).filter { !input[$0].isHidden }
            }
        case .allExcept(let names):
            var excluded = Set<Int>()
            for name in names { excluded.insert(try resolve(name)) }
            chosen = visible.filter { !excluded.contains($0) }
        case .matching(let pattern, let range):
            let compiled = try Binder.compilePattern(pattern, at: range)
            chosen = visible.filter { compiled.matches(input[$0].name) }
            if chosen.isEmpty {
                throw Diagnostic(.value, .unpivotNoColumns, ["matching \"\(UnicodeText.clipped(pattern))\"", listed()], at: range)
            }
        }
        // A column named twice (`"2006", "2006".."2010"`) still gives one row per input row.
        var seen = Set<Int>()
        chosen = chosen.filter { seen.insert($0).inserted }
        // `all except` naming every column leaves nothing to unpivot (DuckDB: "UNPIVOT clause
        // must unpivot on at least one column").
        guard !chosen.isEmpty else {
            throw Diagnostic(.value, .unpivotNothingChosen, [listed()], at: keyword.range)
        }
        let chosenSet = Set(chosen)
        let keptVisible = visible.filter { !chosenSet.contains($0) }
        guard !keptVisible.isEmpty else {
            throw Diagnostic(.value, .unpivotNothingLeft, [], at: keyword.range)
        }

        // One type for the value column: numbers widen to decimal; text and numbers do not mix.
        var valueType = DataType.null
        for index in chosen {
            if let common = DataType.common(valueType, input[index].type) {
                valueType = common
                continue
            }
            let numbers = chosen.filter { input[$0].type.isNumeric }.map { "`\(input[$0].name)`" }
            let others = chosen.filter { !input[$0].type.isNumeric && input[$0].type != .null }.map { "`\(input[$0].name)`" }
            func few(_ names: [String]) -> String { names.prefix(4).joined(separator: ", ") + (names.count > 4 ? ", … (\(names.count))" : "") }
            throw Diagnostic(.type, .unpivotMixedTypes, [few(others), few(numbers)], at: keyword.range)
        }

        for kept in keptVisible where input[kept].name == nameColumn.text || input[kept].name == valueColumn.text {
            let clash = input[kept].name == nameColumn.text ? nameColumn : valueColumn
            throw Diagnostic(.name, .unpivotNameClash, [clash.text, input[kept].name], at: clash.range)
        }
        if nameColumn.text == valueColumn.text {
            throw Diagnostic(.name, .duplicateColumn, [valueColumn.text], at: valueColumn.range)
        }

        // The caveats each unpivoted column carries become per-row hidden columns of the value.
        func index(_ name: String?) -> Int? { name.flatMap { name in input.firstIndex { $0.name == name } } }
        let kinds: [(annotation: (Annotations) -> String?, hiddenName: String, fixed: (Annotations) -> String?)] = [
            ({ $0.unit }, Annotations.hiddenUnitName(for: valueColumn.text), { $0.fixedUnit }),
            ({ $0.qualifier }, Annotations.hiddenQualifierName(for: valueColumn.text), { _ in nil }),
            ({ $0.measure }, Annotations.hiddenMeasureName(for: valueColumn.text), { _ in nil }),
            ({ $0.period }, Annotations.hiddenPeriodName(for: valueColumn.text), { _ in nil }),
        ]
        var caveats: [[UnpivotPlan.CaveatSource]] = []
        var caveatFields: [Field] = []
        var valueAnnotations = Annotations()
        for (position, kind) in kinds.enumerated() {
            let sources = chosen.map { column -> UnpivotPlan.CaveatSource in
                let annotations = input[column].annotations
                if let source = index(kind.annotation(annotations)) { return .column(source) }
                if let fixed = kind.fixed(annotations) { return .constant(fixed) }
                return .none
            }
            guard sources.contains(where: { if case .none = $0 { false } else { true } }) else { continue }
            caveats.append(sources)
            caveatFields.append(Field(name: kind.hiddenName, type: .text, isHidden: true))
            switch position {
            case 0: valueAnnotations.unit = kind.hiddenName
            case 1: valueAnnotations.qualifier = kind.hiddenName
            case 2: valueAnnotations.measure = kind.hiddenName
            default: valueAnnotations.period = kind.hiddenName
            }
        }

        // Hidden columns that only qualified the unpivoted columns go with them.
        let keptAnnotations = Set(keptVisible.flatMap { input[$0].annotations.referencedColumns })
        let unpivotedAnnotations = Set(chosen.flatMap { input[$0].annotations.referencedColumns })
        let newNames = Set(caveatFields.map(\.name) + [nameColumn.text, valueColumn.text])
        let kept = input.indices.filter { index in
            if chosenSet.contains(index) { return false }
            guard input[index].isHidden else { return true }
            if newNames.contains(input[index].name) { return false }
            return keptAnnotations.contains(input[index].name) || !unpivotedAnnotations.contains(input[index].name)
        }

        let names = chosen.map { input[$0].name }
        let from = names.count == 1 ? "`\(names[0])`" : "`\(names[0])` … `\(names[names.count - 1])` (\(names.count) columns)"
        var output = kept.map { input[$0] }
        output.append(Field(name: nameColumn.text, type: .text, description: "the name of the column each value was in"))
        output.append(Field(name: valueColumn.text, type: valueType, description: "values of \(from)", annotations: valueAnnotations))
        output += caveatFields
        let plan = UnpivotPlan(columns: chosen, names: names, kept: kept, valueType: valueType, caveats: caveats)
        return (.unpivot(plan), output)
    }
}
