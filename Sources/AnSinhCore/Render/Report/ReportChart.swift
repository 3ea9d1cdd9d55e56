/// What a chart in a report draws, read from a result's shape: the result's own `chart`, lines
/// when the columns are years (`compare year_to`), grouped bars for `compare` (one bar per
/// compared column), bars for one figure per label (`summarize … by`).
///
/// Honesty checks, as `chart` makes them: figures of different units never share an axis (one
/// chart per unit; a row whose figures differ in unit is left out and counted), bars of
/// different periods carry their period in the label, and each value keeps its qualifier.
struct ReportChart {
    enum Kind { case bars, lines, groupedBars }

    struct Point {
        var value: Double?
        var qualifier: String?
        var isExact: Bool { value != nil && (qualifier == nil || Qualifier(text: qualifier) == .exact) }
    }

    struct Series {
        var name: String
        var points: [Point]
    }

    var kind: Kind
    /// Bars and groups: one per row. Lines: the years along the bottom.
    var labels: [String]
    var series: [Series]
    var unit: String?
    var period: String?
    /// The measure (stock, flow, …) when a result's charts are split by it.
    var measure: String? = nil
    /// The figure's column name (`total`), for the axis title.
    var valueName: String

    /// At most this many charts for one result (one per unit).
    static let maximumCharts = 6
    /// Results with more rows are shown as a table only: 200 bars do not read.
    static let maximumRows = 40

    /// The charts for a result, how many rows were left out because their figures differ in
    /// unit, and how many because `compare` found them not comparable.
    static func charts(for result: QueryResult) -> (charts: [ReportChart], leftOut: Int, notComparable: Int) {
        if let chart = result.chart { return (fromChartStage(chart), 0, 0) }
        let table = result.table
        guard table.rowCount >= 1, table.rowCount <= maximumRows else { return ([], 0, 0) }
        let reader = CaveatReader(table: table)
        let visible = table.visibleColumnIndices
        let derived: Set<String> = ["difference", "ratio", "pct_change", "change", "share"]
        let figures = visible.filter { column in
            let field = table.fields[column]
            guard field.type == .integer || field.type == .decimal, !derived.contains(field.name) else { return false }
            return isYear(field.name) || (!field.annotations.isEmpty && !ValueFormatter.isPlainIntegerColumn(field.name))
        }
        guard !figures.isEmpty, let labelColumn = labelColumn(table, visible) else { return ([], 0, 0) }
        let labels = (0..<table.rowCount).map { table.columns[labelColumn].value(at: $0).description }
        let unitColumn = table.column("unit")
        func unit(_ row: Int, _ column: Int) -> String? {
            reader.unit(row: row, column: column) ?? unitColumn?.text(at: row)
        }
        func point(_ row: Int, _ column: Int) -> Point {
            Point(value: table.columns[column].value(at: row).drawableValue, qualifier: reader.qualifier(row: row, column: column))
        }
        let yearColumns = figures.filter { isYear(table.fields[$0].name) }
        let kind: Kind
        let drawn: [Int]
        if yearColumns.count >= 2 {
            (kind, drawn) = (.lines, yearColumns)
        } else if figures.count >= 2, table.columnIndex("difference") != nil {
            (kind, drawn) = (.groupedBars, figures)
        } else {
            (kind, drawn) = (.bars, [figures[0]])
        }
        // Rows by unit and measure (a stock never shares an axis with a flow), in order of first
        // appearance; a row whose figures differ in unit is left out.
        let measureColumn = table.column("measure")
        var groups: [(unit: String?, measure: String?, rows: [Int])] = []
        var leftOut = 0
        var notComparable = 0
        let difference = table.column("difference")
        for row in 0..<table.rowCount {
            let cells = drawn.filter { !table.columns[$0].isNull(row) }
            guard !cells.isEmpty else { continue }
            // `compare` leaves `difference` empty where the figures cannot be compared (`note`
            // says why): such a row is not drawn as bars side by side either.
            if kind == .groupedBars, let difference, difference.isNull(row) { notComparable += 1; continue }
            let units = Set(cells.map { unit(row, $0) ?? "" })
            guard units.count == 1, let only = units.first else { leftOut += 1; continue }
            let key: String? = only.isEmpty ? nil : only
            let measure = measureColumn?.text(at: row)
            if let index = groups.firstIndex(where: { $0.unit == key && $0.measure == measure }) { groups[index].rows.append(row) } else { groups.append((key, measure, [row])) }
        }
        if kind == .bars {
            // One bar per label: only when each label names one row of its chart.
            for group in groups where Set(group.rows.map { labels[$0] }).count != group.rows.count { return ([], 0, 0) }
        }
        let periodColumn = table.column("period")
        var charts: [ReportChart] = []
        for group in groups.prefix(maximumCharts) {
            let measureSuffix = groups.count > 1 ? group.measure : nil
            switch kind {
            case .lines:
                let series = group.rows.map { row in Series(name: labels[row], points: drawn.map { point(row, $0) }) }
                charts.append(ReportChart(kind: .lines, labels: drawn.map { table.fields[$0].name }, series: series, unit: group.unit, period: nil,
                                          measure: measureSuffix, valueName: table.fields[labelColumn].name))
            case .groupedBars, .bars:
                var rowLabels = group.rows.map { labels[$0] }
                let periods = group.rows.map { row in periodColumn?.text(at: row) }
                var period: String?
                if Set(periods.map { $0 ?? "" }).count > 1 {
                    // As `chart` does: bars of different periods say which period each is.
                    rowLabels = zip(rowLabels, periods).map { label, period in period.map { "\(label) (\($0))" } ?? label }
                } else {
                    period = periods.first ?? nil
                }
                let series = drawn.map { column in Series(name: table.fields[column].name, points: group.rows.map { point($0, column) }) }
                charts.append(ReportChart(kind: kind, labels: rowLabels, series: series, unit: group.unit, period: period,
                                          measure: measureSuffix, valueName: kind == .bars ? table.fields[drawn[0]].name : table.fields[labelColumn].name))
            }
        }
        return (charts, leftOut, notComparable)
    }

