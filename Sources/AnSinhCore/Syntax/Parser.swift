/// Builds statements from tokens: one function per grammar rule.
///
/// ```
/// program    := (statement (NEWLINE | ";")*)* END
/// statement  := "let" NAME "=" pipeline | "explain" pipeline | pipeline
/// pipeline   := "from" NAME ( [NEWLINE] "|" [NEWLINE] stage )*
/// stage      := "where" expr | "select" items | "derive" items | "summarize" items ["by" items]
///             | "sort" key ("," key)* | "take" expr | "distinct" [NAME ("," NAME)*]
///             | "join" ["left"] NAME "on" joinkey ("," joinkey)* | "pivot" items "by" expr ["value" expr]
///             | "compare" NAME | "chart" ["bar"|"spark"] [expr] ["by" expr] | "why"
///             | "per_capita" [NAME] [expr] | "unpivot" columns "into" NAME "," NAME
/// columns    := "all" ["except" col ("," col)*] | "matching" STRING | col [".." col] ("," col [".." col])*
/// col        := NAME | `QUOTED` | "STRING"   (a column name; strings name headers like "2006")
/// items      := item ("," item)*        item := NAME "=" expr | expr ["as" NAME]
/// key        := expr ["asc" | "desc"]
/// ```
/// Expressions, from the loosest to the tightest binding:
///
/// | level | operators                                          | associativity |
/// |-------|----------------------------------------------------|---------------|
/// | 1     | `or`                                               | left          |
/// | 2     | `and`                                              | left          |
/// | 3     | `not` (prefix)                                     | right         |
/// | 4     | `== != < <= > >= ~ !~`, `in (…)`, `between … and …`, `is [not] null` | none |
/// | 5     | `+ -`                                              | left          |
/// | 6     | `* / %`                                            | left          |
/// | 7     | `-` (prefix)                                       | right         |
/// | 8     | literals, names, `f(…)`, `(expr)`, `$param`        |               |
///
/// Errors are collected, not thrown out of the statement: after a bad stage the parser skips to
/// the next `|` and carries on, so several mistakes in one statement are reported together.
/// Running out of input where more is needed gives a diagnostic of kind `.incomplete`, which the
/// prompt turns into a continuation line instead of an error.
public struct Parser {
    /// Deeper trees are refused, so no later recursive walk can exhaust the stack.
    public static let maximumDepth = 100

    public static let stageNames = [
        "where", "select", "derive", "summarize", "sort", "take", "distinct", "join", "pivot",
        "compare", "chart", "why", "per_capita", "unpivot",
    ]

    /// Words that cannot be column names without backticks, because expressions use them.
    static let reservedWords: Set<String> = ["and", "or", "not", "in", "between", "is", "null", "true", "false", "as"]

    private let tokens: [Token]
    private var current = 0
    public private(set) var diagnostics: [Diagnostic] = []

    public init(tokens: [Token]) {
        self.tokens = tokens.isEmpty ? [Token(kind: .end, range: SourceRange(0, 0))] : tokens
    }

    /// Parses a whole text: statements and every diagnostic (lexer's and parser's).
    public static func parse(_ source: SourceFile) -> (statements: [Statement], diagnostics: [Diagnostic]) {
        let (tokens, lexerDiagnostics) = Lexer.tokenize(source)
        var parser = Parser(tokens: tokens)
        let statements = parser.parseProgram()
        // A lexer error and the parser's complaint about the same bad token say the same thing twice.
        let lexerRanges = Set(lexerDiagnostics.compactMap(\.range))
        let parserDiagnostics = parser.diagnostics.filter { $0.range.map { !lexerRanges.contains($0) } ?? true }
        let all = (lexerDiagnostics + parserDiagnostics).sorted { ($0.range?.start ?? 0) < ($1.range?.start ?? 0) }
        return (statements, all)
    }

    // MARK: - Token vocabulary

    private var peek: Token { tokens[min(current, tokens.count - 1)] }

    private func peek(_ offset: Int) -> Token { tokens[min(current + offset, tokens.count - 1)] }

    private var previous: Token { tokens[max(0, min(current - 1, tokens.count - 1))] }

    private var isAtEnd: Bool { peek.kind == .end }

    @discardableResult
    private mutating func advance() -> Token {
        let token = peek
        if !isAtEnd { current += 1 }
        return token
    }

