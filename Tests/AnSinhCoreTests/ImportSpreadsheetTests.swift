import Testing
import Glibc
@testable import AnSinhCore

/// Spreadsheets (issue 12 §2): `.import FILE.xlsx [AS NAME] [(sheet 'Name', range 'A3:H70')]`.
///
/// The real workbooks in `Fixtures/xlsx/` are the GSO samples saved by LibreOffice; each must
/// load with the rows and values of its CSV original, read by the census's own `ReferenceReader`.
/// The small workbooks here are written by `Workbook` below (stored zip entries, XML by hand),
/// so each shows one thing: a merged header, dates, a sheet, a range, a broken file.
@Suite struct ImportSpreadsheetTests {
    @Test("each GSO sample saved by LibreOffice loads like its CSV", arguments: Sample.all)
    func realWorkbookLoadsLikeCSV(_ sample: Sample) throws {
        let csvPath = Fixtures.folder + "/gso/" + sample.file
        let xlsxPath = Fixtures.folder + "/xlsx/" + sample.file.dropLast(4) + ".xlsx"
        let reference = ReferenceReader(Fixtures.bytes(csvPath))
        let (loaded, output) = try Fixtures.importThroughShell(xlsxPath)
        let table = try #require(loaded, "not imported: \(output)")
        #expect(table.rowCount == sample.rows)
        #expect(censusProblems(table, reference) == [])
        #expect(table.summary == reference.title)
        #expect(output.contains("note: read the sheet `"), "\(output)")
        #expect(output.contains("note: row 1 is a title"), "\(output)")
        if sample.missing > 0 { #expect(output.contains("in \(sample.missing) cells"), "\(output)") }
        #expect(!output.contains("error"), "\(output)")
        // The same table as the CSV's, value for value.
        let (fromCSV, _) = try Fixtures.importThroughShell(csvPath)
        let csvTable = try #require(fromCSV)
        #expect(table.fields.map(\.name) == csvTable.fields.map(\.name))
        for column in 0..<min(table.fields.count, csvTable.fields.count) {
            for row in 0..<min(table.rowCount, csvTable.rowCount) {
                let (a, b) = (table.value(row: row, column: column), csvTable.value(row: row, column: column))
                if a != b, let x = a.doubleValue, let y = b.doubleValue, x == y { continue }
                #expect(a == b, "\(sample.file) row \(row + 1) column \(table.fields[column].name)")
            }
        }
    }

    @Test func poverty1374IsNotAThousandsQuestion() throws {
        // Numbers of a sheet have no decimal mark: 1.374 beside a text cell "4,69" stays 1.374.
        var book = Workbook()
        book.sheet("Data", rows: [[.s("name"), .s("a"), .s("b")], [.s("x"), .n("1.374"), .s("4,69")], [.s("y"), .n("83"), .s("5,1")]])
        let (table, output) = try book.importThroughShell()
        let loaded = try #require(table, "\(output)")
        #expect(loaded.value(row: 0, column: 1) == .decimal(1.374), "\(output)")
        #expect(loaded.value(row: 1, column: 1) == .decimal(83))
        #expect(loaded.value(row: 0, column: 2) == .decimal(4.69), "\(output)")
    }

    @Test func mergedHeaderJoinsTwoRows() throws {
        // Province (A1:A2) | Poverty rate (%) over 2010 and 2014 (B1:C1) | Population (D1:D2).
        var book = Workbook()
        book.sheet("Sheet1", rows: [
            [.s("Province"), .s("Poverty rate (%)"), nil, .s("Population")],
            [nil, .n("2010"), .n("2014"), nil],
            [.s("Long An"), .n("5.5"), .n("3.2"), .n("1484")],
            [.s("Ha Noi"), .n("5.3"), .n("2.3"), .n("7216")],
        ], merges: ["A1:A2", "B1:C1", "D1:D2"])
        let (table, output) = try book.importThroughShell()
        let loaded = try #require(table, "\(output)")
        #expect(loaded.fields.filter { !$0.isHidden }.map(\.name) == ["Province", "Poverty rate (%) 2010", "Poverty rate (%) 2014", "Population"], "\(output)")
        #expect(loaded.rowCount == 2)
        #expect(loaded.value(row: 1, column: 2) == .decimal(2.3))
        #expect(output.contains("rows 1 and 2 together are the header"), "\(output)")
        #expect(output.contains("3 merged cell ranges"), "\(output)")
    }

    @Test func mergedCellsInTheTableFillTheirCells() throws {
        var book = Workbook()
        book.sheet("Sheet1", rows: [
            [.s("Region"), .s("Province"), .s("Rate")],
            [.s("North"), .s("Ha Noi"), .n("2.3")],
            [nil, .s("Hai Phong"), .n("3.8")],
        ], merges: ["A2:A3"])
        let (table, output) = try book.importThroughShell()
        let loaded = try #require(table, "\(output)")
        #expect(loaded.value(row: 1, column: 0) == .text("North"), "\(output)")
    }

    @Test func datesAreDates() throws {
        // Style 1 is a built-in date format (14), style 2 a custom one, style 3 a date and time.
        var book = Workbook()
        book.styles = """
            <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="2"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/><numFmt numFmtId="165" formatCode="0.0%"/></numFmts>\
            <cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/><xf numFmtId="22"/><xf numFmtId="165"/></cellXfs></styleSheet>
            """
        book.sheet("Sheet1", rows: [
            [.s("event"), .s("day"), .s("when"), .s("share")],
            [.s("a"), .styled("45382", 1), .styled("45382.5", 3), .styled("0.25", 4)],
            [.s("b"), .styled("36526", 2), .styled("60", 3), .styled("0.5", 4)],
        ])
        let (table, output) = try book.importThroughShell()
        let loaded = try #require(table, "\(output)")
        #expect(loaded.value(row: 0, column: 1) == .text("2024-03-31"), "\(output)")
        #expect(loaded.value(row: 1, column: 1) == .text("2000-01-01"))
        #expect(loaded.value(row: 0, column: 2) == .text("2024-03-31 12:00:00"))
        #expect(loaded.value(row: 1, column: 2) == .text("1900-02-28"))
        // A percentage format is a number, not a date.
        #expect(loaded.value(row: 0, column: 3) == .decimal(0.25))
        #expect(output.contains("dates in `day`, `when`"), "\(output)")
    }

    @Test func sheetOptionChoosesTheSheetAndTheNoteListsTheOthers() throws {
        var book = Workbook()
        book.sheet("Notes", rows: [[.s("Read me first")]])
        book.sheet("Tỷ lệ hộ nghèo", rows: [[.s("huyện"), .s("tỷ lệ")], [.s("Tân Hưng"), .n("4.69")]])
        let (first, firstOutput) = try book.importThroughShell()
        #expect(first?.rowCount == 0 || first?.fields.count == 1, "\(firstOutput)")
        #expect(firstOutput.contains("read the sheet `Notes`; the workbook's other sheets: `Tỷ lệ hộ nghèo`"), "\(firstOutput)")
        let (table, output) = try book.importThroughShell(options: "(sheet 'Tỷ lệ hộ nghèo')")
        let loaded = try #require(table, "\(output)")
        #expect(loaded.value(row: 0, column: 1) == .decimal(4.69), "\(output)")
        #expect(output.contains("other sheets: `Notes`"), "\(output)")
        // Without diacritics and in other case, when only one sheet matches.
        let (folded, foldedOutput) = try book.importThroughShell(options: "(sheet 'ty le ho ngheo')")
        #expect(folded?.rowCount == 1, "\(foldedOutput)")
    }

    @Test func missingSheetListsTheSheets() throws {
        var book = Workbook()
        book.sheet("2014", rows: [[.s("a"), .s("b")], [.n("1"), .n("2")]])
        book.sheet("2016", rows: [[.s("a"), .s("b")], [.n("1"), .n("2")]])
        let (table, output) = try book.importThroughShell(options: "(sheet '2015')")
        #expect(table == nil)
        #expect(output.contains("has no sheet `2015`; its sheets are `2014`, `2016`"), "\(output)")
    }

    @Test func rangeOptionReadsOnlyThoseCells() throws {
        var book = Workbook()
        book.sheet("Sheet1", rows: [
            [.s("Report of the district"), nil, nil, nil],
            [.s("ignored"), .s("x"), .s("y"), .s("z")],
            [.s("ignored"), .s("id"), .s("value"), .s("extra")],
            [.s("ignored"), .n("1"), .n("10.5"), .s("no")],
            [.s("ignored"), .n("2"), .n("20.25"), .s("no")],
            [.s("ignored"), .n("3"), .n("30"), .s("no")],
        ])
        let (table, output) = try book.importThroughShell(options: "(range 'B3:C5')")
        let loaded = try #require(table, "\(output)")
        #expect(loaded.fields.filter { !$0.isHidden }.map(\.name) == ["id", "value"], "\(output)")
        #expect(loaded.rowCount == 2)
        #expect(loaded.value(row: 1, column: 1) == .decimal(20.25))
        let (_, bad) = try book.importThroughShell(options: "(range 'B3-C5')")
        #expect(bad.contains("(range 'B3-C5'): not a range of cells"), "\(bad)")
    }

    @Test func titleRowsAndHeaderOption() throws {
        var book = Workbook()
        book.sheet("Sheet1", rows: [
            [.s("Poverty rate by district (%)"), nil, nil],
            [],
            [.s("district"), .s("2021"), .s("2022")],
            [.s("Tân Hưng"), .n("4.69"), .n("3.58")],
            [.s("Quận 11"), .s(".."), .n("0.1")],
            [],
            [.s("Source: district portals")],
        ], merges: ["A1:C1"])
        let (table, output) = try book.importThroughShell()
        let loaded = try #require(table, "\(output)")
        #expect(loaded.summary == "Poverty rate by district (%)", "\(output)")
        #expect(loaded.footnotes == ["Source: district portals"], "\(output)")
        #expect(loaded.rowCount == 2)
        #expect(loaded.value(row: 1, column: 1) == .null)
        #expect(output.contains("row 1 is a title"), "\(output)")
        #expect(output.contains("`..` read as null (no figure) in 1 cell"), "\(output)")
        let (given, givenOutput) = try book.importThroughShell(options: "(header 3)")
        #expect(given?.rowCount == 2, "\(givenOutput)")
    }

    @Test func sharedInlineBooleanAndErrorCells() throws {
        var book = Workbook()
        book.sheet("Sheet1", rows: [
            [.s("name"), .s("ok"), .s("ratio")],
            [.inline("Hà <Nội> & \"Huế\""), .b(true), .error("#DIV/0!")],
            [.inline("Đà Nẵng"), .b(false), .n("0.5")],
        ])
        let (table, output) = try book.importThroughShell()
        let loaded = try #require(table, "\(output)")
        #expect(loaded.value(row: 0, column: 0) == .text("Hà <Nội> & \"Huế\""), "\(output)")
        #expect(loaded.value(row: 0, column: 1) == .boolean(true))
        #expect(loaded.value(row: 0, column: 2) == .null)
        #expect(loaded.value(row: 1, column: 2) == .decimal(0.5))
        #expect(output.contains("1 cell holds a formula error") || output.contains("1 cells hold a formula error"), "\(output)")
    }

    @Test func notAZipFile() throws {
        let path = Fixtures.write(Array("district,value\nA,1\n".utf8), suffix: ".xlsx")
        defer { unlink(path) }
        let (table, output) = try Fixtures.importThroughShell(path)
        #expect(table == nil)
        #expect(output.contains("is not an Excel workbook: a .xlsx file is a zip archive and this one is not"), "\(output)")
    }

    @Test func oldBinaryAndEncryptedWorkbooks() throws {
        var header: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 504)
        let xls = Fixtures.write(header + Array("Workbook".utf16).flatMap { [UInt8($0 & 0xFF), 0] }, suffix: ".xls")
        defer { unlink(xls) }
        let (_, legacy) = try Fixtures.importThroughShell(xls)
        #expect(legacy.contains("is an Excel 97–2003 workbook (.xls)"), "\(legacy)")
        #expect(legacy.contains("save it as .xlsx or CSV"), "\(legacy)")
        header += Array("EncryptedPackage".utf16).flatMap { [UInt8($0 & 0xFF), 0] }
        let encrypted = Fixtures.write(header, suffix: ".xlsx")
        defer { unlink(encrypted) }
        let (_, locked) = try Fixtures.importThroughShell(encrypted)
        #expect(locked.contains("is protected by a password"), "\(locked)")
    }

