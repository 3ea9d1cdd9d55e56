import Testing
import Glibc
@testable import AnSinhCore

/// The census of issue 12: every real statistics-office export in `Fixtures/gso/` loads right with
/// a plain `.import FILE AS t` — header, row count, numeric columns numeric, `..` null, numbers
/// equal to the file's, text unchanged — and so do synthetic variants of them (other delimiters,
/// decimal commas, no title, footnotes, byte-order marks, UTF-16, single-byte encodings).
///
/// The expected values come from the files, read here by `ReferenceReader` — a few lines that
/// know the PX-Web layout (title line, blank line, header, `;`, `..`) and share no code with the
/// importer — and from counts and cells written down by hand from the files.
enum Fixtures {
    static var folder: String {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast()
        return parts.joined(separator: "/") + "/Fixtures"
    }

    static func bytes(_ path: String) -> [UInt8] {
        guard let file = fopen(path, "rb") else { return [] }
        defer { fclose(file) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let got = fread(&chunk, 1, chunk.count, file)
            if got <= 0 { break }
            out.append(contentsOf: chunk[0..<got])
        }
        return out
    }

    static func write(_ bytes: [UInt8], suffix: String = ".csv") -> String {
        let path = "/tmp/ansinh-census-\(getpid())-\(UInt32.random(in: 0...UInt32.max))\(suffix)"
        let file = fopen(path, "wb")
        _ = bytes.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, file) }
        fclose(file)
        return path
    }

    /// `.import "PATH" AS t OPTIONS` through the shell, as a user types it: the table and
    /// everything the shell printed.
    static func importThroughShell(_ path: String, options: String = "") throws -> (table: Table?, output: String) {
        let session = try Session()
        session.settings.language = .en
        let output = CorpusOutput()
        let shell = Shell(session: session, writeOut: { output.text += $0 }, writeErr: { output.text += $0 })
        shell.runScript(".import \"\(path)\" AS t \(options)", fileName: nil, keepGoing: false)
        return (session.catalog["t"], output.text)
    }
}

/// A PX-Web export read the simplest way: line 1 the title, line 2 blank, line 3 the header,
/// `;` between fields, `"` around text, `..` for no figure.
struct ReferenceReader {
    var title: String
    var header: [String]
    var rows: [[String]]
    /// Which cells were quoted (text) and which not (numbers or `..`).
    var quoted: [[Bool]]

    init(_ bytes: [UInt8], delimiter: Character = ";") {
        var text = String(decoding: bytes, as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        // "\r\n" is one Character in Swift: split on scalars.
        let lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            var scalars = String.UnicodeScalarView(line)
            if scalars.last == "\r" { scalars.removeLast() }
            return String(scalars)
        }
        func split(_ line: String) -> ([String], [Bool]) {
            var cells: [String] = [], quotes: [Bool] = []
            var current = "", inQuotes = false, wasQuoted = false
            var characters = Array(line)[...]
            while let character = characters.popFirst() {
                if inQuotes {
                    if character == "\"" {
                        if characters.first == "\"" { current.append("\""); characters.removeFirst() } else { inQuotes = false }
                    } else {
                        current.append(character)
                    }
                } else if character == "\"" {
                    inQuotes = true
                    wasQuoted = true
                } else if character == delimiter {
                    cells.append(current); quotes.append(wasQuoted)
                    current = ""; wasQuoted = false
                } else {
                    current.append(character)
                }
            }
            cells.append(current); quotes.append(wasQuoted)
            return (cells, quotes)
        }
        title = split(lines[0]).0[0]
        header = split(lines[2]).0
        rows = []
        quoted = []
        for line in lines[3...] where !line.isEmpty {
            let (cells, quotes) = split(line)
            rows.append(cells)
            quoted.append(quotes)
        }
    }

    /// Columns whose every cell is unquoted: numbers (or `..`).
    var numberColumns: [Int] {
        header.indices.filter { column in quoted.allSatisfy { !$0[column] } }
    }

    var missingCells: Int { rows.reduce(0) { $0 + $1.filter { $0 == ".." }.count } }
}

/// One sample: what its file holds, written down by hand from the file.
struct Sample: CustomTestStringConvertible, Sendable {
    var file: String
    var rows: Int
    var columns: Int
    var firstNames: [String]
    var textColumns: [String]
    /// `..` cells in the file (`grep -o '\.\.'`, less any in the title).
    var missing: Int
    var testDescription: String { file }

