#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the first rows say about each column: its type, whether its dots could group thousands,
/// and what the file's numbers say about its decimal mark.
struct TypeGuess {
    var types: [DataType]
    /// Every value is digits, or digits grouped by dots in threes (`1.374`, `83`, `2.178`), and
    /// at least one has a dot: 1.374 in English, 1374 in Vietnamese.
    var dotGrouped: [Bool]
    var evidence: DecimalEvidence
}

extension CSVImporter {
    /// Types guessed from the first 2,000 records, then confirmed over the whole file (a value
    /// that does not fit widens its column and the file is read again). Missing markers (`..`)
    /// say nothing about a column's type; a column of nothing but markers holds numbers.
    static func guessTypes(input: Input, delimiter: UInt8, from start: Int, end: Int, columnCount: Int, markers: [[UInt8]]) throws(Diagnostic) -> TypeGuess {
        var scanner = RecordScanner(input: input, delimiter: delimiter, start: start, end: end)
        var fields: [Field8] = []
        var candidates = [Set<DataType>](repeating: [.integer, .decimal, .boolean], count: columnCount)
        var sawValue = [Bool](repeating: false, count: columnCount)
        var sawMarker = [Bool](repeating: false, count: columnCount)
        var dotGrouped = [Bool](repeating: true, count: columnCount)
        var sawGroupDot = [Bool](repeating: false, count: columnCount)
        var evidence = DecimalEvidence()
        var records = 0
        while records < 2000, try scanner.nextRecord(into: &fields, scratch: nil) {
            records += 1
            for (index, field) in fields.enumerated() where index < columnCount && field.end > field.start {
                let bytes = field.bytes(input)
                if let base = bytes.baseAddress, let marker = MissingMarkers.match(base, bytes.count, markers: markers) {
                    // Only PX-Web's `..` and `...` make a column of nothing else a number column:
                    // a column of `-` and `NA` alone may be text.
                    if markers[marker].allSatisfy({ $0 == 0x2E }) { sawMarker[index] = true }
                    continue
                }
                sawValue[index] = true
                if candidates[index].contains(.integer), NumberParsing.integer(bytes) == nil { candidates[index].remove(.integer) }
                if candidates[index].contains(.decimal), NumberParsing.decimal(bytes) == nil { candidates[index].remove(.decimal) }
                if candidates[index].contains(.boolean), NumberParsing.boolean(bytes) == nil { candidates[index].remove(.boolean) }
                evidence.see(bytes)
                if dotGrouped[index] {
                    switch DecimalEvidence.shape(bytes) {
                    case .integer: break
                    case .ambiguousDot: sawGroupDot[index] = true
                    case .onlyComma where !bytes.contains(0x2C): sawGroupDot[index] = true  // 1.234.567
                    default: dotGrouped[index] = false
                    }
                }
            }
        }
        let types = (0..<columnCount).map { index -> DataType in
            if !sawValue[index] { return sawMarker[index] ? .decimal : .text }
            if candidates[index].contains(.integer) { return .integer }
            if candidates[index].contains(.decimal) { return .decimal }
            if candidates[index].contains(.boolean) { return .boolean }
            return .text
        }
        return TypeGuess(types: types, dotGrouped: (0..<columnCount).map { dotGrouped[$0] && sawGroupDot[$0] }, evidence: evidence)
    }

    /// `4.200`, `-12.500`, `999.000`: one to three digits (not a leading 0), a dot, three digits
    /// — a decimal in English and a whole number in Vietnamese.
    static func looksLikeThousands(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        DecimalEvidence.shape(bytes) == .ambiguousDot
    }

    static func looksLikeThousands(_ text: String) -> Bool {
        Array(text.utf8).withUnsafeBufferPointer { looksLikeThousands($0) }
    }
}

/// Text columns that hold numbers after all, converted with the file's decimal mark: `4,69`
/// and `169,96 tỷ` (Vietnamese), `1,234.5` (English), and the columns whose dots could group
/// thousands. Missing markers in them become null and are counted for the import's note.
struct NumberColumns {
    let names: [String]
    let markers: [String]
    /// The mark the file's numbers point to (or the one given); nil when they do not tell.
    let mark: DecimalMark?
    /// The mark given with `(decimal …)`, if any.
    let given: DecimalMark?
    let evidence: DecimalEvidence

