/// The one place exports and reports read a figure's caveats (its qualifier and unit).
///
/// Today qualifiers and units travel as hidden annotation columns (`Field.annotations`); when
/// caveats become a type of their own, only this file changes.
struct CaveatReader {
    let table: Table

    /// The per-row qualifier column of `column`, when it has one.
    func qualifierColumn(_ column: Int) -> Column? {
        table.fields[column].annotations.qualifier.flatMap(table.column)
    }

    /// `exact`, `about`, `more_than`, `nearly`, `less_than`, or nil when unknown.
    func qualifier(row: Int, column: Int) -> String? {
        qualifierColumn(column)?.text(at: row)
    }

    /// The unit of one cell: per row, or one for the whole column.
    func unit(row: Int, column: Int) -> String? {
        let annotations = table.fields[column].annotations
        return annotations.unit.flatMap(table.column)?.text(at: row) ?? annotations.fixedUnit
    }

    /// Whether the annotation column `name` is already shown as a column of its own (`from facts`
    /// shows `unit` and `qualifier` beside `value`): then nothing needs adding.
    private func isVisible(_ name: String?) -> Bool {
        guard let name, let index = table.columnIndex(name) else { return false }
        return !table.fields[index].isHidden
    }

    /// The caveat columns to write beside each visible column, in order: `total_qualifier` when
    /// some row is not exact, `total_unit` when some row's unit is known.
    func columnsToAdd(after column: Int) -> (qualifier: Bool, unit: Bool) {
        let annotations = table.fields[column].annotations
        guard table.fields[column].type == .integer || table.fields[column].type == .decimal, !annotations.isEmpty else { return (false, false) }
        // Only rows with a figure count: a null difference has nothing to qualify.
        let rows = (0..<table.rowCount).filter { !table.columns[column].isNull($0) }
        let notExact = !isVisible(annotations.qualifier) && qualifierColumn(column) != nil
            && rows.contains { row in qualifier(row: row, column: column).map { $0 != "exact" } ?? false }
        let unitKnown = !isVisible(annotations.unit) && rows.contains { unit(row: $0, column: column) != nil }
        return (notExact, unitKnown)
    }

    /// The table as machine-readable exports write it: every visible column, each annotated
    /// figure followed by its qualifier and unit as plain visible text columns. A table with
    /// nothing to say comes back unchanged (the same object), so its CSV stays byte for byte.
    func withCaveatColumns() -> Table {
        let visible = table.visibleColumnIndices
        var fields: [Field] = []
        var columns: [Column] = []
        var added = false
        var taken = Set(visible.map { table.fields[$0].name })
        func freeName(_ base: String) -> String {
            var name = base
            while taken.contains(name) { name += "_" }
            taken.insert(name)
            return name
        }
        for column in visible {
            var field = table.fields[column]
            field.annotations = Annotations()
            fields.append(field)
            columns.append(table.columns[column])
            let (addQualifier, addUnit) = columnsToAdd(after: column)
            if addQualifier {
                let builder = ColumnBuilder(type: .text)
                for row in 0..<table.rowCount {
                    builder.append(qualifier(row: row, column: column).map(Value.text) ?? .null)
                }
                fields.append(Field(name: freeName(field.name + "_qualifier"), type: .text, description: CaveatReader.qualifierMeaning))
                columns.append(builder.finish())
                added = true
            }
            if addUnit {
                let builder = ColumnBuilder(type: .text)
                for row in 0..<table.rowCount {
                    builder.append(unit(row: row, column: column).map(Value.text) ?? .null)
                }
                fields.append(Field(name: freeName(field.name + "_unit"), type: .text, description: "unit of \(field.name)"))
                columns.append(builder.finish())
                added = true
            }
        }
        guard added else { return table }
        return Table(name: table.name, fields: fields, columns: columns, rowCount: table.rowCount, lineage: table.lineage, summary: table.summary)
    }

    static let qualifierMeaning = "exact; about (khoảng, ≈); more_than (hơn, >); nearly (gần, ≲); less_than (dưới, <)"
}
