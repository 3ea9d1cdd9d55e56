// Structured fuzzing (issue 13, "Tests that can find the next one"): the fuzzer's bytes are read
// as a stream of choices that build a well-typed pipeline over a table's schema, instead of
// random text that the parser rejects at the first character.
//
// Compiled into fuzz-query (pipelines over the built-in tables, besides the raw text) and into
// fuzz-import (pipelines over a table the fuzzer's CSV bytes made). Each stage is chosen from the
// columns the pipeline has *at that point*: after every stage the prefix is bound, and the bound
// fields (name and type) are what the next stage may use, so `summarize` then `where` refers to
// the keys and aggregates, not to the source's columns. A stage that the binder refuses is a
// generator mistake or a real type rule; it is dropped (and counted), the pipeline goes on.
#if canImport(Glibc)
import Glibc
#endif

/// The fuzzer's bytes as choices; past the end every choice is 0 (so every input is a pipeline).
struct FuzzChoices {
    let bytes: UnsafeRawBufferPointer
    var position = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    var exhausted: Bool { position >= bytes.count }

    mutating func byte() -> UInt8 {
        guard position < bytes.count else { return 0 }
        defer { position += 1 }
        return bytes[position]
    }

    /// 0..<n.
    mutating func pick(_ n: Int) -> Int { n <= 1 ? 0 : Int(byte()) % n }

    mutating func element<T>(_ items: [T]) -> T? { items.isEmpty ? nil : items[pick(items.count)] }

    mutating func chance(_ outOf: Int) -> Bool { pick(outOf) == 0 }
}

/// A column the next stage may use.
struct FuzzColumn {
    let name: String
    let type: DataType
}

struct PipelineGenerator {
    var choices: FuzzChoices
    /// Other tables a join may name (with their columns).
    let joinable: [(name: String, columns: [FuzzColumn])]
    /// Stages the binder refused (generator mistakes or type rules); for the final statistics.
    nonisolated(unsafe) static var refused = 0
    nonisolated(unsafe) static var accepted = 0

    init(_ bytes: UnsafeRawBufferPointer, joinable: [(name: String, columns: [FuzzColumn])] = []) {
        choices = FuzzChoices(bytes)
        self.joinable = joinable
    }

    /// Builds a pipeline of up to `maximumStages` stages from `table`, binding each prefix.
    /// Returns the text and its bound form (nil when not even `from` binds).
    mutating func pipeline(from table: String, catalog: Catalog, maximumStages: Int = 6) -> (text: String, bound: BoundPipeline)? {
        var text = "from \(Self.name(table))"
        guard var bound = Self.bind(text, catalog: catalog) else { return nil }
        let stages = 1 + choices.pick(maximumStages)
        var attempts = 0
        var added = 0
        while added < stages, attempts < stages * 3, !choices.exhausted || added == 0 {
            attempts += 1
            let columns = bound.fields.filter { !$0.isHidden && Self.nameable($0.name) }.map { FuzzColumn(name: $0.name, type: $0.type) }
            let stage = self.stage(columns)
            let candidate = text + "\n| " + stage
            if printPipelines { fputs("--- binding\n\(candidate)\n", stderr) }
            if let next = Self.bind(candidate, catalog: catalog) {
                text = candidate
                bound = next
                added += 1
                Self.accepted += 1
            } else {
                Self.refused += 1
            }
        }
        return (text, bound)
    }

    static func bind(_ text: String, catalog: Catalog) -> BoundPipeline? {
        let source = SourceFile(name: nil, text: text)
        let (statements, diagnostics) = Parser.parse(source)
        guard diagnostics.isEmpty, statements.count == 1, case .query(let pipeline) = statements[0].kind else { return nil }
        return try? Binder(catalog: catalog, source: source).bind(pipeline)
    }

    /// Names the lexer can read in backticks (no backtick, no line break).
    static func nameable(_ name: String) -> Bool {
        !name.isEmpty && !name.contains("`") && !name.contains("\n") && !name.contains("\r")
    }

    static func name(_ name: String) -> String { "`\(name)`" }

    static func literal(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { out += "\\u{\(String(scalar.value, radix: 16))}" } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }

    // MARK: - Stages

