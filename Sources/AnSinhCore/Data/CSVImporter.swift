#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch

/// How to read a delimited text file.
public struct CSVOptions: Sendable {
    /// `,` `\t` or `;`; nil guesses from the header line.
    public var delimiter: UInt8?
    /// Column types to use instead of guessing (the built-in tables know theirs).
    public var types: [String: DataType] = [:]
    /// Parse on both cores when the file allows it (no quotes anywhere).
    public var parallel = true

    public init(delimiter: UInt8? = nil, types: [String: DataType] = [:]) {
        self.delimiter = delimiter
        self.types = types
    }
}

/// Reads CSV/TSV (UTF-8, header row) into a typed, dictionary-encoded table.
///
/// Works on raw bytes: no `String` per field. Column types are guessed from the first rows
/// (integer, decimal, boolean, Vietnamese-formatted number, text) and confirmed over the whole
/// file; a value that does not fit makes the column wider (integer → decimal → text) and the
/// file is read again, so a guess never loses data. A malformed file gives a message naming the
/// line, never a partial table.
public enum CSVImporter {
    /// A file's bytes, mapped into memory. A pipe, a FIFO or a device (`<(cat f)`, `/dev/stdin`)
    /// cannot be mapped and has no size: it is read to its end into memory instead, stopping with
    /// `tooLarge` past `maximumBytes`.
    public final class MappedFile: @unchecked Sendable {
        public let bytes: UnsafeRawBufferPointer
        private let length: Int
        private let mapped: Bool
        /// Memory read from a pipe or device (nil for a mapped file).
        private let readBuffer: UnsafeMutableRawPointer?

        /// Thrown (as the `Diagnostic` given) when a pipe holds more than `maximumBytes`.
        public init(path: String, maximumBytes: Int? = nil, tooLarge: Diagnostic? = nil) throws(Diagnostic) {
            let descriptor = open(path, O_RDONLY)
            guard descriptor >= 0 else {
                if errno == ENOENT { throw Diagnostic(.io, .fileNotFound, [path]) }
                throw Diagnostic(.io, .fileUnreadable, [path, String(cString: strerror(errno))])
            }
            defer { close(descriptor) }
            var status = stat()
            guard fstat(descriptor, &status) == 0 else {
                throw Diagnostic(.io, .fileUnreadable, [path, String(cString: strerror(errno))])
            }
            if (status.st_mode & S_IFMT) == S_IFDIR {
                throw Diagnostic(.io, .fileUnreadable, [path, "it is a directory"])
            }
            if (status.st_mode & S_IFMT) != S_IFREG {
                let (buffer, count) = try MappedFile.readAll(descriptor, path: path, maximumBytes: maximumBytes, tooLarge: tooLarge)
                readBuffer = buffer
                length = count
                bytes = UnsafeRawBufferPointer(start: readBuffer, count: length)
                mapped = false
                return
            }
            readBuffer = nil
            length = Int(status.st_size)
            if length == 0 {
                bytes = UnsafeRawBufferPointer(start: nil, count: 0)
                mapped = false
                return
            }
            guard let address = mmap(nil, length, PROT_READ, MAP_PRIVATE, descriptor, 0), address != MAP_FAILED else {
                throw Diagnostic(.io, .fileUnreadable, [path, String(cString: strerror(errno))])
            }
            madvise(address, length, MADV_SEQUENTIAL)
            bytes = UnsafeRawBufferPointer(start: address, count: length)
            mapped = true
        }

        deinit {
            if mapped, let base = bytes.baseAddress { munmap(UnsafeMutableRawPointer(mutating: base), length) }
            free(readBuffer)
        }