    private func check(_ symbol: Token.Symbol) -> Bool { peek.isSymbol(symbol) }

    private func checkKeyword(_ word: String) -> Bool { peek.isKeyword(word) }

    private mutating func match(_ symbol: Token.Symbol) -> Bool {
        guard check(symbol) else { return false }
        advance()
        return true
    }

    private mutating func matchKeyword(_ word: String) -> Bool {
        guard checkKeyword(word) else { return false }
        advance()
        return true
    }

    private mutating func skipNewlines() {
        while peek.kind == .newline { advance() }
    }

    /// The error for a missing token: "incomplete" when the input ran out, else a syntax error.
    private func missing(_ expected: String, message: MessageID = .expectedToken) -> ParseError {
        if isAtEnd {
            return ParseError(Diagnostic(.incomplete, .incompleteStatement, [expected], at: peek.range))
        }
        let arguments = message == .expectedToken ? [expected, peek.display] : [peek.display]
        return ParseError(Diagnostic(.syntax, message, arguments, at: peek.range))
    }

    private mutating func expect(_ symbol: Token.Symbol, _ expected: String) throws(ParseError) -> Token {
        guard check(symbol) else { throw missing(expected) }
        return advance()
    }

    private mutating func expectKeyword(_ word: String) throws(ParseError) -> Token {
        guard checkKeyword(word) else { throw missing("`\(word)`") }
        return advance()
    }

    struct ParseError: Error {
        var diagnostic: Diagnostic
        init(_ diagnostic: Diagnostic) { self.diagnostic = diagnostic }
    }

    // MARK: - Statements

    public mutating func parseProgram() -> [Statement] {
        var statements: [Statement] = []
        while true {
            while peek.kind == .newline || check(.semicolon) { advance() }
            if isAtEnd { break }
            let before = diagnostics.count
            if let statement = parseStatement() {
                statements.append(statement)
            }
            // A statement ends at a line break, `;` or the end; anything else is left over.
            if peek.kind != .newline, !check(.semicolon), !isAtEnd {
                if diagnostics.count == before {
                    diagnostics.append(Diagnostic(.syntax, .unexpectedAfterStatement, [peek.display], at: peek.range))
                }
                synchronizeToStatementEnd()
            }
        }
        return statements
    }

    private mutating func synchronizeToStatementEnd() {
        while !isAtEnd, peek.kind != .newline, !check(.semicolon) { advance() }
    }

    mutating func parseStatement() -> Statement? {
        let start = peek.range
        do {
            if matchKeyword("let") {
                let name = try parseName(what: "a name for the table")
                _ = try expect(.assign, "`=`")
                skipNewlines()
                guard let pipeline = try parsePipeline(atStatementStart: false) else { return nil }
                return Statement(kind: .assignment(name, pipeline), range: start.joined(pipeline.range))
            }
            if matchKeyword("explain") {
                guard let pipeline = try parsePipeline(atStatementStart: false) else { return nil }
                return Statement(kind: .explain(pipeline), range: start.joined(pipeline.range))
            }
            guard let pipeline = try parsePipeline() else { return nil }
            return Statement(kind: .query(pipeline), range: pipeline.range)
        } catch {
            diagnostics.append(error.diagnostic)
            synchronizeToStatementEnd()
            return nil
        }
    }

    /// `from NAME | stage | stage …`. Returns nil when a stage failed (its error is recorded).
    /// `atStatementStart` is false after `let NAME =` and `explain`: then only `from` can come.
    mutating func parsePipeline(atStatementStart: Bool = true) throws(ParseError) -> Pipeline? {
        guard checkKeyword("from") else {
            if !atStatementStart { throw missing("`from`") }
            if check(.pipe) {
                var diagnostic = Diagnostic(.syntax, .statementStart, [peek.display], at: peek.range)
                diagnostic.notes.append(.init(.leadingPipeHint))
                throw ParseError(diagnostic)
            }
            throw missing("`from`", message: .statementStart)
        }
        let fromToken = advance()
        let source = try parseTableName()
        var stages: [Stage] = []
        var failed = false
        while true {
            // A line break continues the pipeline only when the next line starts with `|`.
            if peek.kind == .newline, peek(1).isSymbol(.pipe) { advance() }
            guard match(.pipe) else { break }
            skipNewlines()
            do {
                stages.append(try parseStage())
            } catch {
                diagnostics.append(error.diagnostic)
                failed = true
                synchronizeToNextStage()
            }
        }
        if failed { return nil }
        // A chart is drawn, not a table: nothing can follow it.
        if let chart = stages.firstIndex(where: { if case .chart = $0.kind { true } else { false } }), chart + 1 < stages.count {
            let next = stages[chart + 1]
            throw ParseError(Diagnostic(.syntax, .chartNotLast, [next.keyword.text], at: next.range))
        }
        let end = stages.last?.range ?? source.range
        return Pipeline(source: source, stages: stages, range: fromToken.range.joined(end))
    }

