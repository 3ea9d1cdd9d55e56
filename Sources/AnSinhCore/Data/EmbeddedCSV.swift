import Glibc

/// A direct reader for the CSV files compiled into the binary, whose column types are known
/// (`datasets/columns.csv`): one pass over the bytes, no sniffing, no type guessing.
///
/// The general importer costs about 100 instructions a byte on these small files (it samples for
/// the dialect, guesses every column's type before parsing and handles title lines, footnotes,
/// markers and widening), which made loading the embedded data most of start-up. This reader
/// takes only the plain case — a simple header, every cell of the declared type, quotes only
/// around whole text cells, no CR, no BOM, no blank or ragged line — and returns nil for anything
/// else, so the caller falls back to `CSVImporter` with the same options. Where it answers, the
/// table is the importer's, cell for cell and code for code (`DatasetTests` checks every file).
enum EmbeddedCSV {
    /// The table, or nil when the file is not the plain case. `otherColumns` is the type of
    /// columns that `types` does not name (nil: every column must be named).
    static func load(_ text: String, name: String, types: [String: DataType], otherColumns: DataType? = nil) -> Table? {
        var text = text
        return text.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return nil }
            return load(base, bytes.count, name: name, types: types, otherColumns: otherColumns)
        }
    }

    private static func load(_ base: UnsafePointer<UInt8>, _ count: Int, name: String, types given: [String: DataType], otherColumns: DataType?) -> Table? {
        let quote: UInt8 = 0x22, comma: UInt8 = 0x2C, newline: UInt8 = 0x0A
        // The last line may end without a line break (the build writes multi-line literals).
        guard count > 0, memchr(base, 0x0D, count) == nil,
              !(count >= 3 && base[0] == 0xEF && base[1] == 0xBB && base[2] == 0xBF) else { return nil }
        // Header: names of [a-z0-9_], distinct, so that HeaderNames.resolve would keep them as they are.
        var names: [String] = []
        var position = 0
        var nameStart = 0
        while true {
            guard position < count else { return nil }
            let byte = base[position]
            if byte == comma || byte == newline {
                guard position > nameStart else { return nil }
                names.append(String(decoding: UnsafeBufferPointer(start: base + nameStart, count: position - nameStart), as: UTF8.self))
                position += 1
                nameStart = position
                if byte == newline { break }
                continue
            }
            guard (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x5F else { return nil }
            position += 1
        }
        // One column alone could end in footnotes (the importer looks for them only with two or more).
        guard names.count > 1, Set(names).count == names.count else { return nil }
        var types: [DataType] = []
        for name in names {
            guard let type = given[name] ?? otherColumns, type != .null else { return nil }
            types.append(type)
        }
        guard Set(given.keys).isSubset(of: names) else { return nil }

        let columnCount = names.count
        // Numbers and booleans go straight into builders; text cells become codes of a byte
        // interner (nullCode for an empty cell), turned into a dictionary at the end.
        let nullCode = UInt32.max
        let builders = types.map { $0 == .text ? nil : ColumnBuilder(type: $0, capacity: 256) }
        var codes: [[UInt32]] = types.map { _ in [] }
        var interners = types.map { $0 == .text ? ByteInterner() : nil }
        defer { for interner in interners { interner?.release() } }
        var rowCount = 0
        var scratch: [UInt8] = []
        // Records: each cell up to a comma or the line end; a text cell may be quoted ("" is a quote).
        while position < count {
            for column in 0..<columnCount {
                let last = column == columnCount - 1
                let end: UInt8 = last ? newline : comma
                if base[position] == quote {
                    guard types[column] == .text else { return nil }
                    // A quoted cell: up to the quote that is not doubled, then the separator.
                    scratch.removeAll(keepingCapacity: true)
                    var cursor = position + 1
                    var doubled = false
                    while true {
                        guard cursor < count else { return nil }
                        if !doubled, let found = memchr(base + cursor, Int32(quote), count - cursor) {
                            cursor = UnsafeRawPointer(found) - UnsafeRawPointer(base)
                        }
                        if base[cursor] == quote {
                            if cursor + 1 < count, base[cursor + 1] == quote {
                                if !doubled { scratch.append(contentsOf: UnsafeBufferPointer(start: base + position + 1, count: cursor - position - 1)); doubled = true }
                                scratch.append(quote)
                                cursor += 2
                                continue
                            }
                            break
                        }
                        if doubled { scratch.append(base[cursor]) }
                        cursor += 1
                    }
                    guard cursor + 1 < count ? base[cursor + 1] == end : last else { return nil }
                    let code: UInt32
                    if doubled {
                        code = scratch.withUnsafeBufferPointer { cell in
                            interners[column]?.intern(cell.baseAddress ?? base, cell.count, sourceOffset: position) ?? 0
                        }
                    } else {
                        code = interners[column]?.intern(base + position + 1, cursor - position - 1, sourceOffset: position) ?? 0
                    }
                    codes[column].append(code)
                    position = cursor + 2
                    continue
                }
                // An unquoted cell.
                var cursor = position
                while cursor < count, base[cursor] != comma, base[cursor] != newline, base[cursor] != quote { cursor += 1 }
                guard cursor < count ? base[cursor] == end : last else { return nil }
                let cell = base + position, length = cursor - position
                guard let builder = builders[column] else {
                    codes[column].append(length == 0 ? nullCode : interners[column]?.intern(cell, length, sourceOffset: position) ?? 0)
                    position = cursor + 1
                    continue
                }
                if length == 0 {
                    builder.appendNull()
                } else {
                    switch types[column] {
                    case .integer:
                        guard let value = NumberParsing.integer(cell, length) else { return nil }
                        builder.append(integer: value)
                    case .decimal:
                        guard let value = NumberParsing.decimal(cell, length) else { return nil }
                        builder.append(decimal: value)
                    case .boolean:
                        guard let value = NumberParsing.boolean(UnsafeBufferPointer(start: cell, count: length)) else { return nil }
                        builder.append(boolean: value)
                    case .text, .null:
                        return nil
                    }
                }
                position = cursor + 1
            }
            rowCount += 1
        }

        // Text: the distinct values as strings, in NFC as the importer stores them (ParallelParse.merge).
        var columns: [Column] = []
        var fields: [Field] = []
        for column in 0..<columnCount {
            var field = Field(name: names[column], type: types[column])
            field.isCode = field.type == .integer && ValueFormatter.isPlainIntegerColumn(names[column])
            fields.append(field)
            guard let interner = interners[column] else {
                if let builder = builders[column] { columns.append(builder.finish()) }
                continue
            }
            // As ParallelParse.merge: distinct bytes already in NFC are distinct strings; otherwise
            // each is normalised and interned, so two spellings of one text share a code.
            let strings = interner.decodedStrings()
            let dictionary: TextDictionary
            var remap: [UInt32]?
            // (Checked over contiguous bytes: through String.UTF8View it cost 20 instructions a byte.)
            if strings.allSatisfy({ var string = $0; return string.withUTF8 { UnicodeText.isCertainlyNFC($0) } }) {
                dictionary = TextDictionary(distinct: strings)
            } else {
                dictionary = TextDictionary()
                remap = strings.map { dictionary.intern(UnicodeText.nfc($0)) }
            }
            let builder = ColumnBuilder(type: .text, capacity: rowCount, dictionary: dictionary)
            for code in codes[column] {
                if code == nullCode { builder.appendNull() } else { builder.append(code: remap?[Int(code)] ?? code) }
            }
            columns.append(builder.finish())
        }
        return Table(name: name, fields: fields, columns: columns, rowCount: rowCount)
    }
}
