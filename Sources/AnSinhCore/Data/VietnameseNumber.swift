/// Reads numbers written the Vietnamese way.
///
/// `.` groups thousands and `,` marks decimals (`169,96`, `4.200`, `22.715.200.000`);
/// `tỷ` (tỉ) = 10⁹, `triệu` = 10⁶, `nghìn` (ngàn) = 10³, also mixed (`1 tỷ 810 triệu`);
/// percentages (`0,07%`), achieved/plan ratios (`4.509/4.500`) and words for zero
/// (`không còn hộ cận nghèo`). A dot followed by other than three digits (`852.3 triệu`) is read
/// as a decimal point, as the writer evidently meant.
public enum VietnameseNumber {
    /// A number found in text.
    public struct Found: Equatable, Sendable {
        /// In base units: `169,96 tỷ` is 169960000000; a percentage is in percent points.
        public var value: Double
        public var isPercent: Bool
        /// The characters it was read from.
        public var text: String
        /// False when the digits do not follow the grouping rules (`136.000.0000`).
        public var isWellFormed: Bool
    }

    static let multipliers: [(words: [String], factor: Double)] = [
        (["tỷ", "tỉ"], 1e9), (["triệu"], 1e6), (["nghìn", "ngàn"], 1e3),
    ]

    /// The value of text that is one number, possibly with a multiplier and a unit word:
    /// `"169,96 tỷ đồng"` → 169960000000, `"0,07%"` → 0.07, `"4.200"` → 4200, `"không"` → 0.
    /// Nil when the text is not a number, or — with `requireWellFormed` — when its thousands
    /// groups are malformed (`1.2.3`, `1.234.56`), which the language's `vn_number` refuses.
    public static func parseValue(_ text: String, requireWellFormed: Bool = false) -> Double? {
        let trimmed = UnicodeText.nfc(text).trimmingSpaces()
        if trimmed.isEmpty { return nil }
        let lowered = trimmed.lowercased()
        if ["không", "khong", "0"].contains(lowered) { return 0 }
        var scanner = Scanner(Array(lowered.unicodeScalars))
        let negative = scanner.skip("-")
        guard let found = scanner.readNumber(), found.isWellFormed || !requireWellFormed else { return nil }
        // Only unit words (đồng, người, …) or nothing may follow.
        let rest = String(String.UnicodeScalarView(scanner.scalars[scanner.position...])).trimmingSpaces()
        if rest.unicodeScalars.contains(where: { $0.properties.numericType != nil }) { return nil }
        if rest.contains("/") { return nil }
        return negative ? -found.value : found.value
    }

    /// Every number in a sentence, in order, including both sides of `X/Y` and a 0 for words
    /// such as "không còn" or "không có".
    public static func findAll(in text: String) -> [Found] {
        var results: [Found] = []
        let lowered = UnicodeText.nfc(text).lowercased()
        var scanner = Scanner(Array(lowered.unicodeScalars))
        while !scanner.isAtEnd {
            if scanner.atDigit(), !scanner.previousIsLetterOrDigit() {
                if let found = scanner.readNumber() {
                    results.append(found)
                    continue
                }
            }
            scanner.position += 1
        }
        for phrase in ["không còn", "không có", "không để"] where lowered.contains(phrase) {
            results.append(Found(value: 0, isPercent: false, text: phrase, isWellFormed: true))
        }
        return results
    }

    /// A ratio `achieved/plan`, e.g. `"4.509/4.500"` → (4509, 4500).
    public static func parseRatio(_ text: String) -> (achieved: Double, plan: Double)? {
        let parts = text.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2, let achieved = parseValue(parts[0]), let plan = parseValue(parts[1]) else { return nil }
        return (achieved, plan)
    }

    struct Scanner {
        let scalars: [Unicode.Scalar]
        var position = 0

        init(_ scalars: [Unicode.Scalar]) { self.scalars = scalars }

        var isAtEnd: Bool { position >= scalars.count }

        func peek(_ offset: Int = 0) -> Unicode.Scalar? {
            let index = position + offset
            return index < scalars.count ? scalars[index] : nil
        }

        func atDigit(_ offset: Int = 0) -> Bool {
            guard let scalar = peek(offset) else { return false }
            return scalar.value >= 0x30 && scalar.value <= 0x39
        }

        func previousIsLetterOrDigit() -> Bool {
            guard position > 0 else { return false }
            let scalar = scalars[position - 1]
            return scalar.properties.isAlphabetic || (scalar.value >= 0x30 && scalar.value <= 0x39)
        }

        mutating func skip(_ text: String) -> Bool {
            let wanted = Array(text.unicodeScalars)
            guard position + wanted.count <= scalars.count, Array(scalars[position..<position + wanted.count]) == wanted else { return false }
            position += wanted.count
            return true
        }

        mutating func skipSpaces() {
            while let scalar = peek(), scalar == " " || scalar == "\u{A0}" { position += 1 }
        }

