/// SQL dialects `.sql` can write.
public enum SQLDialect: String, CaseIterable, Sendable {
    case sqlite, duckdb, postgres
}

/// Writes a bound pipeline as one SQL query: a chain of CTEs, one per stage.
///
/// Order is carried explicitly: `sort` numbers the rows (`__ord`), later stages keep that
/// column, and the final SELECT orders by it, because SQL does not promise that a CTE's
/// ORDER BY survives. Semantics follow ansinh: `/` divides exactly and gives NULL for a zero
/// divisor; sorts put nulls last; `~` ignores case and Vietnamese diacritics.
public struct SQLTranslator {
    let dialect: SQLDialect
    let source: SourceFile?
    /// SQLite only: operands of `fold`/`~` waiting to be computed in helper CTEs before the stage
    /// that uses them (a single nested replace() chain would overflow SQLite's parser stack).
    private final class FoldState {
        var pending: [(name: String, operand: String)] = []
        var counter = 0
    }
    private let folds = FoldState()

    /// A collation for text sort keys (`vi-x-icu` on a server that has it, for pushdown), so
    /// the server orders Vietnamese text close to ansinh's own collation.
    public var textCollation: String?

    /// Pushdown: keep the hidden caveat columns (a figure's qualifier and unit, an aggregate's
    /// combined qualifier and single unit) through every stage and return them, so the result
    /// carries the same annotations as the local engine's (see `SQLCaveats`). `.sql` leaves it
    /// off and writes only the visible columns.
    public var carriesCaveats = false

    public init(dialect: SQLDialect, source: SourceFile?) {
        self.dialect = dialect
        self.source = source
    }

    func unsupported(_ what: String, at range: SourceRange?) -> Diagnostic {
        Diagnostic(.value, .invalidArgumentValue, [".sql", "\(what) has no \(dialect.rawValue) equivalent"], at: range)
    }

