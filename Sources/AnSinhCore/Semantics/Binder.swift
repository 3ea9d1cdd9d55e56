/// What a pipeline can read: tables by name, and `--param` values.
///
/// Views such as `conflicts` are built on first use, so start-up does not pay for tables a
/// session never reads.
public struct Catalog: Sendable {
    private var stored: [String: Table]
    private var lazyTables: [String: LazyTable] = [:]
    public var builtinNames: Set<String>
    public var parameters: [String: Value]

    public init(tables: [String: Table] = [:], builtinNames: Set<String> = [], parameters: [String: Value] = [:]) {
        self.stored = tables
        self.builtinNames = builtinNames
        self.parameters = parameters
    }

    /// A table by name (building a lazy view the first time); setting nil removes it.
    public subscript(name: String) -> Table? {
        get { stored[name] ?? lazyTables[name]?.table }
        set {
            stored[name] = newValue
            lazyTables[name] = nil
        }
    }

    /// Registers a table that is built when first read.
    public mutating func addLazy(_ name: String, _ build: @escaping @Sendable () -> Table) {
        lazyTables[name] = LazyTable(build)
    }

    public var tableNames: [String] { Set(stored.keys).union(lazyTables.keys).sorted() }

    /// Every table, building lazy ones.
    public var allTables: [Table] { tableNames.compactMap { self[$0] } }
}

/// A table computed on first access and kept.
final class LazyTable: @unchecked Sendable {
    private let build: @Sendable () -> Table
    private var cached: Table?
    private let lock = NSLockish()

    init(_ build: @escaping @Sendable () -> Table) { self.build = build }

    var table: Table {
        lock.locked {
            if let cached { return cached }
            let table = build()
            cached = table
            return table
        }
    }
}

/// Resolves names and types: turns a `Pipeline` into a `BoundPipeline`.
///
/// Most stages have a schema known before running. `pivot` and `compare` make columns from data
/// values, so stages after them are bound once the rows exist (`bindStages(from:)`).
public struct Binder {
    let catalog: Catalog
    let source: SourceFile?

    public init(catalog: Catalog, source: SourceFile?) {
        self.catalog = catalog
        self.source = source
    }

    /// Binds the source table and every stage up to the first one whose columns depend on data.
    public func bind(_ pipeline: Pipeline) throws(Diagnostic) -> BoundPipeline {
        // The case-insensitive search sorts every name: only when the exact name is not there
        // (done for every statement, it made 20,000 `let`s quadratic).
        guard let table = catalog[pipeline.source.text]
            ?? catalog.tableNames.first(where: { $0.lowercased() == pipeline.source.text.lowercased() }).flatMap({ catalog[$0] }) else {
            let names = catalog.tableNames
            let suggestions = UnicodeText.suggestions(for: pipeline.source.text, among: names)
            var diagnostic = Diagnostic(.name, .unknownTable, [pipeline.source.text], at: pipeline.source.range, suggestions: suggestions)
            if suggestions.isEmpty { diagnostic.notes.append(.init(.tableNames, [names.joined(separator: ", ")])) }
            throw diagnostic
        }
        var bound = BoundPipeline(source: table, stages: [], syntax: pipeline)
        var fields = table.fields
        for stage in pipeline.stages {
            if let last = bound.stages.last, Binder.hasDataDependentSchema(last.stage) { break }
            let (boundStage, output) = try bindStage(stage, input: fields)
            bound.stages.append((boundStage, output, stage))
            fields = output
        }
        return bound
    }

