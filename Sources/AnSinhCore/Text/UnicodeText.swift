// Unicode helpers for Vietnamese text: NFC, diacritic folding, display width, edit distance.
//
// The standard library's normalisation iterators (`_nfc`, `_nfd`) are SPI: public but
// underscored. Using them keeps AnSinhCore free of Foundation, whose ICU start-up alone costs
// about 4 ms, almost half the 10 ms start-up budget.
@_spi(_Unicode) import Swift

public enum UnicodeText {
    /// The text in Normalisation Form C (composed), as stored in the dataset.
    public static func nfc(_ text: String) -> String {
        if isCertainlyNFC(text.utf8) { return text }
        var scalars = String.UnicodeScalarView()
        for scalar in canonicallyOrdered(text)._nfc { scalars.append(scalar) }
        return String(scalars)
    }

    /// The text with each long run of combining marks put in canonical order first (a stable
    /// counting sort by combining class, linear). The standard library's normaliser orders marks by
    /// insertion, so one letter followed by a million marks of alternating classes took minutes;
    /// given runs already in order it stays linear. Short runs are left to the normaliser.
    static func canonicallyOrdered(_ text: String) -> String {
        var run = 0, longest = 0
        for scalar in text.unicodeScalars {
            if scalar.value >= 0x300, combiningClass(scalar) != 0 || tibetanVowels(scalar) != nil {
                run += 1
                longest = max(longest, run)
            } else {
                run = 0
            }
        }
        guard longest > 32 else { return text }
        var result = String.UnicodeScalarView()
        var marks: [Unicode.Scalar] = []
        var classes: [UInt8] = []
        var sorted: [Unicode.Scalar] = []
        func flush() {
            // A counting sort by class: stable and linear.
            guard marks.count > 1 else { result.append(contentsOf: marks); marks.removeAll(keepingCapacity: true); classes.removeAll(keepingCapacity: true); return }
            var starts = [Int](repeating: 0, count: 257)
            for markClass in classes { starts[Int(markClass) + 1] += 1 }
            for index in 1..<257 { starts[index] += starts[index - 1] }
            sorted = Array(repeating: marks[0], count: marks.count)
            for (index, mark) in marks.enumerated() {
                let markClass = Int(classes[index])
                sorted[starts[markClass]] = mark
                starts[markClass] += 1
            }
            result.append(contentsOf: sorted)
            marks.removeAll(keepingCapacity: true)
            classes.removeAll(keepingCapacity: true)
        }
        for scalar in text.unicodeScalars {
            if scalar.value >= 0x300, let parts = tibetanVowels(scalar) {
                // Starters by class whose decomposition is two marks: order the marks themselves.
                for part in parts { marks.append(part); classes.append(combiningClass(part)) }
            } else if scalar.value >= 0x300, case let markClass = combiningClass(scalar), markClass != 0 {
                marks.append(scalar)
                classes.append(markClass)
            } else {
                flush()
                result.append(scalar)
            }
        }
        flush()
        return String(result)
    }

    @inline(__always)
    private static func combiningClass(_ scalar: Unicode.Scalar) -> UInt8 {
        scalar.properties.canonicalCombiningClass.rawValue
    }

    /// U+0F73, U+0F75 and U+0F81 have combining class 0 but decompose into two marks.
    private static func tibetanVowels(_ scalar: Unicode.Scalar) -> [Unicode.Scalar]? {
        switch scalar.value {
        case 0x0F73: ["\u{0F71}", "\u{0F72}"]
        case 0x0F75: ["\u{0F71}", "\u{0F74}"]
        case 0x0F81: ["\u{0F71}", "\u{0F80}"]
        default: nil
        }
    }

