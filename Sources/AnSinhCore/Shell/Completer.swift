#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Context-aware completion for the prompt: dot-commands, stages and keywords, table names after
/// `from`/`join`, columns of the current source, functions, and values of text columns such as
/// `district` (matched ignoring case and diacritics: `thanh x` → `"Thanh Xuân"`).
public struct Completer {
    public struct Completion: Equatable, Sendable {
        /// Offset in Unicode scalars of the text to replace.
        public var replaceFrom: Int
        public var candidates: [String]
    }

    let session: Session

    public init(session: Session) {
        self.session = session
    }

    static let keywords = ["and", "or", "not", "in", "between", "is", "null", "true", "false", "as", "by", "asc", "desc", "on", "left", "value"]

    /// `pending` is the text of earlier lines of an unfinished statement.
    public func complete(_ textBeforeCursor: String, pending: String = "") -> Completion {
        let scalars = Array(textBeforeCursor.unicodeScalars)
        if pending.isEmpty, let first = textBeforeCursor.trimmingSpaces().first, first == "." {
            return completeCommand(textBeforeCursor, scalars: scalars)
        }
        let full = pending.isEmpty ? textBeforeCursor : pending + "\n" + textBeforeCursor
        let offsetOfLine = full.unicodeScalars.count - scalars.count

        // Inside a string, or right after a comparison with a text column: complete values.
        if let value = valueContext(full) {
            let from = value.start - offsetOfLine
            let candidates = valueCandidates(column: value.column, source: value.table, typed: value.typed)
            return Completion(replaceFrom: max(0, from), candidates: candidates)
        }

        // The word being typed.
        var wordStart = scalars.count
        while wordStart > 0, Completer.isWordScalar(scalars[wordStart - 1]) { wordStart -= 1 }
        let word = String(String.UnicodeScalarView(scalars[wordStart...]))
        let before = String(String.UnicodeScalarView(full.unicodeScalars.prefix(full.unicodeScalars.count - (scalars.count - wordStart))))
        let tokens = Lexer.tokenize(SourceFile(name: nil, text: before)).tokens.filter { $0.kind != .newline && $0.kind != .end }
        let previous = tokens.last
        let folded = UnicodeText.fold(word)
        func matching(_ names: [String]) -> [String] {
            Array(Set(names.filter { UnicodeText.fold($0).hasPrefix(folded) })).sorted()
        }

        if previous == nil {
            return Completion(replaceFrom: wordStart, candidates: matching(["from", "let", "explain"]))
        }
        if let previous, previous.isKeyword("from") || previous.isKeyword("join") || (previous.isKeyword("left") && tokens.dropLast().last?.isKeyword("join") == true) {
            return Completion(replaceFrom: wordStart, candidates: matching(session.catalog.tableNames))
        }
        if let previous, previous.isSymbol(.pipe) {
            return Completion(replaceFrom: wordStart, candidates: matching(Parser.stageNames))
        }
        if let previous, previous.isKeyword("let") { return Completion(replaceFrom: wordStart, candidates: []) }
        if case .symbol(.assign)? = previous?.kind, tokens.count >= 3, tokens[tokens.count - 3].isKeyword("let") {
            return Completion(replaceFrom: wordStart, candidates: matching(["from"]))
        }
        // The stage the cursor is in: its keyword follows the last `|` (or it is the source).
        let stageStart = tokens.lastIndex { $0.isSymbol(.pipe) }
        let stage = stageStart.flatMap { $0 + 1 < tokens.count ? tokens[$0 + 1] : nil }
        let stageName: String = {
            guard let stage, case .identifier(let name) = stage.kind else { return "from" }
            return name.lowercased()
        }()
        // After a complete operand (a name, a number, a string, `)`), what may follow it here.
        if let previous, Completer.endsOperand(previous), !(stage.map { $0 == previous } ?? false) {
            var next = ["and", "or", "in", "not", "between", "is"]
            switch stageName {
            case "select", "derive": next += ["as"]
            case "summarize": next += ["by", "as"]
            case "sort": next = ["asc", "desc"]
            case "pivot": next += ["by", "value"]
            case "chart": next = ["by"]
            case "join": next = tokens.contains { $0.isKeyword("on") } ? [] : ["on"]
            case "take", "distinct", "compare", "why", "per_capita", "unpivot": next = stageName == "unpivot" ? ["into"] : []
            case "from": next = []
            default: break
            }
            if word.isEmpty { next.append("|") }
            return Completion(replaceFrom: wordStart, candidates: matching(next).sorted { ($0 == "|" ? 1 : 0, $0) < ($1 == "|" ? 1 : 0, $1) })
        }
        // An expression starts here: the columns this stage can see, names it defined, functions.
        var names = columnsAtCursor(before: before, tokens: tokens, stageStart: stageStart)
        let stageTokens = stageStart.map { Array(tokens[($0 + 1)...]) } ?? tokens
        for (index, token) in stageTokens.enumerated() where index + 1 < stageTokens.count && stageTokens[index + 1].isSymbol(.assign) {
            if case .identifier(let name) = token.kind { names.append(name) }
        }
        var functions = ScalarFunction.allCases.map(\.rawValue)
        if ["summarize", "pivot"].contains(stageName) { functions += AggregateFunction.allCases.map(\.rawValue) }
        switch stageName {
        case "where": names += ["not", "true", "false", "null"]
        case "select", "derive", "summarize": names += ["true", "false", "null"]
        case "sort", "distinct", "join", "pivot", "compare", "chart", "unpivot": functions = ["sort", "pivot", "chart"].contains(stageName) ? functions : []
        case "take", "why": return Completion(replaceFrom: wordStart, candidates: [])
        default: break
        }
        var candidates = matching(names)
        // A function name gets its parenthesis.
        candidates += matching(functions).map { $0 + "(" }
        return Completion(replaceFrom: wordStart, candidates: Array(Set(candidates)).sorted())
    }

