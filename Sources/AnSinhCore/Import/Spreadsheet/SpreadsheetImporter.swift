/// Reads one sheet of a `.xlsx` workbook into a table: the second cell source of the import.
///
/// The workbook gives cells (WorkbookReader); everything after — title rows above the table,
/// the header, notes below it, missing markers, types, units — is the CSV path's, so a sheet
/// and the same table saved as CSV load the same. The cells reach it as delimited text written
/// here, with each cell's kind kept: text quoted, numbers in a form no decimal-mark guess can
/// misread (`155e-1`, never `15.5` beside `4,69`), dates as ISO text, errors as empty cells.
enum SpreadsheetImporter {
    enum Format {
        case xlsx
        /// An OLE2 compound file: an Excel 97–2003 workbook, or an encrypted .xlsx.
        case compoundFile
    }

    /// What the bytes (or, for an empty file, the name) say the file is; nil for text.
    static func format(path: String, bytes: UnsafeRawBufferPointer) -> Format? {
        if bytes.count >= 4, bytes[0] == 0x50, bytes[1] == 0x4B, bytes[2] == 0x03 || bytes[2] == 0x05, bytes[3] == 0x04 || bytes[3] == 0x06 { return .xlsx }
        let compound: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]
        if bytes.count >= 8, (0..<8).allSatisfy({ bytes[$0] == compound[$0] }) { return .compoundFile }
        let lowered = path.lowercased()
        if lowered.hasSuffix(".xlsx") || lowered.hasSuffix(".xlsm") { return .xlsx }
        if lowered.hasSuffix(".xls") { return .compoundFile }
        return nil
    }

    static func load(bytes: UnsafeRawBufferPointer, path: String, name: String, format: Format, options: CSVOptions,
                     limits: ResourceLimits, cancellation: CancellationCheck) throws(Diagnostic) -> CSVImporter.Loaded {
        let file = path.split(separator: "/").last.map(String.init) ?? path
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { throw Diagnostic(.io, .csvEmptyFile, [path]) }
        let buffer = UnsafeBufferPointer(start: base, count: bytes.count)
        if format == .compoundFile {
            // An encrypted .xlsx is a compound file holding an `EncryptedPackage` stream.
            let marker = Array("EncryptedPackage".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
            throw Diagnostic(.value, contains(buffer, marker) ? .xlsxEncrypted : .xlsxLegacy, [file])
        }
        for option in ["delimiter", "encoding"] where options.given.contains(option) {
            throw Diagnostic(.usage, .xlsxOptionNotForSpreadsheet, [option])
        }
        var range: CellRange?
        if let text = options.range {
            guard let parsed = CellRange.parse(text.trimmingSpaces()) else { throw Diagnostic(.usage, .xlsxBadRange, [text]) }
            range = parsed
        }
        let memory = limits.maximumMemoryMegabytes * 1_048_576
        let archive: ZipArchive
        do {
            archive = try ZipArchive(buffer, budget: memory)
        } catch {
            throw diagnostic(error, file: file, limits: limits)
        }
        if !archive.contains("xl/workbook.xml"), !archive.contains("_rels/.rels") {
            if archive.contains("content.xml"), contains(buffer, Array("opendocument.spreadsheet".utf8)) { throw Diagnostic(.value, .xlsxOpenDocument, [file]) }
            throw Diagnostic(.value, .xlsxNotWorkbook, [file])
        }
        try cancellation.check()
        var reader = WorkbookReader(archive: archive, cellLimit: max(1, memory / 32), cancellation: cancellation)
        let grid: SheetGrid
        do {
            grid = try reader.read(sheet: options.sheet, range: range)
        } catch {
            switch error {
            case .zip(let failure): throw diagnostic(failure, file: file, limits: limits)
            case .xml(let part): throw Diagnostic(.value, .xlsxDamaged, [file, part])
            case .noSheets: throw Diagnostic(.value, .xlsxNotWorkbook, [file])
            case .noSheet(let wanted, let names):
                throw Diagnostic(.usage, .xlsxNoSheet, [file, wanted, names.map { "`\($0)`" }.joined(separator: ", ")],
                                 suggestions: UnicodeText.suggestions(for: wanted, among: names))
            case .chartSheet(let sheet): throw Diagnostic(.value, .xlsxChartSheet, [sheet])
            case .tooManyCells: throw Diagnostic(.limit, .xlsxTooLarge, [file, "sheet", String(limits.maximumMemoryMegabytes)])
            case .cancelled: throw Diagnostic(.cancelled, .cancelled)
            }
        }
        try cancellation.check()
        let layout = SheetLayout(grid, range: range, givenHeader: options.header.flatMap { $0 > 0 ? $0 : nil })
        guard let layout else { throw Diagnostic(.value, .xlsxEmptySheet, [grid.sheetName, range.map { " in " + $0.text } ?? ""]) }
        var inner = options
        inner.delimiter = 0x2C
        inner.encoding = .utf8
        inner.parallel = false
        inner.sheet = nil
        inner.range = nil
        if let header = options.header, header > 0 {
            // `header N` is the sheet's row N; the text starts at the range's first row.
            guard header >= layout.top else { throw Diagnostic(.usage, .importHeaderBeyondEnd, [String(header)]) }
            inner.header = header - layout.top + 1
        }
        var text = layout.text
        if text.isEmpty { throw Diagnostic(.value, .xlsxEmptySheet, [grid.sheetName, range.map { " in " + $0.text } ?? ""]) }
        let result = text.withUTF8 { utf8 in
            Result { () throws(Diagnostic) -> CSVImporter.Loaded in
                try CSVImporter.load(bytes: UnsafeRawBufferPointer(utf8), name: name, options: inner, cancellation: cancellation)
            }
        }
        var loaded: CSVImporter.Loaded
        switch result {
        case .success(let value): loaded = value
        case .failure(let error):
            if error.message == .csvEmptyFile { throw Diagnostic(.value, .xlsxEmptySheet, [grid.sheetName, range.map { " in " + $0.text } ?? ""]) }
            throw error
        }
        // The CSV path counts lines; a sheet has rows.
        loaded.notes = loaded.notes.map { note in
            guard note.message == .csvTitleLine, let line = note.arguments.first.flatMap({ Int($0) }) else { return note }
            return Diagnostic.Note(.xlsxTitleRow, [String(line + layout.top - 1)] + note.arguments.dropFirst())
        }
        var notes: [Diagnostic.Note] = []
        let others = grid.sheetNames.filter { $0 != grid.sheetName }
        notes.append(others.isEmpty ? .init(.xlsxOnlySheet, [grid.sheetName])
                                    : .init(.xlsxSheetRead, [grid.sheetName, others.map { "`\($0)`" }.joined(separator: ", ")]))
        if let joined = layout.joinedHeader { notes.append(.init(.xlsxHeaderRowsJoined, [String(joined.row), String(joined.row + 1), joined.example])) }
        if !layout.mergesFilled.isEmpty {
            let shown = layout.mergesFilled.prefix(3).map(\.text).joined(separator: ", ") + (layout.mergesFilled.count > 3 ? ", …" : "")
            notes.append(.init(.xlsxMergedCells, [String(layout.mergesFilled.count), shown]))
        }
        if layout.errorCells > 0 { notes.append(.init(.xlsxErrorCells, [String(layout.errorCells), layout.errorExample])) }
        let dateColumns = layout.dateColumns.compactMap { index -> String? in
            let position = index - layout.left
            guard position >= 0, position < loaded.table.fields.count else { return nil }
            return "`" + loaded.table.fields[position].name + "`"
        }
        if !dateColumns.isEmpty { notes.append(.init(.xlsxDates, [dateColumns.prefix(4).joined(separator: ", ")])) }
        loaded.notes = notes + loaded.notes
        return loaded
    }

    static func diagnostic(_ failure: ZipArchive.Failure, file: String, limits: ResourceLimits) -> Diagnostic {
        switch failure {
        case .notZip: Diagnostic(.value, .xlsxNotZip, [file])
        case .corrupt(let part): Diagnostic(.value, .xlsxDamaged, [file, part])
        case .encrypted: Diagnostic(.value, .xlsxEncrypted, [file])
        case .tooLarge(let part): Diagnostic(.limit, .xlsxTooLarge, [file, part, String(limits.maximumMemoryMegabytes)])
        case .unsupportedMethod(let part, _): Diagnostic(.value, .xlsxDamaged, [file, part])
        }
    }

    static func contains(_ buffer: UnsafeBufferPointer<UInt8>, _ needle: [UInt8]) -> Bool {
        guard let first = needle.first, buffer.count >= needle.count else { return false }
        var index = 0
        while index + needle.count <= buffer.count {
            if buffer[index] == first, (1..<needle.count).allSatisfy({ buffer[index + $0] == needle[$0] }) { return true }
            index += 1
        }
        return false
    }
}

