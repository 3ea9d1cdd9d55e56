#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the table is in a file: its delimiter, its header, and the title and note lines around it.
///
/// Statistics-office exports put a quoted title line and an empty line above the header, and
/// sources or footnotes below the last row. The delimiter is chosen from a sample of lines (the
/// one that splits most of them into the same number of fields, as DuckDB's sniffer does), not
/// from the first line, which may be that title. The header is the first line with the table's
/// number of fields after the title lines — whatever its cells look like, so a header of years
/// (`"2006";"2008";…`) is a header.
struct Dialect {
    var delimiter: UInt8
    /// Byte offset where the header record starts (nil: the file has no header).
    var headerStart: Int?
    /// Byte range of the records below the header.
    var dataStart: Int
    var dataEnd: Int
    /// Lines above the header, as text (quotes removed), and their line numbers.
    var titleLines: [String] = []
    var titleLineNumbers: [Int] = []
    /// Lines below the last row, as text.
    var footnotes: [String] = []
    /// The number of fields of the table's records, as the sample showed it.
    var fieldCount: Int
}

enum Sniffer {
    static let candidates: [UInt8] = [0x2C, 0x3B, 0x09, 0x7C]
    /// The sample: this many records or bytes from the start, whichever comes first.
    static let sampleRecords = 200
    static let sampleBytes = 1 << 20

    /// One line of the sample, split with a candidate delimiter.
    struct SampleRecord {
        var start: Int
        var end: Int
        var fields: Int
        /// Fields with at least one byte.
        var nonEmpty: Int
        /// The only non-empty field's bytes, when there is exactly one.
        var onlyField: Range<Int>?
    }

    /// Splits records of `input` from `start`, honouring quotes, without building field lists.
    /// Stops at `limit` records, at `byteLimit`, or before a record whose quote never closes.
    static func sample(_ input: CSVImporter.Input, delimiter: UInt8, from start: Int, limit: Int, byteLimit: Int) -> [SampleRecord] {
        var records: [SampleRecord] = []
        var position = start
        let base = input.base
        let end = input.count
        while records.count < limit, position < end, position - start < byteLimit {
            // A blank line is not a record (it separates a title from the header).
            if base[position] == 0x0A { position += 1; continue }
            if base[position] == 0x0D, position + 1 < end, base[position + 1] == 0x0A { position += 2; continue }
            let recordStart = position
            var fields = 0, nonEmpty = 0
            var only: Range<Int>?
            var complete = true
            while true {
                var fieldStart = position, fieldEnd = position
                if position < end, base[position] == 0x22 {
                    position += 1
                    fieldStart = position
                    while true {
                        guard position < end else { complete = false; break }
                        if base[position] == 0x22 {
                            if position + 1 < end, base[position + 1] == 0x22 { position += 2; continue }
                            break
                        }
                        position += 1
                    }
                    if !complete { break }
                    fieldEnd = position
                    position += 1
                    while position < end, base[position] != delimiter, base[position] != 0x0A, base[position] != 0x0D { position += 1 }
                } else {
                    while position < end, base[position] != delimiter, base[position] != 0x0A { position += 1 }
                    fieldEnd = position
                    if fieldEnd > fieldStart, base[fieldEnd - 1] == 0x0D { fieldEnd -= 1 }
                }
                fields += 1
                if fieldEnd > fieldStart {
                    nonEmpty += 1
                    only = nonEmpty == 1 ? fieldStart..<fieldEnd : nil
                }
                if position < end, base[position] == delimiter { position += 1; continue }
                if position < end, base[position] == 0x0D { position += 1 }
                if position < end, base[position] == 0x0A { position += 1 }
                break
            }
            if !complete { break }
            records.append(SampleRecord(start: recordStart, end: position, fields: fields, nonEmpty: nonEmpty, onlyField: nonEmpty == 1 ? only : nil))
        }
        return records
    }

