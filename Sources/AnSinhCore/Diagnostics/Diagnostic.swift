/// The language messages are shown in.
public enum Language: String, CaseIterable, Sendable {
    case en, vi
}

/// A user-facing problem: what went wrong, where, and what to do about it.
///
/// Every error a person can cause is a `Diagnostic` value, never a trap: the shell prints it
/// and carries on (or, in a script, stops with exit code 2).
public struct Diagnostic: Error, Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// The text does not follow the grammar.
        case syntax
        /// The text stopped before the statement was complete: the prompt asks for more.
        case incomplete
        /// A name (column, table, function, stage, value) that does not exist.
        case name
        /// Types that do not fit together.
        case type
        /// A value that is not allowed here (a negative `take`, a bad setting).
        case value
        /// A problem reading or writing a file.
        case io
        /// A result larger than the configured limit.
        case limit
        /// The user pressed Ctrl-C.
        case cancelled
        /// A dot-command used the wrong way.
        case usage
    }

    public var kind: Kind
    public var message: MessageID
    public var arguments: [String]
    public var range: SourceRange?
    /// Names the user may have meant; rendered as "did you mean …?".
    public var suggestions: [String]
    /// Extra lines: hints, or the list of valid choices.
    public var notes: [Note]

    public struct Note: Sendable, Equatable {
        public var message: MessageID
        public var arguments: [String]
        public init(_ message: MessageID, _ arguments: [String] = []) {
            self.message = message
            self.arguments = arguments
        }
    }

    public init(
        _ kind: Kind, _ message: MessageID, _ arguments: [String] = [], at range: SourceRange? = nil,
        suggestions: [String] = [], notes: [Note] = []
    ) {
        self.kind = kind
        self.message = message
        self.arguments = arguments
        self.range = range
        self.suggestions = suggestions
        self.notes = notes
    }

    /// The message text alone, without location.
    public func text(in language: Language) -> String {
        message.format(language, arguments)
    }
}

/// Several diagnostics from one statement (the parser reports every syntax error it can).
public struct DiagnosticList: Error, Sendable {
    public var diagnostics: [Diagnostic]
    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
}

/// Renders diagnostics as `file:line:column: error: message`, the source line and a caret.
public enum DiagnosticRenderer {
    public static func render(_ diagnostic: Diagnostic, in source: SourceFile?, language: Language) -> String {
        let label = MessageID.labelError.format(language, [])
        var header = ""
        var excerpt = ""
        if let source, let range = diagnostic.range {
            let (line, column) = source.location(of: range.start)
            header = (source.name.map { "\($0):" } ?? "") + "\(line):\(column): "
            excerpt = caretExcerpt(range, in: source)
        } else if let name = source?.name {
            header = "\(name): "
        }
        var text = header + label + ": " + diagnostic.text(in: language)
        if !diagnostic.suggestions.isEmpty {
            let names = diagnostic.suggestions.map { "`\($0)`" }.joined(separator: ", ")
            text += " — " + MessageID.didYouMean.format(language, [names])
        }
        text += excerpt
        for note in diagnostic.notes {
            text += "\n  " + note.message.format(language, note.arguments)
        }
        return text
    }

    /// Lines wider than this are shown as a window around the error.
    static let excerptWidth = 200
    /// How much of the line the window shows before the first caret.
    static let excerptLead = 60

    /// The source line of `range` with carets under the exact characters. A line wider than
    /// `excerptWidth` characters (a 1 MB generated line, 10,000 brackets) is cut to a window
    /// around the error, `…` marking each cut, the carets clipped to it.
    static func caretExcerpt(_ range: SourceRange, in source: SourceFile) -> String {
        let lineIndex = source.lineIndex(of: range.start)
        let lineNumber = String(lineIndex + source.firstLine)
        let gutter = String(repeating: " ", count: lineNumber.count)
        let lineStart = source.lineStarts[lineIndex]
        let lineText = source.lineText(lineIndex)
        let lineBytes = Array(lineText.utf8)
        let startInLine = min(max(0, range.start - lineStart), lineBytes.count)
        let endInLine = min(max(startInLine, range.end - lineStart), lineBytes.count)
        var before = String(decoding: lineBytes[0..<startInLine], as: UTF8.self)
        var marked = String(decoding: lineBytes[startInLine..<endInLine], as: UTF8.self)
        var shownLine = lineText
        var lead = ""
        if lineBytes.count > excerptWidth, lineText.count > excerptWidth {
            let characters = Array(lineText)
            let caret = before.count
            let total = characters.count
            let windowStart = max(0, min(caret - excerptLead, total - excerptWidth))
            let windowEnd = min(total, windowStart + excerptWidth)
            let markedEnd = min(windowEnd, caret + marked.count)
            lead = windowStart > 0 ? "…" : ""
            shownLine = lead + String(characters[windowStart..<windowEnd]) + (windowEnd < total ? "…" : "")
            before = String(characters[windowStart..<max(windowStart, caret)])
            marked = String(characters[min(caret, markedEnd)..<markedEnd])
        }
        // Tabs keep their place so the caret lines up in a terminal.
        let indent = (lead.isEmpty ? "" : " ") + visibleControlCharacters(before).map { $0 == "\t" ? "\t" : String(repeating: " ", count: UnicodeText.displayWidth(String($0))) }.joined()
        let caretCount = max(1, UnicodeText.displayWidth(marked))
        return "\n \(lineNumber) | \(visibleControlCharacters(shownLine))\n \(gutter) | \(indent)\(String(repeating: "^", count: caretCount))"
    }

    /// Shows the echoed line as `UnicodeText.terminalSafe` shows data: C0 controls (other than
    /// tab) as control pictures, DEL as ␡, C1 controls and bidirectional overrides by code
    /// point (`⟨U+202E⟩`), so a pasted escape code or a right-to-left override cannot garble
    /// the terminal or reverse the line while being reported.
    static func visibleControlCharacters(_ text: String) -> String {
        UnicodeText.terminalSafe(text, keepLineBreaks: true)
    }
}