    public func translate(_ bound: BoundPipeline) throws(Diagnostic) -> String {
        var ctes: [String] = []
        var fields = bound.source.fields
        var current = "s0"
        ctes.append("s0 AS (SELECT \(sourceColumns(bound.source).joined(separator: ", ")) FROM \(tableReference(bound.source)))")
        var hasOrdinal = false
        var finalOrder: [String]? = nil
        if bound.stages.count < bound.syntax.stages.count || bound.stages.contains(where: { Binder.hasDataDependentSchema($0.stage) }) {
            let stage = bound.stages.first { Binder.hasDataDependentSchema($0.stage) } ?? bound.stages[bound.stages.count - 1]
            throw unsupported("`\(stage.syntax.keyword.text)`", at: stage.syntax.keyword.range)
        }
        for (index, (stage, outputFields, syntax)) in bound.stages.enumerated() {
            let name = "s\(index + 1)"
            let ordinal = hasOrdinal ? ", \"__ord\"" : ""
            var sql: String
            switch stage {
            case .filter(let condition):
                sql = "SELECT * FROM \(current) WHERE \(try expression(condition, fields))"
            case .project(let items, let outputs):
                // Items may use earlier items: inline their SQL in place of the reference.
                var itemSQL: [String] = []
                for item in items {
                    var sqlText = try expression(item, fields.map { $0 } + itemSQL.indices.map { Field(name: "\u{0}item\($0)", type: .text) })
                    for (index, earlier) in itemSQL.enumerated().reversed() {
                        sqlText = sqlText.replacing(quote("\u{0}item\(index)"), with: "(\(earlier))")
                    }
                    itemSQL.append(sqlText)
                }
                let selected = try outputs.indices.filter { carriesCaveats || !outputFields[$0].isHidden }.map { (position) throws(Diagnostic) -> String in
                    let source = outputs[position]
                    let text = source < fields.count ? quote(fields[source].name) : itemSQL[source - fields.count]
                    return "\(text) AS \(quote(outputFields[position].name))"
                }
                sql = "SELECT \(selected.joined(separator: ", "))\(ordinal) FROM \(current)"
            case .summarize(let plan):
                let keys = try plan.keys.map { (key) throws(Diagnostic) -> String in try expression(key, fields) }
                var aggregates: [String] = []
                for spec in plan.aggregates { aggregates.append(try aggregate(spec, fields)) }
                var intermediate = keys + aggregates
                if carriesCaveats { intermediate += try hiddenAggregateColumns(plan, fields, ordered: hasOrdinal) }
                var items: [String] = []
                for (position, output) in plan.outputs.enumerated() where carriesCaveats || !outputFields[position].isHidden {
                    items.append("\(try substitute(output, intermediate)) AS \(quote(outputFields[position].name))")
                }
                sql = "SELECT \(items.joined(separator: ", ")) FROM \(current)"
                if !keys.isEmpty { sql += " GROUP BY \(keys.joined(separator: ", "))" }
                hasOrdinal = false
                finalOrder = plan.keys.indices.map { "\(collated(quote(outputFields[$0].name), plan.keys[$0].type)) ASC NULLS LAST" }
                if plan.keys.isEmpty { finalOrder = nil }
            case .sort(let keys):
                var order = try keys.map { (key) throws(Diagnostic) -> String in
                    "\(collated(try expression(key.key, fields), key.key.type)) \(key.descending ? "DESC" : "ASC") NULLS LAST"
                }
                if hasOrdinal { order.append("\"__ord\"") } else if let finalOrder { order += finalOrder }
                let kept = visible(fields).map(quote).joined(separator: ", ")
                sql = "SELECT \(kept), ROW_NUMBER() OVER (ORDER BY \(order.joined(separator: ", "))) AS \"__ord\" FROM \(current)"
                hasOrdinal = true
                finalOrder = nil
            case .take(let count):
                let order = hasOrdinal ? " ORDER BY \"__ord\"" : (finalOrder.map { " ORDER BY " + $0.joined(separator: ", ") } ?? "")
                sql = "SELECT * FROM \(current)\(order) LIMIT \(count)"
            case .distinct(let columns):
                // The key is the visible columns. The hidden unit/qualifier columns a kept column
                // carries (the binder adds them) come along when caveats are carried: one value
                // per group (MIN; the local engine takes the group's first row, the same unless
                // the group's rows disagree). Plain SQL for a person leaves them out.
                let key = columns.indices.filter { !outputFields[$0].isHidden }
                let carried = carriesCaveats ? columns.indices.filter { outputFields[$0].isHidden } : []
                let keySQL = key.map { "\(quote(fields[columns[$0]].name)) AS \(quote(outputFields[$0].name))" }
                if carried.isEmpty {
                    sql = "SELECT DISTINCT \(keySQL.joined(separator: ", ")) FROM \(current)"
                } else {
                    let carriedSQL = carried.map { "MIN(\(quote(fields[columns[$0]].name))) AS \(quote(outputFields[$0].name))" }
                    let groupSQL = key.map { quote(fields[columns[$0]].name) }
                    sql = "SELECT \((keySQL + carriedSQL).joined(separator: ", ")) FROM \(current) GROUP BY \(groupSQL.joined(separator: ", "))"
                }
                hasOrdinal = false
                finalOrder = nil
            case .join(let plan):
                let left = visible(fields).map { "l.\(quote($0))" } + (hasOrdinal ? ["l.\"__ord\""] : [])
                var right: [String] = []
                var outputIndex = fields.count
                for column in plan.rightColumns {
                    right.append("r.\(quote(plan.right.fields[column].name)) AS \(quote(outputFields[outputIndex].name))")
                    outputIndex += 1
                }
                // A key that is an expression (`lower(name) == name`) is computed first, in a CTE of
                // its own, as a column `__key_N`: unqualified names inside it could otherwise mean
                // the right table's columns.
                var keyed = current
                var computed: [String] = []
                var conditions: [String] = []
                for (position, key) in plan.keys.enumerated() {
                    let rightColumn = "r.\(quote(plan.right.fields[key.right].name))"
                    if case .column(let index) = key.left.kind {
                        conditions.append("l.\(quote(fields[index].name)) = \(rightColumn)")
                    } else {
                        let keyName = quote("__key_\(position)")
                        computed.append("\(try expression(key.left, fields)) AS \(keyName)")
                        conditions.append("l.\(keyName) = \(rightColumn)")
                    }
                }
                if !computed.isEmpty {
                    keyed = "\(name)_k"
                    let source = foldHops(over: current, ordinal: ordinal, into: &ctes)
                    ctes.append("\(keyed) AS (SELECT *, \(computed.joined(separator: ", ")) FROM \(source))")
                }
                let kind = plan.isLeft ? "LEFT JOIN" : "JOIN"
                sql = "SELECT \((left + right).joined(separator: ", ")) FROM \(keyed) AS l \(kind) \(tableReference(plan.right)) AS r ON \(conditions.joined(separator: " AND "))"
            case .unpivot(let plan):
                sql = unpivot(plan, fields: fields, outputFields: outputFields, current: current, hasOrdinal: hasOrdinal, finalOrder: finalOrder)
                hasOrdinal = true
                finalOrder = nil
            case .pivot, .compare, .chart, .why, .perCapita:
                throw unsupported("`\(syntax.keyword.text)`", at: syntax.keyword.range)
            }
            // Fold operands met while writing this stage are computed in helper CTEs first.
            let source = foldHops(over: current, ordinal: ordinal, into: &ctes)
            if source != current {
                sql = sql.replacing("FROM \(current)", with: "FROM \(source)")
            }
            ctes.append("\(name) AS (\(sql))")
            current = name
            fields = outputFields
        }
        let columns = visible(fields).map(quote).joined(separator: ", ")
        var query = "WITH " + ctes.joined(separator: ",\n     ") + "\nSELECT \(columns) FROM \(current)"
        if hasOrdinal {
            query += " ORDER BY \"__ord\""
        } else if let finalOrder {
            query += " ORDER BY " + finalOrder.joined(separator: ", ")
        }
        var header = ""
        if dialect == .postgres, query.contains("unaccent(") { header = "-- needs: CREATE EXTENSION IF NOT EXISTS unaccent;\n" }
        return header + query + ";"
    }

