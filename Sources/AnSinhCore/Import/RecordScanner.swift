#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension CSVImporter {
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
        /// More fields in one record is refused as it is read (a header of 10⁶ cells stops at the limit).
        var maximumFields = Int.max

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
                if fields.count > maximumFields {
                    throw Diagnostic(.limit, .csvTooManyColumns, [String(input.lineNumber(at: recordStart)), String(maximumFields)])
                }
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
}
