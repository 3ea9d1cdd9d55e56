/// Splits source text into tokens.
///
/// Comments (`#` and `--` to the end of the line) and spaces are skipped. Line breaks inside
/// brackets are dropped; outside brackets they become `.newline`, which the parser uses to end
/// statements. Lexing never fails: bad text becomes an `.invalid` token plus a diagnostic.
public struct Lexer {
    public let source: SourceFile
    private let bytes: [UInt8]
    private var position = 0
    private var bracketDepth = 0
    public private(set) var diagnostics: [Diagnostic] = []

    public init(_ source: SourceFile) {
        self.source = source
        self.bytes = source.bytes
    }

    /// All tokens, ending with `.end`.
    public static func tokenize(_ source: SourceFile) -> (tokens: [Token], diagnostics: [Diagnostic]) {
        var lexer = Lexer(source)
        var tokens: [Token] = []
        while true {
            let token = lexer.next()
            // Collapse runs of line breaks, and drop them at the start.
            if token.kind == .newline, tokens.last?.kind == .newline || tokens.isEmpty { continue }
            tokens.append(token)
            if token.kind == .end { break }
        }
        return (tokens, lexer.diagnostics)
    }

    private func peek(_ offset: Int = 0) -> UInt8? {
        let index = position + offset
        return index < bytes.count ? bytes[index] : nil
    }

    public mutating func next() -> Token {
        skipSpacesAndComments()
        let start = position
        guard let byte = peek() else { return Token(kind: .end, range: SourceRange(start, start)) }

        if byte == 0x0A {
            position += 1
            if bracketDepth > 0 { return next() }
            return Token(kind: .newline, range: SourceRange(start, position))
        }
        if isDigit(byte) || (byte == UInt8(ascii: ".") && peek(1).map(isDigit) == true) {
            return number()
        }
        if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") { return string(quote: byte) }
        if byte == UInt8(ascii: "`") { return quotedIdentifier() }
        if byte == UInt8(ascii: "$") {
            position += 1
            let nameStart = position
            skipIdentifier()
            let name = String(decoding: bytes[nameStart..<position], as: UTF8.self)
            if name.isEmpty {
                return invalid(start, .unexpectedCharacter, ["$"])
            }
            return Token(kind: .parameter(name), range: SourceRange(start, position))
        }
        if identifierLength(start: true) > 0 {
            skipIdentifier()
            let name = String(decoding: bytes[start..<position], as: UTF8.self)
            return Token(kind: .identifier(UnicodeText.nfc(name)), range: SourceRange(start, position))
        }
        if let symbol = symbol() {
            switch symbol {
            case .leftParen, .leftBracket: bracketDepth += 1
            case .rightParen, .rightBracket: bracketDepth = max(0, bracketDepth - 1)
            default: break
            }
            return Token(kind: .symbol(symbol), range: SourceRange(start, position))
        }
        // Anything else: one whole UTF-8 scalar, reported.
        position += 1
        while let next = peek(), next & 0xC0 == 0x80 { position += 1 }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        if byte < 0x20 || byte == 0x7F {
            return invalid(start, .controlCharacter, [UnicodeText.codePoint(UInt32(byte))])
        }
        if let scalar = text.unicodeScalars.first {
            if (0x80...0x9F).contains(scalar.value) {
                return invalid(start, .controlCharacter, [UnicodeText.codePoint(scalar.value)])
            }
            // A zero-width space or a stray byte-order mark would show as nothing between backticks.
            if UnicodeText.isInvisible(scalar) {
                return invalid(start, .unexpectedInvisibleCharacter, [UnicodeText.describe(scalar)])
            }
        }
        let token = invalid(start, .unexpectedCharacter, [text])
        if "“”„‘’«»".contains(text) {
            diagnostics[diagnostics.count - 1].notes.append(.init(.smartQuoteHint))
        }
        return token
    }

    private mutating func invalid(_ start: Int, _ message: MessageID, _ arguments: [String]) -> Token {
        let range = SourceRange(start, max(position, start + 1))
        diagnostics.append(Diagnostic(.syntax, message, arguments, at: range))
        return Token(kind: .invalid, range: range)
    }


    private mutating func skipSpacesAndComments() {
        while let byte = peek() {
            if byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0C {
                position += 1
            } else if byte == 0xC2, peek(1) == 0xA0 {
                position += 2  // no-break space, common in pasted text
            } else if byte == UInt8(ascii: "#") || (byte == UInt8(ascii: "-") && peek(1) == UInt8(ascii: "-")) {
                while let next = peek(), next != 0x0A { position += 1 }
            } else {
                return
            }
        }
    }