    /// A line that is a title or a note rather than a record: one cell holding a letter, and
    /// either fewer fields than the table (`"Poverty rate by province…"` alone on its line) or,
    /// with the table's count (`Title,,,,` as spreadsheets write it), a first cell with a space.
    /// A lone number is a value of a row, and a header of one name (`id,,`) has no space.
    static func isTextLine(_ record: SampleRecord, _ input: CSVImporter.Input, tableFields: Int?) -> Bool {
        guard record.nonEmpty == 1, let only = record.onlyField else { return false }
        var hasLetter = false, hasSpace = false
        for offset in only {
            let byte = input.base[offset]
            if byte >= 0x41 { hasLetter = true }
            if byte == 0x20 { hasSpace = true }
        }
        guard hasLetter else { return false }
        if record.fields == 1 { return true }
        if let tableFields, record.fields < tableFields { return true }
        let startsTheLine = only.lowerBound == record.start || (only.lowerBound == record.start + 1 && input.base[record.start] == 0x22)
        return tableFields == nil && startsTheLine && hasSpace
    }

    /// How well a delimiter splits the sample: the records after any leading text lines that
    /// have the most common field count. More consistent records win, then more fields.
    struct Score: Comparable {
        var consistent: Int
        var fieldCount: Int
        static func < (a: Score, b: Score) -> Bool { (a.consistent, a.fieldCount) < (b.consistent, b.fieldCount) }
    }

    static func score(_ records: [SampleRecord], _ input: CSVImporter.Input) -> (Score, leading: Int) {
        var leading = 0
        while leading < records.count, leading < 20, isTextLine(records[leading], input, tableFields: nil) { leading += 1 }
        if leading == records.count { leading = 0 }
        var counts: [Int: Int] = [:]
        for record in records[leading...] { counts[record.fields, default: 0] += 1 }
        guard let (fieldCount, consistent) = counts.max(by: { ($0.value, $0.key) < ($1.value, $1.key) }) else { return (Score(consistent: 0, fieldCount: 1), 0) }
        return (Score(consistent: fieldCount > 1 ? consistent : 0, fieldCount: fieldCount), leading)
    }

    static func sniff(_ input: CSVImporter.Input, options: CSVOptions) throws(Diagnostic) -> Dialect {
        // The delimiter: given, or the candidate that splits the sample best (`,` on a tie).
        var delimiter = options.delimiter ?? 0x2C
        var records: [SampleRecord] = []
        var leading = 0
        var fieldCount = 1
        if let given = options.delimiter {
            records = sample(input, delimiter: given, from: 0, limit: sampleRecords, byteLimit: sampleBytes)
            let (score, skip) = score(records, input)
            (leading, fieldCount) = (skip, score.fieldCount)
        } else {
            var best: (Score, Int, [SampleRecord])?
            for candidate in candidates {
                let sampled = sample(input, delimiter: candidate, from: 0, limit: sampleRecords, byteLimit: sampleBytes)
                let (score, skip) = score(sampled, input)
                if best == nil || best.map({ score > $0.0 }) == true {
                    best = (score, skip, sampled)
                    delimiter = candidate
                }
            }
            if let best, best.0.consistent > 0 {
                (records, leading, fieldCount) = (best.2, best.1, best.0.fieldCount)
            } else {
                // One column (or nothing consistent): the first line decides, as before.
                delimiter = firstLineDelimiter(input)
                records = sample(input, delimiter: delimiter, from: 0, limit: sampleRecords, byteLimit: sampleBytes)
                leading = 0
                fieldCount = records.first?.fields ?? 1
            }
        }
        var dialect = Dialect(delimiter: delimiter, headerStart: nil, dataStart: 0, dataEnd: input.count, fieldCount: fieldCount)
        // The header: given by line number, or the first record after the title lines.
        if let header = options.header {
            if header == 0 {
                dialect.headerStart = nil
                dialect.dataStart = 0
            } else {
                guard let start = lineStart(input, line: header) else { throw Diagnostic(.usage, .importHeaderBeyondEnd, [String(header)]) }
                dialect.headerStart = start
                for title in records where title.start < start {
                    if let text = text(of: title, input) { dialect.titleLines.append(text); dialect.titleLineNumbers.append(input.lineNumber(at: title.start)) }
                }
            }
        } else if fieldCount > 1, leading > 0, leading < records.count {
            for title in records[..<leading] {
                if let text = text(of: title, input) { dialect.titleLines.append(text); dialect.titleLineNumbers.append(input.lineNumber(at: title.start)) }
            }
            dialect.headerStart = records[leading].start
        } else {
            dialect.headerStart = records.first?.start ?? 0
        }
        // Footnotes: text lines after the last record with the table's field count.
        if fieldCount > 1 {
            dialect.dataEnd = footnoteStart(input, delimiter: delimiter, fieldCount: fieldCount, notes: &dialect.footnotes)
        }
        return dialect
    }