    @Test func damagedAndOversizedParts() throws {
        var book = Workbook()
        book.sheet("Sheet1", rows: [[.s("a"), .s("b")], [.n("1"), .n("2")]])
        var bytes = book.bytes()
        // Flip a byte inside the sheet's XML: the CRC check refuses it.
        if let index = Workbook.find(Array("<sheetData>".utf8), in: bytes) { bytes[index + 3] ^= 0x20 }
        let damaged = Fixtures.write(bytes, suffix: ".xlsx")
        defer { unlink(damaged) }
        let (table, output) = try Fixtures.importThroughShell(damaged)
        #expect(table == nil)
        #expect(output.contains("is damaged: its part xl/worksheets/sheet1.xml cannot be read"), "\(output)")
        // A part that declares more than the memory limit is refused before any memory is taken.
        let huge = Fixtures.write(book.bytes(declaredSheetSize: 0xFFFF_FFF0), suffix: ".xlsx")
        defer { unlink(huge) }
        let (_, tooLarge) = try Fixtures.importThroughShell(huge, before: ".limit memory_mb 64")
        #expect(tooLarge.contains("would take more than the memory limit of 64 MB"), "\(tooLarge)")
    }

    @Test func sheetOptionsOnACSVFileAreRefused() throws {
        let path = Fixtures.write(Array("a,b\n1,2\n".utf8))
        defer { unlink(path) }
        let (table, output) = try Fixtures.importThroughShell(path, options: "(sheet 'x')")
        #expect(table == nil)
        #expect(output.contains("the option sheet is for spreadsheets (.xlsx)"), "\(output)")
        var book = Workbook()
        book.sheet("Sheet1", rows: [[.s("a"), .s("b")], [.n("1"), .n("2")]])
        let (_, delimiter) = try book.importThroughShell(options: "(delimiter ';')")
        #expect(delimiter.contains("the option delimiter is for text files"), "\(delimiter)")
    }

