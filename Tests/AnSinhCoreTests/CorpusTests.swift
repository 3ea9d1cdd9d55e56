import Testing
import Glibc
@testable import AnSinhCore

/// The malformed-input corpus in `Tests/Corpus/` (see its README.md): every input with the exact
/// outcome a careful user should see.
///
/// - `query/NNN-name.input`: raw bytes, run as `ansinh FILE` runs a script — read with
///   `TextFile.read` (a file that is not UTF-8 is refused, naming the line), then every unit
///   through `Shell.runScript(…, keepGoing: false)` in a fresh session, `.table` mode, English,
///   all rows. `.expected` is everything printed, results and messages in the order written.
/// - `csv/NNN-name.csv`: raw bytes through `CSVImporter.load(bytes:name:options:cancellation:)`,
///   delimiter guessed. `.expected` is `error: …` as the shell prints it, or `loads N rows, M
///   columns: name type, …`, the notes, and the first rows.
///
/// `ANSINH_CORPUS_ACTUAL=/some/folder swift test --filter Corpus` writes what ansinh actually
/// printed for every case to `/some/folder/{query,csv}/NNN-name.actual`, to review new cases.
enum Corpus {
    static var folder: String {
        // Tests/AnSinhCoreTests/CorpusTests.swift → Tests/Corpus
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(2)
        return parts.joined(separator: "/") + "/Corpus"
    }