    /// Skips the rest of a bad stage: up to the next `|` outside brackets, or the statement end.
    private mutating func synchronizeToNextStage() {
        var depth = 0
        while !isAtEnd {
            if depth == 0, check(.pipe) { return }
            if depth == 0, peek.kind == .newline {
                if peek(1).isSymbol(.pipe) { advance(); return }
                return
            }
            if depth == 0, check(.semicolon) { return }
            if check(.leftParen) || check(.leftBracket) { depth += 1 }
            if check(.rightParen) || check(.rightBracket) { depth = max(0, depth - 1) }
            advance()
        }
    }

    // MARK: - Stages

    mutating func parseStage() throws(ParseError) -> Stage {
        let keywordToken = peek
        guard case .identifier(let word) = keywordToken.kind else {
            throw missing("a stage (\(Parser.stageNames.joined(separator: ", ")))", message: .expectedStageAfterPipe)
        }
        let keyword = Name(word, keywordToken.range)
        advance()
        let kind: Stage.Kind
        switch word.lowercased() {
        case "where", "filter":
            kind = .filter(try parseRequiredExpression())
        case "select":
            kind = .select(try parseItems())
        case "derive", "extend", "mutate":
            kind = .derive(try parseItems(namesRequired: true))
        case "summarize", "summarise", "aggregate":
            var aggregates: [SelectItem] = []
            if !checkKeyword("by") { aggregates = try parseItems() }
            var keys: [SelectItem] = []
            if matchKeyword("by") { keys = try parseItems() }
            kind = .summarize(aggregates: aggregates, by: keys)
        case "sort", "order":
            if checkKeyword("by") { advance() }
            kind = .sort(try parseSortKeys())
        case "take", "limit":
            kind = .take(try parseRequiredExpression())
        case "distinct":
            var names: [Name] = []
            if isNameToken(peek) {
                names.append(try parseName(what: "a column name"))
                while match(.comma) {
                    skipNewlines()
                    names.append(try parseName(what: "a column name"))
                }
            }
            kind = .distinct(names)
        case "join":
            let isLeft = matchKeyword("left")
            let table = try parseTableName()
            _ = try expectKeyword("on")
            var keys = [try parseJoinKey(table: table)]
            while match(.comma) {
                skipNewlines()
                keys.append(try parseJoinKey(table: table))
            }
            kind = .join(left: isLeft, table: table, keys: keys)
        case "pivot":
            let rows = try parseItems()
            _ = try expectKeyword("by")
            let column = try parseRequiredExpression()
            var value: Expr?
            if matchKeyword("value") { value = try parseRequiredExpression() }
            kind = .pivot(rows: rows, column: column, value: value)
        case "compare":
            let key = try parseName(what: "what to compare by (`district` or `year`)")
            var value: Name?
            if matchKeyword("value") { value = try parseName(what: "the number column to compare") }
            kind = .compare(key, value: value)
        case "chart":
            var style: Name?
            if case .identifier(let styleWord) = peek.kind,
               ["bar", "bars", "spark", "sparkline"].contains(styleWord.lowercased()) {
                style = Name(styleWord.lowercased(), peek.range)
                advance()
            }
            var value: Expr?
            if !isStageEnd, !checkKeyword("by") { value = try parseExpression() }
            var label: Expr?
            if matchKeyword("by") { label = try parseRequiredExpression() }
            kind = .chart(style: style, value: value, label: label)
        case "why":
            kind = .why
        case "per_capita", "percapita":
            var column: Name?
            if isNameToken(peek) { column = try parseName(what: "a column name") }
            kind = .perCapita(column: column, scale: isStageEnd ? nil : try parseExpression())
        case "unpivot", "melt":
            kind = try parseUnpivot()
        default:
            let suggestions = UnicodeText.suggestions(for: word, among: Parser.stageNames)
            var diagnostic = Diagnostic(.name, .unknownStage, [word], at: keywordToken.range, suggestions: suggestions)
            if suggestions.isEmpty {
                diagnostic.notes.append(.init(.stageList, [Parser.stageNames.joined(separator: ", ")]))
            }
            throw ParseError(diagnostic)
        }
        return Stage(kind: kind, keyword: keyword, range: keywordToken.range.joined(previous.range))
    }