    mutating func stage(_ columns: [FuzzColumn]) -> String {
        switch choices.pick(17) {
        case 0, 1: return "where " + boolean(columns, depth: 0)
        case 2: return "select " + selectItems(columns)
        case 3: return "derive " + freshName(columns) + " = " + expression(columns, depth: 0)
        case 4, 5: return "summarize " + aggregates(columns) + keys(columns)
        case 6: return "sort " + sortKeys(columns)
        case 7: return "take \(takeCount())"
        case 8: return "distinct" + (choices.chance(2) ? "" : " " + columnList(columns, maximum: 3))
        case 9: return join(columns)
        case 10: return pivot(columns)
        case 11: return unpivot(columns)
        case 12: return "compare " + (choices.element(columns).map { Self.name($0.name) } ?? "year")
        case 13: return chart(columns)
        case 14: return choices.chance(2) ? "why" : "per_capita" + (numberColumn(columns).map { " " + $0 } ?? "") + (choices.chance(2) ? " 1000" : "")
        case 15: return "derive " + (choices.element(columns).map { Self.name($0.name) } ?? "x") + " = " + expression(columns, depth: 0)
        default: return "select " + (choices.chance(2) ? "*" : selectItems(columns))
        }
    }

    mutating func takeCount() -> Int {
        [0, 1, 2, 3, 10, 1000, Int(Int32.max)][choices.pick(7)]
    }

    mutating func freshName(_ columns: [FuzzColumn]) -> String {
        let names = ["x", "y", "tỷ_lệ", "n", "Quận", "value", "a b", "count", "null", "from"]
        return Self.name(names[choices.pick(names.count)])
    }

    mutating func columnList(_ columns: [FuzzColumn], maximum: Int) -> String {
        guard !columns.isEmpty else { return "x" }
        var picked: [String] = []
        for _ in 0...choices.pick(maximum) { if let column = choices.element(columns) { picked.append(Self.name(column.name)) } }
        return picked.joined(separator: ", ")
    }

    mutating func selectItems(_ columns: [FuzzColumn]) -> String {
        var items: [String] = []
        for _ in 0...choices.pick(3) {
            if !columns.isEmpty, choices.chance(2), let column = choices.element(columns) {
                items.append(Self.name(column.name))
            } else {
                items.append(freshName(columns) + " = " + expression(columns, depth: 0))
            }
        }
        return items.joined(separator: ", ")
    }

    mutating func aggregates(_ columns: [FuzzColumn]) -> String {
        var items: [String] = []
        for index in 0...choices.pick(3) {
            let name = ["n", "s", "m", "k"][index]
            let aggregate = self.aggregate(columns)
            switch choices.pick(4) {
            case 0: items.append("\(name) = \(aggregate) / count()")
            case 1: items.append(aggregate)
            default: items.append("\(name) = \(aggregate)")
            }
        }
        return items.joined(separator: ", ")
    }

    mutating func aggregate(_ columns: [FuzzColumn]) -> String {
        let numeric = ["sum", "avg", "median"]
        let any = ["count", "min", "max", "count_distinct", "first", "last"]
        if choices.chance(5) { return "count()" }
        if choices.chance(2) { return numeric[choices.pick(numeric.count)] + "(" + number(columns, depth: 1) + ")" }
        let function = any[choices.pick(any.count)]
        return function + "(" + expression(columns, depth: 1) + ")"
    }

    mutating func keys(_ columns: [FuzzColumn]) -> String {
        switch choices.pick(3) {
        case 0: return ""
        case 1: return " by " + columnList(columns, maximum: 2)
        default: return " by " + freshName(columns) + " = " + expression(columns, depth: 1)
        }
    }

    mutating func sortKeys(_ columns: [FuzzColumn]) -> String {
        var keys: [String] = []
        for _ in 0...choices.pick(3) {
            let key = choices.chance(3) ? expression(columns, depth: 1) : (choices.element(columns).map { Self.name($0.name) } ?? "1")
            keys.append(key + ["", " asc", " desc", " descending"][choices.pick(4)])
        }
        return keys.joined(separator: ", ")
    }

    mutating func join(_ columns: [FuzzColumn]) -> String {
        let kind = choices.chance(2) ? "join left " : "join "
        guard let other = choices.element(joinable), let mine = choices.element(columns) else { return kind + "sources on source" }
        let partners = other.columns.filter { $0.type == mine.type || ($0.type.isNumeric && mine.type.isNumeric) }
        guard let theirs = choices.element(partners.isEmpty ? other.columns : partners) else { return kind + Self.name(other.name) + " on " + Self.name(mine.name) }
        if choices.chance(3) { return kind + Self.name(other.name) + " on " + Self.name(mine.name) }
        return kind + Self.name(other.name) + " on " + Self.name(mine.name) + " == " + Self.name(theirs.name)
    }

    mutating func pivot(_ columns: [FuzzColumn]) -> String {
        let rows = columnList(columns, maximum: 2)
        let by = choices.element(columns).map { Self.name($0.name) } ?? "year"
        let value = choices.chance(3) ? "" : " value " + aggregate(columns)
        return "pivot \(rows) by \(by)\(value)"
    }

