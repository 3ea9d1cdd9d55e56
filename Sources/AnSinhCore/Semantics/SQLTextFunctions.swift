/// The SQL of the text functions for real files, per dialect; what a dialect cannot say is
/// refused by name. Regular expressions are passed on as written: the three engines read
/// the common part (classes, `^ $`, `* + ? {m,n}`, groups, `|`) alike, but not every extension
/// of Swift's syntax.
extension SQLTranslator {
    func textFunction(_ function: ScalarFunction, _ args: [String], _ arguments: [BoundExpr], at range: SourceRange) throws(Diagnostic) -> String {
        let yearPattern = literal(.text("(^|[^0-9])([0-9]{4})([^0-9]|$)"))
        switch (function, dialect) {
        case (.replace, _):
            return "replace(\(args[0]), \(args[1]), \(args[2]))"
        case (.matches, .duckdb):
            return "regexp_matches(\(args[0]), \(args[1]))"
        case (.matches, .postgres):
            return "(\(args[0]) ~ \(args[1]))"
        case (.extract, .duckdb), (.extract, .postgres):
            var group = 0
            if case .literal(.text(let pattern)) = arguments[1].kind, TextPattern.shape(of: pattern).groups > 0 { group = 1 }
            if arguments.count > 2 {
                guard case .literal(.integer(let requested)) = arguments[2].kind else { throw unsupported("extract() with a computed group", at: range) }
                group = Int(clamping: requested)
            }
            if dialect == .duckdb { return "NULLIF(regexp_extract(\(args[0]), \(args[1]), \(group)), '')" }
            if group == 0 { return "(regexp_match(\(args[0]), '(' || \(args[1]) || ')'))[1]" }
            return "(regexp_match(\(args[0]), \(args[1])))[\(group)]"
        case (.regex_replace, .duckdb), (.regex_replace, .postgres):
            return "regexp_replace(\(args[0]), \(args[1]), \(args[2]), 'g')"
        case (.squish, .duckdb):
            return "trim(regexp_replace(\(args[0]), '\\s+', ' ', 'g'))"
        case (.squish, .postgres):
            return "btrim(regexp_replace(\(args[0]), '\\s+', ' ', 'g'))"
        case (.starts_with, .sqlite):
            return "(substr(\(args[0]), 1, length(\(args[1]))) = \(args[1]))"
        case (.starts_with, _):
            return "starts_with(\(args[0]), \(args[1]))"
        case (.ends_with, .sqlite):
            return "(length(\(args[0])) >= length(\(args[1])) AND substr(\(args[0]), length(\(args[0])) - length(\(args[1])) + 1) = \(args[1]))"
        case (.ends_with, .duckdb):
            return "ends_with(\(args[0]), \(args[1]))"
        case (.ends_with, .postgres):
            return "(right(\(args[0]), length(\(args[1]))) = \(args[1]))"
        case (.split_part, .duckdb), (.split_part, .postgres):
            return "split_part(\(args[0]), \(args[1]), \(args[2]))"
        case (.year_of, .duckdb):
            return "CAST(NULLIF(regexp_extract(\(args[0]), \(yearPattern), 2), '') AS BIGINT)"
        case (.year_of, .postgres):
            return "CAST((regexp_match(\(args[0]), \(yearPattern)))[2] AS BIGINT)"
        case (.place, _), (.place_kind, _):
            throw unsupported("\(function.rawValue)() (join the table `provinces` instead)", at: range)
        default:
            throw unsupported("\(function.rawValue)()", at: range)
        }
    }
}