    /// `unpivot COLS into NAME, VALUE` after the keyword.
    private mutating func parseUnpivot() throws(ParseError) -> Stage.Kind {
        let columns: UnpivotColumns
        if checkKeyword("all"), !peek(1).isSymbol(.dot), !peek(1).isSymbol(.comma) {
            advance()
            var except: [Name] = []
            if matchKeyword("except") {
                repeat {
                    skipNewlines()
                    except.append(try parseColumnReference())
                } while match(.comma)
            }
            columns = .allExcept(except)
        } else if checkKeyword("matching"), case .string(let pattern) = peek(1).kind {
            advance()
            let token = advance()
            columns = .matching(pattern, token.range)
        } else {
            var ranges: [UnpivotRange] = []
            repeat {
                skipNewlines()
                let first = try parseColumnReference()
                var last: Name?
                if check(.dot), peek(1).isSymbol(.dot) {
                    advance()
                    advance()
                    last = try parseColumnReference()
                }
                ranges.append(UnpivotRange(first: first, last: last))
            } while match(.comma)
            columns = .list(ranges)
        }
        skipNewlinesBeforeKeyword("into")
        _ = try expectKeyword("into")
        let name = try parseName(what: "a name for the column of former column names (unpivot … into NAME, VALUE)")
        _ = try expect(.comma, "`,` and a name for the values (unpivot … into NAME, VALUE)")
        let value = try parseName(what: "a name for the values (unpivot … into NAME, VALUE)")
        return .unpivot(columns, into: name, value: value)
    }

    /// A line break inside a stage is fine before its next keyword (`unpivot …⏎ into …`).
    private mutating func skipNewlinesBeforeKeyword(_ word: String) {
        var offset = 0
        while peek(offset).kind == .newline { offset += 1 }
        if offset > 0, peek(offset).isKeyword(word) { current += offset }
    }

    /// A column as `unpivot` names it: a name, a `quoted name` or a "string" (GSO headers such as
    /// "2006" or "Pre. 2016" are not names, and the fixed syntax writes them in double quotes).
    private mutating func parseColumnReference() throws(ParseError) -> Name {
        if case .string(let text) = peek.kind {
            let token = advance()
            return Name(text, token.range)
        }
        return try parseName(what: "a column name")
    }

    /// True where a stage's optional arguments cannot continue.
    private var isStageEnd: Bool {
        isAtEnd || peek.kind == .newline || check(.pipe) || check(.semicolon)
    }

    private func isNameToken(_ token: Token) -> Bool {
        switch token.kind {
        case .identifier(let name): !Parser.reservedWords.contains(name.lowercased())
        case .quotedIdentifier: true
        default: false
        }
    }

    /// A table name; `pg.public.households` (a table on the connected server) is one name.
    private mutating func parseTableName() throws(ParseError) -> Name {
        var name = try parseName(what: "a table name")
        while peek.isSymbol(.dot), peek.range.start == name.range.end, case .identifier(let part) = peek(1).kind, peek(1).range.start == peek.range.end {
            advance()
            advance()
            name = Name(name.text + "." + part, name.range.joined(previous.range))
        }
        return name
    }