    /// Binds one stage against the columns it receives (used for stages after `pivot`/`compare`).
    func bindStage(_ stage: Stage, input: [Field]) throws(Diagnostic) -> (BoundStage, [Field]) {
        switch stage.kind {
        case .filter(let expr):
            let condition = try bindExpression(expr, in: input)
            guard condition.type == .boolean || condition.type == .null else {
                throw Diagnostic(.type, .conditionNotBoolean, [stage.keyword.text, condition.type.display], at: expr.range)
            }
            return (.filter(condition), input)

        case .select(let items):
            return try bindProjection(items, input: input, keepInput: false)

        case .derive(let items):
            return try bindProjection(items, input: input, keepInput: true)

        case .summarize(let aggregates, let keys):
            let plan = try bindSummarize(aggregates: aggregates, keys: keys, input: input, keyword: stage.keyword)
            return (.summarize(plan.plan), plan.fields)

        case .sort(let keys):
            var bound: [(key: BoundExpr, descending: Bool)] = []
            for key in keys {
                let expr = try bindExpression(key.expr, in: input)
                if expr.type == .boolean || expr.type == .null || expr.type.isNumeric || expr.type == .text {
                    bound.append((expr, key.descending))
                } else {
                    throw Diagnostic(.type, .sortNeedsValue, [expr.type.display], at: key.expr.range)
                }
            }
            return (.sort(bound), input)

        case .take(let expr):
            let count: Int
            switch try bindExpression(expr, in: input).kind {
            case .literal(.integer(let value)) where value >= 0: count = Int(clamping: value)
            case .literal(let value):
                // Quote what was written: `"3"` is text, not the number 3.
                throw Diagnostic(.value, .takeNeedsCount, [source.map { UnicodeText.clipped($0.text(in: expr.range)) } ?? (value == .null ? "null" : value.description)], at: expr.range)
            default:
                throw Diagnostic(.value, .takeNeedsCount, [source?.text(in: expr.range) ?? "an expression"], at: expr.range)
            }
            return (.take(count), input)

        case .distinct(let names):
            var indices: [Int] = []
            if names.isEmpty {
                indices = input.indices.filter { !input[$0].isHidden }
            } else {
                for name in names { indices.append(try resolveColumn(name, in: input)) }
            }
            // The unit and qualifier of a kept column stay with it as hidden columns, taken from
            // each group's first row (the key stays the named columns, as in SQL), so
            // `distinct value | summarize sum(value)` keeps its caveats. A measure or period that
            // is not kept is dropped (rows of several periods may merge into one).
            let kept = Set(indices.map { input[$0].name })
            var output = indices.map { input[$0] }
            var carried: [Int: String] = [:]
            for position in output.indices {
                var annotations = output[position].annotations
                if let measure = annotations.measure, !kept.contains(measure) { annotations.measure = nil }
                if let period = annotations.period, !kept.contains(period) { annotations.period = nil }
                for keyPath in [\Annotations.unit, \Annotations.qualifier, \Annotations.sourceUnit] {
                    guard let columnName = annotations[keyPath: keyPath], !kept.contains(columnName) else { continue }
                    guard let source = input.firstIndex(where: { $0.name == columnName }) else {
                        annotations[keyPath: keyPath] = nil
                        continue
                    }
                    if let name = carried[source] {
                        annotations[keyPath: keyPath] = name
                        continue
                    }
                    let name = input[source].isHidden ? columnName : Annotations.hiddenCopyName(of: columnName)
                    carried[source] = name
                    indices.append(source)
                    output.append(Field(name: name, type: input[source].type, isHidden: true))
                    annotations[keyPath: keyPath] = name
                }
                output[position].annotations = annotations
            }
            return (.distinct(indices), output)

        case .join(let isLeft, let tableName, let keys):
            guard let right = catalog[tableName.text] else {
                let suggestions = UnicodeText.suggestions(for: tableName.text, among: catalog.tableNames)
                throw Diagnostic(.name, .unknownTable, [tableName.text], at: tableName.range, suggestions: suggestions)
            }
            var boundKeys: [JoinKeyPlan] = []
            // Right key columns that the left side already has under the same name (`on province`):
            // the output shows that column once.
            var sharedRightColumns: Set<Int> = []
            for key in keys {
                if let qualifier = key.rightTable, qualifier.text != tableName.text {
                    throw Diagnostic(.name, .joinKeyOtherTable, [qualifier.text, key.right.text, tableName.text], at: key.right.range)
                }
                let left = try bindExpression(key.left, in: input)
                guard let rightKey = right.columnIndex(key.right.text) else {
                    let suggestions = UnicodeText.suggestions(for: key.right.text, among: right.fields.filter { !$0.isHidden }.map(\.name))
                    throw Diagnostic(.name, .joinColumnMissing, [right.name, key.right.text], at: key.right.range, suggestions: suggestions)
                }
                let rightType = right.fields[rightKey].type
                let leftText: String
                if case .column(let name) = key.left.kind { leftText = name } else { leftText = compactText(key.left) }
                guard DataType.common(left.type, rightType) != nil else {
                    throw Diagnostic(.type, .joinTypeMismatch, [left.type.display, leftText, rightType.display, key.right.text], at: key.range)
                }
                if case .column(let index) = left.kind, input[index].name == right.fields[rightKey].name { sharedRightColumns.insert(rightKey) }
                boundKeys.append(JoinKeyPlan(left: left, right: rightKey))
            }
            var output = input
            var rightColumns: [Int] = []
            var existing = Set(input.map(\.name))
            var renames: [String: String] = [:]
            for (index, field) in right.fields.enumerated() where !field.isHidden {
                if sharedRightColumns.contains(index) { continue }
                var newField = field
                if existing.contains(field.name) { newField.name = "\(right.remote?.name ?? right.name)_\(field.name)" }
                // Joining the same table twice: `districts_note`, then `districts_note_2`.
                var copy = 2
                let prefixed = newField.name
                while existing.contains(newField.name) {
                    newField.name = "\(prefixed)_\(copy)"
                    copy += 1
                }
                existing.insert(newField.name)
                renames[field.name] = newField.name
                rightColumns.append(index)
                output.append(newField)
            }
            // Annotations of the right table's columns follow their renamed columns.
            for position in input.count..<output.count {
                output[position].annotations = output[position].annotations.renamed { renames[$0] }
            }
            let plan = JoinPlan(isLeft: isLeft, right: right, keys: boundKeys, rightColumns: rightColumns)
            return (.join(plan), output)

        case .pivot(let rows, let column, let value):
            let columnItem = SelectItem(name: nil, expr: column, range: column.range)
            var valueExpr = value
            if valueExpr == nil {
                guard input.contains(where: { $0.name == "value" }) else {
                    throw Diagnostic(.value, .pivotNeedsValue, [], at: stage.keyword.range)
                }
                let range = stage.keyword.range
                valueExpr = Expr(.call(Name("sum", range), [Expr(.column("value"), range)]), range)
            }
            guard let valueExpr else { throw Diagnostic(.value, .pivotNeedsValue, [], at: stage.keyword.range) }
            let valueItem = SelectItem(name: Name("__cell", valueExpr.range), expr: valueExpr, range: valueExpr.range)
            let plan = try bindSummarize(aggregates: [valueItem], keys: rows + [columnItem], input: input, keyword: stage.keyword)
            let rowNames = Array(plan.fields.prefix(rows.count).map(\.name))
            return (.pivot(PivotPlan(summarize: plan.plan, rowKeyCount: rows.count, rowKeyNames: rowNames)), plan.fields)

        case .compare(let key, let valueName):
            func index(_ name: String) -> Int? { input.firstIndex { $0.name == name } }
            // `compare year` (as the docs write it) compares the year a figure is for: `year_to`.
            let keyIndex: Int
            if key.text == "year", index("year") == nil, let yearTo = index("year_to") {
                keyIndex = yearTo
            } else {
                keyIndex = try resolveColumn(key, in: input)
            }
            // The number compared: named, or `value`, or the only other number column of the table.
            let valueIndex: Int
            if let valueName {
                valueIndex = try resolveColumn(valueName, in: input)
                guard input[valueIndex].type.isNumeric, input[valueIndex].type != .null else {
                    throw Diagnostic(.type, .argumentType, ["1", "compare … value", "a number", input[valueIndex].type.display], at: valueName.range)
                }
            } else if let named = index("value") {
                valueIndex = named
            } else {
                let numbers = input.indices.filter { !input[$0].isHidden && $0 != keyIndex && (input[$0].type == .integer || input[$0].type == .decimal) && !["year", "year_to", "year_from"].contains(input[$0].name) }
                guard numbers.count == 1, let only = numbers.first else {
                    throw Diagnostic(.value, .compareNeedsValue, [], at: stage.keyword.range)
                }
                valueIndex = only
            }
            var plan = ComparePlan(
                keyColumn: keyIndex, keyName: input[keyIndex].name, indicator: index("indicator"), detail: index("detail"),
                value: valueIndex, unit: input[valueIndex].annotations.unit.flatMap(index) ?? index("unit"),
                measure: input[valueIndex].annotations.measure.flatMap(index) ?? index("measure"),
                period: input[valueIndex].annotations.period.flatMap(index) ?? index("period"),
                yearTo: index("year_to") ?? index("year"),
                qualifier: input[valueIndex].annotations.qualifier.flatMap(index) ?? index("qualifier"),
                district: input[keyIndex].name == "district" ? nil : index("district"),
                yearFrom: index("year_from"),
                comparesYears: ["year", "year_to", "year_from"].contains(input[keyIndex].name))
            if plan.indicator == nil {
                // Any table: a row is what its other columns say (the caveat columns of the value
                // and the value itself aside).
                let annotations = input[valueIndex].annotations
                let caveatNames = Set([annotations.unit, annotations.qualifier, annotations.measure, annotations.period].compactMap { $0 })
                    .union(["unit", "qualifier", "measure", "period", "detail", "year_from", "year_to"])
                // Decimal columns are measurements, not names: they never identify a row.
                plan.identity = input.indices.filter { index in
                    index != keyIndex && index != valueIndex && !input[index].isHidden && input[index].type != .decimal
                        && !caveatNames.contains(input[index].name)
                }
                plan.district = nil
            }
            return (.compare(plan), [])

        case .chart(let style, let valueSyntax, let labelSyntax):
            let value: BoundExpr
            if let valueSyntax {
                value = try bindExpression(valueSyntax, in: input)
            } else if let index = input.firstIndex(where: { $0.name == "value" && $0.type.isNumeric }) {
                value = BoundExpr(kind: .column(index), type: input[index].type, range: stage.keyword.range)
            } else if case let numbers = input.filter({ !$0.isHidden && $0.type.isNumeric && $0.type != .null && !$0.isCode }), numbers.count > 1 {
                // After `compare`, one column per district: drawing one of them silently would
                // show a single district as if it were the comparison.
                let names = numbers.map(\.name)
                func plain(_ name: String) -> Bool {
                    name.first.map { !$0.isNumber } == true && name.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" }
                }
                let example = names.first.map { plain($0) ? $0 : "`\($0)`" } ?? ""
                throw Diagnostic(.value, .chartWhichColumn, [String(names.count), names.joined(separator: ", "), example], at: stage.keyword.range)
            } else if let index = input.firstIndex(where: { !$0.isHidden && $0.type.isNumeric && $0.type != .null && !$0.isCode })
                        ?? input.lastIndex(where: { !$0.isHidden && $0.type.isNumeric && $0.type != .null }) {
                // The one number that is not a year or code (`s`, not `year_to`).
                value = BoundExpr(kind: .column(index), type: input[index].type, range: stage.keyword.range)
            } else {
                let shown = input.filter { !$0.isHidden }.map { "\($0.name) (\($0.type.display))" }.joined(separator: ", ")
                throw Diagnostic(.type, .chartNeedsNumber, [shown], at: stage.keyword.range)
            }
            guard value.type.isNumeric else {
                throw Diagnostic(.type, .chartNeedsNumber, [value.type.display], at: valueSyntax?.range ?? stage.keyword.range)
            }
            var label: BoundExpr?
            if let labelSyntax {
                label = try bindExpression(labelSyntax, in: input)
            } else if let index = input.firstIndex(where: { !$0.isHidden && $0.type == .text }) {
                label = BoundExpr(kind: .column(index), type: .text, range: stage.keyword.range)
            }
            let annotations = value.columnIndex.map { input[$0].annotations } ?? Annotations()
            let unit = annotations.unit.flatMap { name in input.firstIndex { $0.name == name } }
            let qualifier = annotations.qualifier.flatMap { name in input.firstIndex { $0.name == name } }
            let spark = style.map { $0.text.hasPrefix("spark") } ?? false
            let district = input.firstIndex { $0.name == "district" && !$0.isHidden && $0.type == .text }
            return (.chart(ChartPlan(spark: spark, value: value, label: label, unit: unit, qualifier: qualifier, district: district)), input)

        case .why:
            return (.why, Binder.whyFields)

        case .perCapita(let columnSyntax, let scaleSyntax):
            var scale = 1.0
            if let scaleSyntax {
                let bound = try bindExpression(scaleSyntax, in: input)
                guard let number = bound.literalValue?.doubleValue, number > 0 else {
                    throw Diagnostic(.value, .invalidArgumentValue, ["per_capita", "the scale must be a positive number (per_capita 1000)"], at: scaleSyntax.range)
                }
                scale = number
            }
            guard let district = input.firstIndex(where: { $0.name == "district" && !$0.isHidden }) else {
                throw Diagnostic(.value, .stageNeedsFacts, ["per_capita", "district and a number column"], at: stage.keyword.range)
            }
            // The column to divide: named, else `value`, else the last number column.
            let value: Int
            if let columnSyntax {
                value = try resolveColumn(columnSyntax, in: input)
                guard input[value].type.isNumeric else {
                    throw Diagnostic(.type, .argumentType, ["1", "per_capita", "a number column", input[value].type.display], at: columnSyntax.range)
                }
            } else if let index = input.firstIndex(where: { $0.name == "value" && !$0.isHidden && $0.type.isNumeric })
                        ?? input.lastIndex(where: { !$0.isHidden && ($0.type == .integer || $0.type == .decimal) && $0.name != "year_from" && $0.name != "year_to" }) {
                value = index
            } else {
                throw Diagnostic(.value, .stageNeedsFacts, ["per_capita", "district and a number column"], at: stage.keyword.range)
            }
            let unit = input[value].annotations.unit.flatMap { name in input.firstIndex { $0.name == name } }
            let name = scale == 1 ? "per_resident" : "per_\(NumberText.plain(scale))_residents"
            var output = input
            var perField = Field(name: name, type: .decimal, description: "value divided by the district's population × \(NumberText.plain(scale))")
            perField.annotations.qualifier = input[value].annotations.qualifier
            output.append(perField)
            output.append(Field(name: "population", type: .integer, description: "population used as the base"))
            output.append(Field(name: "population_year", type: .integer, description: "year of that population figure"))
            output.append(Field(name: Annotations.hiddenUnitName(for: "per_resident"), type: .text, isHidden: true))
            if let unit {
                _ = unit
                output[output.count - 4].annotations.unit = Annotations.hiddenUnitName(for: "per_resident")
            }
            return (.perCapita(PerCapitaPlan(scale: scale, district: district, value: value, unit: unit)), output)

        case .unpivot(let columns, let nameColumn, let valueColumn):
            return try bindUnpivot(columns, into: nameColumn, value: valueColumn, input: input, keyword: stage.keyword)
        }
    }