    /// True when the UTF-8 bytes hold nothing that NFC could change. An allow-list, so a script
    /// it does not know is normalised rather than trusted: ASCII, U+0080–U+02FF (Latin-1 and
    /// Latin Extended, IPA, spacing modifiers), U+1E00–U+1EFF (Latin Extended Additional, the
    /// precomposed Vietnamese letters) and U+2002–U+20BF (punctuation, sub- and superscripts,
    /// currency). None of these changes under NFC or composes with a neighbour from the list, so
    /// the usual Vietnamese text skips normalisation; anything else (combining marks, Hangul
    /// jamo, composition exclusions such as U+0958 or U+0F73, singletons such as U+212B) is
    /// normalised, and two spellings of one text can never become two dictionary entries.
    /// The same test over contiguous bytes, runs of ASCII eight bytes at a time (through
    /// String.UTF8View it cost about 20 instructions a byte; this is what loading uses).
    static func isCertainlyNFC(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let count = bytes.count
        var index = 0
        while index < count {
            if index + 8 <= count, UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                index += 8
                continue
            }
            let lead = base[index]
            if lead < 0x80 { index += 1; continue }
            switch lead {
            case 0xC2...0xCB:
                guard index + 1 < count, base[index + 1] & 0xC0 == 0x80 else { return false }
                index += 2
            case 0xE1, 0xE2:
                guard index + 2 < count else { return false }
                let second = base[index + 1], third = base[index + 2]
                guard second & 0xC0 == 0x80, third & 0xC0 == 0x80 else { return false }
                switch (lead, second) {
                case (0xE1, 0xB8...0xBB), (0xE2, 0x80...0x82): break
                default: return false
                }
                if lead == 0xE2, second == 0x80, third == 0x80 || third == 0x81 { return false }
                index += 3
            default:
                return false
            }
        }
        return true
    }

    static func isCertainlyNFC<Bytes: Sequence>(_ bytes: Bytes) -> Bool where Bytes.Element == UInt8 {
        var lead: UInt8 = 0    // the lead byte of the sequence being read
        var second: UInt8 = 0  // the second byte of a three-byte sequence, once read
        var remaining = 0      // continuation bytes still expected
        for byte in bytes {
            if remaining == 0 {
                if byte < 0x80 { continue }
                switch byte {
                case 0xC2...0xCB: remaining = 1
                case 0xE1, 0xE2: remaining = 2
                default: return false
                }
                lead = byte
                second = 0
                continue
            }
            guard byte & 0xC0 == 0x80 else { return false }
            remaining -= 1
            if lead < 0xE0 { continue }
            if remaining == 1 {
                second = byte
                switch (lead, byte) {
                case (0xE1, 0xB8...0xBB), (0xE2, 0x80...0x82): continue
                default: return false
                }
            }
            // U+2000 and U+2001 are singletons (they become U+2002 and U+2003).
            if lead == 0xE2, second == 0x80, byte == 0x80 || byte == 0x81 { return false }
        }
        return remaining == 0
    }

    @inline(__always)
    static func isASCII(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 < 0x80 }
    }

    /// Lower-cased text with diacritics removed: "Nam Từ Liêm" → "nam tu liem", "Đ" → "d".
    ///
    /// Used by `~`, `fold()`, completion and "did you mean" suggestions, so that a person who
    /// types without accents still finds the Vietnamese names.
    public static func fold(_ text: String) -> String {
        if isASCII(text) { return text.lowercased() }
        var scalars = String.UnicodeScalarView()
        for scalar in text._nfd {
            switch scalar.value {
            case 0x0300...0x036F: continue  // combining diacritical marks
            case 0x0110, 0x0111: scalars.append("d")  // Đ đ have no decomposition
            default:
                if scalar.isASCII {
                    let value = scalar.value
                    scalars.append(value >= 65 && value <= 90 ? Unicode.Scalar(UInt8(value + 32)) : scalar)
                } else {
                    for lower in scalar.properties.lowercaseMapping.unicodeScalars { scalars.append(lower) }
                }
            }
        }
        return String(scalars)
    }

    /// Columns the text occupies in a terminal: combining marks take none, East Asian wide
    /// characters and emoji take two, everything else one.
    public static func displayWidth(_ text: String) -> Int {
        if isASCII(text) { return text.utf8.count }
        var width = 0
        for scalar in text.unicodeScalars { width += displayWidth(scalar) }
        return width
    }

    public static func displayWidth(_ scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        if value < 0x20 || (value >= 0x7F && value < 0xA0) { return 0 }
        if value < 0x300 { return 1 }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if value == 0x200B { return 0 }
        if isWide(value) { return 2 }
        if scalar.properties.isEmojiPresentation { return 2 }
        return 1
    }

    private static func isWide(_ value: UInt32) -> Bool {
        switch value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
             0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
             0xFFE0...0xFFE6, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return true
        default:
            return false
        }
    }

    /// Pads `text` with spaces to `width` display columns, on the left when `alignRight`.
    public static func pad(_ text: String, to width: Int, alignRight: Bool = false) -> String {
        let missing = width - displayWidth(text)
        if missing <= 0 { return text }
        let padding = String(repeating: " ", count: missing)
        return alignRight ? padding + text : text + padding
    }

    /// Cuts `text` to at most `width` display columns, ending with "…" when it was cut.
    public static func truncate(_ text: String, to width: Int, ellipsis: String = "…") -> String {
        if displayWidth(text) <= width { return text }
        let room = max(0, width - displayWidth(ellipsis))
        var result = ""
        var used = 0
        for character in text {
            let characterWidth = displayWidth(String(character))
            if used + characterWidth > room { break }
            result.append(character)
            used += characterWidth
        }
        return result + ellipsis
    }

    /// Whether a character from data must not reach a terminal as itself: C0 controls and DEL
    /// (ESC starts colour and cursor sequences), C1 controls (U+009B is a one-byte CSI), and the
    /// bidirectional embeddings, overrides and isolates (U+202A–202E, U+2066–2069), which make
    /// what follows read backwards.
    public static func isUnsafeForTerminal(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return v < 0x20 || (0x7F...0x9F).contains(v) || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
    }

    /// Text from data made safe to show at a terminal: C0 controls as their control pictures
    /// (ESC as ␛), DEL as ␡, C1 controls and bidirectional controls by code point (`⟨U+202E⟩`),
    /// so no cell, column name or file name can move the cursor, change colours or reverse what
    /// follows. Newlines and tabs are kept when `keepLineBreaks` (messages are multi-line).
    /// Raw output (`.mode csv` and the other data modes) never goes through this.
    public static func terminalSafe(_ text: String, keepLineBreaks: Bool = true) -> String {
        func unsafe(_ s: Unicode.Scalar) -> Bool {
            isUnsafeForTerminal(s) && !(keepLineBreaks && (s == "\n" || s == "\t"))
        }
        guard text.unicodeScalars.contains(where: unsafe) else { return text }
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            guard unsafe(scalar) else { scalars.append(scalar); continue }
            let v = scalar.value
            if v < 0x20, let picture = Unicode.Scalar(0x2400 + v) { scalars.append(picture) }
            else if v == 0x7F { scalars.append("\u{2421}") }
            else { scalars.append(contentsOf: ("⟨" + codePoint(v) + "⟩").unicodeScalars) }
        }
        return String(scalars)
    }

    /// `U+001B`: how messages name a code point.
    public static func codePoint(_ value: UInt32) -> String {
        let hex = String(value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    /// `U+200B (ZERO WIDTH SPACE)`.
    public static func describe(_ scalar: Unicode.Scalar) -> String {
        codePoint(scalar.value) + (scalar.properties.name.map { " (\($0))" } ?? "")
    }

    /// Characters that print as nothing: format characters (zero-width space and joiners, the
    /// byte-order mark, direction marks) and the line and paragraph separators.
    public static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .format, .lineSeparator, .paragraphSeparator: true
        default: scalar.value == 0x2060 || scalar.value == 0x115F || scalar.value == 0x3164
        }
    }

    /// A name or number as a message quotes it: its first `limit` characters and `…` when longer.
    public static func clipped(_ text: String, limit: Int = 40) -> String {
        var index = text.startIndex
        var count = 0
        while index < text.endIndex {
            if count == limit { return String(text[..<index]) + "…" }
            text.formIndex(after: &index)
            count += 1
        }
        return text
    }

    /// Edit distance over Unicode scalars, where swapping two neighbours counts as one edit
    /// (optimal string alignment): `vlaue` is one typo away from `value`, not two.
    public static func editDistance(_ a: String, _ b: String) -> Int {
        let left = Array(a.unicodeScalars)
        let right = Array(b.unicodeScalars)
        if left.isEmpty { return right.count }
        if right.isEmpty { return left.count }
        var beforePrevious = [Int](repeating: 0, count: right.count + 1)
        var previous = Array(0...right.count)
        var current = [Int](repeating: 0, count: right.count + 1)
        for i in 1...left.count {
            current[0] = i
            for j in 1...right.count {
                let cost = left[i - 1] == right[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, left[i - 1] == right[j - 2], left[i - 2] == right[j - 1] {
                    current[j] = min(current[j], beforePrevious[j - 2] + 1)
                }
            }
            (beforePrevious, previous, current) = (previous, current, beforePrevious)
        }
        return previous[right.count]
    }

    /// The candidates closest to `name`, ignoring case and diacritics: what "did you mean" offers.
    ///
    /// A candidate qualifies when its distance is at most a third of the longer name (at least 1),
    /// or when one folded name starts with or contains the other.
    public static func suggestions(for name: String, among candidates: [String], limit: Int = 3) -> [String] {
        let folded = fold(name)
        guard !folded.isEmpty else { return [] }
        var scored: [(candidate: String, distance: Int)] = []
        var seen = Set<String>()
        for candidate in candidates where !seen.contains(candidate) {
            seen.insert(candidate)
            let foldedCandidate = fold(candidate)
            if foldedCandidate == folded && candidate != name {
                scored.append((candidate, 0))
                continue
            }
            let distance = editDistance(folded, foldedCandidate)
            let allowed = max(1, max(folded.unicodeScalars.count, foldedCandidate.unicodeScalars.count) / 3)
            if distance <= allowed {
                scored.append((candidate, distance))
            } else if folded.count >= 3, foldedCandidate.contains(folded) {
                scored.append((candidate, allowed + 1))
            }
        }
        scored.sort { $0.distance != $1.distance ? $0.distance < $1.distance : $0.candidate < $1.candidate }
        return scored.prefix(limit).map(\.candidate)
    }
}

extension String {
    /// This text with diacritics removed and lower-cased (see `UnicodeText.fold`).
    var folded: String { UnicodeText.fold(self) }
}
