// libFuzzer entry point for the CSV importer: bytes → CSVImporter.load(bytes:…).
//
// Built by Tests/Fuzz/build.sh into the same module as the AnSinhCore sources, with
// `-sanitize=fuzzer,address` (the importer works on raw pointers: ASan is what makes an
// out-of-bounds read visible). Each input is loaded twice: once with the delimiter guessed and
// once as TSV with the parallel path allowed. A load must either throw a Diagnostic or give a
// table whose columns all have `rowCount` rows; the table is then rendered, which reads every cell.
#if canImport(Glibc)
import Glibc
#endif

/// `ANSINH_FUZZ_SKIP_INVALID_UTF8=1` skips inputs that are not UTF-8, so that a long run can look
/// past a crash on that path while it is being fixed (a double free in `CSVImporter.merge` was
/// one: every non-UTF-8 input hit it within seconds). Off by default.
private let skipInvalidUTF8 = getenv("ANSINH_FUZZ_SKIP_INVALID_UTF8").map { String(cString: $0) == "1" } ?? false

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSVOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let raw = UnsafeRawBufferPointer(start: data, count: size)
    if skipInvalidUTF8, String(validating: raw, as: UTF8.self) == nil { return 0 }
    for delimiter in [nil, UInt8(9)] as [UInt8?] {
        do {
            let loaded = try CSVImporter.load(bytes: raw, name: "fuzz", options: CSVOptions(delimiter: delimiter), cancellation: .never)
            let table = loaded.table
            for (index, column) in table.columns.enumerated() where column.count != table.rowCount {
                fatalError("column \(index) has \(column.count) rows, the table says \(table.rowCount)")
            }
            if table.fields.count != table.columns.count {
                fatalError("\(table.fields.count) fields for \(table.columns.count) columns")
            }
            var settings = RenderSettings()
            settings.mode = .csv
            _ = TableRenderer(settings: settings).render(table)
            for note in loaded.notes { _ = note.message.format(.en, note.arguments) }
        } catch {
            _ = DiagnosticRenderer.render(error, in: nil, language: .en)
        }
    }
    return 0
}
