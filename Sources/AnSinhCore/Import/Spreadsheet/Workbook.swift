/// One cell of a worksheet as the workbook stores it.
enum SheetCell: Equatable {
    case text(String)
    /// The number as written in the part (`15.5`, `1E-3`): exact, no decimal mark to guess.
    case number(String)
    case boolean(Bool)
    /// A date or time, already in ISO 8601 (`2024-03-31`, `2024-03-31 08:30:00`, `08:30:00`).
    case date(String)
    /// A formula error (`#DIV/0!`, `#N/A`): no value.
    case error(String)
}

/// A cell address or a rectangle of them, 1-based (`B3` is column 2, row 3).
struct CellRange: Equatable {
    var firstRow: Int
    var firstColumn: Int
    var lastRow: Int
    var lastColumn: Int

    static let maximumRows = 1_048_576
    static let maximumColumns = 16_384

    /// `A3:H70`, `$A$3:$H$70`, or one cell `B2`.
    static func parse(_ text: String) -> CellRange? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2, let first = cell(parts[0]) else { return nil }
        let last = parts.count == 2 ? cell(parts[1]) : first
        guard let last else { return nil }
        let range = CellRange(firstRow: min(first.row, last.row), firstColumn: min(first.column, last.column),
                              lastRow: max(first.row, last.row), lastColumn: max(first.column, last.column))
        return range
    }

    /// `B12` → (row 12, column 2); nil for anything else or past the sheet's bounds.
    static func cell<S: StringProtocol>(_ text: S) -> (row: Int, column: Int)? {
        var column = 0, row = 0
        var sawLetter = false, sawDigit = false
        for scalar in text.unicodeScalars where scalar != "$" {
            let value = Int(scalar.value)
            if !sawDigit, (65...90).contains(value) || (97...122).contains(value) {
                column = column * 26 + (value & 0x1F)
                sawLetter = true
                if column > maximumColumns { return nil }
            } else if sawLetter, (48...57).contains(value) {
                row = row * 10 + value - 48
                sawDigit = true
                if row > maximumRows { return nil }
            } else {
                return nil
            }
        }
        guard sawLetter, sawDigit, row >= 1 else { return nil }
        return (row, column)
    }

    static func columnName(_ column: Int) -> String {
        var column = column
        var letters: [Character] = []
        while column > 0 {
            let remainder = (column - 1) % 26
            letters.insert(Character(Unicode.Scalar(UInt8(65 + remainder))), at: 0)
            column = (column - 1) / 26
        }
        return String(letters)
    }

    var text: String {
        let first = CellRange.columnName(firstColumn) + String(firstRow)
        if firstRow == lastRow, firstColumn == lastColumn { return first }
        return first + ":" + CellRange.columnName(lastColumn) + String(lastRow)
    }

    func contains(row: Int, column: Int) -> Bool {
        row >= firstRow && row <= lastRow && column >= firstColumn && column <= lastColumn
    }
}

/// A worksheet read into cells: rows of (column, cell), the merged ranges, and the workbook's
/// other sheets (for the import's note and for "no such sheet" messages).
struct SheetGrid {
    var sheetName: String
    var sheetNames: [String]
    /// Row number → cells by column number.
    var rows: [Int: [Int: SheetCell]] = [:]
    var merges: [CellRange] = []
    var errorCells = 0
}

/// Reads a `.xlsx` workbook (Office Open XML) into a `SheetGrid`: the workbook's sheet list and
/// relationships, the shared strings, the styles that make a number a date, and one sheet.
struct WorkbookReader {
    enum Failure: Error {
        case zip(ZipArchive.Failure)
        case xml(String)
        case noSheet(String, [String])
        case noSheets
        case chartSheet(String)
        case tooManyCells(String)
        case cancelled
    }

    private var archive: ZipArchive
    private let cellLimit: Int
    private let cancellation: CancellationCheck

    init(archive: ZipArchive, cellLimit: Int, cancellation: CancellationCheck = .never) {
        self.archive = archive
        self.cellLimit = cellLimit
        self.cancellation = cancellation
    }

    private mutating func part(_ name: String) throws(Failure) -> [UInt8]? {
        do { return try archive.read(name) } catch { throw .zip(error) }
    }