/// Where the table is on a sheet, and the sheet written as delimited text for the CSV path.
///
/// Rows above the first row with two filled cells hold at most one cell: titles, written as
/// one field, as a statistics office's CSV has them. Rows after the last such row with one text
/// cell are notes when they look like notes (after an empty row, merged across columns, long,
/// or outside the first column); otherwise rows of the table with empty values. Merged ranges
/// in the table fill all their cells; a merge spanning columns in the header row, with a row of
/// names under it, makes a two-row header whose names are joined (`Total` over `1995`: `Total 1995`).
struct SheetLayout {
    var text: String
    /// The sheet row of the text's first line, and the sheet column of its first field.
    var top: Int
    var left: Int
    var mergesFilled: [CellRange] = []
    var joinedHeader: (row: Int, example: String)?
    var errorCells = 0
    var errorExample = ""
    var dateColumns: [Int] = []

    /// `givenHeader`: the sheet row `(header N)` names, if any.
    init?(_ grid: SheetGrid, range: CellRange?, givenHeader: Int? = nil) {
        var rows = grid.rows
        let rowNumbers = rows.keys.sorted()
        guard let lastRow = rowNumbers.last else { return nil }
        top = range?.firstRow ?? 1
        let tableRows = rowNumbers.filter { (rows[$0]?.count ?? 0) >= 2 }
        var columns = rows.values.flatMap(\.keys)
        left = range?.firstColumn ?? columns.min() ?? 1
        guard let headerRow = tableRows.first, let lastTableRow = tableRows.last else {
            // One column (or one cell per row): every row is a record of one field.
            var text = ""
            for row in top...lastRow {
                if let cell = rows[row]?.values.first { text += SheetLayout.field(cell) }
                text += "\n"
            }
            self.text = text
            return
        }
        columns = rowNumbers.filter { $0 >= headerRow && $0 <= lastTableRow }.flatMap { rows[$0].map { Array($0.keys) } ?? [] }
        left = range?.firstColumn ?? columns.min() ?? 1
        let right = range.map { min($0.lastColumn, columns.max() ?? $0.lastColumn) } ?? columns.max() ?? left
        // Merges inside the table fill their cells (the title's merge stays one cell).
        for merge in grid.merges where merge.lastRow >= headerRow && merge.firstRow <= lastTableRow {
            guard let value = rows[merge.firstRow]?[merge.firstColumn] else { continue }
            var filled = false
            for row in max(merge.firstRow, headerRow)...min(merge.lastRow, lastTableRow) {
                for column in max(merge.firstColumn, left)...max(max(merge.firstColumn, left), min(merge.lastColumn, right)) where rows[row]?[column] == nil {
                    rows[row, default: [:]][column] = value
                    filled = true
                }
            }
            if filled { mergesFilled.append(merge) }
        }
        // A two-row header: a merge across columns in the header row, names in the row below.
        var headerNames: [Int: String]?
        let spanning = grid.merges.filter { $0.firstRow == headerRow && $0.lastRow == headerRow && $0.lastColumn > $0.firstColumn }
        if !spanning.isEmpty, let below = rows[headerRow + 1], spanning.contains(where: { merge in (merge.firstColumn...merge.lastColumn).contains { below[$0] != nil } }),
           below[left] == nil || below[left] == rows[headerRow]?[left],
           !below.values.contains(where: { if case .text = $0 { return false }; if case .number = $0 { return false }; return true }) {
            var names: [Int: String] = [:]
            var example = ""
            for column in left...right {
                let upper = rows[headerRow]?[column].map(SheetLayout.plain) ?? ""
                let lower = below[column].map(SheetLayout.plain) ?? ""
                let name = upper == lower || lower.isEmpty ? upper : (upper.isEmpty ? lower : upper + " " + lower)
                names[column] = name
                if example.isEmpty, !upper.isEmpty, !lower.isEmpty, upper != lower { example = name }
            }
            headerNames = names
            joinedHeader = (headerRow, example)
        }
        var text = ""
        var dates: Set<Int> = []
        var previousWasEmpty = false
        for row in top...lastRow {
            defer { text += "\n" }
            guard let cells = rows[row], !cells.isEmpty else { previousWasEmpty = true; continue }
            if row == headerRow, let headerNames {
                text += (left...right).map { SheetLayout.quoted(headerNames[$0] ?? "") }.joined(separator: ",")
                previousWasEmpty = false
                continue
            }
            if row == headerRow + 1, headerNames != nil { continue }  // joined into the header
            if row == (givenHeader ?? headerRow) {
                // Names as the sheet shows them: a year is `2010`, not a number's written form.
                text += (left...right).map { column in cells[column].map { SheetLayout.quoted(SheetLayout.plain($0)) } ?? "" }.joined(separator: ",")
                continue
            }
            let isNoteRow: Bool
            if row < headerRow {
                isNoteRow = true
            } else if row > lastTableRow, cells.count == 1, let (column, cell) = cells.first, case .text(let value) = cell {
                let merged = grid.merges.contains { $0.firstRow == row && $0.firstColumn == column && $0.lastColumn > column }
                isNoteRow = previousWasEmpty || merged || value.count >= 30 || column != left
            } else {
                isNoteRow = false
            }
            previousWasEmpty = false
            if isNoteRow {
                // One field, as a title or note line of a CSV file.
                if let cell = cells.sorted(by: { $0.key < $1.key }).first?.value { text += SheetLayout.field(cell) }
                continue
            }
            var fields: [String] = []
            fields.reserveCapacity(right - left + 1)
            for column in left...right {
                guard let cell = cells[column] else { fields.append(""); continue }
                if case .error(let code) = cell {
                    errorCells += 1
                    if errorExample.isEmpty { errorExample = code }
                }
                if case .date = cell, row > headerRow { dates.insert(column) }
                fields.append(SheetLayout.field(cell))
            }
            text += fields.joined(separator: ",")
        }
        dateColumns = dates.sorted()
        self.text = text
    }