    /// `unpivot`: one SELECT per unpivoted column, put together with UNION ALL, numbered so the
    /// rows come out as ansinh gives them (each input row, then the columns in order).
    private func unpivot(_ plan: UnpivotPlan, fields: [Field], outputFields: [Field], current: String, hasOrdinal: Bool, finalOrder: [String]?) -> String {
        let order = hasOrdinal ? "\"__ord\"" : (finalOrder?.joined(separator: ", ") ?? "(SELECT NULL)")
        let numbered = "(SELECT *, ROW_NUMBER() OVER (ORDER BY \(order)) AS \"__row\" FROM \(current)) AS u"
        let kept = plan.kept.filter { !fields[$0].isHidden }.map { quote(fields[$0].name) }
        let nameField = outputFields[plan.kept.count]
        let valueField = outputFields[plan.kept.count + 1]
        let width = plan.columns.count
        let branches = plan.columns.enumerated().map { position, column -> String in
            var value = quote(fields[column].name)
            if plan.valueType == .decimal, fields[column].type != .decimal { value = "CAST(\(value) AS \(realType))" }
            let items = kept + [
                "\(literal(.text(plan.names[position]))) AS \(quote(nameField.name))",
                "\(value) AS \(quote(valueField.name))",
                "\"__row\" * \(width) + \(position) AS \"__ord\"",
            ]
            return "SELECT \(items.joined(separator: ", ")) FROM \(numbered)"
        }
        return branches.joined(separator: " UNION ALL ")
    }