    static func hasDataDependentSchema(_ stage: BoundStage) -> Bool {
        switch stage {
        case .pivot, .compare, .chart: true
        default: false
        }
    }

    static let whyFields: [Field] = [
        Field(name: "row", type: .integer, description: "the result row this source stands behind"),
        Field(name: "id", type: .text, description: "the fact's id"),
        Field(name: "district", type: .text),
        Field(name: "indicator", type: .text),
        Field(name: "period", type: .text),
        Field(name: "value", type: .decimal, annotations: Annotations(unit: "unit", qualifier: "qualifier")),
        Field(name: "unit", type: .text),
        Field(name: "qualifier", type: .text),
        Field(name: "quote", type: .text, description: "the words of the article that state the number"),
        Field(name: "source", type: .text, description: "article title, publisher and date"),
    ]

    // MARK: - Names

    func resolveColumn(_ name: Name, in fields: [Field]) throws(Diagnostic) -> Int {
        if let index = fields.firstIndex(where: { $0.name == name.text && !$0.isHidden }) { return index }
        throw unknownColumn(name.text, at: name.range, in: fields)
    }

    func unknownColumn(_ name: String, at range: SourceRange, in fields: [Field]) -> Diagnostic {
        let names = fields.filter { !$0.isHidden }.map(\.name)
        let suggestions = UnicodeText.suggestions(for: name, among: names)
        var diagnostic = Diagnostic(.name, .unknownColumn, [name], at: range, suggestions: suggestions)
        if suggestions.isEmpty {
            diagnostic.notes.append(.init(.columnNames, [names.joined(separator: ", ")]))
        }
        return diagnostic
    }

