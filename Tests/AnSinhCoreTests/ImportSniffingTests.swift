import Testing
import Glibc
@testable import AnSinhCore

/// Sniffing, markers, decimal marks, header names and options, on small files written here.
@Suite struct ImportSniffingTests {
    func load(_ text: String, _ options: CSVOptions = CSVOptions()) throws(Diagnostic) -> CSVImporter.Loaded {
        try CSVImporter.load(text: text, name: "t", options: options)
    }

    func messages(_ loaded: CSVImporter.Loaded) -> [String] {
        loaded.notes.map { $0.message.format(.en, $0.arguments) }
    }

    @Test func aHeaderOfYearsIsAHeader() throws {
        let loaded = try load("\"2006\";\"2008\";\"2010\"\n15.5;13.4;14.2\n10.0;8.6;8.3\n")
        #expect(loaded.table.fields.map(\.name) == ["2006", "2008", "2010"])
        #expect(loaded.table.rowCount == 2)
        #expect(loaded.table.value(row: 0, column: 0) == .decimal(15.5))
    }

    @Test func theDelimiterComesFromManyLinesNotTheTitle() throws {
        // The title holds two commas and no `;`; every other line holds `;`.
        let loaded = try load("\"Poverty rate by province by Cities, provincies, and Year\"\n\n\"Cities, provincies\";\"2006\"\n\"Ha Noi\";3.0\n\"Ha Tay\";..\n")
        #expect(loaded.table.fields.map(\.name) == ["Cities, provincies", "2006"])
        #expect(loaded.table.summary == "Poverty rate by province by Cities, provincies, and Year")
        #expect(loaded.table.value(row: 1, column: 1) == .null)
        #expect(messages(loaded).contains("line 1 is a title, not the header; kept as the table's description: Poverty rate by province by Cities, provincies, and Year"))
    }

    @Test func everyMissingMarkerIsNullWithOneNote() throws {
        let loaded = try load("name,a,b,c\nx,1,..,NA\ny,-,2.5,n/a\nz,...,,3\nw,4,5,N/A\n")
        #expect(loaded.table.fields.map(\.type) == [.text, .integer, .decimal, .integer])
        #expect(loaded.table.value(row: 1, column: 1) == .null)
        #expect(loaded.table.value(row: 0, column: 2) == .null)
        #expect(loaded.table.value(row: 2, column: 2) == .null)
        #expect(loaded.table.value(row: 3, column: 3) == .null)
        let notes = messages(loaded).filter { $0.contains("read as null") }
        #expect(notes == ["`..` `...` `-` `NA` `n/a` read as null (no figure) in 6 cells, in the number columns `a`, `b`, `c`"])
    }

    @Test func markersInATextColumnAreKept() throws {
        let loaded = try load("name,n\n-,1\nNA,2\n")
        #expect(loaded.table.value(row: 0, column: 0) == .text("-"))
        #expect(loaded.table.value(row: 1, column: 0) == .text("NA"))
        #expect(!messages(loaded).contains { $0.contains("read as null") })
    }

    @Test func dotsBesideADecimalCommaGroupThousands() throws {
        // Issue 12: 1.374, 83, 2.178 beside "4,69" is Vietnamese: 1374, not 1.374.
        let loaded = try load("district,households,rate\nA,1.374,\"4,69\"\nB,83,\"3,58\"\nC,2.178,\"1,5\"\n")
        #expect(loaded.table.value(row: 0, column: 1) == .decimal(1374))
        #expect(loaded.table.value(row: 1, column: 1) == .decimal(83))
        #expect(loaded.table.value(row: 2, column: 1) == .decimal(2178))
        #expect(loaded.table.value(row: 0, column: 2) == .decimal(4.69))
        let note = try #require(loaded.notes.first { $0.message == .csvReadAsThousands })
        #expect(note.arguments.first == "households")
        #expect(messages(loaded).contains { $0.contains("(decimal '.')") })
    }

    @Test func dotsInAnEnglishExportAreDecimals() throws {
        // 14.200, 0.649, 1387.000: 0.649 and 1387.000 cannot group thousands, so the dot is a decimal point.
        let loaded = try load("item;a;b\n\"x\";14.200;0.649\n\"y\";1387.000;2.5\n")
        #expect(loaded.table.value(row: 0, column: 1) == .decimal(14.2))
        #expect(loaded.table.value(row: 1, column: 1) == .decimal(1387))
        #expect(loaded.table.value(row: 0, column: 2) == .decimal(0.649))
        #expect(!loaded.notes.contains { $0.message == .csvReadAsThousands })
    }

    @Test func anEnglishColumnOfThreeDecimalsSaysWhichReadingWasTaken() throws {
        let loaded = try load("item;a;b\nx;14.200;0.649\ny;1.500;2.5\n")
        #expect(loaded.table.value(row: 0, column: 1) == .decimal(14.2))
        let note = try #require(loaded.notes.first { $0.message == .csvReadAsDecimalsByEvidence })
        #expect(note.arguments.first == "a")
    }