    private func collated(_ sql: String, _ type: DataType) -> String {
        guard type == .text, let textCollation else { return sql }
        return "\(sql) COLLATE \(quote(textCollation))"
    }

    /// A table as SQL names it: a remote table by its schema and name on the server.
    func tableReference(_ table: Table) -> String {
        guard let remote = table.remote else { return quote(table.name) }
        return quote(remote.schema) + "." + quote(remote.name)
    }

    /// The source's columns. A remote table's text is NFC-normalised on the server, as imports
    /// are here, so comparisons with (NFC) literals match text stored decomposed.
    private func sourceColumns(_ table: Table) -> [String] {
        let visibleFields = table.fields.filter { !$0.isHidden && $0.name != "__ord" }
        guard table.remote != nil, dialect == .postgres else { return visibleFields.map { quote($0.name) } }
        return visibleFields.map { $0.type == .text ? "normalize(\(quote($0.name)), NFC) AS \(quote($0.name))" : quote($0.name) }
    }

    /// The columns a stage passes on: the visible ones, and the hidden caveat columns when
    /// `carriesCaveats`.
    private func visible(_ fields: [Field]) -> [String] {
        fields.filter { (carriesCaveats || !$0.isHidden) && $0.name != "__ord" }.map(\.name)
    }

    func quote(_ name: String) -> String {
        "\"" + name.replacing("\"", with: "\"\"") + "\""
    }

    func literal(_ value: Value) -> String {
        switch value {
        case .null: return "NULL"
        case .integer(let number): return String(number)
        case .decimal(let number):
            if !number.isFinite { return "NULL" }
            let text = NumberText.plain(number)
            return text.contains(".") || text.contains("e") ? text : text + ".0"
        case .boolean(let flag): return flag ? "TRUE" : "FALSE"
        case .text(let text): return "'" + text.replacing("'", with: "''") + "'"
        }
    }

    private var realType: String {
        switch dialect {
        case .sqlite: "REAL"
        case .duckdb: "DOUBLE"
        case .postgres: "DOUBLE PRECISION"
        }
    }

    /// Lower case without Vietnamese diacritics, as `fold()` and `~` compare.
    func fold(_ sql: String) -> String {
        switch dialect {
        case .duckdb:
            return "lower(strip_accents(replace(replace(\(sql), 'Đ', 'D'), 'đ', 'd')))"
        case .postgres:
            return "lower(unaccent(\(sql)))"
        case .sqlite:
            // SQLite has no accent folding and its lower() is ASCII-only: each Vietnamese letter is
            // replaced by its base letter. The ~140 nested replace() calls are split over two helper
            // CTEs (see `foldHops`), because SQLite's parser stack holds about 100 levels.
            let name = "__fold_\(folds.counter)"
            folds.counter += 1
            folds.pending.append((name, sql))
            return quote(name)
        }
    }

    /// SQLite: the helper CTEs that compute the pending fold operands over `current`, twenty
    /// replace() calls at a time (each nested call takes several parser-stack slots).
    private func foldHops(over current: String, ordinal: String, into ctes: inout [String]) -> String {
        guard !folds.pending.isEmpty else { return current }
        let letters = SQLTranslator.vietnameseLetters
        let chunk = 20
        var source = current
        var previous = folds.pending.map(\.operand)
        var start = 0
        var hop = 0
        while start < letters.count {
            let end = min(start + chunk, letters.count)
            let last = end == letters.count
            let items = (0..<folds.pending.count).map { index -> String in
                var text = previous[index]
                for (letter, base) in letters[start..<end] { text = "replace(\(text), '\(letter)', '\(base)')" }
                let name = last ? folds.pending[index].name : "\(folds.pending[index].name)_\(hop)"
                return "\(last ? "lower(\(text))" : text) AS \(quote(name))"
            }
            let next = "\(current)_f\(hop)"
            ctes.append("\(next) AS (SELECT *, \(items.joined(separator: ", ")) FROM \(source))")
            previous = folds.pending.map { quote("\($0.name)_\(hop)") }
            source = next
            start = end
            hop += 1
        }
        folds.pending.removeAll()
        _ = ordinal
        return source
    }

