/// Column names from a header row: trimmed, NFC, quotes undone (`"a""b"` is `a"b`), invisible
/// characters taken out and named in a note, empty names filled and repeated names numbered —
/// in time linear in the header's length, so a header of 4,000 repeats or 100,000 cells is cheap.
enum HeaderNames {
    /// Characters that cannot be seen or typed in a name: zero-width spaces and joiners, the
    /// word joiner, a byte-order mark, the soft hyphen, bidirectional controls and C0/C1 controls.
    static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (scalar.value >= 0x7F && scalar.value <= 0x9F) || UnicodeText.isInvisible(scalar)
    }

    static func describe(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        let name: String? = switch scalar.value {
        case 0x200B: "zero-width space"
        case 0x200C: "zero-width non-joiner"
        case 0x200D: "zero-width joiner"
        case 0x2060: "word joiner"
        case 0xFEFF: "byte-order mark"
        case 0x00AD: "soft hyphen"
        case 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F: "bidirectional control"
        default: scalar.value < 0x20 || (scalar.value >= 0x7F && scalar.value <= 0x9F) ? "control character" : nil
        }
        return name.map { "\(code) (\($0))" } ?? code
    }

    /// Names for `cells` (already unescaped UTF-8 text), and the notes about what was changed.
    static func resolve(_ cells: [String]) -> (names: [String], notes: [Diagnostic.Note]) {
        var notes: [Diagnostic.Note] = []
        var names: [String] = []
        names.reserveCapacity(cells.count)
        var taken = Set<String>()
        taken.reserveCapacity(cells.count)
        // The next suffix to try for each repeated name, so 4,000 copies cost 4,000 steps.
        var nextSuffix: [String: Int] = [:]
        var duplicateNotes = 0
        var duplicates = 0
        for (index, cell) in cells.enumerated() {
            var text = UnicodeText.nfc(cell).trimmingSpaces()
            if text.unicodeScalars.contains(where: isInvisible) {
                var removed: [Unicode.Scalar] = []
                var kept = String.UnicodeScalarView()
                for scalar in text.unicodeScalars {
                    if isInvisible(scalar) { if !removed.contains(scalar) { removed.append(scalar) } } else { kept.append(scalar) }
                }
                text = String(kept).trimmingSpaces()
                notes.append(.init(.csvInvisibleInHeader, [String(index + 1), removed.map(describe).joined(separator: ", "), text]))
            }
            if text.isEmpty {
                text = "column\(index + 1)"
                notes.append(.init(.csvEmptyHeader, [String(index + 1), text]))
            }
            if taken.contains(text) {
                var suffix = nextSuffix[text] ?? 2
                while taken.contains("\(text)_\(suffix)") { suffix += 1 }
                nextSuffix[text] = suffix + 1
                duplicates += 1
                if duplicateNotes < 5 {
                    notes.append(.init(.csvDuplicateHeader, [text, "\(text)_\(suffix)"]))
                    duplicateNotes += 1
                }
                text = "\(text)_\(suffix)"
            }
            taken.insert(text)
            names.append(text)
        }
        if duplicates > duplicateNotes {
            notes.append(.init(.csvMoreDuplicateHeaders, [String(duplicates - duplicateNotes)]))
        }
        return (names, notes)
    }
}
