#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The state of one shell session: tables, settings, parameters and the last result.
///
/// `run(_:)` is the one place that shows every stage:
/// source text → tokens → AST → bound plan → result → rendered text.
public final class Session {
    public internal(set) var catalog: Catalog
    /// The connected PostgreSQL database (`.connect`) and the catalogue names it added.
    var remote: RemoteDatabase?
    var remoteNames: [String] = []
    public var settings = RenderSettings()
    public var limits = ResourceLimits()
    public var cancellation: CancellationCheck = .never
    public private(set) var lastResult: QueryResult?
    /// The pipeline behind the last result, so `.why` can re-run it with lineage.
    public private(set) var lastPipeline: Pipeline?
    public private(set) var lastSource: SourceFile?

    /// The statement behind the last result, as typed.
    public var lastStatementText: String? {
        guard let pipeline = lastPipeline, let source = lastSource else { return nil }
        return source.text(in: pipeline.range)
    }

    public var language: Language {
        get { settings.language }
        set { settings.language = newValue }
    }

    public init(parameters: [String: Value] = [:]) throws(Diagnostic) {
        catalog = Catalog(builtinNames: Set(Dataset.builtinNames).union(Views.names), parameters: parameters)
        try Dataset.addTables(to: &catalog)
    }

    public var parameters: [String: Value] {
        get { catalog.parameters }
        set { catalog.parameters = newValue }
    }

    /// One statement's outcome.
    public enum Outcome {
        case result(QueryResult, RenderedResult)
        /// `let NAME = …`: the table was stored.
        case defined(name: String, table: Table)
        /// `explain …`: the plan in words.
        /// `explain`: the lines for people, and the same steps as a table for csv/json modes.
        case explanation([String], Table)
    }

    /// Parses a text that holds statements (no dot-commands): the AST and every syntax error.
    public func parse(_ source: SourceFile) -> (statements: [Statement], diagnostics: [Diagnostic]) {
        Parser.parse(source)
    }

    /// Runs every statement of `source` in order; stops at the first error.
    ///
    /// ```
    /// text ──Lexer──▶ tokens ──Parser──▶ AST ──Binder──▶ BoundPipeline ──Executor──▶ QueryResult ──TableRenderer──▶ text
    /// ```
    public func run(_ source: SourceFile) throws(DiagnosticList) -> [Outcome] {
        var outcomes: [Outcome] = []
        try run(source) { outcomes.append($0) }
        return outcomes
    }

    /// Runs each statement in turn, handing its outcome to `each` before the next one runs, so
    /// the results before a failing statement are not lost.
    public func run(_ source: SourceFile, each: (Outcome) -> Void) throws(DiagnosticList) {
        let (statements, syntaxErrors) = Parser.parse(source)              // text → tokens → AST
        if !syntaxErrors.isEmpty { throw DiagnosticList(syntaxErrors) }
        for statement in statements {
            do {
                each(try run(statement, source: source))
            } catch {
                throw DiagnosticList([error])
            }
        }
    }

    func run(_ statement: Statement, source: SourceFile) throws(Diagnostic) -> Outcome {
        switch statement.kind {
        case .query(let pipeline):
            let binder = Binder(catalog: catalog, source: source)
            let bound = try binder.bind(pipeline)                            // AST → bound plan
            if let database = try remoteDatabase(for: bound) {                  // runs on the server
                let result = try runRemote(bound, on: database, source: source)
                lastResult = result
                lastPipeline = pipeline
                lastSource = source
                return .result(result, render(result))
            }
            var context = context()
            // Rows of `facts` carry the facts behind them (a few hundred rows: cheap), so honesty
            // checks see through `select` and `summarize`; imported tables carry none.
            context.withLineage = bound.source.lineage != nil
            let result = try Executor.run(bound, binder: binder, context: context)  // plan → result
            let rendered = render(result)                                    // result → text
            lastResult = result
            lastPipeline = pipeline
            lastSource = source
            return .result(result, rendered)
        case .assignment(let name, let pipeline):
            if catalog.builtinNames.contains(name.text) {
                throw Diagnostic(.name, .letShadowsBuiltin, [name.text], at: name.range)
            }
            let table = try letTable(pipeline, named: name.text, source: source)
            // The binder and context that held a copy of the catalog are gone: adding the name
            // changes the catalog in place instead of copying it (a copy per `let` made 20,000
            // `let`s quadratic).
            catalog[name.text] = table
            return .defined(name: name.text, table: table)
        case .explain(let pipeline):
            let binder = Binder(catalog: catalog, source: source)
            let bound = try binder.bind(pipeline)
            if let database = try remoteDatabase(for: bound) { return try explainRemote(bound, on: database, source: source) }
            var counting = context()
            counting.withLineage = false
            let counts = try Executor.stageRowCounts(bound, binder: binder, context: counting)
            let explainer = Explainer(language: language, source: source, catalog: catalog)
            let steps = explainer.steps(pipeline, rowCounts: counts)
            let step = ColumnBuilder(type: .integer), text = ColumnBuilder(type: .text), rows = ColumnBuilder(type: .integer)
            for item in steps {
                step.append(integer: Int64(item.step))
                text.append(text: item.text)
                rows.append(item.rows.map { .integer(Int64($0)) } ?? .null)
            }
            let table = Table(name: "explain", fields: [Field(name: "step", type: .integer), Field(name: "stage", type: .text), Field(name: "rows", type: .integer)],
                              columns: [step.finish(), text.finish(), rows.finish()], rowCount: steps.count)
            return .explanation(explainer.explain(pipeline, rowCounts: counts), table)
        }
    }