    static let all: [Sample] = [
        Sample(file: "Average number of pupils per class and average number of pupils per teacher of general education as of 30 September.csv",
               rows: 8, columns: 7, firstNames: ["Number", "Items", "2010-2011"], textColumns: ["Number", "Items"], missing: 0),
        Sample(file: "Average population by province.csv", rows: 71, columns: 111, firstNames: ["Cities, provincies", "Total 1995", "Total 1996"],
               textColumns: ["Cities, provincies"], missing: 180),
        Sample(file: "Change in average precipitation.csv", rows: 15, columns: 8, firstNames: ["Province, city", "2010 over 2009", "2011 over 2010"],
               textColumns: ["Province, city"], missing: 5),
        Sample(file: "Exports and imports of goods.csv", rows: 54, columns: 6, firstNames: ["Items", "Year", "Total", "Exports", "Imports (**)", "Balance(*)"],
               textColumns: ["Items", "Year"], missing: 30),
        Sample(file: "Gross domestic product at constant 2010 prices by economic sector.csv", rows: 12, columns: 11,
               firstNames: ["Year", "Total (Bill. Dongs) Total"], textColumns: ["Year"], missing: 11),
        Sample(file: "Monthly average income per capita at current prices by income source and by province.csv", rows: 70, columns: 21,
               firstNames: ["Cities, provincies", "2010 Total", "2010 Salary & wage"], textColumns: ["Cities, provincies"], missing: 8),
        Sample(file: "Poverty rate by province.csv", rows: 71, columns: 9,
               firstNames: ["Cities, provincies", "2006", "2008", "2010", "2012", "2013", "2014", "2015", "Pre. 2016"], textColumns: ["Cities, provincies"], missing: 8),
    ]
}

/// Checks a loaded table against the file's own reading; returns what differs (empty: loaded right).
func censusProblems(_ table: Table, _ reference: ReferenceReader) -> [String] {
    var problems: [String] = []
    // Hidden unit columns (ImportUnits) come after the file's columns and are not the file's.
    let names = table.fields.filter { !$0.isHidden }.map(\.name)
    let expectedNames = reference.header.map { $0.trimmingSpaces() }
    if names != expectedNames { problems.append("header \(names.prefix(4)) ≠ \(expectedNames.prefix(4))") }
    if table.rowCount != reference.rows.count { problems.append("rows \(table.rowCount) ≠ \(reference.rows.count)") }
    guard names.count == reference.header.count, table.rowCount == reference.rows.count else { return problems }
    let numbers = Set(reference.numberColumns)
    for column in reference.header.indices {
        let type = table.fields[column].type
        if numbers.contains(column) {
            if type != .decimal && type != .integer { problems.append("column \(names[column]) is \(type), not a number"); continue }
            for (row, cells) in reference.rows.enumerated() {
                let cell = cells[column]
                let value = table.value(row: row, column: column)
                if cell == ".." {
                    if value != .null { problems.append("row \(row + 1) `\(names[column])`: `..` read as \(value)") }
                } else if let expected = Double(cell), case let actual = table.columns[column].double(at: row), actual != expected {
                    problems.append("row \(row + 1) `\(names[column])`: \(cell) read as \(String(describing: actual))")
                }
            }
        } else {
            if type != .text { problems.append("column \(names[column]) is \(type), not text"); continue }
            for (row, cells) in reference.rows.enumerated() where table.value(row: row, column: column) != .text(cells[column]) {
                problems.append("row \(row + 1) `\(names[column])`: \(table.value(row: row, column: column)) ≠ \"\(cells[column])\"")
            }
        }
        if problems.count > 20 { break }
    }
    return problems
}