        /// Reads a descriptor to its end with read(2); the buffer is malloc'd (nil when empty).
        private static func readAll(_ descriptor: Int32, path: String, maximumBytes: Int?, tooLarge: Diagnostic?) throws(Diagnostic) -> (UnsafeMutableRawPointer?, Int) {
            var capacity = 1 << 16
            guard var buffer = malloc(capacity) else {
                throw Diagnostic(.io, .fileUnreadable, [path, String(cString: strerror(ENOMEM))])
            }
            var count = 0
            while true {
                if count == capacity {
                    if let maximumBytes, count > maximumBytes { break }
                    capacity *= 2
                    guard let grown = realloc(buffer, capacity) else {
                        free(buffer)
                        throw Diagnostic(.io, .fileUnreadable, [path, String(cString: strerror(ENOMEM))])
                    }
                    buffer = grown
                }
                let got = read(descriptor, buffer + count, capacity - count)
                if got < 0 {
                    if errno == EINTR { continue }
                    let reason = String(cString: strerror(errno))
                    free(buffer)
                    throw Diagnostic(.io, .fileUnreadable, [path, reason])
                }
                if got == 0 { break }
                count += got
                // Stop as soon as the limit is passed (`/dev/zero` never ends).
                if let maximumBytes, count > maximumBytes { break }
            }
            if let maximumBytes, count > maximumBytes {
                free(buffer)
                throw tooLarge ?? Diagnostic(.io, .fileUnreadable, [path, "it is too large"])
            }
            if count == 0 {
                free(buffer)
                return (nil, 0)
            }
            return (buffer, count)
        }
    }

    public struct Loaded {
        public var table: Table
        /// Things the user should know (a BOM removed, a header renamed).
        public var notes: [Diagnostic.Note]
    }

