// libFuzzer entry point for the language: bytes → text → lexer → parser → binder → executor.
//
// Built by Tests/Fuzz/build.sh into the same module as the AnSinhCore sources (so internal API
// is visible), with `-sanitize=fuzzer,address`. Every statement that parses is bound against
// the embedded dataset; every statement that binds runs with small resource limits, so a
// runaway join or pivot stops with a limit error instead of exhausting memory. Diagnostics
// and results are rendered too: the caret renderer and the table renderer see the same odd
// text the lexer does. Any trap (array index, overflow, force unwrap, `fatalError`) is a crash.
// The same bytes are then read as choices that build a well-typed pipeline over a built-in
// table (FuzzPipeline.swift), which reaches the stages that random text rarely gets to.
#if canImport(Glibc)
import Glibc
#endif

/// The embedded tables and views, loaded once (the session is never used to run anything).
nonisolated(unsafe) private let fuzzSession: Session = {
    do { return try Session(parameters: ["d": .text("Thanh Xuân"), "n": .integer(3), "x": .decimal(2.5)]) }
    catch { fatalError("the embedded dataset does not load: \(error)") }
}()

private let fuzzLimits: ResourceLimits = {
    var limits = ResourceLimits()
    limits.maximumRows = 5_000
    limits.maximumCells = 20_000
    limits.maximumColumns = 200
    limits.maximumImportMegabytes = 1
    return limits
}()

/// Inputs larger than this are cut: a 64 KB statement already covers deep nesting and long lines.
private let fuzzMaximumInput = 1 << 16

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzQueryOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: min(size, fuzzMaximumInput))
    let text = String(decoding: bytes, as: UTF8.self)
    let source = SourceFile(name: nil, text: text)
    let (statements, diagnostics) = Parser.parse(source)
    for diagnostic in diagnostics {
        _ = DiagnosticRenderer.render(diagnostic, in: source, language: .en)
    }
    // The prompt asks whether the text is complete; that runs the parser again.
    _ = InputAssembler.isComplete(text)
    var catalog = fuzzSession.catalog
    var settings = RenderSettings()
    settings.maxRows = 50
    settings.width = 80
    for statement in statements {
        let binder = Binder(catalog: catalog, source: source)
        let context = ExecutionContext(catalog: catalog, limits: fuzzLimits, cancellation: .never, language: .en)
        do {
            switch statement.kind {
            case .query(let pipeline):
                let bound = try binder.bind(pipeline)
                _ = try? SQLTranslator(dialect: .duckdb, source: source).translate(bound)
                let result = try Executor.run(bound, binder: binder, context: context)
                _ = TableRenderer(settings: settings).render(result)
            case .assignment(let name, let pipeline):
                let bound = try binder.bind(pipeline)
                var withLineage = context
                withLineage.withLineage = bound.source.lineage != nil
                let result = try Executor.run(bound, binder: binder, context: withLineage)
                if !catalog.builtinNames.contains(name.text) { catalog[name.text] = result.table.renamed(name.text) }
            case .explain(let pipeline):
                let bound = try binder.bind(pipeline)
                let counts = try Executor.stageRowCounts(bound, binder: binder, context: context)
                _ = Explainer(language: .en, source: source, catalog: catalog).explain(pipeline, rowCounts: counts)
            }
        } catch {
            _ = DiagnosticRenderer.render(error, in: source, language: .en)
        }
    }
    // The same bytes as a choice stream: a well-typed pipeline over a built-in table
    // (FuzzPipeline.swift), so the stages and functions are reached past the parser.
    var generator = PipelineGenerator(UnsafeRawBufferPointer(bytes), joinable: fuzzJoinable)
    let table = fuzzTables[generator.choices.pick(fuzzTables.count)]
    if let (pipelineText, bound) = generator.pipeline(from: table, catalog: fuzzSession.catalog) {
        fuzzRun(bound, text: pipelineText, catalog: fuzzSession.catalog, limits: fuzzLimits)
    }
    return 0
}

private let fuzzTables = ["facts", "indicators", "districts", "sources", "provinces", "conflicts", "targets"]

private let fuzzJoinable: [(name: String, columns: [FuzzColumn])] = fuzzTables.compactMap { name in
    fuzzSession.catalog[name].map { table in
        (name, table.fields.filter { !$0.isHidden && PipelineGenerator.nameable($0.name) }.map { FuzzColumn(name: $0.name, type: $0.type) })
    }
}