    private mutating func symbol() -> Token.Symbol? {
        guard let byte = peek() else { return nil }
        let next = peek(1)
        func two(_ symbol: Token.Symbol) -> Token.Symbol { position += 2; return symbol }
        func one(_ symbol: Token.Symbol) -> Token.Symbol { position += 1; return symbol }
        switch byte {
        case UInt8(ascii: "|"): return one(.pipe)
        case UInt8(ascii: ","): return one(.comma)
        case UInt8(ascii: "("): return one(.leftParen)
        case UInt8(ascii: ")"): return one(.rightParen)
        case UInt8(ascii: "["): return one(.leftBracket)
        case UInt8(ascii: "]"): return one(.rightBracket)
        case UInt8(ascii: "="): return next == UInt8(ascii: "=") ? two(.equal) : one(.assign)
        case UInt8(ascii: "!"):
            if next == UInt8(ascii: "=") { return two(.notEqual) }
            if next == UInt8(ascii: "~") { return two(.notTilde) }
            return nil
        case UInt8(ascii: "<"):
            if next == UInt8(ascii: "=") { return two(.lessEqual) }
            if next == UInt8(ascii: ">") { return two(.notEqual) }
            return one(.less)
        case UInt8(ascii: ">"): return next == UInt8(ascii: "=") ? two(.greaterEqual) : one(.greater)
        case UInt8(ascii: "+"): return one(.plus)
        case UInt8(ascii: "-"): return one(.minus)
        case UInt8(ascii: "*"): return one(.star)
        case UInt8(ascii: "/"): return one(.slash)
        case UInt8(ascii: "%"): return one(.percent)
        case UInt8(ascii: "~"): return one(.tilde)
        case UInt8(ascii: ";"): return one(.semicolon)
        case UInt8(ascii: "."): return one(.dot)
        default: return nil
        }
    }