    mutating func unpivot(_ columns: [FuzzColumn]) -> String {
        let numeric = columns.filter { $0.type.isNumeric }
        let list: String
        switch choices.pick(4) {
        case 0 where !numeric.isEmpty: list = numeric.prefix(1 + choices.pick(numeric.count)).map { Self.name($0.name) }.joined(separator: ", ")
        case 1 where columns.count >= 2:
            let a = choices.pick(columns.count), b = choices.pick(columns.count)
            list = Self.name(columns[min(a, b)].name) + ".." + Self.name(columns[max(a, b)].name)
        case 2: list = "all except " + columnList(columns, maximum: 2)
        default: list = "matching " + Self.literal(["^[0-9]{4}", ".", "a|b", "^$", "[[:alpha:]]+"][choices.pick(5)])
        }
        return "unpivot \(list) into \(freshName(columns)), \(freshName(columns))"
    }

    mutating func chart(_ columns: [FuzzColumn]) -> String {
        var text = "chart" + ["", " bar", " spark"][choices.pick(3)]
        if let value = numberColumn(columns), choices.chance(3) == false { text += " " + value }
        if choices.chance(2), let label = choices.element(columns) { text += " by " + Self.name(label.name) }
        return text
    }

    mutating func numberColumn(_ columns: [FuzzColumn]) -> String? {
        choices.element(columns.filter { $0.type == .integer || $0.type == .decimal }).map { Self.name($0.name) }
    }

    // MARK: - Expressions

    mutating func expression(_ columns: [FuzzColumn], depth: Int) -> String {
        switch choices.pick(4) {
        case 0: return text(columns, depth: depth)
        case 1: return boolean(columns, depth: depth)
        default: return number(columns, depth: depth)
        }
    }

    mutating func column(_ columns: [FuzzColumn], _ accept: (DataType) -> Bool) -> String? {
        choices.element(columns.filter { accept($0.type) }).map { Self.name($0.name) }
    }

    static let numberLiterals = ["0", "1", "-1", "2.5", "0.1", "1e308", "-1e308", "9223372036854775807", "-9223372036854775807",
                                 "100.49999999999999", "1_000", ".5", "null", "3", "7 % 0", "1 / 0"]
    static let textLiterals = ["", "a", "Quận 1", " x ", "Xu\u{0061}\u{0302}n", "..", "NaN", "Hà Nội", "\u{202E}x", "a,b", "\"", "ß", "İ", "\u{0301}"]
    static let patterns = ["[0-9]+", "^Q", "a|b", "(.)", "^$", "[[:space:]]", "ậ"]

    mutating func number(_ columns: [FuzzColumn], depth: Int) -> String {
        let leaf = depth >= 3 || choices.chance(3)
        if leaf {
            if choices.chance(3) == false, let name = column(columns, { $0 == .integer || $0 == .decimal }) { return name }
            return Self.numberLiterals[choices.pick(Self.numberLiterals.count)]
        }
        let next = depth + 1
        switch choices.pick(12) {
        case 0: return "(" + number(columns, depth: next) + [" + ", " - ", " * ", " / ", " % "][choices.pick(5)] + number(columns, depth: next) + ")"
        case 1: return "-" + number(columns, depth: next)
        case 2: return ["abs", "floor", "ceil", "round"][choices.pick(4)] + "(" + number(columns, depth: next) + ")"
        case 3: return "round(" + number(columns, depth: next) + ", " + ["0", "2", "-1", "-400", "400"][choices.pick(5)] + ")"
        case 4: return "length(" + text(columns, depth: next) + ")"
        case 5: return ["year_of", "vn_number", "number"][choices.pick(3)] + "(" + text(columns, depth: next) + ")"
        case 6: return "number(" + text(columns, depth: next) + ", \",\")"
        case 7: return "nullif(" + number(columns, depth: next) + ", " + number(columns, depth: next) + ")"
        case 8: return "coalesce(" + number(columns, depth: next) + ", " + number(columns, depth: next) + ")"
        case 9: return "if(" + boolean(columns, depth: next) + ", " + number(columns, depth: next) + ", " + number(columns, depth: next) + ")"
        default: return number(columns, depth: 3)
        }
    }

