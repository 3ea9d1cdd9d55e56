#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch

/// Reads CSV/TSV (UTF-8, header row) into a typed, dictionary-encoded table.
///
/// Works on raw bytes: no `String` per field. Column types are guessed from the first rows
/// (integer, decimal, boolean, Vietnamese-formatted number, text) and confirmed over the whole
/// file; a value that does not fit makes the column wider (integer → decimal → text) and the
/// file is read again, so a guess never loses data. A malformed file gives a message naming the
/// line, never a partial table.
public enum CSVImporter {

    public struct Loaded {
        public var table: Table
        /// Things the user should know (a BOM removed, a header renamed).
        public var notes: [Diagnostic.Note]
    }

    /// `access`: which files may be opened (safe mode's folder check, Files/FileAccess.swift).
    public static func load(path: String, name: String, options: CSVOptions = CSVOptions(), limits: ResourceLimits = ResourceLimits(),
                            access: FileAccess = .unrestricted, cancellation: CancellationCheck = .never) throws(Diagnostic) -> Loaded {
        let tooLarge = Diagnostic(.limit, .csvTooLarge, [path, String(limits.maximumImportMegabytes)])
        let file = try MappedFile.open(path, access: access, command: ".import", limits: limits, tooLarge: tooLarge)
        if file.bytes.count > limits.maximumImportMegabytes * 1_048_576 { throw tooLarge }
        if let format = SpreadsheetImporter.format(path: path, bytes: file.bytes) {
            // The second cell source: a workbook's cells, then the same path as a CSV file's.
            if file.bytes.isEmpty { throw Diagnostic(.io, .csvEmptyFile, [path]) }
            return try SpreadsheetImporter.load(bytes: file.bytes, path: path, name: name, format: format, options: options, limits: limits, cancellation: cancellation)
        }
        if file.bytes.isEmpty { throw Diagnostic(.io, .csvEmptyFile, [path]) }
        for option in ["sheet", "range"] where options.given.contains(option) {
            throw Diagnostic(.usage, .xlsxOptionOnlyForSpreadsheet, [option, path])
        }
        try refuseLinesOverMemoryLimit(file.bytes, limits: limits)
        var options = options
        if options.delimiter == nil, path.lowercased().hasSuffix(".tsv") || path.lowercased().hasSuffix(".tab") { options.delimiter = 9 }
        return try load(bytes: file.bytes, name: name, options: options, cancellation: cancellation)
    }