    /// True for a token after which an expression is complete (so an operator or keyword may follow).
    static func endsOperand(_ token: Token) -> Bool {
        switch token.kind {
        case .identifier(let name): return !Parser.reservedWords.contains(name.lowercased()) || ["null", "true", "false"].contains(name.lowercased())
        case .quotedIdentifier, .integer, .decimal, .string, .parameter: return true
        case .symbol(let symbol): return symbol == .rightParen || symbol == .rightBracket
        default: return false
        }
    }

    /// The columns the current stage can see: the output of the pipeline before its `|`, bound
    /// as it would run (so after `select district` only `district` is offered). Falls back to the
    /// source's columns when that part does not bind (an unfinished or wrong earlier stage, or a
    /// stage whose columns depend on the data, such as pivot).
    private func columnsAtCursor(before: String, tokens: [Token], stageStart: Int?) -> [String] {
        guard let stageStart else { return sourceColumns(tokens) }
        let pipeOffset = tokens[stageStart].range.start  // UTF-8 offset
        let upstream = String(decoding: before.utf8.prefix(pipeOffset), as: UTF8.self)
        var names: [String] = []
        let (statements, diagnostics) = Parser.parse(SourceFile(name: nil, text: upstream))
        if diagnostics.isEmpty, let statement = statements.last {
            let pipeline: Pipeline
            switch statement.kind {
            case .query(let query), .explain(let query): pipeline = query
            case .assignment(_, let query): pipeline = query
            }
            if let bound = try? Binder(catalog: session.catalog, source: SourceFile(name: nil, text: upstream)).bind(pipeline),
               bound.stages.count == pipeline.stages.count {
                names = bound.fields.filter { !$0.isHidden }.map(\.name)
            }
        }
        if names.isEmpty { names = sourceColumns(tokens) }
        // `join T on`: the joined table's columns too.
        if let stageKeyword = stageStart + 1 < tokens.count ? tokens[stageStart + 1] : nil, stageKeyword.isKeyword("join") {
            var next = stageStart + 2
            if next < tokens.count, tokens[next].isKeyword("left") { next += 1 }
            if next < tokens.count, case .identifier(let name) = tokens[next].kind, let table = session.catalog[name] {
                names += table.fields.filter { !$0.isHidden }.map(\.name)
            }
        }
        return names
    }