    /// `NAME` or `EXPR == [TABLE.]NAME`. The left side stops before the comparison, so `==` is the
    /// key's own; `a == b and c == d` is refused with the comma form, the language's way to list.
    private mutating func parseJoinKey(table: Name) throws(ParseError) -> JoinKey {
        skipNewlines()
        let left = try parseAdditive()
        var right: Name
        var rightTable: Name?
        if match(.equal) || match(.assign) {
            skipNewlines()
            let qualified = try parseTableName()
            if let dot = qualified.text.lastIndex(of: "."), qualified.text.index(after: dot) < qualified.text.endIndex {
                let prefix = String(qualified.text[..<dot])
                let column = String(qualified.text[qualified.text.index(after: dot)...])
                rightTable = Name(prefix, qualified.range)
                right = Name(column, qualified.range)
            } else {
                right = qualified
            }
            if check(.leftParen) || (isStageEnd == false && !check(.comma) && !checkKeyword("and")) {
                throw ParseError(Diagnostic(.syntax, .joinRightNotColumn, [table.text], at: qualified.range.joined(peek.range)))
            }
        } else if case .column(let name) = left.kind {
            right = Name(name, left.range)
        } else {
            throw ParseError(Diagnostic(.syntax, .joinKeyNeedsColumn, [], at: left.range))
        }
        let key = JoinKey(left: left, right: right, rightTable: rightTable, range: left.range.joined(right.range))
        if checkKeyword("and") {
            throw ParseError(Diagnostic(.syntax, .joinKeysUseComma, [], at: peek.range))
        }
        return key
    }

    private mutating func parseName(what: String) throws(ParseError) -> Name {
        switch peek.kind {
        case .identifier(let name) where !Parser.reservedWords.contains(name.lowercased()):
            advance()
            return Name(name, previous.range)
        case .quotedIdentifier(let name):
            advance()
            return Name(name, previous.range)
        default:
            if isAtEnd { throw missing(what) }
            throw ParseError(Diagnostic(.syntax, .expectedToken, [what, peek.display], at: peek.range))
        }
    }

    /// `item, item, …` where an item is `NAME = expr` or `expr [as NAME]`.
    private mutating func parseItems(namesRequired: Bool = false) throws(ParseError) -> [SelectItem] {
        var items = [try parseItem(nameRequired: namesRequired)]
        while match(.comma) {
            skipNewlines()
            items.append(try parseItem(nameRequired: namesRequired))
        }
        return items
    }

    private mutating func parseItem(nameRequired: Bool) throws(ParseError) -> SelectItem {
        let start = peek.range
        if isNameToken(peek), peek(1).isSymbol(.assign) {
            let name = try parseName(what: "a column name")
            advance()  // `=`
            skipNewlines()
            let expr = try parseRequiredExpression()
            return SelectItem(name: name, expr: expr, range: start.joined(expr.range))
        }
        if nameRequired {
            if isNameToken(peek) {
                throw ParseError(Diagnostic(.syntax, .expectedToken, ["`=` (derive NAME = EXPR)", peek(1).display], at: peek(1).range))
            }
            throw missing("a new column name (derive NAME = EXPR)")
        }
        let expr = try parseRequiredExpression()
        var name: Name?
        if matchKeyword("as") { name = try parseName(what: "a column name after `as`") }
        return SelectItem(name: name, expr: expr, range: start.joined(previous.range))
    }

    private mutating func parseSortKeys() throws(ParseError) -> [SortKey] {
        var keys: [SortKey] = []
        repeat {
            skipNewlines()
            let expr = try parseRequiredExpression()
            var descending = false
            if matchKeyword("desc") || matchKeyword("descending") {
                descending = true
            } else if matchKeyword("asc") || matchKeyword("ascending") {
                descending = false
            }
            keys.append(SortKey(expr: expr, descending: descending, range: expr.range.joined(previous.range)))
        } while match(.comma)
        return keys
    }

    // MARK: - Expressions

    /// An expression where one is required: a line break before it is allowed.
    private mutating func parseRequiredExpression() throws(ParseError) -> Expr {
        if peek.kind == .newline { skipNewlines() }
        return try parseExpression()
    }

    mutating func parseExpression() throws(ParseError) -> Expr {
        try parseOr()
    }

    private mutating func checkDepth(_ expr: Expr) throws(ParseError) -> Expr {
        guard expr.height <= Parser.maximumDepth else {
            throw ParseError(Diagnostic(.syntax, .nestingTooDeep, [String(Parser.maximumDepth)], at: expr.range))
        }
        return expr
    }

    private mutating func binary(_ op: BinaryOperator, _ left: Expr, _ right: Expr) throws(ParseError) -> Expr {
        try checkDepth(Expr(.binary(op, left, right), left.range.joined(right.range)))
    }

