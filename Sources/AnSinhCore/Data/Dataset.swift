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

    /// The embedded files by name (`facts`, `tables`, …).
    static let files = Dictionary(EmbeddedDataset.files.map { ($0.name, $0.text) }, uniquingKeysWith: { first, _ in first })

    /// One embedded file as a table: the direct reader for the plain case, else the importer
    /// with the same options (both give the same table: `DatasetTests`).
    static func read(_ text: String, name: String, types: [String: DataType], otherColumns: DataType? = nil) throws(Diagnostic) -> Table {
        if let table = EmbeddedCSV.load(text, name: name, types: types, otherColumns: otherColumns) { return table }
        return try CSVImporter.load(text: text, name: name, options: CSVOptions.curated(types: types)).table
    }

    static let catalogue: (tables: [TableEntry], problem: String?) = {
        // Every cell of these two is read as text (the importer guesses text for each column too).
        guard let tablesText = files["tables"], let columnsText = files["columns"],
              let tables = try? read(tablesText, name: "tables", types: [:], otherColumns: .text),
              let columns = try? read(columnsText, name: "columns", types: [:], otherColumns: .text) else {
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

    /// Loads every embedded CSV file into a table (the tests; a session loads each table when
    /// a statement first reads it: `addTables(to:)`). The facts' `value` carries its unit,
    /// qualifier, measure and period, so results can say what they add up.
    public static func load() throws(Diagnostic) -> [String: Table] {
        if let problem = catalogue.problem { throw Diagnostic(.value, .invalidArgumentValue, ["datasets", problem]) }
        var tables: [String: Table] = [:]
        for entry in catalogue.tables { tables[entry.name] = try table(entry) }
        return tables
    }

    /// Registers the built-in tables and the views over `facts` in a session's catalog, each
    /// read from its embedded file when first used: start-up reads none of them, and
    /// `from sources` reads only `sources`. Throws when the catalogue itself is unreadable.
    static func addTables(to catalog: inout Catalog) throws(Diagnostic) {
        if let problem = catalogue.problem { throw Diagnostic(.value, .invalidArgumentValue, ["datasets", problem]) }
        var facts: LazyTable?
        for entry in catalogue.tables {
            // Every embedded file loads (DatasetTests loads them all); were one broken, its
            // table would be empty rather than stop the session.
            let table = LazyTable { (try? Dataset.table(entry)) ?? Table(name: entry.name, fields: [], columns: [], rowCount: 0) }
            catalog.addLazy(entry.name) { table.table }
            if entry.name == "facts" { facts = table }
        }
        if let facts {
            catalog.addLazy("conflicts") { Views.conflicts(facts.table) }
            catalog.addLazy("targets") { Views.targets(facts.table) }
        }
    }

    /// One built-in table from its embedded file, with the descriptions and annotations of
    /// `datasets/columns.csv`.
    static func table(_ entry: TableEntry) throws(Diagnostic) -> Table {
        let name = entry.name
        guard let text = files[name] else { throw Diagnostic(.value, .invalidArgumentValue, ["datasets", "\(name).csv is listed in tables.csv but not embedded"]) }
        let columns = entry.columns
        let loaded = try read(text, name: name, types: Dictionary(uniqueKeysWithValues: columns.map { ($0.name, $0.type) }))
        var fields = loaded.fields
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
        let lineage: [[Int32]]? = name == "facts" ? (0..<loaded.rowCount).map { [Int32($0)] } : nil
        let table = Table(name: name, fields: fields, columns: loaded.columns, rowCount: loaded.rowCount, lineage: lineage, summary: entry.summary)
        table.source = entry.source
        return table
    }
}