    /// `1_000`, `3.5`, `.5`, `1e9`, `2.5E-3`. Integers beyond 64 bits become decimals, as in SQLite.
    private mutating func number() -> Token {
        let start = position
        var digits = ""
        var isDecimal = false
        var malformed = false
        func readDigits(_ lexer: inout Lexer, into text: inout String) {
            while let byte = lexer.peek(), lexer.isDigit(byte) || byte == UInt8(ascii: "_") {
                if byte != UInt8(ascii: "_") { text.unicodeScalars.append(Unicode.Scalar(byte)) }
                lexer.position += 1
            }
        }
        readDigits(&self, into: &digits)
        if peek() == UInt8(ascii: "."), peek(1).map(isDigit) == true || digits.isEmpty {
            isDecimal = true
            digits += "."
            position += 1
            readDigits(&self, into: &digits)
        }
        if let byte = peek(), byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
            let save = position
            var exponent = "e"
            position += 1
            if let sign = peek(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
                exponent.unicodeScalars.append(Unicode.Scalar(sign))
                position += 1
            }
            let before = exponent.count
            readDigits(&self, into: &exponent)
            if exponent.count == before {
                position = save  // `2e` is 2 followed by a name; the parser will complain
            } else {
                isDecimal = true
                digits += exponent
            }
        }
        // `1.2.3` (a version, a date typed with dots) is one bad number, not `1.2` then `.3`.
        while isDecimal, peek() == UInt8(ascii: "."), peek(1).map(isDigit) == true {
            malformed = true
            position += 1
            var ignored = ""
            readDigits(&self, into: &ignored)
        }
        // A number running straight into letters (`12abc`) is one bad token, not two.
        if identifierLength(start: true) > 0 {
            malformed = true
            skipIdentifier()
        }
        let range = SourceRange(start, position)
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        // `1_` and `1__000` are typos, not numbers (digits skip the underscores, so look at the text).
        if malformed || text.hasSuffix("_") || text.contains("__") || text.contains("_.") || text.contains("._") {
            diagnostics.append(Diagnostic(.syntax, .invalidNumber, [text], at: range))
            return Token(kind: .invalid, range: range)
        }
        if !isDecimal, let value = Int64(digits) {
            return Token(kind: .integer(value), range: range, spelling: text)
        }
        guard let value = Double(digits), value.isFinite else {
            diagnostics.append(Diagnostic(.syntax, .numberTooLarge, [text], at: range))
            return Token(kind: .invalid, range: range)
        }
        return Token(kind: .decimal(value), range: range, spelling: text)
    }

    /// A string in double or single quotes. Strings may span lines; escapes: \\ \" \' \n \t \u{…}.
    private mutating func string(quote: UInt8) -> Token {
        let start = position
        position += 1
        var value: [UInt8] = []
        while true {
            guard let byte = peek() else {
                let range = SourceRange(start, position)
                let quoteText = quote == UInt8(ascii: "\"") ? "\"" : "'"
                diagnostics.append(Diagnostic(.incomplete, .unterminatedString, [quoteText], at: range))
                return Token(kind: .invalid, range: range)
            }
            position += 1
            if byte == quote {
                // SQL style doubled quote inside single-quoted strings: 'it''s'
                if quote == UInt8(ascii: "'"), peek() == quote {
                    value.append(quote)
                    position += 1
                    continue
                }
                break
            }
            if byte == UInt8(ascii: "\\") {
                guard let escaped = peek() else { continue }
                position += 1
                switch escaped {
                case UInt8(ascii: "n"): value.append(0x0A)
                case UInt8(ascii: "t"): value.append(0x09)
                case UInt8(ascii: "\\"), UInt8(ascii: "\""), UInt8(ascii: "'"): value.append(escaped)
                case UInt8(ascii: "u") where peek() == UInt8(ascii: "{"):
                    let escapeStart = position - 2
                    position += 1
                    var hex = ""
                    // Up to the `}`, but never past the closing quote: `\u{1EA1"` is unclosed.
                    while let digit = peek(), digit != UInt8(ascii: "}"), digit != quote, digit != 0x0A, digit != UInt8(ascii: "\\"), hex.count <= 8 {
                        hex.unicodeScalars.append(Unicode.Scalar(digit))
                        position += 1
                    }
                    let closed = peek() == UInt8(ascii: "}")
                    if closed { position += 1 }
                    if closed, let code = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(code) {
                        value.append(contentsOf: Array(String(Character(scalar)).utf8))
                    } else {
                        diagnostics.append(Diagnostic(.syntax, .invalidEscape, ["u{\(hex)" + (closed ? "}" : "")], at: SourceRange(escapeStart, position)))
                    }
                default:
                    let text = String(decoding: [escaped], as: UTF8.self)
                    diagnostics.append(Diagnostic(.syntax, .invalidEscape, [text], at: SourceRange(position - 2, position)))
                }
                continue
            }
            // A control character typed into a string is a paste accident (or an escape code that
            // would repaint the terminal when echoed): `\t`, `\n` and `\u{…}` exist for the real ones.
            if (byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D) || byte == 0x7F {
                diagnostics.append(Diagnostic(.syntax, .controlCharacter, [UnicodeText.codePoint(UInt32(byte))], at: SourceRange(position - 1, position)))
            } else if byte == 0xC2, let next = peek(), next >= 0x80, next <= 0x9F {
                diagnostics.append(Diagnostic(.syntax, .controlCharacter, [UnicodeText.codePoint(UInt32(next))], at: SourceRange(position - 1, position + 1)))
            }
            value.append(byte)
        }
        let text = UnicodeText.nfc(String(decoding: value, as: UTF8.self))
        return Token(kind: .string(text), range: SourceRange(start, position))
    }

    private mutating func quotedIdentifier() -> Token {
        let start = position
        position += 1
        let nameStart = position
        while let byte = peek(), byte != UInt8(ascii: "`"), byte != 0x0A { position += 1 }
        guard peek() == UInt8(ascii: "`") else {
            let range = SourceRange(start, position)
            diagnostics.append(Diagnostic(.syntax, .unterminatedBacktick, [], at: range))
            return Token(kind: .invalid, range: range)
        }
        let name = String(decoding: bytes[nameStart..<position], as: UTF8.self)
        position += 1
        return Token(kind: .quotedIdentifier(UnicodeText.nfc(name)), range: SourceRange(start, position))
    }

    @inline(__always) private func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }


    /// The UTF-8 length of the identifier character at the current position, or 0 when there is none.
    ///
    /// Identifiers hold ASCII letters, digits (not first) and `_`, and any Unicode letter or
    /// combining mark, so Vietnamese names such as `tỷ_lệ` need no quotes.
    private func identifierLength(start: Bool) -> Int {
        guard let byte = peek() else { return 0 }
        if byte < 0x80 {
            let isLetter = (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F
            return isLetter || (!start && isDigit(byte)) ? 1 : 0
        }
        var length = 1
        while let next = peek(length), next & 0xC0 == 0x80, length < 4 { length += 1 }
        let scalar = String(decoding: bytes[position..<position + length], as: UTF8.self).unicodeScalars.first
        guard let scalar else { return 0 }
        let properties = scalar.properties
        if properties.isAlphabetic { return length }
        switch properties.generalCategory {
        case .nonspacingMark, .spacingMark: return start ? 0 : length
        default: return 0
        }
    }

    private mutating func skipIdentifier() {
        var first = true
        while true {
            let length = identifierLength(start: first)
            if length == 0 { return }
            position += length
            first = false
        }
    }
}