    @Test func numbersAreWrittenWithoutADecimalMark() {
        #expect(SheetLayout.plainNumber("15.5") == "155e-1")
        #expect(SheetLayout.plainNumber("1.374") == "1374e-3")
        #expect(SheetLayout.plainNumber("2006") == "2006")
        #expect(SheetLayout.plainNumber("-0.649") == "-649e-3")
        #expect(SheetLayout.plainNumber("7.0") == "7")
        #expect(SheetLayout.plainNumber("1E-3") == "1e-3")
        #expect(SheetLayout.plainNumber("1.5E+3") == "1500")
        #expect(SheetLayout.plainNumber("0") == "0")
    }

    @Test func serialDates() {
        #expect(SpreadsheetDates.text(serial: 1, kind: .date, date1904: false) == "1900-01-01")
        #expect(SpreadsheetDates.text(serial: 61, kind: .date, date1904: false) == "1900-03-01")
        #expect(SpreadsheetDates.text(serial: 0, kind: .date, date1904: true) == "1904-01-01")
        #expect(SpreadsheetDates.text(serial: 0.75, kind: .time, date1904: false) == "18:00:00")
        #expect(DateFormatKind(id: 164, code: "General") == nil)
        #expect(DateFormatKind(id: 164, code: "[Red]#,##0.00") == nil)
        #expect(DateFormatKind(id: 164, code: "d mmmm yyyy") == .date)
        #expect(DateFormatKind(id: 164, code: "h:mm") == .time)
    }
}