    private mutating func parseOr() throws(ParseError) -> Expr {
        var terms = [try parseAnd()]
        while matchKeyword("or") {
            skipNewlines()
            terms.append(try parseAnd())
        }
        return try balanced(.or, terms[...])
    }

    private mutating func parseAnd() throws(ParseError) -> Expr {
        var terms = [try parseNot()]
        while matchKeyword("and") {
            skipNewlines()
            terms.append(try parseNot())
        }
        return try balanced(.and, terms[...])
    }

    /// A flat chain `a or b or c …` as a balanced tree: `or` and `and` are associative in
    /// three-valued logic, so the answer is the same, and a chain of hundreds of terms is not
    /// "nested" (a left-deep tree of 101 terms was refused as deeper than 100 levels).
    private mutating func balanced(_ op: BinaryOperator, _ terms: ArraySlice<Expr>) throws(ParseError) -> Expr {
        if terms.count == 1, let only = terms.first { return only }
        let middle = terms.startIndex + terms.count / 2
        return try binary(op, try balanced(op, terms[..<middle]), try balanced(op, terms[middle...]))
    }

    private mutating func parseNot() throws(ParseError) -> Expr {
        if checkKeyword("not") {
            let start = advance().range
            let operand = try nested { (parser: inout Parser) throws(ParseError) -> Expr in try parser.parseNot() }
            return try checkDepth(Expr(.unary(.not, operand), start.joined(operand.range)))
        }
        return try parseComparison()
    }

    private mutating func parseComparison() throws(ParseError) -> Expr {
        let left = try parseAdditive()
        let comparisons: [(Token.Symbol, BinaryOperator)] = [
            (.equal, .equal), (.notEqual, .notEqual), (.less, .less), (.lessEqual, .lessEqual),
            (.greater, .greater), (.greaterEqual, .greaterEqual), (.tilde, .contains), (.notTilde, .notContains),
        ]
        for (symbol, op) in comparisons where check(symbol) {
            advance()
            skipNewlines()
            return try binary(op, left, try parseAdditive())
        }
        if check(.assign) {
            // `where district = "x"`: SQL habit. Accept it as `==`, which is what was meant.
            advance()
            skipNewlines()
            return try binary(.equal, left, try parseAdditive())
        }
        let negated = checkKeyword("not") && (peek(1).isKeyword("in") || peek(1).isKeyword("between"))
        if negated { advance() }
        if matchKeyword("in") {
            _ = try expect(.leftParen, "`(` after `in`")
            var values: [Expr] = []
            if !check(.rightParen) {
                repeat { values.append(try parseExpression()) } while match(.comma)
            }
            let close = try expect(.rightParen, "`)` to close the `in` list")
            if values.isEmpty {
                throw ParseError(Diagnostic(.syntax, .emptyInList, [], at: left.range.joined(close.range)))
            }
            return try checkDepth(Expr(.inList(left, values, negated: negated), left.range.joined(close.range)))
        }
        if matchKeyword("between") {
            let low = try parseAdditive()
            _ = try expectKeyword("and")
            let high = try parseAdditive()
            return try checkDepth(Expr(.between(left, low, high, negated: negated), left.range.joined(high.range)))
        }
        if checkKeyword("is") {
            advance()
            let isNegated = matchKeyword("not")
            let nullToken = try expectKeyword("null")
            return try checkDepth(Expr(.isNull(left, negated: isNegated), left.range.joined(nullToken.range)))
        }
        return left
    }

    private mutating func parseAdditive() throws(ParseError) -> Expr {
        var left = try parseMultiplicative()
        while true {
            let op: BinaryOperator
            if check(.plus) { op = .add } else if check(.minus) { op = .subtract } else { return left }
            advance()
            skipNewlines()
            left = try binary(op, left, try parseMultiplicative())
        }
    }

    private mutating func parseMultiplicative() throws(ParseError) -> Expr {
        var left = try parseUnary()
        while true {
            let op: BinaryOperator
            if check(.star) { op = .multiply } else if check(.slash) { op = .divide } else if check(.percent) { op = .remainder } else { return left }
            advance()
            skipNewlines()
            left = try binary(op, left, try parseUnary())
        }
    }

