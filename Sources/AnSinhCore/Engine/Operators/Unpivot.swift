/// `unpivot` (wide → long): each input row becomes one row per unpivoted column, in the input's
/// order and then the columns' order; the name column holds the column's name and the value
/// column its cell (nulls stay null, numbers stay numbers), with the cell's unit, qualifier,
/// measure and period kept per row.
enum UnpivotOperator {
    static func run(_ plan: UnpivotPlan, on relation: Relation, fields: [Field], limits: ResourceLimits, cancellation: CancellationCheck) throws(Diagnostic) -> Relation {
        let width = plan.columns.count
        let (outputCount, overflow) = relation.rowCount.multipliedReportingOverflow(by: width)
        if overflow || outputCount > limits.maximumCells {
            throw Diagnostic(.limit, .resultTooLarge, ["unpivot", String(limits.maximumCells), "rows", "rows"])
        }
        // Kept columns: each input row repeated once per unpivoted column.
        var repeated: [UInt32] = []
        repeated.reserveCapacity(outputCount)
        for logical in 0..<relation.rowCount {
            let row = UInt32(relation.storedRow(logical))
            for _ in 0..<width { repeated.append(row) }
        }
        try cancellation.check()
        var columns = plan.kept.map { relation.columns[$0].gather(repeated) }

        // The name column: one dictionary of the column names, codes cycling through it.
        let names = TextDictionary(plan.names)
        let codes = plan.names.map { names.intern($0) }
        let nameBuilder = ColumnBuilder(type: .text, capacity: outputCount, dictionary: names)
        let valueBuilder = ColumnBuilder(type: plan.valueType, capacity: outputCount)
        let sources = plan.columns.map { relation.columns[$0] }
        let caveatBuilders = plan.caveats.map { _ in ColumnBuilder(type: .text, capacity: outputCount) }
        for logical in 0..<relation.rowCount {
            let row = relation.storedRow(logical)
            for position in 0..<width {
                nameBuilder.append(code: codes[position])
                if plan.valueType == .null { valueBuilder.appendNull() } else { valueBuilder.append(from: sources[position], row: row) }
                for (kind, builder) in caveatBuilders.enumerated() {
                    switch plan.caveats[kind][position] {
                    case .none: builder.appendNull()
                    case .constant(let text): builder.append(text: text)
                    case .column(let index): builder.append(from: relation.columns[index], row: row)
                    }
                }
            }
            if logical & 0xFFFF == 0xFFFF { try cancellation.check() }
        }
        columns.append(nameBuilder.finish())
        columns.append(valueBuilder.finish())
        columns += caveatBuilders.map { $0.finish() }
        let lineage = relation.lineage.map { lineage in repeated.map { lineage[Int($0)] } }
        return Relation(fields: fields, columns: columns, storedCount: outputCount, lineage: lineage)
    }
}