    mutating func text(_ columns: [FuzzColumn], depth: Int) -> String {
        let leaf = depth >= 3 || choices.chance(3)
        if leaf {
            if choices.chance(3) == false, let name = column(columns, { $0 == .text }) { return name }
            return Self.literal(Self.textLiterals[choices.pick(Self.textLiterals.count)])
        }
        let next = depth + 1
        switch choices.pick(12) {
        case 0: return ["lower", "upper", "trim", "fold", "squish", "place", "place_kind"][choices.pick(7)] + "(" + text(columns, depth: next) + ")"
        case 1: return "concat(" + text(columns, depth: next) + ", " + expression(columns, depth: next) + ")"
        case 2: return "text(" + expression(columns, depth: next) + ")"
        case 3: return "replace(" + text(columns, depth: next) + ", " + text(columns, depth: 3) + ", " + text(columns, depth: 3) + ")"
        case 4: return "split_part(" + text(columns, depth: next) + ", " + Self.literal(["-", ",", "", " "][choices.pick(4)]) + ", " + ["1", "2", "0", "-1"][choices.pick(4)] + ")"
        case 5: return "extract(" + text(columns, depth: next) + ", " + Self.literal(Self.patterns[choices.pick(Self.patterns.count)]) + ")"
        case 6: return "regex_replace(" + text(columns, depth: next) + ", " + Self.literal(Self.patterns[choices.pick(Self.patterns.count)]) + ", \"\\\\1\")"
        case 7: return "nullif(" + text(columns, depth: next) + ", " + text(columns, depth: next) + ")"
        case 8: return "coalesce(" + text(columns, depth: next) + ", " + text(columns, depth: next) + ")"
        case 9: return "if(" + boolean(columns, depth: next) + ", " + text(columns, depth: next) + ", " + text(columns, depth: next) + ")"
        default: return text(columns, depth: 3)
        }
    }

    mutating func boolean(_ columns: [FuzzColumn], depth: Int) -> String {
        let next = depth + 1
        if depth >= 3 {
            if let name = column(columns, { $0 == .boolean }), choices.chance(2) { return name }
            return ["true", "false", "null"][choices.pick(3)]
        }
        switch choices.pick(12) {
        case 0: return number(columns, depth: next) + [" == ", " != ", " < ", " <= ", " > ", " >= "][choices.pick(6)] + number(columns, depth: next)
        case 1: return text(columns, depth: next) + [" == ", " != ", " < ", " >= ", " ~ ", " !~ "][choices.pick(6)] + text(columns, depth: next)
        case 2: return expression(columns, depth: next) + (choices.chance(2) ? " is null" : " is not null")
        case 3: return number(columns, depth: next) + " between " + number(columns, depth: 3) + " and " + number(columns, depth: 3)
        case 4: return text(columns, depth: next) + (choices.chance(2) ? " in (" : " not in (") + text(columns, depth: 3) + ", " + text(columns, depth: 3) + ", null)"
        case 5: return "(" + boolean(columns, depth: next) + (choices.chance(2) ? " and " : " or ") + boolean(columns, depth: next) + ")"
        case 6: return "not " + boolean(columns, depth: next)
        case 7: return ["starts_with", "ends_with"][choices.pick(2)] + "(" + text(columns, depth: next) + ", " + text(columns, depth: 3) + ")"
        case 8: return "matches(" + text(columns, depth: next) + ", " + Self.literal(Self.patterns[choices.pick(Self.patterns.count)]) + ")"
        case 9: return number(columns, depth: next) + (choices.chance(2) ? " in (" : " not in (") + number(columns, depth: 3) + ", " + number(columns, depth: 3) + ")"
        case 10: return "if(" + boolean(columns, depth: next) + ", " + boolean(columns, depth: next) + ", " + boolean(columns, depth: 3) + ")"
        default: return boolean(columns, depth: 3)
        }
    }
}

/// Runs a bound pipeline as the shell does (results rendered, SQL translated, `explain` counts),
/// turning any diagnostic into rendered text. A trap anywhere is the crash the fuzzer looks for.
/// `FUZZ_PRINT=1` prints each pipeline before it runs (to read what a crashing input built).
private let printPipelines = getenv("FUZZ_PRINT") != nil

func fuzzRun(_ bound: BoundPipeline, text: String, catalog: Catalog, limits: ResourceLimits) {
    if printPipelines { fputs("--- pipeline\n\(text)\n", stderr) }
    let source = SourceFile(name: nil, text: text)
    let binder = Binder(catalog: catalog, source: source)
    let context = ExecutionContext(catalog: catalog, limits: limits, cancellation: .never, language: .en)
    var settings = RenderSettings()
    settings.maxRows = 50
    settings.width = 80
    do {
        _ = try? SQLTranslator(dialect: .duckdb, source: source).translate(bound)
        let result = try Executor.run(bound, binder: binder, context: context)
        for (index, column) in result.table.columns.enumerated() where column.count != result.table.rowCount {
            fatalError("column \(index) has \(column.count) rows, the table says \(result.table.rowCount): \(text)")
        }
        _ = TableRenderer(settings: settings).render(result)
        settings.mode = .csv
        _ = TableRenderer(settings: settings).render(result)
    } catch {
        _ = DiagnosticRenderer.render(error, in: source, language: .en)
    }
}
