/// A lexical token with the source range it was read from.
public struct Token: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        /// A name: a column, table, function, stage or keyword (keywords are recognised by the parser,
        /// because most are only reserved in one place: `value` is a column and a `pivot` keyword).
        case identifier(String)
        /// A name in backticks, never a keyword: `` `tỷ lệ` ``.
        case quotedIdentifier(String)
        case integer(Int64)
        case decimal(Double)
        case string(String)
        /// `$name`, bound by `--param name=value`.
        case parameter(String)
        case symbol(Symbol)
        /// A line break outside brackets: it ends a statement unless the pipeline continues.
        case newline
        case end
        /// Text the lexer could not read; the diagnostic was already reported.
        case invalid
    }

    public enum Symbol: String, Sendable, CaseIterable {
        case pipe = "|", comma = ",", leftParen = "(", rightParen = ")", leftBracket = "[", rightBracket = "]"
        case assign = "=", equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">"
        case greaterEqual = ">=", plus = "+", minus = "-", star = "*", slash = "/", percent = "%"
        case tilde = "~", notTilde = "!~", semicolon = ";", dot = "."
    }

    public var kind: Kind
    public var range: SourceRange
    /// How a number was written (`.5`, `1_000`, `99999999999999999999`), so messages quote the
    /// source rather than the parsed value.
    public var spelling: String? = nil

    /// How the token is named in messages: "`where`", "the end of the line".
    public var display: String {
        switch kind {
        case .identifier(let name): "`\(UnicodeText.clipped(name))`"
        case .quotedIdentifier(let name): "`\(UnicodeText.clipped(name))`"
        case .integer(let value): "`\(spelling.map { UnicodeText.clipped($0) } ?? String(value))`"
        case .decimal(let value): "`\(spelling.map { UnicodeText.clipped($0) } ?? String(value))`"
        case .string(let value): "\"\(value.count > 20 ? String(value.prefix(20)) + "…" : value)\""
        case .parameter(let name): "`$\(name)`"
        case .symbol(let symbol): "`\(symbol.rawValue)`"
        case .newline: "the end of the line"
        case .end: "the end of the input"
        case .invalid: "invalid text"
        }
    }

    func isSymbol(_ symbol: Symbol) -> Bool { kind == .symbol(symbol) }

    /// True for an unquoted identifier spelled `word` (keywords are case-insensitive).
    func isKeyword(_ word: String) -> Bool {
        if case .identifier(let name) = kind { return name.lowercased() == word }
        return false
    }
}