    /// The column as decimals (nil when it is text after all) and the notes on how it was read.
    func convert(_ column: Column, column index: Int, ambiguous: Bool, counts: inout MarkerCounts) -> (column: Column?, notes: [Diagnostic.Note]) {
        let strings = column.dictionary.strings
        guard !strings.isEmpty else { return (nil, []) }
        // Which marker each distinct string is, if any.
        let markerOf: [Int?] = strings.map { string in markers.firstIndex { $0.lowercased() == string.lowercased() } }
        let values = strings.enumerated().filter { markerOf[$0.offset] == nil }.map(\.element)
        guard !values.isEmpty else { return (nil, []) }
        // `007`, `0912.345.678`: codes and phone numbers keep their zeros.
        if values.contains(where: { $0.count > 1 && $0.hasPrefix("0") && $0.unicodeScalars.dropFirst().first.map({ $0.properties.numericType != nil }) == true }) { return (nil, []) }
        var notes: [Diagnostic.Note] = []
        var parsed: [Double?]?
        if ambiguous {
            let example = values.first { Array($0.utf8).withUnsafeBufferPointer { DecimalEvidence.shape($0) == .ambiguousDot } } ?? values[0]
            let asDecimal = DecimalMark.dot.parse(example)
            let asThousands = DecimalMark.comma.parse(example)
            let reading = mark ?? .dot
            parsed = parseAll(strings, markerOf) { reading.parse($0) }
            if parsed == nil, reading == .comma { parsed = parseAll(strings, markerOf) { DecimalMark.dot.parse($0) } }
            else if parsed != nil, given == nil, let asDecimal, let asThousands {
                let name = names[index]
                switch (mark, reading) {
                case (nil, _):
                    notes.append(.init(.csvReadAsDecimals, [name, example, NumberText.plain(asDecimal), NumberText.plain(asThousands)]))
                case (.comma?, _):
                    notes.append(.init(.csvReadAsThousands, [name, example, NumberText.plain(asThousands), NumberText.plain(asDecimal), evidence.commaExample ?? ""]))
                case (.dot?, _):
                    notes.append(.init(.csvReadAsDecimalsByEvidence, [name, example, NumberText.plain(asDecimal), NumberText.plain(asThousands), evidence.dotExample ?? ""]))
                }
            }
        } else if mark == .dot {
            // An English file: commas group thousands (`1,234.5`).
            parsed = parseAll(strings, markerOf) { DecimalMark.dot.parse($0) }
        } else {
            // Vietnamese writing, or a file that does not say: `4,69`, `1.234,5`, `169,96 tỷ`.
            var looksVietnamese = false
            parsed = parseAll(strings, markerOf) { string in
                // The cheap test first: a long cell that cannot be a number is not normalised.
            guard string.unicodeScalars.first.map({ $0.properties.numericType != nil || $0 == "-" }) == true, let value = VietnameseNumber.parseValue(string) else { return nil }
                if string.contains(",") || string.contains("tỷ") || string.contains("triệu") || string.contains("nghìn") || string.contains("%") || string.contains(".") { looksVietnamese = true }
                return value
            }
            if !looksVietnamese { parsed = nil }
        }
        guard let parsed else { return (nil, []) }
        var out = KernelOutput(.decimal, count: column.count)
        let to = out.decimals
        for row in 0..<column.count {
            if column.isNull(row) { out.setNull(row); to[row] = 0; continue }
            let code = Int(column.codes[row])
            if let value = parsed[code] {
                to[row] = value
            } else {
                out.setNull(row)
                to[row] = 0
                if let marker = markerOf[code] { counts.add(column: index, marker: marker) }
            }
        }
        return (out.finish(), notes)
    }

    /// Each distinct string's value (nil for a marker), or nil when one is neither.
    private func parseAll(_ strings: [String], _ markerOf: [Int?], _ parse: (String) -> Double?) -> [Double?]? {
        var values: [Double?] = []
        values.reserveCapacity(strings.count)
        for (index, string) in strings.enumerated() {
            if markerOf[index] != nil { values.append(nil); continue }
            guard let value = parse(string) else { return nil }
            values.append(value)
        }
        return values
    }
}
