// Fitting prose to a terminal: wrapping at word boundaries and cutting at a word, both by
// display width (Vietnamese combining marks take no column, wide characters take two).

extension UnicodeText {
    /// Cuts `text` to at most `width` display columns at a word boundary (a space, or after
    /// the `_` between an identifier's words), ending with the
    /// ellipsis. When the first word alone is wider than the room, it is cut inside the word
    /// (a column of one very long word must still fit).
    public static func truncateAtWord(_ text: String, to width: Int, ellipsis: String = "…") -> String {
        if displayWidth(text) <= width { return text }
        let room = max(0, width - displayWidth(ellipsis))
        var result = ""
        var used = 0
        var lastBreak: String.Index?
        for character in text {
            let characterWidth = displayWidth(String(character))
            if used + characterWidth > room { break }
            if character == " " { lastBreak = result.endIndex }
            result.append(character)
            // An identifier's words are joined by `_`: `meritorious_monthly_…`.
            if character == "_" { lastBreak = result.endIndex }
            used += characterWidth
        }
        // A word boundary in the second half of the room; otherwise a cut inside the word reads better
        // than a column shrunk to one short word.
        if let lastBreak, displayWidth(String(result[..<lastBreak])) * 2 >= room {
            result = String(result[..<lastBreak])
        }
        while result.hasSuffix(" ") || result.hasSuffix(",") || result.hasSuffix(";") { result.removeLast() }
        return result + ellipsis
    }

    /// Joins the lines of each paragraph that a file wrapped by hand, so `wrap` can wrap them at
    /// the terminal's width. Blank lines, indented lines (examples) and list items stay lines.
    public static func reflow(_ text: String) -> String {
        var out: [String] = []
        var joinable = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let starts = line.first
            let isItem = line.hasPrefix("- ") || line.hasPrefix("• ") || line.hasPrefix("* ")
            if joinable, let starts, starts != " ", starts != "\t", !isItem, let last = out.popLast() {
                out.append(last + " " + line)
            } else {
                out.append(String(line))
            }
            joinable = !(line.first == " " || line.first == "\t" || line.isEmpty)
        }
        return out.joined(separator: "\n")
    }

    /// Wraps every line of `text` that is wider than `width` at word boundaries. A continuation
    /// line is indented like the line's text: after its leading spaces, or after a gap of two or
    /// more spaces that starts the last column (`  .width N   fit tables…`), so lists stay lists.
    /// Words wider than a line are left whole (never cut), and lines that fit are left alone.
    public static func wrap(_ text: String, width: Int?) -> String {
        guard let width, width >= 20 else { return text }
        var out: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            wrapLine(String(line), width: width, into: &out)
        }
        return out.joined(separator: "\n")
    }

    private static func wrapLine(_ line: String, width: Int, into out: inout [String]) {
        if displayWidth(line) <= width { out.append(line); return }
        let indent = hangingIndent(line, width: width)
        let pad = String(repeating: " ", count: indent)
        // Words with the spaces before them, so the first line keeps its own spacing.
        var current = ""
        var currentWidth = 0
        var firstLine = true
        var pendingSpaces = ""
        var word = ""
        func flushWord() {
            guard !word.isEmpty else { return }
            let wordWidth = displayWidth(word)
            let spaceWidth = pendingSpaces.count
            if currentWidth > 0, currentWidth + spaceWidth + wordWidth > width {
                out.append(current)
                current = pad
                currentWidth = indent
                firstLine = false
            } else {
                current += pendingSpaces
                currentWidth += spaceWidth
            }
            current += word
            currentWidth += wordWidth
            word = ""
            pendingSpaces = ""
        }
        for character in line {
            if character == " " {
                if !word.isEmpty { flushWord() }
                pendingSpaces.append(" ")
            } else {
                word.append(character)
            }
        }
        if !word.isEmpty { flushWord() } else if !pendingSpaces.isEmpty, firstLine, current.isEmpty { current = pendingSpaces }
        if !current.isEmpty && !(current == pad && !firstLine) { out.append(current) }
    }

    /// Where a wrapped line continues: after a column gap (two or more spaces after some text)
    /// when that leaves at least 20 columns, else after the leading spaces (plus two when the
    /// line starts a list item or a `note:` label).
    static func hangingIndent(_ line: String, width: Int) -> Int {
        var column = 0
        var leading = 0
        var seenText = false
        var spaces = 0
        var gapEnd: Int?
        for character in line {
            let characterWidth = displayWidth(String(character))
            if character == " " {
                spaces += 1
                if !seenText { leading += 1 }
            } else {
                if seenText, spaces >= 2, width - column >= 20 { gapEnd = column }
                seenText = true
                spaces = 0
            }
            column += characterWidth
        }
        if let gapEnd { return gapEnd }
        let trimmed = line.drop(while: { $0 == " " })
        if trimmed.hasPrefix("- ") || trimmed.hasPrefix("• ") || trimmed.hasPrefix("* ") { return min(leading + 2, width / 2) }
        if let colon = trimmed.firstIndex(of: ":"), trimmed.distance(from: trimmed.startIndex, to: colon) <= 12,
           trimmed[trimmed.index(after: colon)...].hasPrefix(" ") {
            return min(leading + displayWidth(String(trimmed[...colon])) + 1, width / 2)
        }
        return min(leading, width / 2)
    }
}