    /// The delimiter that the first line holds most of outside quotes (`,` on a tie).
    static func firstLineDelimiter(_ input: CSVImporter.Input) -> UInt8 {
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

    /// The text of a title line: its one cell, quotes undone, spaces trimmed (nil when blank).
    static func text(of record: SampleRecord, _ input: CSVImporter.Input) -> String? {
        guard let only = record.onlyField else { return nil }
        let raw = String(decoding: UnsafeBufferPointer(start: input.base + only.lowerBound, count: only.count), as: UTF8.self)
        let text = UnicodeText.nfc(raw.replacing("\"\"", with: "\"")).trimmingSpaces()
        return text.isEmpty ? nil : text
    }

    /// Byte offset where 1-based `line` starts, or nil past the end.
    static func lineStart(_ input: CSVImporter.Input, line: Int) -> Int? {
        var current = 1
        var position = 0
        while current < line {
            guard position < input.count, let found = memchr(input.base + position, 0x0A, input.count - position) else { return nil }
            position = (UnsafeRawPointer(found) - UnsafeRawPointer(input.base)) + 1
            current += 1
        }
        return position < input.count ? position : nil
    }

    /// Where the footnotes at the end of the file start (the file's end when there are none):
    /// up to 50 lines at the end, each one text cell with a letter and balanced quotes (so the
    /// tail of a quoted multi-line value is never taken for one).
    static func footnoteStart(_ input: CSVImporter.Input, delimiter: UInt8, fieldCount: Int, notes: inout [String]) -> Int {
        let base = input.base
        var end = input.count
        var dataEnd = input.count
        var found: [String] = []
        var examined = 0
        while end > 0, examined < 60 {
            // The line ending at `end` (without its line break).
            var lineEnd = end
            if lineEnd > 0, base[lineEnd - 1] == 0x0A { lineEnd -= 1 }
            if lineEnd > 0, base[lineEnd - 1] == 0x0D { lineEnd -= 1 }
            var lineStart = lineEnd
            while lineStart > 0, base[lineStart - 1] != 0x0A { lineStart -= 1 }
            examined += 1
            if lineStart == lineEnd {
                end = lineStart
                if lineStart == 0 { break }
                continue
            }
            var quotes = 0
            for offset in lineStart..<lineEnd where base[offset] == 0x22 { quotes += 1 }
            guard quotes % 2 == 0 else { break }
            let records = sample(CSVImporter.Input(base: base, count: lineEnd), delimiter: delimiter, from: lineStart, limit: 1, byteLimit: lineEnd - lineStart + 1)
            guard let record = records.first, isTextLine(record, input, tableFields: fieldCount), let text = text(of: record, input) else { break }
            found.append(text)
            dataEnd = lineStart
            end = lineStart
        }
        notes = found.reversed()
        return dataEnd
    }
}