    private func letTable(_ pipeline: Pipeline, named name: String, source: SourceFile) throws(Diagnostic) -> Table {
        let binder = Binder(catalog: catalog, source: source)
        let bound = try binder.bind(pipeline)
        var context = context()
        context.withLineage = bound.source.lineage != nil
        let result: QueryResult
        if let database = try remoteDatabase(for: bound) {
            result = try runRemote(bound, on: database, source: source)
        } else {
            result = try Executor.run(bound, binder: binder, context: context)
        }
        return result.table.renamed(name)
    }

    func context() -> ExecutionContext {
        ExecutionContext(catalog: catalog, limits: limits, cancellation: cancellation, language: language)
    }

    public func render(_ result: QueryResult) -> RenderedResult {
        TableRenderer(settings: settings).render(result, lessonTitle: lessonTitle)
    }

    /// The tutorial lesson that explains a warning: its number and title in the session's language.
    func lessonTitle(_ topic: LessonTopic) -> (number: Int, title: String)? {
        Tutorial.lessonNumber(for: topic).map { ($0.number, $0.title(language)) }
    }

    /// Re-runs the last query tracking the facts behind each row, then shows them (`.why`).
    public func whyLast(row: Int?) throws(Diagnostic) -> QueryResult {
        guard let pipeline = lastPipeline, let source = lastSource else { throw Diagnostic(.usage, .noLastResult) }
        var syntax = pipeline
        syntax.stages.removeAll { $0.kind == .why }
        if let row {
            let range = SourceRange(0, 0)
            syntax.stages.append(Stage(kind: .take(Expr(.literal(.integer(Int64(row))), range)), keyword: Name("take", range), range: range))
        }
        syntax.stages.append(Stage(kind: .why, keyword: Name("why", SourceRange(0, 0)), range: SourceRange(0, 0)))
        let binder = Binder(catalog: catalog, source: source)
        let bound = try binder.bind(syntax)
        var context = context()
        context.withLineage = true
        var result = try Executor.run(bound, binder: binder, context: context)
        if let row {
            // Keep only the facts behind the asked row.
            let table = result.table
            if let rowColumn = table.column("row") {
                let keep = (0..<table.rowCount).filter { rowColumn.integers[$0] == Int64(row) }.map(UInt32.init)
                let relation = Relation(fields: table.fields, columns: table.columns, selection: keep, storedCount: table.rowCount)
                result.table = relation.table(named: "why")
            }
        }
        return result
    }

    // MARK: - Tables

    public func defineTable(_ table: Table) {
        catalog[table.name] = table
    }

    public func dropTable(_ name: String) throws(Diagnostic) {
        if catalog.builtinNames.contains(name) { throw Diagnostic(.name, .cannotDropBuiltin, [name]) }
        guard catalog[name] != nil else {
            throw Diagnostic(.name, .unknownTable, [name], suggestions: UnicodeText.suggestions(for: name, among: catalog.tableNames))
        }
        catalog[name] = nil
    }

    public func setLastResult(_ result: QueryResult) {
        lastResult = result
    }
}
