/// Units and preliminary figures that an export states in its title, header or cells, recorded
/// on the imported columns so the warnings that `facts` earns (summed percentages, mixed units)
/// fire on imported data too.
///
/// A unit is a bracketed group in a header (`Total (Bill. Dongs) Service`, `Index (Previous
/// year = 100) (%) Total`), a trailing `- %`, the same in the title for every number column, or,
/// per row, in a text column whose every cell names one (`Value (Mill.USD)`, `Index … - %`).
/// `%` becomes the unit `percent`; others are kept as written. Like `facts`, each number column
/// gets a hidden per-row unit column, so `where`, `select` and `summarize` carry it.
enum ImportUnits {
    /// The unit a text names, or nil: the last bracketed group that is `%` or a unit word
    /// (letters, not an equation like `Previous year = 100`, not a footnote mark like `(*)`).
    static func unit(in text: String) -> String? {
        var groups: [String] = []
        var current: String?
        for character in text {
            if character == "(" { current = "" } else if character == ")" {
                if let group = current { groups.append(group.trimmingSpaces()) }
                current = nil
            } else {
                current?.append(character)
            }
        }
        if groups.contains("%") { return "percent" }
        let trimmed = text.trimmingSpaces()
        if trimmed.hasSuffix("- %") || trimmed.hasSuffix("(%)") || trimmed == "%" { return "percent" }
        for group in groups.reversed() where !group.contains("=") && group.contains(where: \.isLetter) && group.count <= 30 {
            return group
        }
        return nil
    }

    /// `Pre. 2016`, `Prel. 2016-2017`, `Total Prel. 2016`: a preliminary figure.
    static func isPreliminary(_ text: String) -> Bool {
        let words = text.split(whereSeparator: { $0 == " " }).map { $0.lowercased() }
        return words.contains("pre.") || words.contains("prel.") || text.lowercased().contains("sơ bộ")
    }

    /// Adds the hidden unit columns and descriptions; returns the notes saying what was found.
    static func annotate(fields: inout [Field], columns: inout [Column], rowCount: Int, title: String?) -> [Diagnostic.Note] {
        let numberColumns = fields.indices.filter { fields[$0].type == .decimal || fields[$0].type == .integer }
        guard !numberColumns.isEmpty else { return [] }
        var notes: [Diagnostic.Note] = []
        // Per row: a text column whose every cell names a unit.
        var rowUnits: (column: Int, units: [String])?
        for index in fields.indices where fields[index].type == .text {
            let strings = columns[index].dictionary.strings
            guard !strings.isEmpty, columns[index].nullCount == 0 else { continue }
            let units = strings.map(unit(in:))
            if units.allSatisfy({ $0 != nil }) {
                rowUnits = (index, units.map { $0 ?? "" })
                break
            }
        }
        let titleUnit = title.flatMap(unit(in:))
        var described: [String] = []
        var hidden: [(Field, Column)] = []
        for index in numberColumns {
            let name = fields[index].name
            let hiddenName = Annotations.hiddenUnitName(for: name)
            guard fields.allSatisfy({ $0.name != hiddenName }) else { continue }
            let builder = ColumnBuilder(type: .text, capacity: rowCount)
            if let headerUnit = unit(in: name) ?? titleUnit {
                for _ in 0..<rowCount { builder.append(text: headerUnit) }
                fields[index].description = "unit: \(headerUnit == "percent" ? "%" : headerUnit)"
            } else if let (source, units) = rowUnits {
                let column = columns[source]
                for row in 0..<rowCount { builder.append(text: units[Int(column.codes[row])]) }
                fields[index].description = "unit: per row, from `\(fields[source].name)`"
            } else {
                continue
            }
            described.append(name)
            fields[index].annotations.unit = hiddenName
            hidden.append((Field(name: hiddenName, type: .text, isHidden: true), builder.finish()))
        }
        for (field, column) in hidden {
            fields.append(field)
            columns.append(column)
        }
        if !described.isEmpty {
            let shown = described.prefix(3).map { "`\($0)`" }.joined(separator: ", ") + (described.count > 3 ? ", … (\(described.count))" : "")
            if let source = rowUnits?.column {
                notes.append(.init(.csvUnitsFromCells, [shown, fields[source].name]))
            } else {
                notes.append(.init(.csvUnitsFound, [shown]))
            }
        }
        // Preliminary figures: a header that says so, or a key cell (`Prel. 2016` in `Year`).
        let preliminary = fields.indices.filter { !fields[$0].isHidden && isPreliminary(fields[$0].name) }
        for index in preliminary {
            fields[index].description = (fields[index].description.map { $0 + "; " } ?? "") + "preliminary figures (the header says so)"
        }
        if !preliminary.isEmpty {
            notes.append(.init(.csvPreliminary, [preliminary.prefix(3).map { "`\(fields[$0].name)`" }.joined(separator: ", ")]))
        }
        for index in fields.indices where fields[index].type == .text && !fields[index].isHidden {
            if let cell = columns[index].dictionary.strings.first(where: isPreliminary) {
                notes.append(.init(.csvPreliminaryRows, [fields[index].name, cell]))
                break
            }
        }
        return notes
    }
}