    public static func load(path: String, name: String, options: CSVOptions = CSVOptions(), limits: ResourceLimits = ResourceLimits(), cancellation: CancellationCheck = .never) throws(Diagnostic) -> Loaded {
        let tooLarge = Diagnostic(.limit, .csvTooLarge, [path, String(limits.maximumImportMegabytes)])
        let file = try MappedFile(path: path, maximumBytes: limits.maximumImportMegabytes * 1_048_576, tooLarge: tooLarge)
        if file.bytes.count > limits.maximumImportMegabytes * 1_048_576 { throw tooLarge }
        if file.bytes.isEmpty { throw Diagnostic(.io, .csvEmptyFile, [path]) }
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
        if bytes.count >= 2, (bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF) {
            // Excel's "Unicode text" and Windows Notepad's "Unicode" are UTF-16 with this mark.
            throw Diagnostic(.value, .csvUTF16)
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
        let delimiter = options.delimiter ?? guessDelimiter(input)
        // Header
        var headerScanner = RecordScanner(input: input, delimiter: delimiter, start: 0, end: input.count)
        var headerFields: [Field8] = []
        guard try headerScanner.nextRecord(into: &headerFields, scratch: nil) else { throw Diagnostic(.io, .csvEmptyFile, [name]) }
        var names: [String] = []
        for (index, field) in headerFields.enumerated() {
            var text = String(decoding: field.bytes(input), as: UTF8.self).trimmingSpaces()
            guard String(validating: field.bytes(input), as: UTF8.self) != nil else {
                throw Diagnostic(.value, .csvInvalidUTF8, ["1"])
            }
            text = UnicodeText.nfc(text)
            if text.isEmpty {
                text = "column\(index + 1)"
                notes.append(.init(.csvEmptyHeader, [String(index + 1), text]))
            }
            if names.contains(text) {
                var suffix = 2
                while names.contains("\(text)_\(suffix)") { suffix += 1 }
                notes.append(.init(.csvDuplicateHeader, [text, "\(text)_\(suffix)"]))
                text = "\(text)_\(suffix)"
            }
            names.append(text)
        }
        let dataStart = headerScanner.position
        // Types: given, else guessed from a sample, then confirmed over the file.
        var (types, thousandsLike) = try guessTypes(input: input, delimiter: delimiter, from: dataStart, columnCount: names.count)
        // A column whose every value reads `4.200` is either 4.2 or, the Vietnamese way, 4200: it
        // is read as text and decided below, with a note. Only such columns pay for this.
        var ambiguous: Set<Int> = []
        for index in names.indices where types[index] == .decimal && thousandsLike[index] {
            types[index] = .text
            ambiguous.insert(index)
        }
        for (index, name) in names.enumerated() {
            if let given = options.types[name] {
                types[index] = given
                ambiguous.remove(index)
            }
        }
        while true {
            try cancellation.check()
            switch try parse(input: input, delimiter: delimiter, from: dataStart, types: types, parallel: options.parallel, cancellation: cancellation) {
            case .success(let columns, let rowCount):
                var fields: [Field] = []
                for (index, name) in names.enumerated() {
                    var field = Field(name: name, type: columns[index].type)
                    field.isCode = field.type == .integer && ValueFormatter.isPlainIntegerColumn(name)
                    fields.append(field)
                }
                // Vietnamese-formatted numbers in text columns ("1.234,5", "169,96 tỷ") become decimals.
                var finalColumns = columns
                var decimalComma = false
                for index in finalColumns.indices where finalColumns[index].type == .text && options.types[names[index]] == nil && !ambiguous.contains(index) {
                    if let numbers = vietnameseNumbers(finalColumns[index]) {
                        finalColumns[index] = numbers
                        fields[index].type = .decimal
                        if finalColumns[index].count > 0, columns[index].dictionary.strings.contains(where: { $0.contains(",") }) { decimalComma = true }
                    }
                }
                for index in ambiguous.sorted() {
                    let strings = columns[index].dictionary.strings
                    if !strings.isEmpty, strings.allSatisfy(looksLikeThousands) {
                        // Every value is `d.ddd`: 4.2 in English, 4200 in Vietnamese. The file's
                        // other numbers decide (a decimal comma elsewhere: the dot groups
                        // thousands); the note says which reading was taken and how to get the other.
                        let example = strings[0]
                        let asDecimal = Double(example) ?? 0
                        let asThousands = VietnameseNumber.parseValue(example) ?? asDecimal * 1000
                        finalColumns[index] = decodedNumbers(columns[index], strings.map { text -> Double in
                            decimalComma ? (VietnameseNumber.parseValue(text) ?? 0) : (Double(text) ?? 0)
                        })
                        fields[index].type = .decimal
                        if decimalComma {
                            notes.append(.init(.csvReadAsThousands, [names[index], example, NumberText.plain(asThousands), NumberText.plain(asDecimal)]))
                        } else {
                            notes.append(.init(.csvReadAsDecimals, [names[index], example, NumberText.plain(asDecimal), NumberText.plain(asThousands)]))
                        }
                    } else if !strings.isEmpty, strings.allSatisfy({ text in Array(text.utf8).withUnsafeBufferPointer { NumberParsing.decimal($0) } != nil }) {
                        // A later value such as 3.14: plain decimals after all.
                        finalColumns[index] = decodedNumbers(columns[index], strings.map { text in
                            Array(text.utf8).withUnsafeBufferPointer { NumberParsing.decimal($0) } ?? 0
                        })
                        fields[index].type = .decimal
                    } else if let numbers = vietnameseNumbers(finalColumns[index]) {
                        finalColumns[index] = numbers
                        fields[index].type = .decimal
                    }
                }
                return Loaded(table: Table(name: name, fields: fields, columns: finalColumns, rowCount: rowCount), notes: notes)
            case .widen(let column, let type):
                types[column] = type
            }
        }
    }

    // MARK: - Input

    struct Input: @unchecked Sendable {
        let base: UnsafePointer<UInt8>
        let count: Int

        /// 1-based line number of a byte offset (only computed for messages).
        func lineNumber(at offset: Int) -> Int {
            var line = 1
            var position = 0
            let end = min(offset, count)
            while position < end {
                guard let found = memchr(base + position, 0x0A, end - position) else { break }
                line += 1
                position = (UnsafeRawPointer(found) - UnsafeRawPointer(base)) + 1
            }
            return line
        }
    }

    /// A field: a byte range, plus whether it was quoted with doubled quotes inside (then its
    /// unescaped bytes are in the scratch buffer).
    struct Field8 {
        var start: Int
        var end: Int
        var quoted: Bool
        /// Where the unescaped bytes are in the scratch buffer (only for fields with `""`).
        var scratchStart: Int = -1
        var scratchEnd: Int = -1

        func bytes(_ input: Input) -> UnsafeBufferPointer<UInt8> {
            UnsafeBufferPointer(start: input.base + start, count: end - start)
        }
    }

    private static func guessDelimiter(_ input: Input) -> UInt8 {
        var counts: [UInt8: Int] = [0x2C: 0, 0x09: 0, 0x3B: 0]
        var position = 0
        var inQuotes = false
        while position < input.count {
            let byte = input.base[position]
            if byte == 0x22 { inQuotes.toggle() }
            if !inQuotes {
                if byte == 0x0A { break }
                if counts[byte] != nil { counts[byte, default: 0] += 1 }
            }
            position += 1
        }
        return counts.max { $0.value < $1.value || ($0.value == $1.value && $0.key != 0x2C) }?.key ?? 0x2C
    }

    /// Unescaped bytes of quoted fields that contained doubled quotes.
    final class ScratchBuffer {
        var bytes: [UInt8] = []
    }

    /// Reads records between two offsets. Handles quotes, doubled quotes, CRLF and quoted newlines.
    struct RecordScanner {
        let input: Input
        let delimiter: UInt8
        var position: Int
        let end: Int
        var recordStart = 0

        init(input: Input, delimiter: UInt8, start: Int, end: Int) {
            self.input = input
            self.delimiter = delimiter
            self.position = start
            self.end = end
        }

        /// Fills `fields`; false at the end. Blank lines are skipped.
        mutating func nextRecord(into fields: inout [Field8], scratch: ScratchBuffer?) throws(Diagnostic) -> Bool {
            fields.removeAll(keepingCapacity: true)
            let base = input.base
            // Skip blank lines.
            while position < end, base[position] == 0x0A || (base[position] == 0x0D && position + 1 < end && base[position + 1] == 0x0A) {
                position += base[position] == 0x0D ? 2 : 1
            }
            guard position < end else { return false }
            recordStart = position
            while true {
                var field = Field8(start: position, end: position, quoted: false)
                if position < end, base[position] == 0x22 {
                    // Quoted field.
                    field.quoted = true
                    position += 1
                    let contentStart = position
                    var hasEscapes = false
                    while true {
                        guard position < end else {
                            throw Diagnostic(.value, .csvUnterminatedQuote, [String(input.lineNumber(at: recordStart))])
                        }
                        if base[position] == 0x22 {
                            if position + 1 < end, base[position + 1] == 0x22 {
                                hasEscapes = true
                                position += 2
                                continue
                            }
                            break
                        }
                        position += 1
                    }
                    field.start = contentStart
                    field.end = position
                    position += 1  // closing quote
                    if hasEscapes, let scratch {
                        field.scratchStart = scratch.bytes.count
                        var index = contentStart
                        while index < field.end {
                            scratch.bytes.append(base[index])
                            index += base[index] == 0x22 ? 2 : 1
                        }
                        field.scratchEnd = scratch.bytes.count
                    }
                    // Anything between the closing quote and the delimiter is kept, with the quote,
                    // as sqlite3 does: "a"b → a"b. Silently dropping the b would lose data.
                    let trailingStart = position
                    while position < end, base[position] != delimiter, base[position] != 0x0A, base[position] != 0x0D { position += 1 }
                    if position > trailingStart {
                        if field.scratchStart >= 0, let scratch {
                            scratch.bytes.append(0x22)
                            scratch.bytes.append(contentsOf: UnsafeBufferPointer(start: base + trailingStart, count: position - trailingStart))
                            field.scratchEnd = scratch.bytes.count
                        } else {
                            // Without doubled quotes the raw bytes already read a"b.
                            field.end = position
                        }
                    }
                } else {
                    while position < end {
                        let byte = base[position]
                        if byte == delimiter || byte == 0x0A { break }
                        position += 1
                    }
                    field.end = position
                    if field.end > field.start, base[field.end - 1] == 0x0D, position >= end || base[position] == 0x0A {
                        field.end -= 1
                    }
                }
                fields.append(field)
                if position >= end { return true }
                let byte = base[position]
                if byte == delimiter {
                    position += 1
                    if position >= end { fields.append(Field8(start: position, end: position, quoted: false)); return true }
                    continue
                }
                if byte == 0x0D { position += 1 }
                if position < end, base[position] == 0x0A { position += 1 }
                return true
            }
        }
    }

    // MARK: - Types

    /// The guessed types, and for each column whether every sampled value looks like `4.200`.
    private static func guessTypes(input: Input, delimiter: UInt8, from start: Int, columnCount: Int) throws(Diagnostic) -> ([DataType], [Bool]) {
        var scanner = RecordScanner(input: input, delimiter: delimiter, start: start, end: input.count)
        var fields: [Field8] = []
        var candidates = [Set<DataType>](repeating: [.integer, .decimal, .boolean], count: columnCount)
        var sawValue = [Bool](repeating: false, count: columnCount)
        var thousandsLike = [Bool](repeating: true, count: columnCount)
        var records = 0
        while records < 2000, try scanner.nextRecord(into: &fields, scratch: nil) {
            records += 1
            for (index, field) in fields.enumerated() where index < columnCount && field.end > field.start {
                sawValue[index] = true
                let bytes = field.bytes(input)
                if candidates[index].contains(.integer), NumberParsing.integer(bytes) == nil { candidates[index].remove(.integer) }
                if candidates[index].contains(.decimal), NumberParsing.decimal(bytes) == nil { candidates[index].remove(.decimal) }
                if candidates[index].contains(.boolean), NumberParsing.boolean(bytes) == nil { candidates[index].remove(.boolean) }
                if thousandsLike[index], !looksLikeThousands(bytes) { thousandsLike[index] = false }
            }
        }
        let types = (0..<columnCount).map { index -> DataType in
            if !sawValue[index] { return .text }
            if candidates[index].contains(.integer) { return .integer }
            if candidates[index].contains(.decimal) { return .decimal }
            if candidates[index].contains(.boolean) { return .boolean }
            return .text
        }
        return (types, thousandsLike)
    }

    /// `4.200`, `-12.500`, `999.000`: one to three digits (not a leading 0), a dot, three digits
    /// — a decimal in English and a whole number in Vietnamese.
    static func looksLikeThousands(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = bytes.first == 0x2D ? 1 : 0
        let digitsBefore = bytes.count - index - 4
        guard digitsBefore >= 1, digitsBefore <= 3, bytes[index] != 0x30 else { return false }
        for _ in 0..<digitsBefore {
            guard bytes[index] &- 0x30 < 10 else { return false }
            index += 1
        }
        guard bytes[index] == 0x2E else { return false }
        return bytes[(index + 1)...].allSatisfy { $0 &- 0x30 < 10 }
    }

    static func looksLikeThousands(_ text: String) -> Bool {
        Array(text.utf8).withUnsafeBufferPointer { looksLikeThousands($0) }
    }

    /// A decimal column with `values[code]` for each row of the text column `column`.
    private static func decodedNumbers(_ column: Column, _ values: [Double]) -> Column {
        var out = KernelOutput(.decimal, count: column.count)
        let to = out.decimals
        for row in 0..<column.count {
            if column.isNull(row) { out.setNull(row); to[row] = 0 } else { to[row] = values[Int(column.codes[row])] }
        }
        return out.finish()
    }

    /// A text column whose every value is a Vietnamese-formatted number, as decimals.
    private static func vietnameseNumbers(_ column: Column) -> Column? {
        let strings = column.dictionary.strings
        guard !strings.isEmpty else { return nil }
        // `007`, `0912.345.678`: codes and phone numbers keep their zeros.
        if strings.contains(where: { $0.count > 1 && $0.hasPrefix("0") && $0.unicodeScalars.dropFirst().first.map({ $0.properties.numericType != nil }) == true }) { return nil }
        var values: [Double] = []
        values.reserveCapacity(strings.count)
        var looksVietnamese = false
        for string in strings {
            guard let value = VietnameseNumber.parseValue(string), string.unicodeScalars.first.map({ $0.properties.numericType != nil || $0 == "-" }) == true else { return nil }
            if string.contains(",") || string.contains("tỷ") || string.contains("triệu") || string.contains("nghìn") || string.contains("%") || string.contains(".") { looksVietnamese = true }
            values.append(value)
        }
        guard looksVietnamese else { return nil }
        var out = KernelOutput(.decimal, count: column.count)
        let to = out.decimals
        for row in 0..<column.count {
            if column.isNull(row) { out.setNull(row); to[row] = 0 } else { to[row] = values[Int(column.codes[row])] }
        }
        return out.finish()
    }

    // MARK: - Parsing

    enum ParseOutcome {
        case success([Column], Int)
        /// A value did not fit: read again with this column widened.
        case widen(Int, DataType)
    }

    private static func parse(input: Input, delimiter: UInt8, from start: Int, types: [DataType], parallel: Bool, cancellation: CancellationCheck) throws(Diagnostic) -> ParseOutcome {
        // Two chunks on two cores, split at a line break, when no quote can hide a line break.
        var boundaries = [start, input.count]
        let remaining = input.count - start
        if parallel, remaining > 4_000_000, memchr(input.base + start, 0x22, remaining) == nil {
            var middle = start + remaining / 2
            if let newline = memchr(input.base + middle, 0x0A, input.count - middle) {
                middle = (UnsafeRawPointer(newline) - UnsafeRawPointer(input.base)) + 1
                if middle < input.count { boundaries = [start, middle, input.count] }
            }
        }
        let chunkCount = boundaries.count - 1
        let chunkBoundaries = boundaries
        let results = ResultBox(count: chunkCount)
        let estimatedRows = max(16, remaining / max(1, averageRecordLength(input: input, from: start)) + 16)
        let work: @Sendable (Int) -> Void = { chunk in
            var parser = ChunkParser(input: input, delimiter: delimiter, types: types, start: chunkBoundaries[chunk], end: chunkBoundaries[chunk + 1], estimatedRows: estimatedRows / chunkCount, cancellation: cancellation)
            results.set(chunk, Result { () throws(Diagnostic) -> ChunkParser.Output in try parser.run() })
        }
        if chunkCount == 1 {
            work(0)
        } else {
            DispatchQueue.concurrentPerform(iterations: chunkCount, execute: work)
        }
        var outputs: [ChunkParser.Output] = []
        for chunk in 0..<chunkCount {
            switch results.get(chunk) {
            case .success(let output): outputs.append(output)
            case .failure(let diagnostic): throw diagnostic
            case nil: throw Diagnostic(.cancelled, .cancelled)
            }
        }
        // The first widening wins (the earliest in the file, for a stable message order).
        for output in outputs {
            if let (column, type) = output.widen { return .widen(column, type) }
        }
        return .success(try merge(outputs, types: types, input: input), outputs.reduce(0) { $0 + $1.rowCount })
    }

    private static func averageRecordLength(input: Input, from start: Int) -> Int {
        let sample = min(input.count - start, 65536)
        guard sample > 0 else { return 64 }
        var lines = 0
        for offset in 0..<sample where input.base[start + offset] == 0x0A { lines += 1 }
        return max(1, sample / max(1, lines))
    }

    final class ResultBox: @unchecked Sendable {
        private var results: [Result<ChunkParser.Output, Diagnostic>?]
        private let lock = NSLockish()
        init(count: Int) { results = Array(repeating: nil, count: count) }
        func set(_ index: Int, _ result: Result<ChunkParser.Output, Diagnostic>) {
            lock.locked { results[index] = result }
        }
        func get(_ index: Int) -> Result<ChunkParser.Output, Diagnostic>? {
            lock.locked { results[index] }
        }
    }

    /// Joins chunk outputs: numeric buffers are appended with realloc; text codes of later chunks
    /// are remapped into the first chunk's dictionary.
    private static func merge(_ outputs: [ChunkParser.Output], types: [DataType], input: Input) throws(Diagnostic) -> [Column] {
        // Decode and validate every text column of every chunk before any storage changes
        // hands: an invalid byte must leave each buffer owning exactly what it owned.
        var decodedText: [Int: [[String]]] = [:]
        for (index, type) in types.enumerated() where type == .text {
            var perChunk: [[String]] = []
            for output in outputs {
                let interner = output.columns[index].interner
                let strings = interner.strings(input: input)
                if let bad = strings.firstIndex(where: { $0 == nil }) {
                    throw Diagnostic(.value, .csvInvalidUTF8, [String(input.lineNumber(at: interner.firstOffset(bad)))])
                }
                perChunk.append(strings.map { $0 ?? "" })
            }
            decodedText[index] = perChunk
        }
        var columns: [Column] = []
        let total = outputs.reduce(0) { $0 + $1.rowCount }
        for (index, type) in types.enumerated() {
            let size = Column.elementSize(type)
            let storage = Memory.reallocate(outputs[0].columns[index].storage, max(8, total * size))
            outputs[0].columns[index].forgetStorage()
            var validity: UnsafeMutablePointer<UInt64>?
            var nullCount = 0
            var dictionary = TextDictionary()
            var offset = 0
            for (chunkIndex, output) in outputs.enumerated() {
                let buffer = output.columns[index]
                if type == .text, let decoded = decodedText[index]?[chunkIndex] {
                    if chunkIndex == 0, decoded.allSatisfy({ UnicodeText.isCertainlyNFC($0.utf8) }) {
                        // Distinct bytes that are already NFC are distinct strings: no hashing.
                        dictionary = TextDictionary(distinct: decoded)
                    }
                    let remap: [UInt32] = chunkIndex == 0 && dictionary.count == decoded.count
                        ? (0..<UInt32(decoded.count)).map { $0 }
                        : decoded.map { dictionary.intern(UnicodeText.nfc($0)) }
                    let codes = (storage + offset * size).assumingMemoryBound(to: UInt32.self)
                    // The first chunk's buffer was moved by realloc: its codes are in `storage` now.
                    let source = (chunkIndex == 0 ? storage : buffer.storage).assumingMemoryBound(to: UInt32.self)
                    remap.withUnsafeBufferPointer { remap in
                        // A null cell holds code 0 with its validity bit clear; a chunk whose
                        // cells are all null has no strings at all, so its codes stay 0.
                        for row in 0..<buffer.count {
                            let code = Int(source[row])
                            codes[row] = code < remap.count ? remap[code] : 0
                        }
                    }
                } else if chunkIndex > 0 {
                    (storage + offset * size).copyMemory(from: buffer.storage, byteCount: buffer.count * size)
                }
                if buffer.nullCount > 0 {
                    if validity == nil { validity = Column.allocateValidity(count: total) }
                    for row in 0..<buffer.count where buffer.isNull(row) {
                        let target = offset + row
                        validity?[target >> 6] &= ~(1 << UInt64(target & 63))
                    }
                    nullCount += buffer.nullCount
                }
                offset += buffer.count
                if chunkIndex > 0 { buffer.releaseStorage() }
            }
            columns.append(Column(type: type, count: total, storage: storage, dictionary: type == .text ? dictionary : nil, validity: validity, nullCount: nullCount))
        }
        return columns
    }
}

/// A tiny mutex over pthread (Foundation's NSLock is not imported here).
final class NSLockish: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    init() { pthread_mutex_init(&mutex, nil) }
    deinit { pthread_mutex_destroy(&mutex) }
    func locked<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return try body()
    }
}