@Suite struct ImportCensusTests {
    @Test("each GSO sample loads right with a plain .import FILE AS t", arguments: Sample.all)
    func sampleLoadsRight(_ sample: Sample) throws {
        let path = Fixtures.folder + "/gso/" + sample.file
        let reference = ReferenceReader(Fixtures.bytes(path))
        // The hand-written facts and the reference reading agree (the test's own check).
        #expect(reference.rows.count == sample.rows)
        #expect(reference.header.count == sample.columns)
        #expect(reference.missingCells == sample.missing)
        let (loaded, output) = try Fixtures.importThroughShell(path)
        let table = try #require(loaded, "not imported: \(output)")
        #expect(table.fields.map(\.name).prefix(sample.firstNames.count).elementsEqual(sample.firstNames))
        #expect(table.rowCount == sample.rows)
        for name in sample.textColumns { #expect(table.fields.first { $0.name == name }?.type == .text, "\(name)") }
        #expect(censusProblems(table, reference) == [])
        // The title is the table's description; the missing markers are named in one note line.
        #expect(table.summary == reference.title)
        let markerLines = output.split(separator: "\n").filter { $0.contains("read as null") }
        #expect(markerLines.count == (sample.missing > 0 ? 1 : 0), "\(output)")
        if sample.missing > 0 { #expect(markerLines.first?.contains("in \(sample.missing) cells") == true, "\(output)") }
        #expect(!output.contains("error"), "\(output)")
    }

    @Test func censusCountsEveryFile() throws {
        var right = 0
        for sample in Sample.all {
            let path = Fixtures.folder + "/gso/" + sample.file
            let (table, _) = try Fixtures.importThroughShell(path)
            if let table, censusProblems(table, ReferenceReader(Fixtures.bytes(path))).isEmpty { right += 1 }
        }
        print("census: \(right) of \(Sample.all.count) GSO samples load right with a plain .import")
        #expect(right == Sample.all.count)
    }

    /// The poverty export rewritten: same cells, other delimiter, decimal mark, title, notes, encoding.
    static func povertyVariant(_ transform: (String) -> String) -> [UInt8] {
        let original = String(decoding: Fixtures.bytes(Fixtures.folder + "/gso/Poverty rate by province.csv"), as: UTF8.self)
        return Array(transform(original).utf8)
    }

    static var poverty: ReferenceReader { ReferenceReader(Fixtures.bytes(Fixtures.folder + "/gso/Poverty rate by province.csv")) }

    static func loadVariant(_ bytes: [UInt8], options: String = "") throws -> (Table?, String) {
        let path = Fixtures.write(bytes)
        defer { unlink(path) }
        return try Fixtures.importThroughShell(path, options: options)
    }

    /// Rewrites every line's fields with another delimiter, quoting what needs it.
    static func redelimit(_ text: String, to delimiter: String) -> String {
        text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { String(String.UnicodeScalarView($0)) }.map { line -> String in
            var fields: [String] = []
            var current = "", inQuotes = false
            for character in line {
                if character == "\"" { inQuotes.toggle(); current.append(character) } else if character == ";" && !inQuotes { fields.append(current); current = "" } else { current.append(character) }
            }
            fields.append(current)
            return fields.joined(separator: delimiter)
        }.joined(separator: "\n")
    }

    @Test("the poverty export with , tab or | as the delimiter", arguments: [",", "\t", "|"])
    func otherDelimiters(_ delimiter: String) throws {
        let (table, output) = try Self.loadVariant(Self.povertyVariant { Self.redelimit($0, to: delimiter) })
        let loaded = try #require(table, "\(output)")
        #expect(censusProblems(loaded, Self.poverty) == [])
        #expect(loaded.summary == Self.poverty.title)
    }

    @Test func decimalCommasTheVietnameseWay() throws {
        // 15.5 written 15,5 (unquoted, as `;` files allow): the same numbers.
        let bytes = Self.povertyVariant { text in
            var out = ""
            let characters = Array(text)
            for index in characters.indices {
                let isDecimalDot = characters[index] == "." && index > 0 && characters[index - 1].isNumber && index + 1 < characters.count && characters[index + 1].isNumber
                out.append(isDecimalDot ? "," : characters[index])
            }
            return out
        }
        let (table, output) = try Self.loadVariant(bytes)
        let loaded = try #require(table, "\(output)")
        #expect(loaded.rowCount == 71)
        #expect(loaded.fields[1].type == .decimal)
        #expect(loaded.value(row: 0, column: 1) == .decimal(15.5))
        #expect(loaded.value(row: 3, column: 2) == .null)  // Ha Tay, 2008: ..
        #expect(loaded.value(row: 2, column: 8) == .decimal(1.3))
    }

    @Test func noTitleAndFootnotesAfterTheLastRow() throws {
        let bytes = Self.povertyVariant { text in
            let body = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).dropFirst(2).map { String(String.UnicodeScalarView($0)) }.joined(separator: "\n")
            return body + "\r\n\"Source: General Statistics Office of Vietnam\"\r\n\"(*) Pre. = preliminary\"\r\n"
        }
        let (table, output) = try Self.loadVariant(bytes)
        let loaded = try #require(table, "\(output)")
        #expect(loaded.rowCount == 71)
        #expect(loaded.summary == nil)
        #expect(loaded.footnotes == ["Source: General Statistics Office of Vietnam", "(*) Pre. = preliminary"])
        #expect(output.contains("2 note lines after the last row"))
        #expect(loaded.value(row: 70, column: 0) == .text("Ca Mau"))
    }

    @Test func utf16WithByteOrderMark() throws {
        let original = String(decoding: Fixtures.bytes(Fixtures.folder + "/gso/Poverty rate by province.csv"), as: UTF8.self)
        var little: [UInt8] = [0xFF, 0xFE]
        var big: [UInt8] = [0xFE, 0xFF]
        for unit in original.utf16 where unit != 0xFEFF {
            little += [UInt8(unit & 0xFF), UInt8(unit >> 8)]
            big += [UInt8(unit >> 8), UInt8(unit & 0xFF)]
        }
        for bytes in [little, big] {
            let (table, output) = try Self.loadVariant(bytes)
            let loaded = try #require(table, "\(output)")
            #expect(censusProblems(loaded, Self.poverty) == [])
            #expect(output.contains("converted to UTF-8"))
        }
    }

    @Test func windows1258IsConvertedWithANote() throws {
        let path = Fixtures.folder + "/synthetic/precipitation-windows1258.csv"
        let (table, output) = try Fixtures.importThroughShell(path)
        let loaded = try #require(table, "\(output)")
        // The same cells as the UTF-8 export it was made from (python's cp1258 codec).
        let reference = ReferenceReader(Fixtures.bytes(Fixtures.folder + "/gso/Change in average precipitation.csv"))
        #expect(censusProblems(loaded, reference) == [])
        #expect(loaded.value(row: 3, column: 0) == .text("Hà Nội"))
        #expect(output.contains("read as windows-1258"))
        #expect(output.contains("(encoding 'latin-1')"))
    }

    @Test func latin1IsConvertedWithANote() throws {
        let (table, output) = try Fixtures.importThroughShell(Fixtures.folder + "/synthetic/cities-latin1.csv")
        let loaded = try #require(table, "\(output)")
        #expect(loaded.rowCount == 3)
        #expect(loaded.value(row: 0, column: 1) == .text("Besançon"))
        #expect(loaded.value(row: 1, column: 1) == .text("São Paulo"))
        #expect(loaded.value(row: 1, column: 2) == .null)
        #expect(output.contains("read as latin-1"))
        // Chosen by hand, the other reading.
        let (forced, _) = try Fixtures.importThroughShell(Fixtures.folder + "/synthetic/cities-latin1.csv", options: "(encoding 'windows-1258')")
        #expect(forced?.value(row: 1, column: 1) == .text("Săo Paulo"))
    }

    @Test func unitsInTheHeaderOrCellsMakeSumsSaySo() throws {
        // GDP: "(%)" and "(Bill. Dongs)" in the header; exports: "(Mill.USD)" and "- %" in `Items`.
        let session = try Session()
        session.settings.language = .en
        let output = CorpusOutput()
        let shell = Shell(session: session, writeOut: { output.text += $0 }, writeErr: { output.text += $0 })
        let folder = Fixtures.folder + "/gso/"
        shell.runScript("""
            .import "\(folder)Gross domestic product at constant 2010 prices by economic sector.csv" AS gdp
            from gdp | summarize s = sum(`Index (Previous year = 100) (%) Total`)
            .import "\(folder)Exports and imports of goods.csv" AS ex
            from ex | summarize t = sum(Total)
            from ex | where Items == "Value (Mill.USD)" | summarize t = sum(Total)
            """, fileName: nil, keepGoing: false)
        let text = output.text
        #expect(text.contains("sum(`Index (Previous year = 100) (%) Total`) adds up percentages"), "\(text)")
        #expect(text.contains("sum(Total) adds up different units (Mill.USD, percent)"), "\(text)")
        #expect(text.contains("column `Year` marks some rows as preliminary (`Prel. 2016`)"), "\(text)")
        // Only the value rows: one unit, so the mixed-units note appears once, for the first sum.
        #expect(text.split(separator: "\n").filter { $0.contains("adds up different units") }.count == 1, "\(text)")
    }
}
