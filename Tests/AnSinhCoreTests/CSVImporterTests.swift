import Testing
import Glibc
@testable import AnSinhCore

@Suite struct CSVImporterTests {
    func load(_ text: String) throws(Diagnostic) -> Table {
        try CSVImporter.load(text: text, name: "t").table
    }

    func loadBytes(_ bytes: [UInt8]) throws(Diagnostic) -> CSVImporter.Loaded {
        let path = "/tmp/ansinh-csv-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).csv"
        let file = fopen(path, "wb")
        _ = bytes.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, file) }
        fclose(file)
        defer { unlink(path) }
        return try CSVImporter.load(path: path, name: "t")
    }

    /// A line longer than `.limit memory_mb` cannot be held within it (its cell is copied out
    /// of the mapped file): refused before any pass over it, naming the line and the limit. It
    /// was imported whatever the limit (a 256 MB field under memory_mb 128 took 780 MB, 47 s).
    @Test func aLineLongerThanTheMemoryLimitIsRefused() throws {
        let path = "/tmp/ansinh-csv-long-line-\(getpid()).csv"
        let file = fopen(path, "wb")
        fputs("a,b\n1,\"", file)
        fputs(String(repeating: "x", count: 3 * 1_048_576 / 2), file)
        fputs("\"\n2,y\n", file)
        fclose(file)
        defer { unlink(path) }
        var limits = ResourceLimits()
        limits.maximumMemoryMegabytes = 1
        let error = #expect(throws: Diagnostic.self) { try CSVImporter.load(path: path, name: "t", limits: limits) }
        #expect(error?.message == .csvLineOverMemoryLimit)
        #expect(error?.arguments.prefix(2) == ["2", "1"], "\(String(describing: error?.arguments))")
        // Under a limit it fits, the same file imports.
        limits.maximumMemoryMegabytes = 16
        let loaded = try CSVImporter.load(path: path, name: "t", limits: limits)
        #expect(loaded.table.rowCount == 2)
    }

    @Test func infersTypes() throws {
        let table = try load("id,name,value,flag\n1,Thanh Xuân,1.5,true\n2,\"Quận 11\",,false\n")
        #expect(table.fields.map(\.type) == [.integer, .text, .decimal, .boolean])
        #expect(table.rowCount == 2)
        #expect(table.columns[2].isNull(1))
        #expect(table.value(row: 0, column: 1) == .text("Thanh Xuân"))
    }

    @Test func widensWhenALaterValueDoesNotFit() throws {
        // The sample sees integers; row 2502 holds a decimal, row 2503 a word.
        var text = "a,b\n"
        for index in 0..<2500 { text += "\(index),\(index)\n" }
        text += "1.5,7\nx,8\n"
        let table = try load(text)
        #expect(table.fields[0].type == .text)
        #expect(table.fields[1].type == .integer)
        #expect(table.value(row: 2500, column: 0) == .text("1.5"))
        #expect(table.rowCount == 2502)
    }

    @Test func quotedNewlinesCommasAndDoubledQuotes() throws {
        let table = try load("name,note\n\"Hà Nội, thủ đô\",\"dòng 1\ndòng 2\"\nx,\"nói \"\"khoảng\"\"\"\n")
        #expect(table.rowCount == 2)
        #expect(table.value(row: 0, column: 0) == .text("Hà Nội, thủ đô"))
        #expect(table.value(row: 0, column: 1) == .text("dòng 1\ndòng 2"))
        #expect(table.value(row: 1, column: 1) == .text("nói \"khoảng\""))
    }

    @Test func bomAndCRLF() throws {
        let loaded = try loadBytes([0xEF, 0xBB, 0xBF] + Array("a,b\r\n1,x\r\n2,y\r\n".utf8))
        #expect(loaded.table.fields.map(\.name) == ["a", "b"])
        #expect(loaded.table.value(row: 1, column: 1) == .text("y"))
        #expect(loaded.notes.contains { $0.message == .csvBOMRemoved })
    }

    @Test func raggedRowNamesTheLine() {
        #expect(throws: Diagnostic(.value, .csvRaggedRow, ["3", "2", "3"])) { try load("a,b\n1,2\n3,4,5\n") }
    }

    @Test func unterminatedQuoteNamesTheLine() {
        #expect(throws: Diagnostic(.value, .csvUnterminatedQuote, ["3"])) { try load("a,b\n1,2\n3,\"open\n4,5\n") }
    }

    @Test func singleByteTextIsConvertedNamingTheLineAndTheEncoding() throws {
        // "Hà" in Latin-1/Windows-1258: 0xE0 is not UTF-8; it is `à` in both.
        let loaded = try loadBytes(Array("a,b\n1,x\n2,H".utf8) + [0xE0] + Array("\n".utf8))
        #expect(loaded.table.value(row: 1, column: 1) == .text("Hà"))
        #expect(loaded.notes.contains(.init(.csvConvertedSingleByte, ["3", "latin-1", "windows-1258"])))
    }

    @Test func nulByteIsRefused() {
        #expect(throws: Diagnostic(.value, .csvNULByte, ["2"])) { try loadBytes(Array("a\nx".utf8) + [0] + Array("\n".utf8)) }
    }

    @Test func duplicateAndEmptyHeadersAreRenamed() throws {
        let loaded = try CSVImporter.load(text: "a,,a\n1,2,3\n", name: "t")
        #expect(loaded.table.fields.map(\.name) == ["a", "column2", "a_2"])
        #expect(loaded.notes.count == 2)
    }

    @Test func emptyFileIsAnError() {
        #expect(throws: Diagnostic(.io, .csvEmptyFile, ["t"])) { try load("") }
    }

    @Test func vietnameseFormattedNumbersBecomeDecimals() throws {
        let table = try load("district,money\nThanh Xuân,\"169,96 tỷ\"\nQuận 11,4.200\n")
        #expect(table.fields[1].type == .decimal)
        #expect(table.value(row: 0, column: 1) == .decimal(169_960_000_000))
        #expect(table.value(row: 1, column: 1) == .decimal(4200))
    }

    /// A declared type is kept or refused, never quietly changed (issue 13 §3): DuckDB's
    /// read_csv(types={'b': 'DECIMAL'}) stops at "CSV Error on Line: 3 … Could not convert string
    /// "NaN" to 'DECIMAL'"; ansinh used to make `b` text without a word. Declared integer over
    /// 2.5 (DuckDB rounds to 3) and declared boolean over a word are refused the same way, on the
    /// quoted-file path too; an undeclared column still widens.
    @Test func aDeclaredTypeIsKeptOrRefused() throws {
        let file = "a,b\n1,2.5\n2,NaN\n3,\n"
        let cases: [(String, [String: DataType], String)] = [
            (file, ["b": .decimal], "line 3: `b` is declared decimal in (types …) but holds \"NaN\"; declare it text, or read such cells as missing with (null 'NaN')"),
            (file, ["b": .integer], "line 2: `b` is declared integer in (types …) but holds \"2.5\"; declare it decimal, or read such cells as missing with (null '2.5')"),
            ("a,b\n\"x\",true\n\"y\",\"maybe\"\n", ["b": .boolean], "line 3: `b` is declared boolean in (types …) but holds \"maybe\"; declare it text, or read such cells as missing with (null 'maybe')"),
        ]
        for (text, types, expected) in cases {
            do {
                _ = try CSVImporter.load(text: text, name: "t", options: CSVOptions(types: types))
                Issue.record("\(types) loaded")
            } catch {
                #expect(error.text(in: .en) == expected)
                #expect(error.text(in: .vi).hasPrefix("dòng "), "\(error.text(in: .vi))")
            }
        }
        let widened = try load(file)
        #expect(widened.fields[1].type == .text, "undeclared, NaN makes the column text as before")
    }

    @Test func nfdTextIsStoredComposed() throws {
        let table = try load("name\nXua\u{0302}n\nXuân\n")
        #expect(table.columns[0].dictionary.count == 1)
    }

    @Test func twoChunksGiveTheSameTableAsOne() throws {
        // Big enough (over 4 MB) to be parsed on two cores; the merged table must equal a serial read.
        var text = "id,district,value\n"
        for index in 0..<200_000 { text += "\(index),Quận \(index % 700),\(Double(index) * 0.25)\n" }
        var serial = CSVOptions()
        serial.parallel = false
        let parallel = try CSVImporter.load(text: text, name: "t").table
        let single = try CSVImporter.load(text: text, name: "t", options: serial).table
        #expect(parallel.rowCount == 200_000)
        for row in stride(from: 0, to: 200_000, by: 997) {
            for column in 0..<3 { #expect(parallel.value(row: row, column: column) == single.value(row: row, column: column)) }
        }
        #expect(parallel.columns[1].dictionary.count == 700)
    }

    @Test func numberParsingMatchesStrtod() {
        for text in ["0", "-0.5", "1e9", "12345.678901", "0.1", "123456789012345678901234", "1.7976931348623157e308", ".5", "5."] {
            let bytes = Array(text.utf8)
            let ours = bytes.withUnsafeBufferPointer { NumberParsing.decimal($0) }
            #expect(ours == strtod(text, nil), "\(text)")
        }
        #expect(Array("9223372036854775807".utf8).withUnsafeBufferPointer { NumberParsing.integer($0) } == Int64.max)
        #expect(Array("9223372036854775808".utf8).withUnsafeBufferPointer { NumberParsing.integer($0) } == nil)
        #expect(Array("-9223372036854775808".utf8).withUnsafeBufferPointer { NumberParsing.integer($0) } == Int64.min)
    }

    @Test func leadingZerosKeepACodeAsText() throws {
        let table = try load("code,phone,n,x\n001,0912345678,0,0.5\n002,0987654321,12,1.25\n")
        #expect(table.fields.map(\.type) == [.text, .text, .integer, .decimal])
        #expect(table.value(row: 0, column: 0) == .text("001"))
        #expect(table.value(row: 1, column: 1) == .text("0987654321"))
        // Found only after the sample: the column is read again as text.
        var text = "code\n"
        for index in 1...2500 { text += "\(index)\n" }
        text += "007\n"
        let late = try load(text)
        #expect(late.fields[0].type == .text)
        #expect(late.value(row: 2500, column: 0) == .text("007"))
    }

    @Test func thousandsGroupsThatCouldBeDecimalsSayHowTheyWereRead() throws {
        // Alone, `4.200` is read as 4.2, and a note names the column and both readings.
        let plain = try CSVImporter.load(text: "name,n\na,4.200\nb,1.500\n", name: "t")
        #expect(plain.table.value(row: 0, column: 1) == .decimal(4.2))
        let note = try #require(plain.notes.first)
        #expect(note.message == .csvReadAsDecimals)
        #expect(note.message.format(.en, note.arguments) == "column `n`: every value looks like `4.200` and nothing in the file tells which decimal mark it uses: read as a decimal (4.2); if the dot groups thousands, the Vietnamese way, it is 4200: import with (decimal ',')")
        // With decimal commas elsewhere in the file, the dot groups thousands, as vn_number reads it.
        let vietnamese = try CSVImporter.load(text: "name,n,rate\na,4.200,\"4,5\"\nb,1.500,\"3,25\"\n", name: "t")
        #expect(vietnamese.table.value(row: 0, column: 1) == .decimal(4200))
        #expect(vietnamese.table.value(row: 1, column: 1) == .decimal(1500))
        #expect(vietnamese.notes.map(\.message) == [.csvReadAsThousands])
        // Other decimals in the column: no ambiguity, no note.
        let mixed = try CSVImporter.load(text: "n\n4.200\n3.14\n", name: "t")
        #expect(mixed.table.value(row: 0, column: 0) == .decimal(4.2))
        #expect(mixed.table.value(row: 1, column: 0) == .decimal(3.14))
        #expect(mixed.notes.isEmpty)
        let ordinary = try CSVImporter.load(text: "n\n0.500\n12.25\n", name: "t")
        #expect(ordinary.notes.isEmpty)
        #expect(ordinary.table.fields[0].type == .decimal)
    }
}
