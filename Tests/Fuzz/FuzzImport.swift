// libFuzzer entry point for `.import` followed by the stages over the imported table.
//
// Input layout: byte 0 chooses the import options (delimiter, header, missing markers, a
// declared type for one column), bytes 1–2 are the CSV's length L (little-endian, cut to what is
// there), the next L bytes are the file, and the rest is the choice stream that builds well-typed
// pipelines over the imported table's schema (FuzzPipeline.swift): up to three pipelines, each
// of up to six stages, every stage chosen from the columns the pipeline has at that point, and a
// join partner that is the imported table itself or a built-in one. Each pipeline is bound,
// translated to SQL, run under small limits and rendered (table and csv).
//
// Built by Tests/Fuzz/build.sh with -sanitize=fuzzer,address; seeds in Tests/Fuzz/seeds/import/
// (Tests/Fuzz/make_seeds.py). FUZZ_IMPORT_STATS=1 prints how many stages were bound and refused.
#if canImport(Glibc)
import Glibc
#endif

nonisolated(unsafe) private let importSession: Session = {
    do { return try Session() } catch { fatalError("the embedded dataset does not load: \(error)") }
}()

private let importLimits: ResourceLimits = {
    var limits = ResourceLimits()
    limits.maximumRows = 5_000
    limits.maximumCells = 20_000
    limits.maximumColumns = 200
    limits.maximumImportMegabytes = 1
    return limits
}()

private let printStats = getenv("FUZZ_IMPORT_STATS") != nil
nonisolated(unsafe) private var runs = 0

private func columns(of table: Table) -> [FuzzColumn] {
    table.fields.filter { !$0.isHidden && PipelineGenerator.nameable($0.name) }.map { FuzzColumn(name: $0.name, type: $0.type) }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzImportOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 3 else { return 0 }
    let all = UnsafeRawBufferPointer(start: data, count: size)
    let optionByte = all[0]
    let length = min(Int(all[1]) | Int(all[2]) << 8, size - 3)
    let csv = UnsafeRawBufferPointer(rebasing: all[3..<(3 + length)])
    let rest = UnsafeRawBufferPointer(rebasing: all[(3 + length)...])

    var options = CSVOptions(delimiter: [nil, 0x2C, 0x3B, 0x09][Int(optionByte & 3)])
    if optionByte & 4 != 0 { options.header = Int(optionByte >> 6) }          // 0 (no header) … 3
    if optionByte & 8 != 0 { options.nullMarkers = ["", "NaN", ".."] }
    options.parallel = optionByte & 16 != 0
    let declare = optionByte & 32 != 0

    var table: Table
    do {
        var loaded = try CSVImporter.load(bytes: csv, name: "t", options: options, cancellation: .never)
        if declare, let first = loaded.table.fields.first(where: { PipelineGenerator.nameable($0.name) }) {
            // The same file again with one column declared (what `types (b decimal)` does).
            var declared = options
            declared.types[first.name] = [.integer, .decimal, .text, .boolean][Int(rest.first ?? 0) & 3]
            if let again = try? CSVImporter.load(bytes: csv, name: "t", options: declared, cancellation: .never) { loaded = again }
        }
        table = loaded.table
        for note in loaded.notes { _ = note.message.format(.en, note.arguments) }
    } catch {
        _ = DiagnosticRenderer.render(error, in: nil, language: .en)
        return 0
    }
    for (index, column) in table.columns.enumerated() where column.count != table.rowCount {
        fatalError("column \(index) has \(column.count) rows, the table says \(table.rowCount)")
    }

    var catalog = importSession.catalog
    catalog["t"] = table
    let joinable: [(name: String, columns: [FuzzColumn])] = [("t", columns(of: table))] +
        ["districts", "sources", "provinces"].compactMap { name in catalog[name].map { (name, columns(of: $0)) } }
    var generator = PipelineGenerator(rest, joinable: joinable)
    for _ in 0..<3 {
        guard let (text, bound) = generator.pipeline(from: "t", catalog: catalog) else { break }
        fuzzRun(bound, text: text, catalog: catalog, limits: importLimits)
        if generator.choices.exhausted { break }
    }
    runs += 1
    if printStats, runs % 10_000 == 0 {
        fputs("fuzz-import: \(runs) inputs, \(PipelineGenerator.accepted) stages bound, \(PipelineGenerator.refused) refused\n", stderr)
    }
    return 0
}
