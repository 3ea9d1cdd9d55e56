/// What a running query may use besides its own rows.
public struct ExecutionContext: Sendable {
    public var catalog: Catalog
    public var limits: ResourceLimits
    public var cancellation: CancellationCheck
    public var language: Language
    /// Track which `facts` rows stand behind each result row (for `why`).
    public var withLineage: Bool

    public init(catalog: Catalog, limits: ResourceLimits = ResourceLimits(), cancellation: CancellationCheck = .never, language: Language = .en, withLineage: Bool = false) {
        self.catalog = catalog
        self.limits = limits
        self.cancellation = cancellation
        self.language = language
        self.withLineage = withLineage
    }
}

/// Runs a bound pipeline stage by stage over a `Relation`.
public enum Executor {
    public static func run(_ bound: BoundPipeline, binder: Binder, context: ExecutionContext) throws(Diagnostic) -> QueryResult {
        var stageRange: SourceRange?
        do {
            return try runStages(bound, binder: binder, context: context, stageRange: &stageRange)
        } catch {
            // A stage that cannot run on its rows points at the stage, like every other error.
            var located = error
            if located.range == nil, located.kind != .cancelled { located.range = stageRange }
            throw located
        }
    }

    static func runStages(_ bound: BoundPipeline, binder: Binder, context: ExecutionContext, stageRange: inout SourceRange?) throws(Diagnostic) -> QueryResult {
        let wantsLineage = context.withLineage || bound.syntax.stages.contains { $0.kind == .why }
        var relation = Relation(table: bound.source, withLineage: wantsLineage)
        var warnings: [ResultWarning] = []
        var report = ArithmeticReport()
        var emptyHints: [Diagnostic] = []
        var chart: ChartData?
        var rowCounts = [relation.rowCount]
        var stages = bound.stages
        var index = 0
        while index < stages.count {
            try context.cancellation.check()
            let (stage, fields, syntax) = stages[index]
            stageRange = syntax.keyword.range
            switch stage {
            case .filter(let condition):
                let before = relation.rowCount
                relation.selection = try FilterOperator.select(condition, in: relation, report: &report, cancellation: context.cancellation)
                if relation.rowCount == 0, before > 0 {
                    var unfiltered = relation
                    unfiltered.selection = nil
                    emptyHints += FilterOperator.emptyResultHints(condition, in: unfiltered)
                }
            case .project(let items, let outputs):
                // Items see the input columns and the items before them: evaluate over a dense
                // relation that grows by one column per item.
                var extended = relation.materialized()
                try context.cancellation.check()
                for expr in items {
                    var evaluator = Evaluator(extended, cancellation: context.cancellation)
                    let column = try evaluator.evaluate(expr)
                    report.divisionsByZero += evaluator.report.divisionsByZero
                    report.overflows += evaluator.report.overflows
                    extended.columns.append(column)
                    extended.fields.append(Field(name: "", type: column.type))
                }
                warnings += StageCaveats.project(items: items, inputFields: relation.fields, extended: extended,
                                                 facts: extended.lineage == nil ? nil : context.catalog["facts"], districts: context.catalog["districts"],
                                                 display: { binder.source?.text(in: $0.range) ?? "expr" })
                relation = Relation(fields: fields, columns: outputs.map { extended.columns[$0] }, storedCount: extended.storedCount, lineage: extended.lineage)
            case .summarize(let plan):
                warnings += try PlaceKinds.check(plan, input: relation, cancellation: context.cancellation)
                let (result, stageWarnings, stageReport) = try AggregateOperator.run(plan, on: relation, fields: fields, facts: relation.lineage == nil ? nil : context.catalog["facts"], cancellation: context.cancellation)
                relation = result
                warnings += stageWarnings
                report.divisionsByZero += stageReport.divisionsByZero
                report.overflows += stageReport.overflows
            case .sort(let keys):
                // `sort … | take N` keeps only the first N in order: a partial top-N.
                var limit: Int?
                if index + 1 < stages.count, case .take(let count) = stages[index + 1].stage { limit = count }
                let before = relation.rowCount
                warnings += StageCaveats.sort(keys: keys.compactMap { $0.key.columnIndex }, relation: relation, facts: relation.lineage == nil ? nil : context.catalog["facts"])
                relation.selection = try OrderOperators.sort(relation, keys: keys, limit: limit, cancellation: context.cancellation)
                if limit != nil {
                    // The partial sort already cut to the limit; `explain` should see the sort keep every row.
                    rowCounts.append(before)
                    index += 1
                    continue
                }
            case .take(let count):
                if relation.rowCount > count {
                    let rows = (0..<count).map { UInt32(relation.storedRow($0)) }
                    relation.selection = rows
                }
            case .distinct(let columns):
                // The key is the visible columns; the hidden unit/qualifier columns the binder
                // carries along come from each group's first row.
                let keyColumns = columns.indices.filter { !fields[$0].isHidden }.map { columns[$0] }
                let rows = try OrderOperators.distinct(relation, columns: keyColumns, cancellation: context.cancellation)
                // A kept row is one figure: it keeps the lineage of the row it was, not of the rows
                // it stood for, so a sum after `distinct` is not told it counts a figure twice
                // (`why` after it shows the kept row's source).
                let lineage = relation.lineage.map { inputLineage in rows.map { inputLineage[Int($0)] } }
                let columnsOut = columns.map { relation.columns[$0].gather(rows) }
                relation = Relation(fields: fields, columns: columnsOut, storedCount: rows.count, lineage: lineage)
            case .join(let plan):
                let leftRows = relation.rowCount
                var unmatched = JoinOperator.Unmatched()
                relation = try JoinOperator.run(plan, left: relation, fields: fields, limits: context.limits, cancellation: context.cancellation, unmatched: &unmatched)
                if unmatched.count > 0 {
                    let table = plan.right.remote?.name ?? plan.right.name
                    let examples = unmatched.examples.joined(separator: ", ") + (unmatched.count > unmatched.examples.count ? ", …" : "")
                    warnings.append(ResultWarning(plan.isLeft ? .joinLeftUnmatched : .joinDroppedRows,
                                                  [String(unmatched.count), String(leftRows), table, examples]))
                }
            case .pivot(let plan):
                let (result, stageWarnings, stageReport) = try ReshapeOperators.pivot(plan, on: relation, summarizeFields: fields, facts: relation.lineage == nil ? nil : context.catalog["facts"], limits: context.limits, cancellation: context.cancellation)
                relation = result
                warnings += stageWarnings
                report.divisionsByZero += stageReport.divisionsByZero
            case .compare(let plan):
                let (result, stageWarnings) = try ReshapeOperators.compare(plan, on: relation, facts: context.catalog["facts"], cancellation: context.cancellation)
                relation = result
                warnings += stageWarnings
            case .chart(let plan):
                let valueName = plan.value.columnIndex.map { relation.fields[$0].name } ?? "value"
                chart = try ProvenanceOperators.chart(plan, on: relation, valueName: valueName, cancellation: context.cancellation)
                if var drawn = chart {
                    let (labels, chartWarnings) = StageCaveats.chart(drawn.bars, relation: relation, facts: relation.lineage == nil ? nil : context.catalog["facts"], display: syntax.keyword.text, series: plan.spark)
                    if !plan.spark { for index in drawn.bars.indices where index < labels.count { drawn.bars[index].label = labels[index] } }
                    chart = drawn
                    warnings += chartWarnings
                }
                if index + 1 < stages.count {
                    // The parser refuses this already; kept for plans built another way.
                    throw Diagnostic(.syntax, .chartNotLast, [stages[index + 1].syntax.keyword.text], at: stages[index + 1].syntax.range)
                }
            case .why:
                relation = try ProvenanceOperators.why(relation, catalog: context.catalog, cancellation: context.cancellation)
            case .perCapita(let plan):
                let (result, stageWarnings) = try ProvenanceOperators.perCapita(plan, on: relation, fields: fields, catalog: context.catalog, cancellation: context.cancellation)
                relation = result
                warnings += stageWarnings
            case .unpivot(let plan):
                relation = try UnpivotOperator.run(plan, on: relation, fields: fields, limits: context.limits, cancellation: context.cancellation)
            }
            _ = syntax
            rowCounts.append(relation.rowCount)
            index += 1
            // Stages after `pivot`/`compare` are bound now that their input columns exist.
            if index == stages.count, stages.count < bound.syntax.stages.count {
                var fieldsSoFar = relation.fields
                for later in bound.syntax.stages[stages.count...] {
                    let (boundStage, output) = try binder.bindStage(later, input: fieldsSoFar)
                    stages.append((boundStage, output, later))
                    fieldsSoFar = output
                    if Binder.hasDataDependentSchema(boundStage) { break }
                }
            }
        }
        try context.cancellation.check()
        if report.divisionsByZero > 0 { warnings.append(ResultWarning(.divisionByZeroGaveNull, [String(report.divisionsByZero)])) }
        if report.overflows > 0 { warnings.append(ResultWarning(.overflowGaveNull, [String(report.overflows)])) }
        let table = relation.table(named: "result")
        if chart == nil {
            let approximate = CaveatChecks.approximateCells(table)
            if approximate > 0 { warnings.append(ResultWarning(.warnApproximate, [String(approximate)], lesson: .approximate)) }
            if let targets = CaveatChecks.targetCells(table) { warnings.append(targets) }
        }
        var result = QueryResult(table: table, warnings: warnings, chart: chart, emptyHints: table.rowCount == 0 ? emptyHints : [])
        result.stageRowCounts = rowCounts
        return result
    }

    /// Rows after the source and after each stage.
    public static func stageRowCounts(_ bound: BoundPipeline, binder: Binder, context: ExecutionContext) throws(Diagnostic) -> [Int] {
        try run(bound, binder: binder, context: context).stageRowCounts
    }
}