    static func list(_ subfolder: String, suffix: String) -> [String] {
        var names: [String] = []
        guard let directory = opendir(folder + "/" + subfolder) else { return [] }
        defer { closedir(directory) }
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) } }
            if name.hasSuffix(suffix) { names.append(String(name.dropLast(suffix.count))) }
        }
        return names.sorted()
    }

    /// `ANSINH_CORPUS_SKIP=058,csv/062-rows-only-delimiters` leaves cases out (by number or
    /// name): a case that crashes the library takes the whole test process down with it, so this
    /// lets the rest run while the crash is being fixed. Every skipped case is reported.
    static let skipped: [String] = getenv("ANSINH_CORPUS_SKIP").map { String(cString: $0).split(separator: ",").map(String.init) } ?? []

    static func isSkipped(_ folder: String, _ stem: String) -> Bool {
        skipped.contains { $0 == stem || $0 == "\(folder)/\(stem)" || stem.hasPrefix($0 + "-") || "\(folder)/\(stem)".hasPrefix($0 + "-") }
    }

    static func cases(_ subfolder: String, suffix: String) -> [CorpusCase] {
        list(subfolder, suffix: suffix).map { CorpusCase(folder: subfolder, stem: $0, suffix: suffix) }
    }

    /// Trailing spaces of each line and trailing blank lines are not significant.
    static func normalized(_ text: String) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            var line = Substring(line)
            while let last = line.last, last == " " || last == "\t" { line = line.dropLast() }
            return String(line)
        }
        while let last = lines.last, last.isEmpty { lines.removeLast() }
        return lines.joined(separator: "\n")
    }

    static func saveActual(_ text: String, for testCase: CorpusCase) {
        guard let root = getenv("ANSINH_CORPUS_ACTUAL").map({ String(cString: $0) }), !root.isEmpty else { return }
        mkdir(root, 0o755)
        mkdir(root + "/" + testCase.folder, 0o755)
        try? AtomicFileWriter.write(text.hasSuffix("\n") ? text : text + "\n", to: "\(root)/\(testCase.folder)/\(testCase.stem).actual", overwrite: true)
    }

    /// Compares with `.expected`, and explains a mismatch line by line.
    static func check(_ actual: String, _ testCase: CorpusCase) {
        saveActual(actual, for: testCase)
        guard let expectedText = try? TextFile.read(testCase.expectedPath) else {
            Issue.record("\(testCase.folder)/\(testCase.stem): no .expected file (actual output:)\n\(actual.prefix(2000))")
            return
        }
        let expected = normalized(expectedText)
        let got = normalized(actual)
        guard expected != got else { return }
        let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let gotLines = got.split(separator: "\n", omittingEmptySubsequences: false)
        let firstDifference = zip(expectedLines, gotLines).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(expectedLines.count, gotLines.count)
        func clip(_ text: Substring?) -> String {
            guard let text else { return "(no line)" }
            return text.count > 300 ? String(text.prefix(300)) + "… (\(text.count) characters)" : String(text)
        }
        Issue.record("""
            \(testCase.folder)/\(testCase.stem): output differs at line \(firstDifference + 1)
            expected: \(clip(firstDifference < expectedLines.count ? expectedLines[firstDifference] : nil))
            got:      \(clip(firstDifference < gotLines.count ? gotLines[firstDifference] : nil))
            --- got (first 3000 characters) ---
            \(got.prefix(3000))
            """)
    }

    // MARK: - Queries

    /// What `ansinh --no-rc FILE` prints for a script, minus the executable's own last line
    /// ("stopped at the first error …", which main.swift adds) — stdout and stderr in order.
    static func runQuery(path: String, name: String) throws -> String {
        let text: String
        do {
            text = try TextFile.read(path)
        } catch {
            // main.swift: `ansinh: MESSAGE`, exit 2. The folder is left out so the text is portable.
            return "ansinh: " + error.text(in: .en).replacing(path, with: name) + "\n"
        }
        let session = try Session()
        var settings = RenderSettings()
        settings.mode = .table
        settings.maxRows = nil
        settings.width = nil
        settings.color = false
        settings.unicode = true
        settings.language = .en
        session.settings = settings
        let output = CorpusOutput()
        let shell = Shell(session: session, writeOut: { output.text += $0 }, writeErr: { output.text += $0 })
        shell.runScript(text, fileName: nil, keepGoing: false)
        return output.text
    }

    // MARK: - CSV

    static func describe(_ loaded: CSVImporter.Loaded) -> String {
        let table = loaded.table
        let shownColumns = 8
        var columns = table.fields.prefix(shownColumns).map { "\($0.name) \($0.type.display)" }
        if table.fields.count > shownColumns { columns.append("… (\(table.fields.count - shownColumns) more)") }
        var lines = ["loads \(table.rowCount) \(table.rowCount == 1 ? "row" : "rows"), \(table.fields.count) \(table.fields.count == 1 ? "column" : "columns"): " + columns.joined(separator: ", ")]
        for note in loaded.notes {
            lines.append("note: " + note.message.format(.en, note.arguments))
        }
        let shownRows = 5
        for row in 0..<min(table.rowCount, shownRows) {
            var cells = table.columns.prefix(shownColumns).map { cell($0.value(at: row)) }
            if table.columns.count > shownColumns { cells.append("…") }
            lines.append("row \(row + 1): " + cells.joined(separator: " | "))
        }
        if table.rowCount > shownRows { lines.append("… (\(table.rowCount - shownRows) more rows)") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A value as it was read: text quoted, with escapes for what cannot be seen.
    static func cell(_ value: Value) -> String {
        switch value {
        case .null: return "null"
        case .integer(let number): return String(number)
        case .decimal(let number): return NumberText.plain(number)
        case .boolean(let flag): return flag ? "true" : "false"
        case .text(let text):
            var out = "\""
            var count = 0
            for scalar in text.unicodeScalars {
                count += 1
                if count > 40 { out += "…"; break }
                switch scalar {
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                default:
                    if scalar.value < 0x20 || scalar.value == 0x7F { out += "\\u{\(String(scalar.value, radix: 16))}" } else { out.unicodeScalars.append(scalar) }
                }
            }
            out += "\""
            let total = text.unicodeScalars.count
            return total > 40 ? out + " (\(total) characters)" : out
        }
    }

    static func loadCSV(_ bytes: UnsafeRawBufferPointer, name: String) -> String {
        do {
            return describe(try CSVImporter.load(bytes: bytes, name: name, options: CSVOptions(), cancellation: .never))
        } catch {
            return DiagnosticRenderer.render(error, in: nil, language: .en) + "\n"
        }
    }

    static func runCSV(path: String, name: String) throws -> String {
        let file = try CSVImporter.MappedFile(path: path)
        return loadCSV(file.bytes, name: name)
    }
}

final class CorpusOutput: @unchecked Sendable {
    var text = ""
}

struct CorpusCase: CustomTestStringConvertible, Sendable {
    var folder: String
    var stem: String
    var suffix: String
    var inputPath: String { "\(Corpus.folder)/\(folder)/\(stem)\(suffix)" }
    var expectedPath: String { "\(Corpus.folder)/\(folder)/\(stem).expected" }
    var testDescription: String { "\(folder)/\(stem)" }
}

@Suite struct CorpusTests {
    @Test("query corpus: every malformed statement gives its exact message", arguments: Corpus.cases("query", suffix: ".input"))
    func queryCase(_ testCase: CorpusCase) throws {
        if Corpus.isSkipped(testCase.folder, testCase.stem) { Issue.record("\(testCase.testDescription): skipped (ANSINH_CORPUS_SKIP)"); return }
        Corpus.check(try Corpus.runQuery(path: testCase.inputPath, name: testCase.stem + testCase.suffix), testCase)
    }

    @Test("csv corpus: every malformed file gives a message naming the line, or loads completely", arguments: Corpus.cases("csv", suffix: ".csv"))
    func csvCase(_ testCase: CorpusCase) throws {
        if Corpus.isSkipped(testCase.folder, testCase.stem) { Issue.record("\(testCase.testDescription): skipped (ANSINH_CORPUS_SKIP)"); return }
        Corpus.check(try Corpus.runCSV(path: testCase.inputPath, name: testCase.stem + testCase.suffix), testCase)
    }

    @Test func theCorpusHoldsAtLeast200CasesEachWithAnExpectedOutcome() {
        let inputs = Corpus.cases("query", suffix: ".input") + Corpus.cases("csv", suffix: ".csv")
        #expect(inputs.count >= 200, "only \(inputs.count) corpus inputs")
        for testCase in inputs {
            #expect(access(testCase.expectedPath, R_OK) == 0, "\(testCase.testDescription) has no .expected file")
        }
        // An .expected without its input is a case that silently stopped running.
        for stem in Corpus.list("query", suffix: ".expected") {
            #expect(access("\(Corpus.folder)/query/\(stem).input", R_OK) == 0, "query/\(stem).expected has no input")
        }
        for stem in Corpus.list("csv", suffix: ".expected") {
            #expect(access("\(Corpus.folder)/csv/\(stem).csv", R_OK) == 0, "csv/\(stem).expected has no input")
        }
    }

    // MARK: - Files too large to commit

    /// A 2 GB file on a 1 GB import budget is refused before a byte of it is read — made sparse
    /// with ftruncate, so the test writes nothing to disk.
    @Test func aTwoGigabyteFileIsRefusedOnASmallBudget() throws {
        let path = "/tmp/ansinh-corpus-2gb-\(getpid()).csv"
        let descriptor = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0o600)
        try #require(descriptor >= 0)
        defer { unlink(path) }
        let header = Array("id,name\n".utf8)
        _ = header.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        let size = off_t(2) << 30
        try #require(ftruncate(descriptor, size) == 0, "ftruncate: \(String(cString: strerror(errno)))")
        close(descriptor)
        var status = stat()
        stat(path, &status)
        #expect(status.st_size == size)
        #expect(status.st_blocks * 512 < 1 << 20, "the file should be sparse")

        var limits = ResourceLimits()
        limits.maximumImportMegabytes = 1024
        do {
            let loaded = try CSVImporter.load(path: path, name: "big", limits: limits, cancellation: .never)
            Issue.record("a 2 GB file loaded on a 1 GB budget: \(loaded.table.rowCount) rows")
        } catch {
            #expect(error.message == .csvTooLarge)
            #expect(error.text(in: .en) == "`\(path)` is larger than the import limit of 1024 MB (.limit import_mb N)")
        }

        // Through the shell: the message, and no table called `big` afterwards.
        let session = try Session()
        let output = CorpusOutput()
        let shell = Shell(session: session, writeOut: { output.text += $0 }, writeErr: { output.text += $0 })
        shell.runScript(".limit import_mb 1024\n.import \(path) AS big\n", fileName: nil, keepGoing: false)
        // Line 2 of the script, column 9: where the file name is.
        #expect(output.text.hasPrefix("2:9: error: `\(path)` is larger than the import limit of 1024 MB (.limit import_mb N)\n"), "\(output.text)")
        #expect(session.catalog["big"] == nil)

        // With a budget that admits it, the zero bytes after the header are found at once
        // (the first NUL is on line 2), without reading 2 GB.
        limits.maximumImportMegabytes = 4096
        do {
            _ = try CSVImporter.load(path: path, name: "big", limits: limits, cancellation: .never)
            Issue.record("a file of NUL bytes loaded")
        } catch {
            #expect(error.text(in: .en) == "line 2: contains a NUL byte")
        }
    }

    /// A file whose last line is bad gives an error, never a table of the good rows before it:
    /// on the one-chunk path, on the two-chunk path (over 4 MB, no quotes) and through `.import`.
    @Test(arguments: [1_000, 250_000])
    func anErrorOnTheLastLineGivesNoPartialTable(rows: Int) throws {
        var text = "id,name,n\n"
        text.reserveCapacity(rows * 24)
        for row in 0..<rows { text += "\(row),name\(row % 97),\(row * 3)\n" }
        let good = text
        let badLine = rows + 2
        let cases: [(String, String)] = [
            ("ragged", good + "\(rows),short\n"),
            ("ragged, no final newline", good + "\(rows),a,b,c"),
            ("unterminated quote", good + "\(rows),\"name,1\n"),
            ("NUL", good + "\(rows),na\0me,1\n"),
        ]
        let expectations = [
            "line \(badLine): expected 3 fields, found 2",
            "line \(badLine): expected 3 fields, found 4",
            "line \(badLine): a quoted field is never closed",
            "line \(badLine): contains a NUL byte",
        ]
        for ((label, content), expected) in zip(cases, expectations) {
            var bytes = Array(content.utf8)
            if rows > 100_000 { #expect(bytes.count > 4_000_000, "the two-chunk path needs more than 4 MB") }
            let outcome = bytes.withUnsafeMutableBytes { Corpus.loadCSV(UnsafeRawBufferPointer($0), name: "t") }
            #expect(outcome == "error: \(expected)\n", "\(rows) rows, \(label)")
            bytes.removeAll()
        }
        // The good rows alone load completely: every row, not a part.
        let outcome = Array(good.utf8).withUnsafeBytes { Corpus.loadCSV($0, name: "t") }
        #expect(outcome.hasPrefix("loads \(rows) rows, 3 columns: id integer, name text, n integer\n"))

        // Through `.import`: the error, and no table.
        let path = "/tmp/ansinh-corpus-last-line-\(getpid())-\(rows).csv"
        defer { unlink(path) }
        try AtomicFileWriter.write(good + "\(rows),short\n", to: path, overwrite: true)
        let session = try Session()
        let output = CorpusOutput()
        let shell = Shell(session: session, writeOut: { output.text += $0 }, writeErr: { output.text += $0 })
        shell.runScript(".import \(path) AS t\nfrom t | summarize n = count()\n", fileName: nil, keepGoing: true)
        #expect(output.text.hasPrefix("1:9: error: line \(badLine): expected 3 fields, found 2\n"), "\(output.text.prefix(500))")
        #expect(!output.text.contains("imported"))
        #expect(session.catalog["t"] == nil, "a table was defined from a file with an error")
    }

    /// A file over 4 MB (parsed in two chunks) with one Latin-1 byte near the end must give the
    /// encoding message with the right line. Run through the built binary, because today this
    /// crashes the process (double free in CSVImporter.merge, fuzz-findings #1) and would take
    /// the whole test run down with it.
    @Test func aLargeLatin1FileGivesTheEncodingMessage() throws {
        guard access(Subprocess.ansinh, X_OK) == 0 else {
            Issue.record("no binary at \(Subprocess.ansinh): run `swift build` first (scripts/test does)")
            return
        }
        let path = "/tmp/ansinh-corpus-latin1-\(getpid()).csv"
        defer { unlink(path) }
        var bytes = Array("id,name,n\n".utf8)
        let rows = 300_000
        for row in 0..<rows { bytes += Array("\(row),name\(row % 50),\(row)\n".utf8) }
        bytes += Array("\(rows),Qu".utf8) + [0xE1] + Array("n 1,5\n".utf8)
        #expect(bytes.count > 4_000_000)
        let descriptor = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0o600)
        try #require(descriptor >= 0)
        _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        close(descriptor)
        let result = Subprocess.run(Subprocess.ansinh, ["--no-rc", "-c", ".import \(path) AS t"])
        // Issue 12: a single-byte file is converted, and the note names the first line that is
        // not UTF-8, the encoding taken and how to choose the other.
        #expect(result.status == 0, "exit status \(result.status) (a crash is 128 + signal)")
        #expect(result.err.hasPrefix("note: the file is not UTF-8 (line \(rows + 2)): read as latin-1 and converted; if letters look wrong, import with (encoding 'windows-1258')"),
                "\(result.err.prefix(600))")
    }
}