    /// A cell as one field of the text.
    static func field(_ cell: SheetCell) -> String {
        switch cell {
        case .text(let value), .date(let value): quoted(value)
        case .number(let raw): plainNumber(raw)
        case .boolean(let value): value ? "true" : "false"
        case .error: ""
        }
    }

    /// A cell as a header name.
    static func plain(_ cell: SheetCell) -> String {
        switch cell {
        case .text(let value), .date(let value): value
        case .number(let raw): raw
        case .boolean(let value): value ? "true" : "false"
        case .error(let code): code
        }
    }

    static func quoted(_ text: String) -> String {
        var clean = text
        if clean.contains("\u{0}") { clean = clean.replacing("\u{0}", with: "") }
        return "\"" + clean.replacing("\"", with: "\"\"") + "\""
    }

    /// A number of the sheet in a form whose reading cannot depend on a decimal mark: whole
    /// numbers as digits (`2006`), others as integer digits and a power of ten (`155e-1` for
    /// 15.5), so no `1.374` reaches the CSV path's thousands-or-decimal question.
    static func plainNumber(_ raw: String) -> String {
        var negative = false
        var digits: [UInt8] = []
        var exponent = 0
        var bytes = Array(raw.utf8)[...]
        if bytes.first == 0x2D { negative = true; bytes = bytes.dropFirst() } else if bytes.first == 0x2B { bytes = bytes.dropFirst() }
        var sawDot = false, sawDigit = false
        while let byte = bytes.first, byte != 0x65, byte != 0x45 {
            bytes = bytes.dropFirst()
            if byte == 0x2E, !sawDot { sawDot = true; continue }
            guard byte &- 0x30 < 10 else { return quoted(raw) }
            digits.append(byte)
            sawDigit = true
            if sawDot { exponent -= 1 }
        }
        guard sawDigit else { return quoted(raw) }
        if let byte = bytes.first, byte == 0x65 || byte == 0x45 {
            guard let power = Int(String(decoding: bytes.dropFirst(), as: UTF8.self)), abs(power) < 10_000 else { return quoted(raw) }
            exponent += power
        }
        while digits.count > 1, digits.first == 0x30 { digits.removeFirst() }
        while digits.count > 1, digits.last == 0x30 { digits.removeLast(); exponent += 1 }
        if digits == [0x30] { return "0" }
        var text = String(decoding: digits, as: UTF8.self)
        if exponent > 0, digits.count + exponent <= 18 {
            text += String(repeating: "0", count: exponent)
            exponent = 0
        }
        if exponent != 0 { text += "e" + String(exponent) }
        return negative ? "-" + text : text
    }
}