extension Fixtures {
    static func importThroughShell(_ path: String, options: String = "", before: String) throws -> (table: Table?, output: String) {
        let session = try Session()
        session.settings.language = .en
        let output = CorpusOutput()
        let shell = Shell(session: session, writeOut: { output.text += $0 }, writeErr: { output.text += $0 })
        shell.runScript(before + "\n.import \"\(path)\" AS t \(options)", fileName: nil, keepGoing: false)
        return (session.catalog["t"], output.text)
    }
}

/// A minimal .xlsx written by hand: stored (uncompressed) zip entries and the XML parts a
/// workbook needs, so each test states its cells and nothing else.
struct Workbook {
    enum Cell {
        case s(String)
        case n(String)
        case b(Bool)
        case inline(String)
        case error(String)
        case styled(String, Int)
    }

    var sheets: [(name: String, rows: [[Cell?]], merges: [String])] = []
    var styles: String?

    mutating func sheet(_ name: String, rows: [[Cell?]], merges: [String] = []) {
        sheets.append((name, rows, merges))
    }

    static func escape(_ text: String) -> String {
        text.replacing("&", with: "&amp;").replacing("<", with: "&lt;").replacing(">", with: "&gt;").replacing("\"", with: "&quot;")
    }

    func parts() -> [(String, [UInt8])] {
        var strings: [String] = []
        var parts: [(String, [UInt8])] = []
        var sheetsXML = "", relsXML = ""
        for (index, sheet) in sheets.enumerated() {
            var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
            for (rowIndex, row) in sheet.rows.enumerated() {
                xml += "<row r=\"\(rowIndex + 1)\">"
                for (columnIndex, cell) in row.enumerated() {
                    guard let cell else { continue }
                    let reference = CellRange.columnName(columnIndex + 1) + String(rowIndex + 1)
                    switch cell {
                    case .s(let text):
                        strings.append(text)
                        xml += "<c r=\"\(reference)\" t=\"s\"><v>\(strings.count - 1)</v></c>"
                    case .n(let value): xml += "<c r=\"\(reference)\"><v>\(value)</v></c>"
                    case .b(let value): xml += "<c r=\"\(reference)\" t=\"b\"><v>\(value ? 1 : 0)</v></c>"
                    case .inline(let text): xml += "<c r=\"\(reference)\" t=\"inlineStr\"><is><t>\(Workbook.escape(text))</t></is></c>"
                    case .error(let code): xml += "<c r=\"\(reference)\" t=\"e\"><f>1/0</f><v>\(code)</v></c>"
                    case .styled(let value, let style): xml += "<c r=\"\(reference)\" s=\"\(style)\"><v>\(value)</v></c>"
                    }
                }
                xml += "</row>"
            }
            xml += "</sheetData>"
            if !sheet.merges.isEmpty {
                xml += "<mergeCells count=\"\(sheet.merges.count)\">" + sheet.merges.map { "<mergeCell ref=\"\($0)\"/>" }.joined() + "</mergeCells>"
            }
            xml += "</worksheet>"
            parts.append(("xl/worksheets/sheet\(index + 1).xml", Array(xml.utf8)))
            sheetsXML += "<sheet name=\"\(Workbook.escape(sheet.name))\" sheetId=\"\(index + 1)\" r:id=\"rId\(index + 1)\"/>"
            relsXML += "<Relationship Id=\"rId\(index + 1)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet\(index + 1).xml\"/>"
        }
        relsXML += "<Relationship Id=\"rIdS\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" Target=\"sharedStrings.xml\"/>"
        relsXML += "<Relationship Id=\"rIdT\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>"
        let shared = "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">" + strings.map { "<si><t xml:space=\"preserve\">\(Workbook.escape($0))</t></si>" }.joined() + "</sst>"
        return [
            ("[Content_Types].xml", Array("<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>".utf8)),
            ("_rels/.rels", Array("<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>".utf8)),
            ("xl/workbook.xml", Array("<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>\(sheetsXML)</sheets></workbook>".utf8)),
            ("xl/_rels/workbook.xml.rels", Array("<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\(relsXML)</Relationships>".utf8)),
            ("xl/sharedStrings.xml", Array(shared.utf8)),
            ("xl/styles.xml", Array((styles ?? "<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"/>").utf8)),
        ] + parts
    }

    /// The archive; `declaredSheetSize` makes the first sheet's entry lie about its size.
    func bytes(declaredSheetSize: UInt32? = nil) -> [UInt8] {
        var out: [UInt8] = []
        var directory: [UInt8] = []
        func le16(_ value: Int) -> [UInt8] { [UInt8(value & 0xFF), UInt8((value >> 8) & 0xFF)] }
        func le32(_ value: UInt32) -> [UInt8] { [UInt8(value & 0xFF), UInt8((value >> 8) & 0xFF), UInt8((value >> 16) & 0xFF), UInt8(value >> 24)] }
        let entries = parts()
        for (name, data) in entries {
            let crc = CRC32.checksum(data)
            let nameBytes = Array(name.utf8)
            let size = name == "xl/worksheets/sheet1.xml" ? (declaredSheetSize ?? UInt32(data.count)) : UInt32(data.count)
            let offset = UInt32(out.count)
            out += le32(0x0403_4B50) + le16(20) + le16(0) + le16(0) + le16(0) + le16(0) + le32(crc) + le32(UInt32(data.count)) + le32(size)
            out += le16(nameBytes.count) + le16(0) + nameBytes + data
            directory += le32(0x0201_4B50) + le16(20) + le16(20) + le16(0) + le16(0) + le16(0) + le16(0) + le32(crc)
            directory += le32(UInt32(data.count)) + le32(size) + le16(nameBytes.count) + le16(0) + le16(0) + le16(0) + le16(0) + le32(0) + le32(offset) + nameBytes
        }
        let directoryOffset = UInt32(out.count)
        out += directory
        out += le32(0x0605_4B50) + le16(0) + le16(0) + le16(entries.count) + le16(entries.count) + le32(UInt32(directory.count)) + le32(directoryOffset) + le16(0)
        return out
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        return (0...(haystack.count - needle.count)).first { start in (0..<needle.count).allSatisfy { haystack[start + $0] == needle[$0] } }
    }

    func importThroughShell(options: String = "") throws -> (table: Table?, output: String) {
        let path = Fixtures.write(bytes(), suffix: ".xlsx")
        defer { unlink(path) }
        return try Fixtures.importThroughShell(path, options: options)
    }
}