    /// Every precomposed Vietnamese letter (both cases) and its base letter.
    static let vietnameseLetters: [(String, String)] = {
        var pairs: [(String, String)] = [("đ", "d"), ("Đ", "D")]
        let ranges: [ClosedRange<UInt32>] = [0x00C0...0x01B0, 0x1EA0...0x1EF9]
        for range in ranges {
            for value in range {
                guard let scalar = Unicode.Scalar(value), scalar.properties.isAlphabetic else { continue }
                let letter = String(Character(scalar))
                let folded = UnicodeText.fold(letter)
                guard folded.count == 1, folded != letter, let base = folded.unicodeScalars.first, base.isASCII else { continue }
                let isUpper = letter != letter.lowercased()
                pairs.append((letter, isUpper ? folded.uppercased() : folded))
            }
        }
        // Only letters Vietnamese uses (vowels with tones, ă â ê ô ơ ư, đ).
        return pairs.filter { pair in "aeiouyAEIOUYdD".contains(pair.1) }
    }()

    func expression(_ expr: BoundExpr, _ fields: [Field]) throws(Diagnostic) -> String {
        switch expr.kind {
        case .column(let index):
            return quote(fields[index].name)
        case .literal(let value):
            if case .integer(let number) = value, expr.type == .decimal { return literal(.decimal(Double(number))) }
            return literal(value)
        case .negate(let operand):
            return "(-\(try expression(operand, fields)))"
        case .not(let operand):
            return "(NOT \(try expression(operand, fields)))"
        case .toDecimal(let operand):
            return "CAST(\(try expression(operand, fields)) AS \(realType))"
        case .arithmetic(let op, let left, let right):
            let a = try expression(left, fields), b = try expression(right, fields)
            switch op {
            case .divide: return "(CAST(\(a) AS \(realType)) / NULLIF(\(b), 0))"
            case .remainder where expr.type == .decimal && dialect == .sqlite:
                // SQLite's % works on integers only (7.5 % 2 = 1); its mod() (the math functions of
                // the sqlite3 CLI, 3.35+) keeps the fraction like ansinh (1.5).
                return "mod(\(a), NULLIF(\(b), 0))"
            case .remainder where expr.type == .decimal && dialect == .postgres:
                // PostgreSQL has no % (nor mod) for double precision: through NUMERIC, exact.
                return "CAST(mod(CAST(\(a) AS NUMERIC), NULLIF(CAST(\(b) AS NUMERIC), 0)) AS \(realType))"
            case .remainder: return "(\(a) % NULLIF(\(b), 0))"
            default: return "(\(a) \(op.rawValue) \(b))"
            }
        case .compare(let op, let left, let right):
            let symbol = op == .equal ? "=" : op == .notEqual ? "<>" : op.rawValue
            return "(\(try expression(left, fields)) \(symbol) \(try expression(right, fields)))"
        case .logical(let op, let left, let right):
            return "(\(try expression(left, fields)) \(op == .and ? "AND" : "OR") \(try expression(right, fields)))"
        case .contains(let left, let right, let negated):
            let haystack = fold(try expression(left, fields)), needle = fold(try expression(right, fields))
            let test = dialect == .postgres ? "(position(\(needle) in \(haystack)) > 0)" : "(instr(\(haystack), \(needle)) > 0)"
            return negated ? "(NOT \(test))" : test
        case .inList(let value, let list, let negated):
            let items = try list.map { (item) throws(Diagnostic) -> String in try expression(item, fields) }
            return "(\(try expression(value, fields)) \(negated ? "NOT IN" : "IN") (\(items.joined(separator: ", "))))"
        case .isNull(let operand, let negated):
            return "(\(try expression(operand, fields)) IS \(negated ? "NOT " : "")NULL)"
        case .call(let function, let arguments):
            let args = try arguments.map { (argument) throws(Diagnostic) -> String in try expression(argument, fields) }
            switch function {
            case .abs, .lower, .upper, .trim, .coalesce, .nullif:
                return "\(function.rawValue)(\(args.joined(separator: ", ")))"
            case .floor, .ceil:
                return "\(function.rawValue)(\(args[0]))"
            case .length:
                return dialect == .postgres ? "char_length(\(args[0]))" : "length(\(args[0]))"
            case .round:
                if dialect == .postgres {
                    return args.count == 2 ? "round(CAST(\(args[0]) AS NUMERIC), \(args[1]))" : "round(\(args[0]))"
                }
                if args.count == 2, let digits = arguments[1].literalValue?.doubleValue, digits < 0 {
                    // SQLite and DuckDB ignore negative digits; round(x, -3) is round(x / 1000) * 1000.
                    // As the evaluator: at most 18 digits either way.
                    let factor = "1" + String(repeating: "0", count: Int(min(18, -max(digits, -18))))
                    return "(round(\(args[0]) / \(factor).0) * \(factor))"
                }
                return "round(\(args.joined(separator: ", ")))"
            case .fold:
                return fold(args[0])
            case .concat:
                return "(" + args.map { "COALESCE(CAST(\($0) AS TEXT), '')" }.joined(separator: " || ") + ")"
            case .if:
                return "(CASE WHEN \(args[0]) THEN \(args[1]) ELSE \(args[2]) END)"
            case .text where arguments[0].type == .boolean:
                // SQLite stores booleans as 1/0; ansinh writes true/false.
                return "(CASE WHEN \(args[0]) THEN 'true' WHEN NOT \(args[0]) THEN 'false' END)"
            case .text:
                return "CAST(\(args[0]) AS \(dialect == .sqlite ? "TEXT" : "VARCHAR"))"
            case .vn_number:
                throw unsupported("vn_number()", at: expr.range)
            case .number:
                throw unsupported("number()", at: expr.range)
            case .replace, .matches, .extract, .regex_replace, .squish, .starts_with, .ends_with, .split_part, .year_of, .place, .place_kind:
                return try textFunction(function, args, arguments, at: expr.range)
            }
        }
    }