    public static func load(text: String, name: String, options: CSVOptions = CSVOptions()) throws(Diagnostic) -> Loaded {
        var bytes = Array(text.utf8)
        if bytes.isEmpty { throw Diagnostic(.io, .csvEmptyFile, [name]) }
        bytes.append(0)  // keep a valid pointer for a one-byte file
        let result = bytes.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) -> Result<Loaded, Diagnostic> in
            Result { () throws(Diagnostic) -> Loaded in
                try load(bytes: UnsafeRawBufferPointer(rebasing: buffer[0..<(buffer.count - 1)]), name: name, options: options, cancellation: .never)
            }
        }
        return try result.get()
    }

    /// Reads a file's bytes: encoding → where the table is → header names → types → columns.
    public static func load(bytes allBytes: UnsafeRawBufferPointer, name: String, options: CSVOptions, cancellation: CancellationCheck) throws(Diagnostic) -> Loaded {
        var notes: [Diagnostic.Note] = []
        var bytes = allBytes
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            bytes = UnsafeRawBufferPointer(rebasing: bytes[3...])
            notes.append(.init(.csvBOMRemoved))
        }
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count > 0 else {
            throw Diagnostic(.io, .csvEmptyFile, [name])
        }
        let buffer = UnsafeBufferPointer(start: base, count: bytes.count)
        // Encodings other than UTF-8 are converted once, then read like any UTF-8 file.
        var convertFrom: TextEncoding?
        if bytes.count >= 2, (bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF) {
            // Excel's "Unicode text" and Windows Notepad's "Unicode" are UTF-16 with this mark.
            convertFrom = bytes[0] == 0xFF ? .utf16le : .utf16be
            notes.append(.init(.csvConvertedUTF16, [convertFrom?.rawValue ?? ""]))
            bytes = UnsafeRawBufferPointer(rebasing: bytes[2...])
        } else if let requested = options.encoding, requested != .utf8 {
            convertFrom = requested
        } else if options.encoding == nil, let utf16 = TextEncoding.looksLikeUTF16WithoutBOM(buffer) {
            convertFrom = utf16
            notes.append(.init(.csvConvertedUTF16WithoutBOM, [utf16.rawValue]))
        }
        if let encoding = convertFrom {
            var converted = TextEncoding.convertToUTF8(UnsafeBufferPointer(start: bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), count: bytes.count), from: encoding)
            var inner = options
            inner.encoding = .utf8
            converted.append(0)
            let result = converted.withUnsafeBytes { buffer in
                Result { () throws(Diagnostic) -> Loaded in
                    try load(bytes: UnsafeRawBufferPointer(rebasing: buffer[0..<(buffer.count - 1)]), name: name, options: inner, cancellation: cancellation)
                }
            }
            var loaded = try result.get()
            loaded.notes = notes + loaded.notes
            return loaded
        }
        if memchr(base, 0x0A, bytes.count) == nil, memchr(base, 0x0D, bytes.count) != nil {
            // Classic Mac line ends (a lone CR, as old Excel for Mac writes): read them as
            // newlines rather than taking the whole file for one header line.
            var copy = Array(UnsafeBufferPointer(start: base, count: bytes.count))
            for index in copy.indices where copy[index] == 0x0D { copy[index] = 0x0A }
            let result = copy.withUnsafeBytes { buffer in
                Result { () throws(Diagnostic) -> Loaded in try load(bytes: buffer, name: name, options: options, cancellation: cancellation) }
            }
            var loaded = try result.get()
            loaded.notes = notes + loaded.notes
            return loaded
        }
        let input = Input(base: base, count: bytes.count)
        if let nul = memchr(base, 0, bytes.count) {
            let offset = UnsafeRawPointer(nul) - UnsafeRawPointer(base)
            throw Diagnostic(.value, .csvNULByte, [String(input.lineNumber(at: offset))])
        }
        do {
            var loaded = try loadUTF8(input, name: name, options: options, cancellation: cancellation)
            loaded.notes = notes + loaded.notes
            return loaded
        } catch {
            // Not UTF-8 after all: a single-byte encoding, converted with a note that says which
            // one was taken and how to choose the other.
            guard error.message == .csvInvalidUTF8, options.encoding == nil else { throw error }
            let guessed = TextEncoding.guessSingleByte(UnsafeBufferPointer(start: base, count: bytes.count))
            var retry = options
            retry.encoding = guessed
            var loaded = try load(bytes: bytes, name: name, options: retry, cancellation: cancellation)
            let other: TextEncoding = guessed == .windows1258 ? .latin1 : .windows1258
            loaded.notes = notes + [.init(.csvConvertedSingleByte, [error.arguments.first ?? "1", guessed.rawValue, other.rawValue])] + loaded.notes
            return loaded
        }
    }

    /// The table in UTF-8 bytes without a byte-order mark.
    static func loadUTF8(_ input: Input, name: String, options: CSVOptions, cancellation: CancellationCheck) throws(Diagnostic) -> Loaded {
        var notes: [Diagnostic.Note] = []
        let dialect = try Sniffer.sniff(input, options: options)
        for (index, title) in dialect.titleLines.enumerated() {
            notes.append(.init(.csvTitleLine, [String(dialect.titleLineNumbers[index]), UnicodeText.clipped(title, limit: 70)]))
        }
        if !dialect.footnotes.isEmpty {
            notes.append(.init(.csvFootnotes, [String(dialect.footnotes.count), UnicodeText.clipped(dialect.footnotes[0], limit: 70)]))
        }
        // Header: names from its cells (doubled quotes undone), at most `maximumColumns`.
        var names: [String]
        var dataStart: Int
        if let headerStart = dialect.headerStart {
            var scanner = RecordScanner(input: input, delimiter: dialect.delimiter, start: headerStart, end: dialect.dataEnd)
            scanner.maximumFields = options.maximumColumns
            var headerFields: [Field8] = []
            let scratch = ScratchBuffer()
            guard try scanner.nextRecord(into: &headerFields, scratch: scratch) else { throw Diagnostic(.io, .csvEmptyFile, [name]) }
            var cells: [String] = []
            cells.reserveCapacity(headerFields.count)
            let headerLine = String(input.lineNumber(at: headerStart))
            for field in headerFields {
                let raw: [UInt8] = field.scratchStart >= 0 ? Array(scratch.bytes[field.scratchStart..<field.scratchEnd]) : Array(field.bytes(input))
                guard let text = String(validating: raw, as: UTF8.self) else { throw Diagnostic(.value, .csvInvalidUTF8, [headerLine]) }
                cells.append(text)
            }
            let resolved = HeaderNames.resolve(cells)
            names = resolved.names
            notes += resolved.notes
            dataStart = scanner.position
        } else {
            var scanner = RecordScanner(input: input, delimiter: dialect.delimiter, start: 0, end: dialect.dataEnd)
            scanner.maximumFields = options.maximumColumns
            var firstFields: [Field8] = []
            guard try scanner.nextRecord(into: &firstFields, scratch: nil) else { throw Diagnostic(.io, .csvEmptyFile, [name]) }
            names = (1...max(1, firstFields.count)).map { "column\($0)" }
            dataStart = 0
        }
        // A trailing delimiter on every line (`a;b;`) makes an unnamed last column with no value.
        let markers = MissingMarkers.bytes(options.markers)
        let guess = try guessTypes(input: input, delimiter: dialect.delimiter, from: dataStart, end: dialect.dataEnd, columnCount: names.count, markers: markers)
        let decimalMark = options.decimal ?? guess.evidence.decided
        var types = guess.types
        // Columns of `1.374` and `83` are 1.374 in English and 1374 in Vietnamese: read as text
        // and decided below from the file's decimal mark. With `decimal ','` given, every
        // decimal column is read that way too.
        var ambiguous: Set<Int> = []
        for index in names.indices where (guess.dotGrouped[index] && (types[index] == .decimal || types[index] == .text)) || (options.decimal == .comma && types[index] == .decimal) {
            types[index] = .text
            ambiguous.insert(index)
        }
        for (index, name) in names.enumerated() {
            if let given = options.types[name] {
                types[index] = given
                ambiguous.remove(index)
            }
        }
        let unknownTypes = options.types.keys.filter { !names.contains($0) }.sorted()
        if let first = unknownTypes.first {
            throw Diagnostic(.usage, .importTypesUnknownColumn, [first], suggestions: UnicodeText.suggestions(for: first, among: names))
        }
        while true {
            try cancellation.check()
            let outcome: ParseOutcome
            do {
                outcome = try parse(input: input, delimiter: dialect.delimiter, from: dataStart, end: dialect.dataEnd, types: types, markers: markers, parallel: options.parallel, cancellation: cancellation)
            } catch {
                if error.message == .csvRaggedRow { throw explainRagged(error, input: input, dialect: dialect) }
                throw error
            }
            switch outcome {
            case .success(let columns, let rowCount, var markerCounts):
                var fields: [Field] = []
                for (index, name) in names.enumerated() {
                    var field = Field(name: name, type: columns[index].type)
                    field.isCode = field.type == .integer && ValueFormatter.isPlainIntegerColumn(name)
                    fields.append(field)
                }
                var finalColumns = columns
                let numbers = NumberColumns(names: names, markers: options.markers, mark: decimalMark, given: options.decimal, evidence: guess.evidence)
                for index in finalColumns.indices where finalColumns[index].type == .text && options.types[names[index]] == nil {
                    let result = numbers.convert(finalColumns[index], column: index, ambiguous: ambiguous.contains(index), counts: &markerCounts)
                    if let converted = result.column {
                        finalColumns[index] = converted
                        fields[index].type = .decimal
                    }
                    notes += result.notes
                }
                if let note = markerCounts.note(markers: options.markers, names: names) { notes.append(note) }
                let title = dialect.titleLines.isEmpty ? nil : dialect.titleLines.joined(separator: " — ")
                if options.findUnits {
                    notes += ImportUnits.annotate(fields: &fields, columns: &finalColumns, rowCount: rowCount, title: title)
                }
                let table = Table(name: name, fields: fields, columns: finalColumns, rowCount: rowCount, summary: title)
                table.footnotes = dialect.footnotes
                return Loaded(table: table, notes: notes)
            case .widen(let column, let type, let offset):
                // A declared type is the reader's word: a cell that does not read as it is an
                // error naming the line and the cell, as DuckDB's read_csv(types=…) does ("Could
                // not convert string "NaN" to 'DECIMAL'"), never a column quietly made text.
                if let declared = options.types[names[column]] {
                    throw Diagnostic(.value, .importDeclaredTypeMismatch, [String(input.lineNumber(at: offset)), names[column], declared.rawValue,
                                                                           UnicodeText.clipped(cellText(input: input, at: offset, delimiter: dialect.delimiter), limit: 40), type.rawValue])
                }
                types[column] = type
            }
        }
    }

    /// A mapped file costs no memory, but every cell is copied out of it: a line longer than
    /// `.limit memory_mb` cannot be held within the limit, so it is refused before the sniffer,
    /// the type guess and the parser each pass over it (a 256 MB field under memory_mb 128 was
    /// imported at 780 MB in 47 s). Only a file larger than the limit can hold such a line, so
    /// other files pay nothing; the scan is memchr for newlines.
    static func refuseLinesOverMemoryLimit(_ bytes: UnsafeRawBufferPointer, limits: ResourceLimits) throws(Diagnostic) {
        let limit = limits.maximumMemoryMegabytes * 1_048_576
        guard bytes.count > limit, let base = bytes.baseAddress else { return }
        var start = 0
        var line = 1
        while start < bytes.count {
            let rest = bytes.count - start
            let end = memchr(base + start, 0x0A, rest).map { UnsafeRawPointer($0) - base } ?? bytes.count
            if end - start > limit {
                throw Diagnostic(.limit, .csvLineOverMemoryLimit, [String(line), String(limits.maximumMemoryMegabytes), String((end - start) / 1_048_576)])
            }
            start = end + 1
            line += 1
        }
    }

    /// The cell starting at `offset`, as written (quotes removed, up to its delimiter or line end).
    static func cellText(input: Input, at offset: Int, delimiter: UInt8) -> String {
        // The general parser's offset is past a quoted cell's opening quote; the fast one sees no quotes.
        var start = offset
        var quoted = offset > 0 && offset <= input.count && input.base[offset - 1] == 0x22
        if !quoted, start < input.count, input.base[start] == 0x22 { start += 1; quoted = true }
        var end = start
        while end < input.count, end - start < 200 {
            let byte = input.base[end]
            if quoted ? byte == 0x22 : (byte == delimiter || byte == 0x0A || byte == 0x0D) { break }
            end += 1
        }
        return String(decoding: UnsafeBufferPointer(start: input.base + start, count: end - start), as: UTF8.self)
    }

    /// A ragged row's message, pointing at the likely cause: a value holding the delimiter
    /// (`Cities, provincies` split at its comma) or a header that was really a title line.
    static func explainRagged(_ error: Diagnostic, input: Input, dialect: Dialect) -> Diagnostic {
        guard error.arguments.count == 3, let line = Int(error.arguments[0]), let expected = Int(error.arguments[1]), let found = Int(error.arguments[2]),
              let start = Sniffer.lineStart(input, line: line) else { return error }
        var end = start
        while end < input.count, input.base[end] != 0x0A { end += 1 }
        let text = String(decoding: UnsafeBufferPointer(start: input.base + start, count: end - start), as: UTF8.self)
        let delimiter = Character(Unicode.Scalar(dialect.delimiter))
        if expected == 1, found > 1, let header = dialect.headerStart {
            let headerLine = input.lineNumber(at: header)
            return Diagnostic(.value, .csvRaggedAfterTitle, [String(line), String(expected), String(found), String(headerLine)])
        }
        if found > expected {
            // A delimiter between a word and a space, outside quotes: part of a name.
            var inQuotes = false
            let characters = Array(text)
            for index in characters.indices {
                if characters[index] == "\"" { inQuotes.toggle(); continue }
                guard !inQuotes, characters[index] == delimiter, index > 0, index + 1 < characters.count,
                      characters[index - 1].isLetter, characters[index + 1] == " " else { continue }
                var from = index - 1
                while from > 0, characters[from - 1] != delimiter, characters[from - 1] != "\"" { from -= 1 }
                var to = index + 1
                while to < characters.count, characters[to] != delimiter, characters[to] != "\"", characters[to] != "\r" { to += 1 }
                let snippet = String(characters[from..<to]).trimmingSpaces()
                return Diagnostic(.value, .csvRaggedSplitValue, [String(line), String(expected), String(found), String(delimiter), UnicodeText.clipped(snippet, limit: 50)])
            }
        }
        return error
    }
}

extension CSVImporter {
    /// The bytes of a file: Files/MappedFile.swift, which opens it through `FileAccess` (safe
    /// mode's open-then-check) and bounds what a pipe or device may send (`.limit memory_mb`).
    public typealias MappedFile = AnSinhCore.MappedFile
}