    static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isAlphabetic || (scalar.value >= 0x30 && scalar.value <= 0x39) || scalar == "_"
            || scalar.properties.generalCategory == .nonspacingMark
    }

    private func sourceTable(_ tokens: [Token]) -> Table? {
        guard let fromIndex = tokens.lastIndex(where: { $0.isKeyword("from") }), fromIndex + 1 < tokens.count else { return nil }
        switch tokens[fromIndex + 1].kind {
        case .identifier(let name), .quotedIdentifier(let name): return session.catalog[name]
        default: return nil
        }
    }

    private func sourceColumns(_ tokens: [Token]) -> [String] {
        var names = sourceTable(tokens)?.fields.filter { !$0.isHidden }.map(\.name) ?? []
        // Columns of joined tables too.
        for (index, token) in tokens.enumerated() where token.isKeyword("join") {
            var next = index + 1
            if next < tokens.count, tokens[next].isKeyword("left") { next += 1 }
            if next < tokens.count, case .identifier(let name) = tokens[next].kind, let table = session.catalog[name] {
                names += table.fields.filter { !$0.isHidden }.map(\.name)
            }
        }
        return names
    }

    struct ValueContext {
        var column: String
        var table: Table?
        var typed: String
        var start: Int
    }

    /// `… district ~ thanh x`, `… district == "Tha`, `… indicator in ("near`: the column and
    /// the partial value (scalar offset where it starts).
    func valueContext(_ text: String) -> ValueContext? {
        let scalars = Array(text.unicodeScalars)
        // Find the last comparison operator (or `in (` / `,` inside it) not inside a closed string.
        var inString: Unicode.Scalar?
        var stringStart = -1
        var lastOperatorEnd = -1
        var lastOperatorStart = -1
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if let quote = inString {
                if scalar == quote { inString = nil }
                index += 1
                continue
            }
            if scalar == "\"" || scalar == "'" {
                inString = scalar
                stringStart = index
            } else if scalar == "~" || scalar == "=" {
                lastOperatorStart = index
                if index > 0, scalars[index - 1] == "=" || scalars[index - 1] == "!" { lastOperatorStart = index - 1 }
                lastOperatorEnd = index + 1
            } else if scalar == "(" || scalar == ",", lastOperatorEnd >= 0 {
                // `in ("a", "b`: values continue after ( and ,
                let prefix = String(String.UnicodeScalarView(scalars[..<index])).lowercased()
                if prefix.trimmingSpaces().hasSuffix(" in") || scalar == "," {
                    lastOperatorEnd = index + 1
                }
            } else if scalar == "|" || scalar == ")" {
                lastOperatorEnd = -1
                lastOperatorStart = -1
            }
            index += 1
        }
        var start: Int
        if inString != nil {
            start = stringStart
        } else {
            guard lastOperatorEnd >= 0 else { return nil }
            start = lastOperatorEnd
            while start < scalars.count, scalars[start] == " " { start += 1 }
            // Only free text after the operator (no operators, numbers or keywords in it).
            let rest = String(String.UnicodeScalarView(scalars[start...]))
            if rest.isEmpty || rest.unicodeScalars.contains(where: { "\"'()|<>=~!,".unicodeScalars.contains($0) }) { return nil }
            if let first = rest.unicodeScalars.first, first.value >= 0x30 && first.value <= 0x39 { return nil }
            if rest.split(separator: " ").contains(where: { ["and", "or", "not"].contains($0.lowercased()) }) { return nil }
        }
        // The column: the identifier before the operator (or before `in (`).
        let head = String(String.UnicodeScalarView(scalars[..<max(0, lastOperatorStart >= 0 ? lastOperatorStart : start)]))
        let tokens = Lexer.tokenize(SourceFile(name: nil, text: head)).tokens.filter { $0.kind != .newline && $0.kind != .end }
        var column: String?
        for token in tokens.reversed() {
            if case .identifier(let name) = token.kind, !["in", "not"].contains(name.lowercased()) { column = name; break }
            if case .quotedIdentifier(let name) = token.kind { column = name; break }
            if token.isSymbol(.leftParen) || token.isSymbol(.comma) || token.kind == .string("") { continue }
            if case .string = token.kind { continue }
            if token.isKeyword("in") || token.isKeyword("not") { continue }
            break
        }
        guard let column else { return nil }
        let allTokens = Lexer.tokenize(SourceFile(name: nil, text: text)).tokens
        let table = sourceTable(allTokens)
        guard table?.column(column)?.type == .text || table == nil else { return nil }
        let typed = String(String.UnicodeScalarView(scalars[start...]))
        return ValueContext(column: column, table: table, typed: typed, start: start)
    }

    func valueCandidates(column: String, source: Table?, typed: String) -> [String] {
        var text = typed
        if let first = text.first, first == "\"" || first == "'" { text.removeFirst() }
        let folded = UnicodeText.fold(text)
        let tables = source.map { [$0] } ?? Array(session.catalog.allTables)
        var values = Set<String>()
        for table in tables {
            guard let values_ = table.column(column), values_.type == .text, values_.dictionary.count <= 5000 else { continue }
            for (index, value) in values_.dictionary.strings.enumerated() where values_.dictionary.folded[index].hasPrefix(folded) {
                values.insert(value)
            }
        }
        // Also words inside values ("xuan" finds "Thanh Xuân"), when nothing starts with it.
        if values.isEmpty, folded.count >= 2 {
            for table in tables {
                guard let values_ = table.column(column), values_.type == .text, values_.dictionary.count <= 5000 else { continue }
                for (index, value) in values_.dictionary.strings.enumerated() where values_.dictionary.folded[index].contains(folded) {
                    values.insert(value)
                }
            }
        }
        return values.sorted { VietnameseCollation.key($0).lexicographicallyPrecedes(VietnameseCollation.key($1)) }
            .map { "\"" + $0.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"") + "\"" }
    }

    private func completeCommand(_ text: String, scalars: [Unicode.Scalar]) -> Completion {
        let trimmedStart = scalars.firstIndex { $0 != " " } ?? 0
        guard let space = scalars[trimmedStart...].firstIndex(where: { $0 == " " }) else {
            let typed = String(String.UnicodeScalarView(scalars[(trimmedStart + 1)...])).lowercased()
            let names = ShellCommands.all.map(\.name).filter { $0.hasPrefix(typed) }.map { "." + $0 }
            return Completion(replaceFrom: trimmedStart, candidates: names.sorted())
        }
        let command = String(String.UnicodeScalarView(scalars[(trimmedStart + 1)..<space])).lowercased()
        var argumentStart = scalars.count
        while argumentStart > space + 1, scalars[argumentStart - 1] != " " { argumentStart -= 1 }
        let typed = String(String.UnicodeScalarView(scalars[argumentStart...]))
        func matching(_ options: [String]) -> Completion {
            Completion(replaceFrom: argumentStart, candidates: options.filter { UnicodeText.fold($0).hasPrefix(UnicodeText.fold(typed)) })
        }
        switch ShellCommands.find(command)?.name {
        case "mode": return matching(OutputMode.allCases.map(\.rawValue))
        case "numbers": return matching(NumberStyle.allCases.map(\.rawValue))
        case "lang": return matching(Language.allCases.map(\.rawValue))
        case "timer": return matching(["on", "off"])
        case "safe": return matching(["on"])
        case "schema", "drop": return matching(session.catalog.tableNames)
        case "help": return matching(Help.topics + ShellCommands.all.map { "." + $0.name })
        case "tutorial": return matching(["next", "hint", "solution", "list", "reset", "quit", "previous"])
        case "sql": return matching(SQLDialect.allCases.map(\.rawValue) + ["from"])
        case "limit": return matching(["rows", "cells", "columns", "import_mb"])
        case "import", "read", "output", "export":
            // A name with spaces (`Hộ nghèo 2024.csv`) is offered in double quotes, which the
            // argument splitter keeps together; a quote the user opened is continued.
            let quotes = scalars[(space + 1)...].indices.filter { scalars[$0] == "\"" }
            let openQuote = quotes.count % 2 == 1 ? quotes.last : nil
            let start = openQuote ?? argumentStart
            let path = String(String.UnicodeScalarView(scalars[(openQuote.map { $0 + 1 } ?? argumentStart)...]))
            let candidates = Completer.files(matching: path).map { name -> String in
                guard openQuote != nil || name.contains(" ") else { return name }
                return "\"" + name + (name.hasSuffix("/") ? "" : "\"")
            }
            return Completion(replaceFrom: start, candidates: candidates)
        default: return Completion(replaceFrom: argumentStart, candidates: [])
        }
    }

    /// Files and folders (with a trailing /) whose names start with the typed path.
    static func files(matching typed: String) -> [String] {
        var folder = "."
        var prefix = typed
        var shownFolder = ""
        if let slash = typed.lastIndex(of: "/") {
            shownFolder = String(typed[...slash])
            folder = shownFolder.isEmpty ? "/" : shownFolder
            prefix = String(typed[typed.index(after: slash)...])
        }
        guard let directory = opendir(folder) else { return [] }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = FileAccess.entryName(entry)
            if name == "." || name == ".." || (name.hasPrefix(".") && !prefix.hasPrefix(".")) { continue }
            guard name.hasPrefix(prefix) else { continue }
            let isFolder = entry.pointee.d_type == UInt8(DT_DIR)
            names.append(shownFolder + name + (isFolder ? "/" : ""))
        }
        return names.sorted()
    }
}