    /// Runs `body` over the tokens of a part.
    private func scan(_ bytes: [UInt8], name: String, _ body: (inout XMLScanner, XMLScanner.Token) throws(Failure) -> Void) throws(Failure) {
        let result: Result<Void, Failure> = bytes.withUnsafeBufferPointer { buffer in
            var scanner = XMLScanner(buffer)
            do {
                while let token = try scanner.next() { try body(&scanner, token) }
                return .success(())
            } catch let error as Failure {
                return .failure(error)
            } catch {
                return .failure(.xml(name))
            }
        }
        try result.get()
    }

    struct SheetEntry {
        var name: String
        var target: String
        var isWorksheet: Bool
        var hidden: Bool
    }

    /// `dir/` of a part path (`xl/workbook.xml` → `xl/`).
    private static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return String(path[...slash])
    }

    /// A relationship target resolved against the folder of the part that names it.
    private static func resolve(_ target: String, in folder: String) -> String {
        if target.hasPrefix("/") { return String(target.dropFirst()) }
        var parts = folder.split(separator: "/").map(String.init)
        for piece in target.split(separator: "/") {
            if piece == ".." { if !parts.isEmpty { parts.removeLast() } } else if piece != "." { parts.append(String(piece)) }
        }
        return parts.joined(separator: "/")
    }

    /// Relationship id → (type, resolved target) of the part at `path`.
    private mutating func relationships(of path: String) throws(Failure) -> [String: (type: String, target: String)] {
        let relsPath = WorkbookReader.folder(of: path) + "_rels/" + (path.split(separator: "/").last.map(String.init) ?? path) + ".rels"
        guard let bytes = try part(relsPath) else { return [:] }
        var result: [String: (type: String, target: String)] = [:]
        let folder = WorkbookReader.folder(of: path)
        try scan(bytes, name: relsPath) { scanner, token throws(Failure) in
            guard case .start(let tag) = token, scanner.isName(tag, "Relationship"),
                  let id = scanner.attribute(tag, "Id"), let target = scanner.attribute(tag, "Target") else { return }
            let external = scanner.attribute(tag, "TargetMode") == "External"
            result[id] = (scanner.attribute(tag, "Type") ?? "", external ? target : WorkbookReader.resolve(target, in: folder))
        }
        return result
    }

    mutating func read(sheet wanted: String?, range: CellRange?) throws(Failure) -> SheetGrid {
        var workbookPath = "xl/workbook.xml"
        for (_, relation) in try relationships(of: "") where relation.type.hasSuffix("/officeDocument") { workbookPath = relation.target }
        guard let workbook = try part(workbookPath) else { throw .xml(workbookPath) }
        let relations = try relationships(of: workbookPath)
        var sheets: [SheetEntry] = []
        var date1904 = false
        try scan(workbook, name: workbookPath) { scanner, token throws(Failure) in
            guard case .start(let tag) = token else { return }
            if scanner.isName(tag, "workbookPr") {
                let value = scanner.attribute(tag, "date1904")
                date1904 = value == "1" || value == "true"
            } else if scanner.isName(tag, "sheet"), let name = scanner.attribute(tag, "name") {
                let id = scanner.attribute(tag, "r:id") ?? scanner.attribute(tag, "id") ?? ""
                let relation = relations[id]
                let state = scanner.attribute(tag, "state") ?? "visible"
                sheets.append(SheetEntry(name: name, target: relation?.target ?? "", isWorksheet: relation?.type.hasSuffix("/worksheet") ?? true, hidden: state != "visible"))
            }
        }
        let names = sheets.map(\.name)
        guard !sheets.isEmpty else { throw .noSheets }
        let chosen: SheetEntry
        if let wanted {
            // The exact name, else the one name that matches ignoring case and diacritics.
            let folded = UnicodeText.fold(wanted)
            let matches = sheets.filter { UnicodeText.fold($0.name) == folded }
            guard let found = sheets.first(where: { $0.name == wanted }) ?? (matches.count == 1 ? matches[0] : nil) else {
                throw .noSheet(wanted, names)
            }
            guard found.isWorksheet else { throw .chartSheet(found.name) }
            chosen = found
        } else {
            guard let first = sheets.first(where: { $0.isWorksheet && !$0.hidden }) ?? sheets.first(where: \.isWorksheet) else { throw .noSheets }
            chosen = first
        }
        var sharedStringsPath = "xl/sharedStrings.xml", stylesPath = "xl/styles.xml"
        for (_, relation) in relations {
            if relation.type.hasSuffix("/sharedStrings") { sharedStringsPath = relation.target }
            if relation.type.hasSuffix("/styles") { stylesPath = relation.target }
        }
        let strings = try sharedStrings(sharedStringsPath)
        let dateStyles = try self.dateStyles(stylesPath)
        guard let sheetBytes = try part(chosen.target) else { throw .xml(chosen.target) }
        var grid = SheetGrid(sheetName: chosen.name, sheetNames: names)
        try cells(sheetBytes, name: chosen.target, strings: strings, dateStyles: dateStyles, date1904: date1904, range: range, into: &grid)
        return grid
    }

    /// The shared-string table: each `<si>`'s text, rich-text runs joined, phonetic runs left out.
    private mutating func sharedStrings(_ path: String) throws(Failure) -> [String] {
        guard let bytes = try part(path) else { return [] }
        var strings: [String] = []
        var current = ""
        var inItem = false, inText = false, inPhonetic = false
        try scan(bytes, name: path) { scanner, token throws(Failure) in
            switch token {
            case .start(let tag):
                if scanner.isName(tag, "si") { inItem = !tag.selfClosing; current = ""; if tag.selfClosing { strings.append("") } }
                else if scanner.isName(tag, "rPh") { inPhonetic = !tag.selfClosing }
                else if scanner.isName(tag, "t") { inText = !tag.selfClosing }
            case .end(let tag):
                if scanner.isName(tag, "si") { strings.append(WorkbookReader.unescape(current)); inItem = false }
                else if scanner.isName(tag, "rPh") { inPhonetic = false }
                else if scanner.isName(tag, "t") { inText = false }
            case .text(let range, let cdata):
                if inItem, inText, !inPhonetic { current += scanner.text((range, cdata)) }
            }
        }
        return strings
    }

    /// Excel writes control characters in text as `_x000D_`; they are read back.
    static func unescape(_ text: String) -> String {
        guard text.contains("_x") else { return text }
        var result = ""
        var characters = Substring(text)
        while let start = characters.firstRange(of: "_x") {
            result += characters[..<start.lowerBound]
            let rest = characters[start.upperBound...]
            let hex = rest.prefix(5)
            if hex.count == 5, hex.last == "_", let value = UInt32(hex.dropLast(), radix: 16), let scalar = Unicode.Scalar(value) {
                result.unicodeScalars.append(scalar)
                characters = rest.dropFirst(5)
            } else {
                result += "_x"
                characters = rest
            }
        }
        return result + characters
    }

    /// The cell styles (`s` attribute) whose number format shows a date or a time, and which.
    private mutating func dateStyles(_ path: String) throws(Failure) -> [Int: DateFormatKind] {
        guard let bytes = try part(path) else { return [:] }
        var customFormats: [Int: String] = [:]
        var styleFormats: [Int] = []
        var inCellFormats = false
        try scan(bytes, name: path) { scanner, token throws(Failure) in
            switch token {
            case .start(let tag):
                if scanner.isName(tag, "numFmt"), let id = scanner.attribute(tag, "numFmtId").flatMap({ Int($0) }) {
                    customFormats[id] = scanner.attribute(tag, "formatCode") ?? ""
                } else if scanner.isName(tag, "cellXfs") {
                    inCellFormats = !tag.selfClosing
                } else if inCellFormats, scanner.isName(tag, "xf") {
                    styleFormats.append(scanner.attribute(tag, "numFmtId").flatMap { Int($0) } ?? 0)
                }
            case .end(let tag):
                if scanner.isName(tag, "cellXfs") { inCellFormats = false }
            case .text: break
            }
        }
        var result: [Int: DateFormatKind] = [:]
        for (style, format) in styleFormats.enumerated() {
            if let kind = DateFormatKind(id: format, code: customFormats[format]) { result[style] = kind }
        }
        return result
    }

    private func cells(_ bytes: [UInt8], name: String, strings: [String], dateStyles: [Int: DateFormatKind], date1904: Bool,
                       range: CellRange?, into grid: inout SheetGrid) throws(Failure) {
        var row = 0, column = 0
        var type = "n", style = 0
        var value: String?
        var inline = ""
        var inValue = false, inInlineText = false, inCell = false
        var count = 0
        let limit = cellLimit
        let cancellation = self.cancellation
        try scan(bytes, name: name) { scanner, token throws(Failure) in
            switch token {
            case .start(let tag):
                if scanner.isName(tag, "row") {
                    row = scanner.attribute(tag, "r").flatMap { Int($0) } ?? row + 1
                    column = 0
                } else if scanner.isName(tag, "c") {
                    if let reference = scanner.attribute(tag, "r"), let cell = CellRange.cell(reference) {
                        (row, column) = (max(row, cell.row), cell.column)
                    } else {
                        column += 1
                    }
                    type = scanner.attribute(tag, "t") ?? "n"
                    style = scanner.attribute(tag, "s").flatMap { Int($0) } ?? 0
                    value = nil
                    inline = ""
                    inCell = !tag.selfClosing
                } else if inCell, scanner.isName(tag, "v") {
                    inValue = !tag.selfClosing
                    value = value ?? ""
                } else if inCell, scanner.isName(tag, "t") {
                    inInlineText = !tag.selfClosing
                } else if scanner.isName(tag, "mergeCell"), let reference = scanner.attribute(tag, "ref"), let merged = CellRange.parse(reference) {
                    grid.merges.append(merged)
                }
            case .end(let tag):
                if scanner.isName(tag, "v") { inValue = false }
                else if scanner.isName(tag, "t") { inInlineText = false }
                else if scanner.isName(tag, "c") {
                    inCell = false
                    guard range?.contains(row: row, column: column) ?? true, row >= 1, column >= 1 else { return }
                    let cell: SheetCell?
                    switch type {
                    case "s":
                        if let index = value.flatMap({ Int($0.trimmingSpaces()) }), index >= 0, index < strings.count { cell = .text(strings[index]) } else { cell = nil }
                    case "inlineStr": cell = .text(WorkbookReader.unescape(inline))
                    case "str": cell = value.map { .text(WorkbookReader.unescape($0)) }
                    case "b": cell = value.map { .boolean($0.trimmingSpaces() == "1") }
                    case "e": cell = value.map { .error($0) }
                    case "d": cell = value.map { .date(WorkbookReader.isoDate($0)) }
                    default:
                        if let raw = value?.trimmingSpaces(), !raw.isEmpty {
                            if let kind = dateStyles[style], let serial = Double(raw) {
                                cell = SpreadsheetDates.text(serial: serial, kind: kind, date1904: date1904).map { .date($0) } ?? .number(raw)
                            } else {
                                cell = .number(raw)
                            }
                        } else {
                            cell = nil
                        }
                    }
                    guard let cell else { return }
                    if case .text(let text) = cell, text.isEmpty { return }
                    count += 1
                    if count > limit { throw .tooManyCells(String(limit)) }
                    // Ctrl-C is polled as the CSV path polls it, every 65,536 cells.
                    if count & 0xFFFF == 0, (try? cancellation.check()) == nil { throw .cancelled }
                    if case .error = cell { grid.errorCells += 1 }
                    grid.rows[row, default: [:]][column] = cell
                }
            case .text(let range, let cdata):
                if inValue { value = (value ?? "") + scanner.text((range, cdata)) }
                else if inInlineText { inline += scanner.text((range, cdata)) }
            }
        }
    }

    /// A `t="d"` cell's ISO 8601 text (`2024-03-31T00:00:00Z`) without a midnight time or zone.
    static func isoDate(_ text: String) -> String {
        var text = text.trimmingSpaces()
        if text.hasSuffix("Z") { text.removeLast() }
        text = text.replacing("T", with: " ")
        if text.hasSuffix(" 00:00:00") { text.removeLast(9) }
        return text
    }
}