    private func aggregate(_ spec: AggregateSpec, _ fields: [Field]) throws(Diagnostic) -> String {
        guard let argument = spec.argument else { return "count(*)" }
        let sql = try expression(argument, fields)
        switch spec.function {
        case .count: return "count(\(sql))"
        case .sum, .min, .max: return "\(spec.function.rawValue)(\(sql))"
        case .avg: return "avg(\(sql))"
        case .count_distinct: return "count(DISTINCT \(sql))"
        case .median:
            switch dialect {
            case .duckdb: return "median(\(sql))"
            case .postgres: return "percentile_cont(0.5) WITHIN GROUP (ORDER BY \(sql))"
            case .sqlite: throw unsupported("median()", at: spec.range)
            }
        case .first, .last:
            throw unsupported("\(spec.function.rawValue)()", at: spec.range)
        }
    }

    /// An output expression over the intermediate row [keys…, aggregates…], written in SQL.
    private func substitute(_ expr: BoundExpr, _ intermediate: [String]) throws(Diagnostic) -> String {
        let fields = intermediate.indices.map { Field(name: "\u{0}\($0)", type: .text) }
        var sql = try expression(expr, fields)
        // Replace placeholders (longest index first, so \u{0}1 does not eat \u{0}10).
        for index in intermediate.indices.reversed() {
            sql = sql.replacing(quote("\u{0}\(index)"), with: intermediate[index])
        }
        return sql
    }
}