    /// The result's own `chart … ` stage: its bars (one chart per unit), or its sparkline as a line.
    static func fromChartStage(_ chart: ChartData) -> [ReportChart] {
        var groups: [(unit: String?, bars: [ChartData.Bar])] = []
        for bar in chart.bars {
            if let index = groups.firstIndex(where: { $0.unit == bar.unit }) { groups[index].bars.append(bar) } else { groups.append((bar.unit, [bar])) }
        }
        return groups.prefix(maximumCharts).map { group in
            let points = group.bars.map { Point(value: $0.value.flatMap { $0.isFinite ? $0 : nil }, qualifier: $0.qualifier) }
            if chart.spark {
                return ReportChart(kind: .lines, labels: group.bars.map(\.label), series: [Series(name: chart.valueName, points: points)],
                                   unit: group.unit, period: nil, valueName: chart.valueName)
            }
            return ReportChart(kind: .bars, labels: group.bars.map(\.label), series: [Series(name: chart.valueName, points: points)],
                               unit: group.unit, period: nil, valueName: chart.valueName)
        }
    }

    /// The column that names each row: the first visible text column that is not a caveat.
    static func labelColumn(_ table: Table, _ visible: [Int]) -> Int? {
        let caveatNames: Set<String> = ["unit", "qualifier", "note", "measure", "period", "quote", "source", "id"]
        return visible.first { column in
            table.fields[column].type == .text && !caveatNames.contains(table.fields[column].name)
        }
    }

    static func isYear(_ name: String) -> Bool {
        name.count == 4 && Int(name).map { $0 >= 1900 && $0 <= 2100 } == true
    }
}

extension Value {
    /// A number to draw; nil for null, text and non-finite numbers.
    var drawableValue: Double? {
        doubleValue.flatMap { $0.isFinite ? $0 : nil }
    }
}
