@_spi(_Unicode) import Swift

/// Sort keys for Vietnamese text, so that `sort district` orders names the way a Vietnamese
/// reader expects.
///
/// Three levels, compared in turn: letters in the Vietnamese alphabet order
/// (a ă â b c d đ e ê … o ô ơ … u ư …), then tones (none, huyền, hỏi, ngã, sắc, nặng), then case.
/// Runs of digits compare by their numeric value, so "Quận 2" sorts before "Quận 11".
public enum VietnameseCollation {
    private static let alphabet: [String] = [
        "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m", "n",
        "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z",
    ]

    /// Letter weight by (base ASCII letter, modifier): modifier 0 none, 1 breve, 2 circumflex, 3 horn.
    private static let letterWeights: [UInt32: UInt32] = {
        var weights: [UInt32: UInt32] = [:]
        for (index, letter) in alphabet.enumerated() {
            let scalars = Array(letter._nfd)
            guard let base = scalars.first else { continue }
            var modifier: UInt32 = 0
            if letter == "đ" { modifier = 4 }
            if scalars.count > 1 {
                switch scalars[1].value {
                case 0x0306: modifier = 1
                case 0x0302: modifier = 2
                case 0x031B: modifier = 3
                default: break
                }
            }
            let key = letter == "đ" ? (UInt32(("d" as Unicode.Scalar).value) << 8 | modifier) : (base.value << 8 | modifier)
            weights[key] = UInt32(index)
        }
        return weights
    }()

    private static let spaceWeight: UInt32 = 1
    private static let punctuationBase: UInt32 = 0x100
    private static let digitBase: UInt32 = 0x1_0000
    private static let letterBase: UInt32 = 0x2_0000
    private static let otherBase: UInt32 = 0x3_0000

    /// The collation key of `text`: compare keys with `lexicographicallyPrecedes`.
    public static func key(_ text: String) -> [UInt32] {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return asciiKey(text) }
        return fullKey(text)
    }

    /// The same key for ASCII text, from bytes (no grapheme or normalisation work).
    static func asciiKey(_ text: String) -> [UInt32] {
        var primary: [UInt32] = []
        var cases: [UInt32] = []
        primary.reserveCapacity(text.utf8.count + 2)
        var digits: [UInt32] = []
        func flushDigits() {
            guard !digits.isEmpty else { return }
            while digits.count > 1, digits.first == 0 { digits.removeFirst() }
            primary.append(digitBase + UInt32(digits.count))
            primary.append(contentsOf: digits.map { digitBase + $0 })
            digits.removeAll()
        }
        var letters = 0
        for byte in text.utf8 {
            if byte >= 0x30 && byte <= 0x39 { digits.append(UInt32(byte - 0x30)); continue }
            flushDigits()
            var value = UInt32(byte)
            let isUpper = value >= 0x41 && value <= 0x5A
            if isUpper { value += 32 }
            if value >= 0x61 && value <= 0x7A {
                primary.append(letterBase + (letterWeights[value << 8] ?? 0))
                cases.append(isUpper ? 1 : 0)
                letters += 1
            } else if value == 0x20 {
                primary.append(spaceWeight)
            } else {
                primary.append(punctuationBase + value)
            }
        }
        flushDigits()
        // ASCII has no tones: one zero per letter, as the full key writes.
        return primary + [0] + [UInt32](repeating: 0, count: letters) + [0] + cases
    }

    static func fullKey(_ text: String) -> [UInt32] {
        var primary: [UInt32] = []
        var tones: [UInt32] = []
        var cases: [UInt32] = []
        primary.reserveCapacity(text.utf8.count)
        var digitRun: [UInt32] = []

        func flushDigits() {
            guard !digitRun.isEmpty else { return }
            // Leading zeros do not change the value; the run's length orders by magnitude.
            var digits = digitRun
            while digits.count > 1, digits.first == 0 { digits.removeFirst() }
            primary.append(digitBase + UInt32(digits.count))
            primary.append(contentsOf: digits.map { digitBase + $0 })
            digitRun.removeAll()
        }

        for character in text {
            let scalars = Array(String(character)._nfd)
            guard let first = scalars.first else { continue }
            if first.value >= 0x30 && first.value <= 0x39 && scalars.count == 1 {
                digitRun.append(first.value - 0x30)
                continue
            }
            flushDigits()
            var base = first.value
            var isUpper = false
            if base >= 0x41 && base <= 0x5A { base += 32; isUpper = true }
            if base == 0x0110 || base == 0x0111 {  // Đ đ
                isUpper = base == 0x0110
                primary.append(letterBase + (letterWeights[0x64 << 8 | 4] ?? 0))
                tones.append(0)
                cases.append(isUpper ? 1 : 0)
                continue
            }
            if base >= 0x61 && base <= 0x7A {
                var modifier: UInt32 = 0
                var tone: UInt32 = 0
                for mark in scalars.dropFirst() {
                    switch mark.value {
                    case 0x0306: modifier = 1
                    case 0x0302: modifier = 2
                    case 0x031B: modifier = 3
                    case 0x0300: tone = 1  // huyền
                    case 0x0309: tone = 2  // hỏi
                    case 0x0303: tone = 3  // ngã
                    case 0x0301: tone = 4  // sắc
                    case 0x0323: tone = 5  // nặng
                    default: break
                    }
                }
                let weight = letterWeights[base << 8 | modifier] ?? letterWeights[base << 8] ?? 0
                primary.append(letterBase + weight)
                tones.append(tone)
                cases.append(isUpper ? 1 : 0)
            } else if base == 0x20 {
                primary.append(spaceWeight)
            } else if base < 0x80 {
                primary.append(punctuationBase + base)
            } else {
                let lowered = first.properties.lowercaseMapping.unicodeScalars.first?.value ?? base
                primary.append(otherBase + lowered)
                cases.append(lowered == base ? 0 : 1)
            }
        }
        flushDigits()
        return primary + [0] + tones + [0] + cases
    }
}