    @Test func whenTheFileCannotTellTheNoteSaysHowToChoose() throws {
        let loaded = try load("name,n\na,4.200\nb,1.500\n")
        #expect(loaded.table.value(row: 0, column: 1) == .decimal(4.2))
        #expect(messages(loaded) == ["column `n`: every value looks like `4.200` and nothing in the file tells which decimal mark it uses: read as a decimal (4.2); if the dot groups thousands, the Vietnamese way, it is 4200: import with (decimal ',')"])
        var options = CSVOptions()
        options.decimal = .comma
        let chosen = try load("name,n\na,4.200\nb,1.500\n", options)
        #expect(chosen.table.value(row: 0, column: 1) == .decimal(4200))
        #expect(chosen.notes.isEmpty)
    }

    @Test func theOptionListReadsEveryOption() throws {
        let command = try ImportCommand.parse("data/gso.csv AS t (delimiter ';', header 3, null '..', decimal ',', encoding 'windows-1258', types (year integer))")
        #expect(command.path == "data/gso.csv")
        #expect(command.name == "t")
        let options = try CSVOptions.parse(try #require(command.optionsText))
        #expect(options.delimiter == 0x3B)
        #expect(options.header == 3)
        #expect(options.nullMarkers == [".."])
        #expect(options.decimal == .comma)
        #expect(options.encoding == .windows1258)
        #expect(options.types == ["year": .integer])
        #expect(try ImportCommand.parse("\"Poverty rate by province.csv\"") == ImportCommand(path: "Poverty rate by province.csv"))
        #expect(throws: Diagnostic(.usage, .importOptionUnknown, ["delimter", CSVOptions.names.joined(separator: ", ")], suggestions: ["delimiter"])) {
            try CSVOptions.parse("(delimter ';')")
        }
        #expect(throws: Diagnostic(.usage, .importOptionValue, ["decimal", "x", "'.' or ','"])) { try CSVOptions.parse("(decimal 'x')") }
    }

    @Test func headerAndTypesOptions() throws {
        var options = CSVOptions()
        options.header = 3
        options.types = ["2006": .text]
        let loaded = try load("Title line\n\nname;2006\nHa Noi;3.0\n", options)
        #expect(loaded.table.fields.map(\.name) == ["name", "2006"])
        #expect(loaded.table.fields[1].type == .text)
        #expect(loaded.table.value(row: 0, column: 1) == .text("3.0"))
    }

    @Test func aCommaInsideANameIsNamedAsTheCause() {
        #expect(throws: Diagnostic(.value, .csvRaggedSplitValue, ["3", "3", "4", ",", "Cities, provincies"])) {
            try load("name,2006,2008\nHa Noi,3.0,6.6\nCities, provincies,1.0,2.0\nHue,4.0,5.0\n")
        }
    }

    @Test func aHeaderCellWithDoubledQuotesIsNamedWithOneQuote() throws {
        let loaded = try load("\"a\"\"b\",c\n1,2\n")
        #expect(loaded.table.fields.map(\.name) == ["a\"b", "c"])
    }

    @Test func anInvisibleCharacterInAHeaderIsNamed() throws {
        let loaded = try load("ab\u{200B}c,d\n1,2\n")
        #expect(loaded.table.fields.map(\.name) == ["abc", "d"])
        #expect(messages(loaded) == ["the name of column 1 held an invisible character, U+200B (zero-width space); it was taken out: `abc`"])
    }

    @Test func repeatedHeaderNamesAreNumberedInOnePass() throws {
        let header = Array(repeating: "a", count: 4000).joined(separator: ",")
        let row = Array(repeating: "1", count: 4000).joined(separator: ",")
        let loaded = try load(header + "\n" + row + "\n")
        let names = loaded.table.fields.map(\.name)
        #expect(Set(names).count == 4000)
        #expect(names[1] == "a_2" && names[3999] == "a_4000")
        #expect(loaded.notes.filter { $0.message == .csvDuplicateHeader }.count == 5)
        #expect(loaded.notes.contains(.init(.csvMoreDuplicateHeaders, ["3994"])))
    }

    @Test func tooManyColumnsStopWhileTheHeaderIsRead() {
        let header = (1...20_000).map { "c\($0)" }.joined(separator: ",")
        #expect(throws: Diagnostic(.limit, .csvTooManyColumns, ["1", "16384"])) { try load(header + "\n") }
    }

    @Test func numberFunctionReadsTheMarkItIsTold() {
        #expect(DecimalMark.dot.parse("1,234.5") == 1234.5)
        #expect(DecimalMark.comma.parse("1.234,5") == 1234.5)
        #expect(DecimalMark.dot.parse("14.200") == 14.2)
        #expect(DecimalMark.comma.parse("14.200") == 14200)
        #expect(DecimalMark.comma.parse("4,69") == 4.69)
        #expect(DecimalMark.dot.parse("4,69") == nil)
        #expect(DecimalMark.comma.parse("1 234,5") == 1234.5)
        #expect(DecimalMark.dot.parse("-0.5") == -0.5)
        #expect(DecimalMark.dot.parse("12 tỷ") == nil)
        #expect(DecimalMark.dot.parse("1,23") == nil)
    }
}
