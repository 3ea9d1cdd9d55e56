/// The type of a column or expression.
public enum DataType: String, Sendable, CaseIterable {
    case integer, decimal, text, boolean
    /// The type of the literal `null` before it meets a column.
    case null

    public var isNumeric: Bool { self == .integer || self == .decimal || self == .null }

    /// How the type is named in messages ("text", "a number").
    public var display: String {
        switch self {
        case .integer: "integer"
        case .decimal: "decimal"
        case .text: "text"
        case .boolean: "boolean"
        case .null: "null"
        }
    }

    /// The common type of two operands, for arithmetic, comparison and `coalesce`.
    static func common(_ left: DataType, _ right: DataType) -> DataType? {
        if left == right { return left }
        if left == .null { return right }
        if right == .null { return left }
        if left.isNumeric && right.isNumeric { return .decimal }
        return nil
    }
}

/// One value, for literals, parameters and rendering. Columns never store these.
public enum Value: Equatable, Hashable, Sendable, CustomStringConvertible {
    case null
    case integer(Int64)
    case decimal(Double)
    case text(String)
    case boolean(Bool)

    public var type: DataType {
        switch self {
        case .null: .null
        case .integer: .integer
        case .decimal: .decimal
        case .text: .text
        case .boolean: .boolean
        }
    }

    public var isNull: Bool { self == .null }

    public var doubleValue: Double? {
        switch self {
        case .integer(let value): Double(value)
        case .decimal(let value): value
        default: nil
        }
    }

    /// Plain text, as in CSV output: `.` decimal mark, no separators, empty for null.
    public var description: String {
        switch self {
        case .null: ""
        case .integer(let value): String(value)
        case .decimal(let value): NumberText.plain(value)
        case .text(let value): value
        case .boolean(let value): value ? "true" : "false"
        }
    }
}

/// Number formatting shared by renderers and messages.
public enum NumberText {
    /// `169960000000`, `0.07`, `1.5e-10`: shortest text that reads back the same, no exponent
    /// for ordinary magnitudes.
    public static func plain(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        if value == value.rounded(), abs(value) < 1e15 {
            return String(Int64(value))
        }
        let text = String(value)  // shortest round-trip representation
        guard let exponentIndex = text.firstIndex(where: { $0 == "e" || $0 == "E" }) else { return text }
        // Expand exponents for values a person reads (1e-3 … 1e15); keep them for the extremes.
        guard let exponent = Int(text[text.index(after: exponentIndex)...]), exponent > -7, exponent < 16 else { return text }
        let negative = value < 0
        var mantissa = String(text[..<exponentIndex])
        if negative { mantissa.removeFirst() }
        let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        let integerDigits = String(parts[0])
        let fractionDigits = parts.count > 1 ? String(parts[1]) : ""
        let digits = integerDigits + fractionDigits
        let pointPosition = integerDigits.count + exponent
        var result: String
        if pointPosition <= 0 {
            result = "0." + String(repeating: "0", count: -pointPosition) + digits
        } else if pointPosition >= digits.count {
            result = digits + String(repeating: "0", count: pointPosition - digits.count)
        } else {
            let index = digits.index(digits.startIndex, offsetBy: pointPosition)
            result = digits[..<index] + "." + digits[index...]
        }
        while result.contains("."), result.hasSuffix("0") { result.removeLast() }
        if result.hasSuffix(".") { result.removeLast() }
        return (negative ? "-" : "") + result
    }

    /// Groups of three digits: `4.200` (vi) or `4,200` (en); `decimals` fixed fraction digits.
    public static func grouped(_ value: Double, decimals: Int, language: Language) -> String {
        let thousands = language == .vi ? "." : ","
        let decimalMark = language == .vi ? "," : "."
        let negative = value < 0
        var scaled = abs(value)
        var factor = 1.0
        for _ in 0..<decimals { factor *= 10 }
        scaled = (scaled * factor).rounded() / factor
        guard scaled < 9e18 else { return plain(value) }
        let integerPart = Int64(scaled.rounded(.towardZero))
        var fraction = ""
        if decimals > 0 {
            let fractionValue = Int64(((scaled - Double(integerPart)) * factor).rounded())
            var digits = String(fractionValue)
            while digits.count < decimals { digits = "0" + digits }
            fraction = decimalMark + digits
        }
        let digits = Array(String(integerPart))
        var grouped = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { grouped += thousands }
            grouped.append(digit)
        }
        return (negative && (integerPart != 0 || fraction.contains(where: { $0 != "0" && $0 != Character(decimalMark) })) ? "-" : "") + grouped + fraction
    }

    /// An integer's own digits, grouped: no trip through Double, whose 53 bits would change the
    /// last digits of large values.
    public static func grouped(_ value: Int64, language: Language) -> String {
        let thousands: Character = language == .vi ? "." : ","
        let digits = Array(String(value.magnitude))
        var grouped = value < 0 ? "-" : ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { grouped.append(thousands) }
            grouped.append(digit)
        }
        return grouped
    }

    /// Shortest useful fraction: up to `maximumDecimals` digits, trailing zeros dropped.
    public static func compact(_ value: Double, maximumDecimals: Int, language: Language) -> String {
        var text = grouped(value, decimals: maximumDecimals, language: language)
        let decimalMark: Character = language == .vi ? "," : "."
        if text.contains(decimalMark) {
            while text.hasSuffix("0") { text.removeLast() }
            if text.last == decimalMark { text.removeLast() }
        }
        return text
    }
}