    /// The name a result column gets when the query does not give one.
    func defaultName(for expr: Expr) -> String {
        switch expr.kind {
        case .column(let name): return name
        case .call(let function, let arguments):
            let name = function.text.lowercased()
            if arguments.isEmpty || (arguments.count == 1 && arguments[0].kind == .star) { return name }
            if arguments.count == 1, case .column(let column) = arguments[0].kind { return "\(name)_\(column)" }
            return compactText(expr)
        default:
            return compactText(expr)
        }
    }

    private func compactText(_ expr: Expr) -> String {
        guard let source else { return "expr" }
        let text = source.text(in: expr.range)
        return text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).joined(separator: " ")
    }

    // MARK: - select / derive

    private func bindProjection(_ items: [SelectItem], input: [Field], keepInput: Bool) throws(Diagnostic) -> (BoundStage, [Field]) {
        // The scope grows as items are bound: input columns, then each computed item. A derived
        // name shadows the input column it replaces.
        var scope = input
        var bound: [BoundExpr] = []
        var outputs: [Int] = keepInput ? Array(input.indices) : []
        var fields: [Field] = keepInput ? input : []
        var namesSeen = Set<String>()
        for item in items {
            let expr = TextCaveats.keepingQualifier(try bindExpression(item.expr, in: scope), scope: scope)
            // The qualifier of a number computed from a figure, when it is not the figure's own.
            var derivedQualifier: BoundExpr?
            let name = item.name?.text ?? defaultName(for: item.expr)
            if namesSeen.contains(name) && !keepInput {
                throw Diagnostic(.name, .duplicateColumn, [name], at: item.range)
            }
            namesSeen.insert(name)
            var field = Field(name: name, type: expr.type)
            if let index = expr.columnIndex {
                field.description = scope[index].description
                field.annotations = scope[index].annotations
                field.isCode = scope[index].isCode
                field.translatesNotes = scope[index].translatesNotes
            } else {
                // Arithmetic on one qualified number keeps its qualifier ("about 800" / 1e9 is still about).
                // `-value` turns "more than" round, and `abs(value)` leaves only "about".
                let annotated = expr.referencedColumns.filter { scope[$0].annotations.qualifier != nil }
                if annotated.count == 1, let only = annotated.first, expr.type.isNumeric {
                    let source = scope[only].annotations
                    field.annotations = Annotations(qualifier: source.qualifier, measure: source.measure, period: source.period,
                                                    sourceUnit: source.unit ?? source.sourceUnit)
                    let direction = expr.direction(in: only)
                    if direction != .increasing,
                       let qualifierColumn = source.qualifier.flatMap({ name in scope.firstIndex { $0.name == name } }) {
                        derivedQualifier = BoundExpr.qualifier(of: qualifierColumn, moving: direction)
                        field.annotations.qualifier = Annotations.hiddenQualifierName(for: name)
                    }
                }
            }
            bound.append(expr)
            let extendedIndex = input.count + bound.count - 1
            // Later items see this one under its name; a replaced column is hidden from them.
            for position in scope.indices where scope[position].name == name { scope[position].isHidden = true }
            var scopeField = field
            scopeField.isHidden = false
            scope.append(scopeField)
            if keepInput, let existing = fields.firstIndex(where: { $0.name == name && !$0.isHidden }) {
                outputs[existing] = extendedIndex
                fields[existing] = field
            } else {
                outputs.append(extendedIndex)
                fields.append(field)
            }
            if let qualifierExpr = derivedQualifier {
                // The computed qualifier rides along as a hidden column.
                let hidden = Field(name: Annotations.hiddenQualifierName(for: name), type: .text, isHidden: true)
                bound.append(qualifierExpr)
                scope.append(hidden)
                if let existing = fields.firstIndex(where: { $0.name == hidden.name }) {
                    outputs[existing] = input.count + bound.count - 1
                } else {
                    outputs.append(input.count + bound.count - 1)
                    fields.append(hidden)
                }
            }
        }
        if !keepInput {
            // Keep the columns that qualify the selected numbers, hidden when not selected.
            for position in fields.indices {
                let annotations = fields[position].annotations
                var renamed = annotations
                for (keyPath, columnName) in [(\Annotations.unit, annotations.unit), (\Annotations.qualifier, annotations.qualifier),
                                              (\Annotations.measure, annotations.measure), (\Annotations.period, annotations.period),
                                              (\Annotations.sourceUnit, annotations.sourceUnit)] {
                    if let columnName, Annotations.isHiddenQualifierName(columnName), fields.contains(where: { $0.name == columnName }) { continue }
                    guard let columnName, let inputIndex = input.firstIndex(where: { $0.name == columnName }) else {
                        if columnName != nil { renamed[keyPath: keyPath] = nil }
                        continue
                    }
                    if let visible = outputs.indices.first(where: { position in
                        let source = outputs[position]
                        return source == inputIndex || (source >= input.count && bound[source - input.count].columnIndex == inputIndex)
                    }) {
                        renamed[keyPath: keyPath] = fields[visible].name
                    } else {
                        let hiddenName = Annotations.hiddenCopyName(of: columnName)
                        if !fields.contains(where: { $0.name == hiddenName }) {
                            outputs.append(inputIndex)
                            fields.append(Field(name: hiddenName, type: input[inputIndex].type, isHidden: true))
                        }
                        renamed[keyPath: keyPath] = hiddenName
                    }
                }
                fields[position].annotations = renamed
            }
        }
        return (.project(items: bound, outputs: outputs), fields)
    }

    // MARK: - summarize

    struct AggregateCollector {
        var specs: [AggregateSpec] = []
        var keyCount: Int
    }

    private func bindSummarize(aggregates items: [SelectItem], keys keyItems: [SelectItem], input: [Field], keyword: Name) throws(Diagnostic) -> (plan: SummarizePlan, fields: [Field]) {
        var keys: [BoundExpr] = []
        var fields: [Field] = []
        var keyNames: [String] = []
        for item in keyItems {
            let expr = try bindExpression(item.expr, in: input)
            let name = item.name?.text ?? defaultName(for: item.expr)
            if keyNames.contains(name) { throw Diagnostic(.name, .duplicateColumn, [name], at: item.range) }
            keys.append(expr.type == .null ? BoundExpr(kind: expr.kind, type: .text, range: expr.range) : expr)
            keyNames.append(name)
            var field = Field(name: name, type: expr.type == .null ? .text : expr.type)
            if let index = expr.columnIndex {
                field.description = input[index].description
                field.isCode = input[index].isCode
                field.translatesNotes = input[index].translatesNotes
            }
            fields.append(field)
        }
        var collector = AggregateCollector(keyCount: keys.count)
        var outputs: [BoundExpr] = keys.indices.map { BoundExpr(kind: .column($0), type: keys[$0].type, range: keys[$0].range) }
        var itemOutputs: [(name: String, expr: BoundExpr)] = []
        for item in items {
            let expr = try bindAggregateExpression(item.expr, input: input, keys: keys, keyNames: keyNames, collector: &collector)
            let name = item.name?.text ?? defaultName(for: item.expr)
            if keyNames.contains(name) || itemOutputs.contains(where: { $0.name == name }) {
                throw Diagnostic(.name, .duplicateColumn, [name], at: item.range)
            }
            itemOutputs.append((name, expr))
        }
        // Outputs refer to the intermediate row [keys…, aggregates…]; hidden unit and qualifier
        // columns, computed per group, are appended to it after the aggregates.
        var hiddenUnitFor: [Int: Int] = [:]
        var hiddenQualifierFor: [Int: Int] = [:]
        var nextHidden = keys.count + collector.specs.count
        var hiddenFields: [Field] = []
        for (name, expr) in itemOutputs {
            var field = Field(name: name, type: expr.type == .null ? .text : expr.type)
            if case .column(let intermediate) = expr.kind, intermediate >= keys.count {
                let specIndex = intermediate - keys.count
                let spec = collector.specs[specIndex]
                // The smallest or latest year is still a year.
                if [.min, .max, .first, .last].contains(spec.function), let column = spec.argument?.columnIndex {
                    field.isCode = input[column].isCode
                    field.translatesNotes = input[column].translatesNotes
                }
                let carriesUnit = spec.function != .count && spec.function != .count_distinct
                if carriesUnit, let unitInput = spec.unitInput {
                    if let keyPosition = keys.firstIndex(where: { $0.columnIndex == unitInput }) {
                        field.annotations.unit = keyNames[keyPosition]
                    } else {
                        hiddenUnitFor[specIndex] = nextHidden
                        nextHidden += 1
                        let hiddenName = Annotations.hiddenUnitName(for: name)
                        hiddenFields.append(Field(name: hiddenName, type: .text, isHidden: true))
                        field.annotations.unit = hiddenName
                    }
                }
                if carriesUnit, spec.qualifierInput != nil {
                    hiddenQualifierFor[specIndex] = nextHidden
                    nextHidden += 1
                    let hiddenName = Annotations.hiddenQualifierName(for: name)
                    hiddenFields.append(Field(name: hiddenName, type: .text, isHidden: true))
                    field.annotations.qualifier = hiddenName
                }
            }
            outputs.append(expr)
            fields.append(field)
        }
        for (offset, field) in hiddenFields.enumerated() {
            let intermediate = keys.count + collector.specs.count + offset
            outputs.append(BoundExpr(kind: .column(intermediate), type: .text, range: SourceRange(0, 0)))
            fields.append(field)
        }
        let plan = SummarizePlan(keys: keys, aggregates: collector.specs, outputs: outputs, hiddenUnitFor: hiddenUnitFor, hiddenQualifierFor: hiddenQualifierFor)
        return (plan, fields)
    }

    /// An expression in `summarize`: aggregates over the input, keys, literals and arithmetic on them.
    private func bindAggregateExpression(_ expr: Expr, input: [Field], keys: [BoundExpr], keyNames: [String], collector: inout AggregateCollector) throws(Diagnostic) -> BoundExpr {
        if case .call(let name, let arguments) = expr.kind, let function = AggregateFunction.named(name.text) {
            return try bindAggregateCall(function, name: name, arguments: arguments, expr: expr, input: input, collector: &collector)
        }
        switch expr.kind {
        case .column(let name):
            if let position = keyNames.firstIndex(of: name) {
                return BoundExpr(kind: .column(position), type: keys[position].type, range: expr.range)
            }
            if input.contains(where: { $0.name == name && !$0.isHidden }) {
                throw Diagnostic(.name, .aggregateOutsideSummarize, [name], at: expr.range, notes: [.init(.columnNames, [keyNames.joined(separator: ", ")])])
                    .withMessage(.unknownColumnInSummarize, [name])
            }
            throw unknownColumn(name, at: expr.range, in: input)
        case .literal, .parameter:
            return try bindExpression(expr, in: [])
        case .call(let name, _) where ScalarFunction(rawValue: name.text.lowercased()) == nil:
            // `summ(value)`: the misspelt name is the mistake, not the column inside it.
            _ = try combineCall(name, [], range: expr.range)
            throw Diagnostic(.name, .unknownFunction, [name.text], at: name.range)
        default:
            // Rebuild the expression over the intermediate row: bind children first, then combine.
            let intermediateFields: [Field] = keyNames.indices.map { Field(name: keyNames[$0], type: keys[$0].type) }
            var replaced: [BoundExpr] = []
            for child in expr.children {
                replaced.append(try bindAggregateExpression(child, input: input, keys: keys, keyNames: keyNames, collector: &collector))
            }
            return try combine(expr, children: replaced, scope: intermediateFields + collector.specs.map { Field(name: $0.display, type: $0.type) })
        }
    }

    private func bindAggregateCall(_ function: AggregateFunction, name: Name, arguments: [Expr], expr: Expr, input: [Field], collector: inout AggregateCollector) throws(Diagnostic) -> BoundExpr {
        var argument: BoundExpr?
        if function == .count && (arguments.isEmpty || (arguments.count == 1 && arguments[0].kind == .star)) {
            argument = nil
        } else {
            guard arguments.count == 1 else {
                throw Diagnostic(.type, .wrongArgumentCount, [function.rawValue, "1 argument", String(arguments.count)], at: expr.range)
            }
            if let inner = innerAggregate(arguments[0]) {
                throw Diagnostic(.type, .aggregateInsideAggregate, [inner.name], at: inner.range)
            }
            argument = try bindExpression(arguments[0], in: input)
        }
        let resultType: DataType
        switch function {
        case .count, .count_distinct:
            resultType = .integer
        case .sum:
            guard let argument, argument.type.isNumeric else {
                throw Diagnostic(.type, .argumentType, ["1", function.rawValue, "a number", argument?.type.display ?? "nothing"], at: arguments.first?.range ?? expr.range)
            }
            resultType = argument.type == .integer ? .integer : .decimal
        case .avg, .median:
            guard let argument, argument.type.isNumeric else {
                throw Diagnostic(.type, .argumentType, ["1", function.rawValue, "a number", argument?.type.display ?? "nothing"], at: arguments.first?.range ?? expr.range)
            }
            resultType = .decimal
        case .min, .max, .first, .last:
            resultType = argument?.type == .null ? .text : argument?.type ?? .text
        }
        var spec = AggregateSpec(function: function, argument: argument, type: resultType, range: expr.range, display: source?.text(in: expr.range) ?? function.rawValue)
        func index(_ name: String?) -> Int? { name.flatMap { name in input.firstIndex { $0.name == name } } }
        // A figure, or a number computed from exactly one figure (`sum(value / 1e9)`).
        let figure: Int?
        if let column = argument?.columnIndex {
            figure = column
        } else if let argument, argument.type.isNumeric {
            let annotated = argument.referencedColumns.filter { input[$0].annotations.qualifier != nil }
            figure = annotated.count == 1 ? annotated.first : nil
            if let figure {
                spec.qualifierDirection = argument.direction(in: figure)
                spec.unitForWarnings = index(input[figure].annotations.unit ?? input[figure].annotations.sourceUnit)
            }
        } else {
            figure = nil
        }
        if let column = figure {
            let annotations = input[column].annotations
            if argument?.columnIndex != nil {
                spec.unitInput = index(annotations.unit)
                if spec.unitInput == nil { spec.unitForWarnings = index(annotations.sourceUnit) }
            }
            spec.qualifierInput = index(annotations.qualifier)
            spec.measureInput = index(annotations.measure)
            spec.periodInput = index(annotations.period)
            let identity = ["district", "indicator", "detail", "year_from", "year_to", "source", "id"].map { name in input.firstIndex { $0.name == name } }
            if identity.allSatisfy({ $0 != nil }) {
                spec.identityInputs = identity.compactMap { $0 } + [input.firstIndex { $0.name == "part_of" } ?? -1]
            }
        }
        collector.specs.append(spec)
        return BoundExpr(kind: .column(collector.keyCount + collector.specs.count - 1), type: resultType, range: expr.range)
    }

    /// The first aggregate call inside `expr` (for "cannot be used inside another aggregate").
    private func innerAggregate(_ expr: Expr) -> (name: String, range: SourceRange)? {
        var stack = [expr]
        while !stack.isEmpty {
            let node = stack.removeFirst()
            if case .call(let name, _) = node.kind, AggregateFunction.named(name.text) != nil { return (name.text, node.range) }
            stack.append(contentsOf: node.children)
        }
        return nil
    }

    // MARK: - Expressions

    /// Binds an expression over `fields` (aggregates are not allowed here).
    func bindExpression(_ expr: Expr, in fields: [Field]) throws(Diagnostic) -> BoundExpr {
        switch expr.kind {
        case .literal(let literal):
            let value: Value
            switch literal {
            case .integer(let number): value = .integer(number)
            case .decimal(let number): value = .decimal(number)
            case .text(let text): value = .text(text)
            case .boolean(let flag): value = .boolean(flag)
            case .null: value = .null
            }
            return BoundExpr(kind: .literal(value), type: value.type, range: expr.range)
        case .parameter(let name):
            guard let value = catalog.parameters[name] else {
                var diagnostic = Diagnostic(.name, .unknownParameter, [name], at: expr.range,
                                            suggestions: UnicodeText.suggestions(for: name, among: Array(catalog.parameters.keys)).map { "$" + $0 })
                if !catalog.parameters.isEmpty {
                    diagnostic.notes.append(.init(.parameterHint, [catalog.parameters.keys.sorted().map { "$" + $0 }.joined(separator: ", ")]))
                }
                throw diagnostic
            }
            return BoundExpr(kind: .literal(value), type: value.type, range: expr.range)
        case .column(let name):
            guard let index = fields.firstIndex(where: { $0.name == name && !$0.isHidden }) else {
                throw unknownColumn(name, at: expr.range, in: fields)
            }
            return BoundExpr(kind: .column(index), type: fields[index].type, range: expr.range)
        case .star:
            throw Diagnostic(.syntax, .expectedExpression, ["`*`"], at: expr.range)
        case .call(let name, _):
            if AggregateFunction.named(name.text) != nil {
                throw Diagnostic(.type, .aggregateOutsideSummarize, [name.text], at: expr.range)
            }
            var children: [BoundExpr] = []
            for child in expr.children { children.append(try bindExpression(child, in: fields)) }
            return try combine(expr, children: children, scope: fields)
        default:
            var children: [BoundExpr] = []
            for child in expr.children { children.append(try bindExpression(child, in: fields)) }
            return try combine(expr, children: children, scope: fields)
        }
    }

    /// Types an operator or call whose operands are already bound.
    private func combine(_ expr: Expr, children: [BoundExpr], scope: [Field]) throws(Diagnostic) -> BoundExpr {
        let range = expr.range
        switch expr.kind {
        case .unary(.negate, _):
            let operand = children[0]
            guard operand.type.isNumeric else {
                throw Diagnostic(.type, .typeMismatchUnary, ["-", operand.type.display], at: range)
            }
            return BoundExpr(kind: .negate(operand), type: operand.type == .null ? .integer : operand.type, range: range)
        case .unary(.not, _):
            let operand = children[0]
            guard operand.type == .boolean || operand.type == .null else {
                throw Diagnostic(.type, .typeMismatchUnary, ["not", operand.type.display], at: range)
            }
            return BoundExpr(kind: .not(operand), type: .boolean, range: range)
        case .binary(let op, _, _):
            return try combineBinary(op, children[0], children[1], range: range)
        case .inList(_, _, let negated):
            let value = children[0]
            var list: [BoundExpr] = []
            var common = value.type
            for item in children.dropFirst() {
                guard let type = DataType.common(common, item.type) else {
                    throw Diagnostic(.type, .typeMismatchBinary, ["in", value.type.display, item.type.display], at: item.range)
                }
                common = type
                list.append(item)
            }
            let converted = list.map { coerce($0, to: common) }
            return BoundExpr(kind: .inList(coerce(value, to: common), converted, negated: negated), type: .boolean, range: range)
        case .between(_, _, _, let negated):
            let low = try combineBinary(.greaterEqual, children[0], children[1], range: range)
            let high = try combineBinary(.lessEqual, children[0], children[2], range: range)
            let both = BoundExpr(kind: .logical(.and, low, high), type: .boolean, range: range)
            return negated ? BoundExpr(kind: .not(both), type: .boolean, range: range) : both
        case .isNull(_, let negated):
            return BoundExpr(kind: .isNull(children[0], negated: negated), type: .boolean, range: range)
        case .call(let name, _):
            return try combineCall(name, children, range: range)
        default:
            return children.first ?? BoundExpr(kind: .literal(.null), type: .null, range: range)
        }
    }

    private func coerce(_ expr: BoundExpr, to type: DataType) -> BoundExpr {
        if expr.type == type || type == .null { return expr }
        if expr.type == .integer && type == .decimal {
            if case .literal(.integer(let number)) = expr.kind {
                return BoundExpr(kind: .literal(.decimal(Double(number))), type: .decimal, range: expr.range)
            }
            return BoundExpr(kind: .toDecimal(expr), type: .decimal, range: expr.range)
        }
        if expr.type == .null { return BoundExpr(kind: expr.kind, type: type, range: expr.range) }
        return expr
    }

    private func combineBinary(_ op: BinaryOperator, _ left: BoundExpr, _ right: BoundExpr, range: SourceRange) throws(Diagnostic) -> BoundExpr {
        let mismatch = Diagnostic(.type, .typeMismatchBinary, [op.rawValue, left.type.display, right.type.display], at: range)
        switch op {
        case .and, .or:
            guard (left.type == .boolean || left.type == .null) && (right.type == .boolean || right.type == .null) else { throw mismatch }
            return BoundExpr(kind: .logical(op, left, right), type: .boolean, range: range)
        case .contains, .notContains:
            guard (left.type == .text || left.type == .null) && (right.type == .text || right.type == .null) else { throw mismatch }
            return BoundExpr(kind: .contains(left, right, negated: op == .notContains), type: .boolean, range: range)
        case .add, .subtract, .multiply, .divide, .remainder:
            guard left.type.isNumeric && right.type.isNumeric else { throw mismatch }
            var type: DataType = DataType.common(left.type, right.type) ?? .decimal
            if type == .null { type = .integer }
            // `/` always divides exactly: 5 / 2 is 2.5, not 2 (a classroom trap in SQL).
            if op == .divide { type = .decimal }
            return BoundExpr(kind: .arithmetic(op, coerce(left, to: type), coerce(right, to: type)), type: type, range: range)
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual:
            guard let common = DataType.common(left.type, right.type) else { throw mismatch }
            return BoundExpr(kind: .compare(op, coerce(left, to: common), coerce(right, to: common)), type: .boolean, range: range)
        }
    }

    private func combineCall(_ name: Name, _ arguments: [BoundExpr], range: SourceRange) throws(Diagnostic) -> BoundExpr {
        guard let function = ScalarFunction(rawValue: name.text.lowercased()) else {
            let suggestions = UnicodeText.suggestions(for: name.text, among: FunctionCatalog.allNames)
            var diagnostic = Diagnostic(.name, .unknownFunction, [name.text], at: name.range, suggestions: suggestions)
            if suggestions.isEmpty {
                diagnostic.notes.append(.init(.functionNames, [FunctionCatalog.allNames.joined(separator: ", ")]))
            }
            throw diagnostic
        }
        guard function.arity.contains(arguments.count) else {
            throw Diagnostic(.type, .wrongArgumentCount, [function.rawValue, function.aritySummary, String(arguments.count)], at: range)
        }
        func require(_ position: Int, _ check: (DataType) -> Bool, _ expected: String) throws(Diagnostic) {
            let type = arguments[position].type
            guard type == .null || check(type) else {
                throw Diagnostic(.type, .argumentType, [String(position + 1), function.rawValue, expected, type.display], at: arguments[position].range)
            }
        }
        let resultType: DataType
        var bound = arguments
        switch function {
        case .abs:
            try require(0, \.isNumeric, "a number")
            resultType = arguments[0].type == .null ? .integer : arguments[0].type
        case .round:
            try require(0, \.isNumeric, "a number")
            if arguments.count == 2 {
                try require(1, { $0 == .integer }, "a whole number of digits")
                resultType = .decimal
                bound[0] = coerce(arguments[0], to: .decimal)
            } else {
                resultType = arguments[0].type == .null ? .integer : arguments[0].type
            }
        case .floor, .ceil:
            try require(0, \.isNumeric, "a number")
            resultType = arguments[0].type == .null ? .integer : arguments[0].type
        case .lower, .upper, .fold, .trim:
            try require(0, { $0 == .text }, "text")
            resultType = .text
        case .length:
            try require(0, { $0 == .text }, "text")
            resultType = .integer
        case .vn_number:
            try require(0, { $0 == .text }, "text")
            resultType = .decimal
        case .number:
            try require(0, { $0 == .text }, "text")
            if arguments.count == 2 {
                // The mark is part of the question, not of the data: a constant '.' or ','.
                guard case .literal(.text(let mark)) = arguments[1].kind, DecimalMark.named(mark) != nil else {
                    throw Diagnostic(.value, .invalidArgumentValue, ["number", "the decimal mark is '.' or ',' (number(text, \",\"))"], at: arguments[1].range)
                }
            }
            resultType = .decimal
        case .text, .concat:
            resultType = .text
        case .coalesce, .nullif:
            var common = arguments[0].type
            for argument in arguments.dropFirst() {
                guard let type = DataType.common(common, argument.type) else {
                    throw Diagnostic(.type, .typeMismatchBinary, [function.rawValue, common.display, argument.type.display], at: argument.range)
                }
                common = type
            }
            if common == .null { common = .text }
            bound = arguments.map { coerce($0, to: common) }
            resultType = common
        case .replace, .squish, .split_part, .regex_replace, .extract, .matches, .starts_with, .ends_with, .year_of, .place, .place_kind:
            resultType = try bindTextFunction(function, arguments, range: range, require: require)
        case .if:
            try require(0, { $0 == .boolean }, "a true/false condition")
            guard var common = DataType.common(arguments[1].type, arguments[2].type) else {
                throw Diagnostic(.type, .typeMismatchBinary, ["if", arguments[1].type.display, arguments[2].type.display], at: range)
            }
            if common == .null { common = .text }
            bound = [arguments[0], coerce(arguments[1], to: common), coerce(arguments[2], to: common)]
            resultType = common
        }
        return BoundExpr(kind: .call(function, bound), type: resultType, range: range)
    }
}