        /// A run of digits with `.` grouping and `,` decimals, then multipliers, then `%`.
        mutating func readNumber() -> Found? {
            let start = position
            guard let (firstMantissa, firstDecimals, firstWellFormed) = readPlainNumber() else { return nil }
            var (mantissa, decimals, wellFormed) = (firstMantissa, firstDecimals, firstWellFormed)
            var value = Scanner.scaled(mantissa, decimals: decimals, factor: 1)
            // Multipliers, possibly mixed: 1 tỷ 810 triệu.
            var lastFactor = Double.infinity
            var total = 0.0
            var usedMultiplier = false
            while true {
                let save = position
                skipSpaces()
                var matched: Double?
                for (words, factor) in VietnameseNumber.multipliers where factor < lastFactor {
                    for word in words where skip(word) && !(peek()?.properties.isAlphabetic ?? false) {
                        matched = factor
                        break
                    }
                    if matched != nil { break }
                }
                guard let factor = matched else {
                    position = save
                    break
                }
                total += Scanner.scaled(mantissa, decimals: decimals, factor: factor)
                value = 0
                mantissa = 0
                decimals = 0
                lastFactor = factor
                usedMultiplier = true
                // A following smaller part: "1 tỷ 810 triệu".
                let beforeNext = position
                skipSpaces()
                if atDigit(), let (nextMantissa, nextDecimals, nextWellFormed) = readPlainNumber() {
                    mantissa = nextMantissa
                    decimals = nextDecimals
                    value = Scanner.scaled(mantissa, decimals: decimals, factor: 1)
                    wellFormed = wellFormed && nextWellFormed
                    let afterNumber = position
                    skipSpaces()
                    var hasSmallerMultiplier = false
                    for (words, nextFactor) in VietnameseNumber.multipliers where nextFactor < factor {
                        if words.contains(where: { word in
                            Array(word.unicodeScalars) == Array(scalars[position..<min(scalars.count, position + word.unicodeScalars.count)])
                        }) { hasSmallerMultiplier = true }
                    }
                    position = afterNumber
                    if !hasSmallerMultiplier {
                        // "2 tỷ 500" is not a pattern the articles use; keep only the first part.
                        position = beforeNext
                        value = 0
                        break
                    }
                } else {
                    position = beforeNext
                    break
                }
            }
            if usedMultiplier { value += total }
            var isPercent = false
            let save = position
            skipSpaces()
            if peek() == "%" {
                position += 1
                isPercent = true
            } else {
                position = save
            }
            let text = String(String.UnicodeScalarView(scalars[start..<position]))
            return Found(value: value, isPercent: isPercent, text: text, isWellFormed: wellFormed)
        }

        /// Digits with thousands dots and a decimal comma: `22.715.200.000`, `169,96`, `852.3`.
        /// `mantissa × factor ÷ 10^decimals`, exact whenever the result is a whole number of base units.
        static func scaled(_ mantissa: Double, decimals: Int, factor: Double) -> Double {
            var divisor = 1.0
            for _ in 0..<decimals { divisor *= 10 }
            return mantissa * factor / divisor
        }

        /// The digits as an integer mantissa and a count of decimals, so that `169,96 tỷ` is
        /// computed as 16996 × 10⁹ ÷ 100 exactly, never 169.96 × 10⁹ with a rounding error.
        mutating func readPlainNumber() -> (mantissa: Double, decimals: Int, wellFormed: Bool)? {
            guard atDigit() else { return nil }
            var groups: [String] = []
            var current = ""
            var wellFormed = true
            var fraction = ""
            while let scalar = peek() {
                if scalar.value >= 0x30 && scalar.value <= 0x39 {
                    current.unicodeScalars.append(scalar)
                    position += 1
                } else if scalar == ".", atDigit(1) {
                    groups.append(current)
                    current = ""
                    position += 1
                } else if scalar == ",", atDigit(1), fraction.isEmpty {
                    // A comma followed by digits is the decimal mark, unless it separates list
                    // items ("1, 2"), which have a space after the comma.
                    position += 1
                    while atDigit() {
                        fraction.unicodeScalars.append(scalars[position])
                        position += 1
                    }
                    break
                } else {
                    break
                }
            }
            groups.append(current)
            var integerDigits: String
            if groups.count == 1 {
                integerDigits = groups[0]
            } else if groups.count == 2 && groups[1].count != 3 && fraction.isEmpty {
                // `852.3`: a decimal point, not a thousands group.
                integerDigits = groups[0]
                fraction = groups[1]
            } else {
                // Thousands groups: every group after the first has three digits.
                wellFormed = groups[0].count <= 3 && groups.dropFirst().allSatisfy { $0.count == 3 }
                integerDigits = groups.joined()
            }
            guard let mantissa = Double(integerDigits + fraction) else { return nil }
            return (mantissa, fraction.count, wellFormed)
        }
    }
}
