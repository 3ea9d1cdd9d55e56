/// `.connect`, `.disconnect` and the pushdown: a pipeline over a remote table is bound as usual,
/// written in SQL by `SQLTranslator` (postgres dialect) and run on the server; only its result
/// comes back, into a local `Table` that renders, exports and `.maxrows` like any other.
extension Session {
    /// `user@host:port/db` of the connected database, if any.
    public var remoteLabel: String? { remote?.label }

    /// Connects (replacing an earlier connection) and lists the server's tables and views in the
    /// catalogue as `pg.SCHEMA.TABLE`, and by their bare name where no local table has it
    /// (schema `public` first). Returns the label and the number of tables.
    @discardableResult
    public func connect(_ url: String) throws(Diagnostic) -> (label: String, tables: Int) {
        let database = try RemoteDatabase(url: url)
        let listed = try database.tables()
        disconnect()
        remote = database
        let ordered = listed.filter { $0.ref.schema == "public" } + listed.filter { $0.ref.schema != "public" }
        for (ref, fields) in ordered {
            var fields = fields
            Session.annotateLikeFacts(&fields)
            let full = "\(database.prefix).\(ref.schema).\(ref.name)"
            let columns = fields.map { ColumnBuilder(type: $0.type).finish() }
            let summary = (ref.isView ? MessageID.remoteViewSummary : MessageID.remoteTableSummary).format(language, [database.label])
            for name in [full, ref.name] where catalog[name] == nil {
                let table = Table(name: name, fields: fields, columns: columns, rowCount: 0, summary: summary)
                table.remote = ref
                catalog[name] = table
                remoteNames.append(name)
            }
        }
        return (database.label, listed.count)
    }

    /// Forgets the connection and its tables; returns the label it had.
    @discardableResult
    public func disconnect() -> String? {
        for name in remoteNames where catalog[name]?.remote != nil { catalog[name] = nil }
        remoteNames = []
        let label = remote?.label
        remote?.close()
        remote = nil
        return label
    }

    /// A remote table whose columns are those of `facts` (value, unit, qualifier, measure, period)
    /// is read as `facts` is: `value` is qualified by them, so qualifiers show in results. This
    /// goes by the column names only (a guess the docs name).
    static func annotateLikeFacts(_ fields: inout [Field]) {
        let names = Set(fields.map(\.name))
        guard ["value", "unit", "qualifier", "measure", "period"].allSatisfy(names.contains),
              let value = fields.firstIndex(where: { $0.name == "value" }), fields[value].type.isNumeric else { return }
        fields[value].annotations = Annotations(unit: "unit", qualifier: "qualifier", measure: "measure", period: "period")
        if let target = fields.firstIndex(where: { $0.name == "target_value" }) { fields[target].annotations = Annotations(unit: "unit") }
        for index in fields.indices where ["year_from", "year_to", "population_year"].contains(fields[index].name) { fields[index].isCode = true }
    }

    /// The database a bound pipeline must run on: nil when every table it reads is local.
    /// A pipeline that reads both a remote and a local table is refused, with the caret on the
    /// local one.
    func remoteDatabase(for bound: BoundPipeline) throws(Diagnostic) -> RemoteDatabase? {
        var remoteTable: (name: String, ref: RemoteTableRef)?
        var localTable: (name: String, range: SourceRange)?
        func note(_ table: Table, _ name: Name) {
            if let ref = table.remote {
                if remoteTable == nil { remoteTable = (name.text, ref) }
            } else if localTable == nil {
                localTable = (name.text, name.range)
            }
        }
        note(bound.source, bound.syntax.source)
        for (stage, _, syntax) in bound.stages {
            if case .join(let plan) = stage, case .join(_, let tableName, _) = syntax.kind { note(plan.right, tableName) }
        }
        guard let remoteTable else { return nil }
        if let localTable {
            throw Diagnostic(.usage, .remoteMixed, [remoteTable.name, remoteTable.ref.server, localTable.name], at: localTable.range)
        }
        guard let remote, remote.label == remoteTable.ref.server else {
            throw Diagnostic(.io, .remoteNotConnected, [], at: bound.syntax.source.range)
        }
        return remote
    }

    /// The SQL that runs on the server; what cannot be translated is refused here, before
    /// anything is sent, with the caret where the translator stopped.
    func remoteSQL(_ bound: BoundPipeline, on database: RemoteDatabase, source: SourceFile) throws(Diagnostic) -> String {
        do {
            var translator = SQLTranslator(dialect: .postgres, source: source)
            translator.textCollation = database.textCollation
            translator.carriesCaveats = true
            return try translator.translate(bound)
        } catch {
            throw Diagnostic(.value, .remoteUntranslatable, [database.label, error.arguments.last ?? ""], at: error.range)
        }
    }

    func runRemote(_ bound: BoundPipeline, on database: RemoteDatabase, source: SourceFile) throws(Diagnostic) -> QueryResult {
        let sql = try remoteSQL(bound, on: database, source: source)
        let fields = Session.resultFields(bound.fields)
        let table = try database.query(sql, fields: fields, cancellation: cancellation, maximumRows: limits.maximumRows, name: bound.source.name)
        var result = QueryResult(table: table)
        // The notes read from the result itself, as the executor gives them for a local run.
        let approximate = CaveatChecks.approximateCells(table)
        if approximate > 0 { result.warnings.append(ResultWarning(.warnApproximate, [String(approximate)], lesson: .approximate)) }
        if let targets = CaveatChecks.targetCells(table) { result.warnings.append(targets) }
        if bound.source.fields.contains(where: { !$0.annotations.isEmpty }),
           bound.stages.contains(where: { if case .summarize = $0.stage { true } else { false } }) {
            result.warnings.append(ResultWarning(.remoteChecksSkipped, [database.label]))
        }
        return result
    }

    /// The columns the server returns: the visible ones and the hidden caveat columns beside
    /// them (`SQLTranslator.carriesCaveats`), with annotations only where the columns they name
    /// came back.
    static func resultFields(_ fields: [Field]) -> [Field] {
        let visible = fields.filter { $0.name != "__ord" }
        let names = Set(visible.map(\.name))
        return visible.map { field in
            var field = field
            field.annotations = field.annotations.renamed { names.contains($0) ? $0 : nil }
            return field
        }
    }

    func explainRemote(_ bound: BoundPipeline, on database: RemoteDatabase, source: SourceFile) throws(Diagnostic) -> Outcome {
        let sql = try remoteSQL(bound, on: database, source: source)
        let explainer = Explainer(language: language, source: source, catalog: catalog)
        let steps = explainer.steps(bound.syntax, rowCounts: [])
        var lines = explainer.explain(bound.syntax, rowCounts: [])
        lines.append(MessageID.remoteExplainHeader.format(language, [database.label]))
        lines += sql.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }
        let step = ColumnBuilder(type: .integer), text = ColumnBuilder(type: .text), rows = ColumnBuilder(type: .integer)
        for item in steps {
            step.append(integer: Int64(item.step))
            text.append(text: item.text)
            rows.appendNull()
        }
        step.append(integer: Int64(steps.count + 1))
        text.append(text: MessageID.remoteExplainHeader.format(language, [database.label]) + " " + sql)
        rows.appendNull()
        let table = Table(name: "explain", fields: [Field(name: "step", type: .integer), Field(name: "stage", type: .text), Field(name: "rows", type: .integer)],
                          columns: [step.finish(), text.finish(), rows.finish()], rowCount: steps.count + 1)
        return .explanation(lines, table)
    }
}