    private mutating func parseUnary() throws(ParseError) -> Expr {
        if check(.minus) || check(.plus) {
            let isMinus = check(.minus)
            let start = advance().range
            // The smallest whole number, -9223372036854775808, is written as a minus and a digit
            // string one too large for a positive whole number.
            if isMinus, case .decimal = peek.kind, peek.spelling?.filter({ $0 != "_" }) == "9223372036854775808" {
                let token = advance()
                return Expr(.literal(.integer(.min)), start.joined(token.range))
            }
            // The smallest whole number, -9223372036854775808, is written as a minus and a digit
            // string one too large for a positive whole number.
            if isMinus, case .decimal = peek.kind, peek.spelling?.filter({ $0 != "_" }) == "9223372036854775808" {
                let token = advance()
                return Expr(.literal(.integer(.min)), start.joined(token.range))
            }
            let operand = try nested { (parser: inout Parser) throws(ParseError) -> Expr in try parser.parseUnary() }
            if !isMinus { return operand }
            // Fold `-3` into a literal so `take -3` and `where x > -1` read naturally.
            switch operand.kind {
            case .literal(.integer(let value)) where value != Int64.min:
                return Expr(.literal(.integer(-value)), start.joined(operand.range))
            case .literal(.decimal(let value)):
                return Expr(.literal(.decimal(-value)), start.joined(operand.range))
            default:
                return try checkDepth(Expr(.unary(.negate, operand), start.joined(operand.range)))
            }
        }
        return try parsePrimary()
    }

    /// Depth of recursion through prefix operators and parentheses, checked before recursing,
    /// so `((((…` ten thousand deep stops early instead of overflowing the stack.
    private var recursionDepth = 0

    private mutating func nested(_ body: (inout Parser) throws(ParseError) -> Expr) throws(ParseError) -> Expr {
        recursionDepth += 1
        defer { recursionDepth -= 1 }
        if recursionDepth > Parser.maximumDepth {
            throw ParseError(Diagnostic(.syntax, .nestingTooDeep, [String(Parser.maximumDepth)], at: peek.range))
        }
        return try body(&self)
    }

    private mutating func parsePrimary() throws(ParseError) -> Expr {
        let token = peek
        switch token.kind {
        case .integer(let value):
            advance()
            return Expr(.literal(.integer(value)), token.range)
        case .decimal(let value):
            advance()
            return Expr(.literal(.decimal(value)), token.range)
        case .string(let value):
            advance()
            return Expr(.literal(.text(value)), token.range)
        case .parameter(let name):
            advance()
            return Expr(.parameter(name), token.range)
        case .quotedIdentifier(let name):
            advance()
            return Expr(.column(name), token.range)
        case .symbol(.star):
            advance()
            return Expr(.star, token.range)
        case .symbol(.leftParen):
            advance()
            skipNewlines()
            let inner = try nested { (parser: inout Parser) throws(ParseError) -> Expr in try parser.parseExpression() }
            let close = try expect(.rightParen, "`)`")
            return Expr(inner.kind, token.range.joined(close.range))
        case .identifier(let name):
            switch name.lowercased() {
            case "true": advance(); return Expr(.literal(.boolean(true)), token.range)
            case "false": advance(); return Expr(.literal(.boolean(false)), token.range)
            case "null": advance(); return Expr(.literal(.null), token.range)
            default: break
            }
            if Parser.reservedWords.contains(name.lowercased()) {
                throw ParseError(Diagnostic(.syntax, .expectedExpression, [token.display], at: token.range))
            }
            advance()
            if check(.leftParen) {
                return try parseCall(Name(name, token.range))
            }
            return Expr(.column(name), token.range)
        case .end:
            throw missing("a value or a column")
        default:
            throw ParseError(Diagnostic(.syntax, .expectedExpression, [token.display], at: token.range))
        }
    }

    private mutating func parseCall(_ name: Name) throws(ParseError) -> Expr {
        advance()  // `(`
        var arguments: [Expr] = []
        if !check(.rightParen) {
            repeat {
                skipNewlines()
                arguments.append(try nested { (parser: inout Parser) throws(ParseError) -> Expr in try parser.parseExpression() })
            } while match(.comma)
        }
        let close = try expect(.rightParen, "`)` to close the call to `\(name.text)`")
        return try checkDepth(Expr(.call(name, arguments), name.range.joined(close.range)))
    }
}
