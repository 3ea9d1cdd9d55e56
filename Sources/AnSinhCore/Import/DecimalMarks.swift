/// Which mark separates decimals: `.` (English, `14.2`) or `,` (Vietnamese, `4,69`).
///
/// `1.374` is 1.374 in an English export and 1374 in a Vietnamese one; the file decides, from
/// numbers that can only be read one way (`0.649`, `1387.000` and `15.5` are decimals; `4,69`
/// and `1.234.567` are Vietnamese). Never a silent default: when nothing in the file decides,
/// the note says which reading was taken and how to choose the other.
public enum DecimalMark: String, Sendable {
    case dot = "."
    case comma = ","

    var byte: UInt8 { self == .dot ? 0x2E : 0x2C }
    var groupingByte: UInt8 { self == .dot ? 0x2C : 0x2E }
    var other: DecimalMark { self == .dot ? .comma : .dot }

    /// `'.'`, `','` and the words people write for them.
    public static func named(_ text: String) -> DecimalMark? {
        switch text.lowercased() {
        case ".", "dot", "point", "period", "en", "english": .dot
        case ",", "comma", "vi", "vn", "vietnamese": .comma
        default: nil
        }
    }

    /// A plain number written with this decimal mark, the other mark grouping thousands in
    /// groups of three (`1,234.5` with `.`; `1.234,5` with `,`); spaces may group too
    /// (`1 234,5`). Nil for anything else: no units, words or percent signs.
    public func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        var start = 0, end = bytes.count
        while start < end, bytes[start] == 0x20 { start += 1 }
        while end > start, bytes[end - 1] == 0x20 { end -= 1 }
        guard start < end else { return nil }
        var digits: [UInt8] = []
        digits.reserveCapacity(end - start)
        var index = start
        if bytes[index] == 0x2D || bytes[index] == 0x2B {
            if bytes[index] == 0x2D { digits.append(0x2D) }
            index += 1
        }
        var groupLength = 0
        var groups = 0
        var sawDecimal = false
        var sawDigit = false
        var groupingSeparator: UInt8 = 0
        while index < end {
            let byte = bytes[index]
            if byte &- 0x30 < 10 {
                digits.append(byte)
                groupLength += 1
                sawDigit = true
            } else if byte == self.byte, !sawDecimal {
                guard sawDigit || index + 1 < end else { return nil }
                if groups > 0 { guard groupLength == 3 else { return nil } }
                digits.append(0x2E)
                sawDecimal = true
                groupLength = 0
            } else if !sawDecimal, byte == groupingByte || byte == 0x20 || byte == 0xA0 {
                if groupingSeparator == 0 { groupingSeparator = byte } else if byte != groupingSeparator { return nil }
                if groups == 0 {
                    guard groupLength >= 1, groupLength <= 3 else { return nil }
                } else {
                    guard groupLength == 3 else { return nil }
                }
                groups += 1
                groupLength = 0
            } else if byte == 0x65 || byte == 0x45, sawDigit, groups == 0 {
                // An exponent (`1e9`, `1,5e3` with a comma) ends the mantissa.
                digits.append(0x65)
                index += 1
                if index < end, bytes[index] == 0x2D || bytes[index] == 0x2B { digits.append(bytes[index]); index += 1 }
                guard index < end else { return nil }
                while index < end {
                    guard bytes[index] &- 0x30 < 10 else { return nil }
                    digits.append(bytes[index])
                    index += 1
                }
                break
            } else {
                return nil
            }
            index += 1
        }
        guard sawDigit else { return nil }
        if groups > 0, !sawDecimal { guard groupLength == 3 else { return nil } }
        return digits.withUnsafeBufferPointer { NumberParsing.decimal($0) }
    }

    public func parse(_ text: String) -> Double? {
        Array(text.utf8).withUnsafeBufferPointer { parse($0) }
    }
}

/// What a file's numbers say about its decimal mark, gathered from a sample of cells.
struct DecimalEvidence: Sendable {
    /// A cell that only reads one way with `.` as the decimal mark (`0.649`, `15.5`, `1,234.5`).
    var dotExample: String?
    /// A cell that only reads one way with `,` (`4,69`, `1.234.567`, `1.234,5`).
    var commaExample: String?

    /// What one cell shows. Cells that are not plain numbers show nothing.
    enum Shape {
        case none
        /// Digits only.
        case integer
        /// `1.374`, `-12.500`: a decimal with `.` or a thousands group with `,`.
        case ambiguousDot
        /// `1,374`: a thousands group with `.` or a decimal with `,`.
        case ambiguousComma
        case onlyDot
        case onlyComma
    }

    static func shape(_ bytes: UnsafeBufferPointer<UInt8>) -> Shape {
        var index = 0
        if index < bytes.count, bytes[index] == 0x2D || bytes[index] == 0x2B { index += 1 }
        guard index < bytes.count, bytes[index] &- 0x30 < 10 else { return .none }
        // Runs of digits between separators.
        var runs: [Int] = []
        var separators: [UInt8] = []
        var run = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte &- 0x30 < 10 {
                run += 1
            } else if byte == 0x2E || byte == 0x2C {
                guard run > 0 else { return .none }
                runs.append(run)
                separators.append(byte)
                run = 0
            } else {
                return .none
            }
            index += 1
        }
        guard run > 0 else { return .none }
        runs.append(run)
        if separators.isEmpty { return .integer }
        let first = runs[0]
        let startsWithZero: Bool = {
            var position = 0
            if bytes[0] == 0x2D || bytes[0] == 0x2B { position = 1 }
            return bytes[position] == 0x30
        }()
        let canBeGrouping = first <= 3 && !startsWithZero
        let lastSeparator = separators[separators.count - 1]
        let dots = separators.filter { $0 == 0x2E }.count
        let commas = separators.count - dots
        if dots > 0, commas > 0 {
            // `1.234,5` or `1,234.5`: the last mark is the decimal one, the others group by three.
            guard separators.dropLast().allSatisfy({ $0 != lastSeparator }), canBeGrouping, runs.dropFirst().dropLast().allSatisfy({ $0 == 3 }) else { return .none }
            return lastSeparator == 0x2C ? .onlyComma : .onlyDot
        }
        if separators.count > 1 {
            // `1.234.567`: only a thousands grouping.
            guard canBeGrouping, runs.dropFirst().allSatisfy({ $0 == 3 }) else { return .none }
            return lastSeparator == 0x2E ? .onlyComma : .onlyDot
        }
        if canBeGrouping, runs[1] == 3 { return lastSeparator == 0x2E ? .ambiguousDot : .ambiguousComma }
        return lastSeparator == 0x2E ? .onlyDot : .onlyComma
    }

    mutating func see(_ bytes: UnsafeBufferPointer<UInt8>) {
        switch DecimalEvidence.shape(bytes) {
        case .onlyDot where dotExample == nil: dotExample = String(decoding: bytes, as: UTF8.self)
        case .onlyComma where commaExample == nil: commaExample = String(decoding: bytes, as: UTF8.self)
        default: break
        }
    }

    /// The mark the evidence points to, or nil when it points both ways or nowhere.
    var decided: DecimalMark? {
        switch (dotExample, commaExample) {
        case (.some, nil): .dot
        case (nil, .some): .comma
        default: nil
        }
    }
}