extension Binder {
    /// Types the text functions for real files; a regular expression must be a constant and is
    /// checked here, so a bad or dangerous pattern is an error with a caret, before any row runs.
    func bindTextFunction(_ function: ScalarFunction, _ arguments: [BoundExpr], range: SourceRange,
                          require: (Int, (DataType) -> Bool, String) throws(Diagnostic) -> Void) throws(Diagnostic) -> DataType {
        for position in arguments.indices {
            if function == .extract && position == 2 || function == .split_part && position == 2 {
                try require(position, { $0 == .integer }, "a whole number")
            } else {
                try require(position, { $0 == .text }, "text")
            }
        }
        if [.matches, .extract, .regex_replace].contains(function) {
            _ = try Binder.pattern(arguments[1], of: function.rawValue)
        }
        switch function {
        case .matches, .starts_with, .ends_with: return .boolean
        case .year_of: return .integer
        default: return .text
        }
    }

    /// The compiled pattern of a constant argument, or the error that explains what is wrong with it.
    static func pattern(_ argument: BoundExpr, of function: String) throws(Diagnostic) -> TextPattern {
        guard case .literal(let value) = argument.kind else {
            throw Diagnostic(.type, .patternNotConstant, [function], at: argument.range)
        }
        guard case .text(let text) = value else {
            throw Diagnostic(.type, .patternNotConstant, [function], at: argument.range)
        }
        return try compilePattern(text, at: argument.range)
    }

    static func compilePattern(_ text: String, at range: SourceRange) throws(Diagnostic) -> TextPattern {
        do {
            return try TextPattern(text)
        } catch {
            switch error {
            case .invalid(let reason): throw Diagnostic(.value, .patternInvalid, [text, reason], at: range)
            case .nestedRepeat: throw Diagnostic(.value, .patternNestedRepeat, [text], at: range)
            case .tooManyRepeats: throw Diagnostic(.value, .patternTooManyRepeats, [text, String(TextPattern.maximumUnboundedRepeats)], at: range)
            case .tooLong: throw Diagnostic(.value, .patternTooLong, [String(TextPattern.maximumLength)], at: range)
            }
        }
    }
}

extension Diagnostic {
    func withMessage(_ message: MessageID, _ arguments: [String]) -> Diagnostic {
        var copy = self
        copy.message = message
        copy.arguments = arguments
        return copy
    }
}
