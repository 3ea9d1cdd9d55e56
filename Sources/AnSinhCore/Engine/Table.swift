/// A column's name, type and what travels with it.
public struct Field: Sendable, Equatable {
    public var name: String
    public var type: DataType
    /// One line for `.schema`.
    public var description: String?
    /// Hidden columns carry units and qualifiers for the renderer; `select *` and output never show them.
    public var isHidden: Bool
    /// Names of the columns that say what this number is: its unit, qualifier and measure.
    public var annotations: Annotations
    /// A year, an id or another code: shown without thousands separators (2021, not 2.021).
    public var isCode = false
    /// `compare`'s `note`: notes written in English in the data, translated when shown.
    public var translatesNotes = false

    public init(name: String, type: DataType, description: String? = nil, isHidden: Bool = false, annotations: Annotations = Annotations()) {
        self.name = name
        self.type = type
        self.description = description
        self.isHidden = isHidden
        self.annotations = annotations
    }
}

/// A named, materialised table: the built-in tables, `let` results, imports and query results.
public final class Table: @unchecked Sendable {
    public let name: String
    public let fields: [Field]
    public let columns: [Column]
    public let rowCount: Int
    /// For each row, the `facts` rows it was computed from (what `why` shows); nil when unknown.
    public let lineage: [[Int32]]?
    /// One paragraph for `.schema` and `.tables` (for an import: the file's title line).
    public var summary: String?
    /// Source and note lines that came with an imported file, shown by `.schema`.
    public var footnotes: [String] = []
    /// Where the data comes from, for `.schema` (the built-in tables say it in datasets/tables.csv).
    public var source: String?
    /// Set for a table on the connected server: no rows here, pipelines over it run there.
    public var remote: RemoteTableRef?

    public init(name: String, fields: [Field], columns: [Column], rowCount: Int, lineage: [[Int32]]? = nil, summary: String? = nil) {
        self.name = name
        self.fields = fields
        self.columns = columns
        self.rowCount = rowCount
        self.lineage = lineage
        self.summary = summary
    }

    public func columnIndex(_ name: String) -> Int? {
        fields.firstIndex { $0.name == name }
    }

    public func column(_ name: String) -> Column? {
        columnIndex(name).map { columns[$0] }
    }

    /// Indices of the visible columns, in order.
    public var visibleColumnIndices: [Int] {
        fields.indices.filter { !fields[$0].isHidden }
    }

    public func value(row: Int, column: Int) -> Value {
        columns[column].value(at: row)
    }

    /// The same data under another name.
    public func renamed(_ newName: String) -> Table {
        let table = Table(name: newName, fields: fields, columns: columns, rowCount: rowCount, lineage: lineage, summary: summary)
        table.footnotes = footnotes
        table.source = source
        return table
    }
}

/// Rows flowing between operators: columns plus an optional selection vector, so filters and
/// sorts reorder indices instead of copying data.
struct Relation {
    var fields: [Field]
    var columns: [Column]
    /// Rows of `columns`, in order; nil means all rows in storage order.
    var selection: [UInt32]?
    /// Number of rows stored in `columns`.
    var storedCount: Int
    /// For each stored row, the `facts` rows behind it (only when `why` asked for it).
    var lineage: [[Int32]]?

    var rowCount: Int { selection?.count ?? storedCount }

    init(fields: [Field], columns: [Column], selection: [UInt32]? = nil, storedCount: Int, lineage: [[Int32]]? = nil) {
        self.fields = fields
        self.columns = columns
        self.selection = selection
        self.storedCount = storedCount
        self.lineage = lineage
    }

    init(table: Table, withLineage: Bool) {
        self.init(fields: table.fields, columns: table.columns, storedCount: table.rowCount, lineage: withLineage ? table.lineage : nil)
    }

    func index(of name: String) -> Int? {
        fields.firstIndex { $0.name == name }
    }

    /// The stored row of logical row `position`.
    @inline(__always)
    func storedRow(_ position: Int) -> Int {
        if let selection { return Int(selection[position]) }
        return position
    }

    /// A relation whose storage is exactly its rows in order (applies the selection).
    func materialized() -> Relation {
        guard let selection else { return self }
        let columns = self.columns.map { $0.gather(selection) }
        let lineage = self.lineage.map { lineage in selection.map { lineage[Int($0)] } }
        return Relation(fields: fields, columns: columns, storedCount: selection.count, lineage: lineage)
    }

    /// The column `index` with the selection applied (a gather), or the column itself when none.
    func denseColumn(_ index: Int) -> Column {
        guard let selection else { return columns[index] }
        return columns[index].gather(selection)
    }

    func table(named name: String) -> Table {
        let dense = materialized()
        return Table(name: name, fields: dense.fields, columns: dense.columns, rowCount: dense.storedCount, lineage: dense.lineage)
    }
}
