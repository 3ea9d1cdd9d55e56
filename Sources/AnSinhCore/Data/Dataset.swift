/// The built-in tables, loaded from the CSV files compiled into the binary (`datasets/`).
public enum Dataset {
    /// The built-in tables, in the order of `datasets/tables.csv` — the one list of them (the
    /// build plugin embeds the files it names; `.tables`, `let` and `.drop` read it from here).
    public static var builtinNames: [String] { catalogue.tables.map(\.name) }

    /// What `datasets/tables.csv` and `datasets/columns.csv` say about each table.
    struct TableEntry {
        var name: String
        var summary: String?
        var source: String?
        var columns: [(name: String, type: DataType, description: String)]
    }

    static let catalogue: (tables: [TableEntry], problem: String?) = {
        let files = Dictionary(EmbeddedDataset.files.map { ($0.name, $0.text) }, uniquingKeysWith: { first, _ in first })
        let options = CSVOptions.curated()
        guard let tablesText = files["tables"], let columnsText = files["columns"],
              let tables = try? CSVImporter.load(text: tablesText, name: "tables", options: options).table,
              let columns = try? CSVImporter.load(text: columnsText, name: "columns", options: options).table else {
            return ([], "datasets/tables.csv or datasets/columns.csv is missing or unreadable")
        }
        func texts(_ table: Table, _ column: String) -> [String?] {
            guard let values = table.column(column) else { return Array(repeating: nil, count: table.rowCount) }
            return (0..<table.rowCount).map { values.text(at: $0) }
        }
        let columnTable = texts(columns, "table"), columnName = texts(columns, "column")
        let columnType = texts(columns, "type"), columnDescription = texts(columns, "description")
        let names = texts(tables, "table"), summaries = texts(tables, "summary"), sources = texts(tables, "source")
        var entries: [TableEntry] = []
        for (position, name) in names.enumerated() {
            guard let name else { continue }
            var entry = TableEntry(name: name, summary: summaries[position], source: sources[position], columns: [])
            for row in columnTable.indices where columnTable[row] == name {
                guard let column = columnName[row] else { continue }
                let type: DataType = switch columnType[row] {
                case "integer": .integer
                case "decimal": .decimal
                case "boolean": .boolean
                default: .text
                }
                entry.columns.append((column, type, columnDescription[row] ?? ""))
            }
            entries.append(entry)
        }
        return (entries, nil)
    }()

    /// Loads the embedded CSV files into tables. The facts' `value` carries its unit, qualifier,
    /// measure and period, so results can say what they add up.
    public static func load() throws(Diagnostic) -> [String: Table] {
        var tables: [String: Table] = [:]
        let files = Dictionary(EmbeddedDataset.files.map { ($0.name, $0.text) }, uniquingKeysWith: { first, _ in first })
        if let problem = catalogue.problem { throw Diagnostic(.value, .invalidArgumentValue, ["datasets", problem]) }
        for entry in catalogue.tables {
            let name = entry.name
            guard let text = files[name] else { throw Diagnostic(.value, .invalidArgumentValue, ["datasets", "\(name).csv is listed in tables.csv but not embedded"]) }
            let columns = entry.columns
            let options = CSVOptions.curated(types: Dictionary(uniqueKeysWithValues: columns.map { ($0.name, $0.type) }))
            let loaded = try CSVImporter.load(text: text, name: name, options: options)
            var fields = loaded.table.fields
            for index in fields.indices {
                if let described = columns.first(where: { $0.name == fields[index].name }) {
                    fields[index].description = described.description
                }
                fields[index].isCode = ["year_from", "year_to", "population_year"].contains(fields[index].name)
            }
            if name == "facts", let value = fields.firstIndex(where: { $0.name == "value" }) {
                fields[value].annotations = Annotations(unit: "unit", qualifier: "qualifier", measure: "measure", period: "period")
                if let target = fields.firstIndex(where: { $0.name == "target_value" }) {
                    fields[target].annotations = Annotations(unit: "unit")
                }
            }
            let lineage: [[Int32]]? = name == "facts" ? (0..<loaded.table.rowCount).map { [Int32($0)] } : nil
            tables[name] = Table(name: name, fields: fields, columns: loaded.table.columns, rowCount: loaded.table.rowCount, lineage: lineage, summary: entry.summary)
            tables[name]?.source = entry.source
        }
        return tables
    }
}
