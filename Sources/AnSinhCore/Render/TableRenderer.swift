/// Text for a result: the table (or chart) and the notes that go under it.
public struct RenderedResult: Sendable {
    /// The result itself (stdout, or the `.output` file).
    public var body: String
    /// Warnings and hints. Human modes print them under the table; machine-readable modes send
    /// them to stderr so a CSV file stays clean.
    public var notes: [String]
}

/// Renders tables in every `.mode`.
public struct TableRenderer {
    public let settings: RenderSettings
    let formatter: ValueFormatter
    /// Columns a warning points at (`note` after `compare`): a grid never hides them.
    var keptColumns: Set<String> = []

    public init(settings: RenderSettings) {
        self.settings = settings
        formatter = ValueFormatter(settings: settings)
    }

    public func render(_ result: QueryResult, lessonTitle: (LessonTopic) -> (number: Int, title: String)? = { _ in nil }) -> RenderedResult {
        let body: String
        var renderer = self
        renderer.keptColumns = TableRenderer.columnsPointedAt(by: result, language: settings.language)
        if let chart = result.chart, settings.mode.isMachineReadable {
            // csv/tsv/json/jsonl stay data: the chart's points as rows of raw values.
            body = render(TableRenderer.points(of: chart))
        } else if let chart = result.chart {
            body = ChartRenderer(settings: settings).render(chart)
        } else {
            body = renderer.render(result.table)
        }
        var notes: [String] = []
        let label = MessageID.labelNote.format(settings.language, [])
        for note in noteTexts(result, lessonTitle: lessonTitle) {
            notes.append("\(label): " + note.text + (note.lesson.map { "\n      " + $0 } ?? ""))
        }
        for hint in result.emptyHints {
            notes.append(DiagnosticRenderer.render(hint, in: nil, language: settings.language).replacingPrefix(MessageID.labelError.format(settings.language, []), with: label))
        }
        var rendered = RenderedResult(body: body, notes: notes)
        if result.chart == nil, settings.mode == .json || settings.mode == .jsonl {
            rendered.body = withNotes(body, noteTexts(result, lessonTitle: lessonTitle))
        }
        return rendered
    }

    /// Each warning under a result: its message id, its text and the lesson that explains it.
    func noteTexts(_ result: QueryResult, lessonTitle: (LessonTopic) -> (number: Int, title: String)?) -> [(id: String, text: String, lesson: String?)] {
        result.warnings.map { warning in
            let lesson = warning.lesson.flatMap(lessonTitle).map { MessageID.warnLessonPointer.format(settings.language, [String($0.number), $0.title]) }
            return (warning.message.rawValue, warning.message.format(settings.language, warning.arguments), lesson)
        }
    }

    /// JSON and JSONL carry the notes with the data: a JSON array becomes `{"rows": […],
    /// "notes": […]}` and JSONL gets one `{"note": …}` line per note after the rows. Without
    /// notes the body is unchanged.
    func withNotes(_ body: String, _ notes: [(id: String, text: String, lesson: String?)]) -> String {
        guard !notes.isEmpty else { return body }
        let objects = notes.map { note in
            "{\"note\":\(jsonString(note.text)),\"id\":\(jsonString(note.id))" + (note.lesson.map { ",\"lesson\":" + jsonString($0) } ?? "") + "}"
        }
        if settings.mode == .jsonl { return body + objects.map { $0 + "\n" }.joined() }
        var rows = body
        while rows.hasSuffix("\n") { rows.removeLast() }
        return "{\"rows\":" + rows + ",\n\"notes\":[" + objects.joined(separator: ",\n") + "]}\n"
    }

    /// The visible columns a warning names, as an argument or in backticks (`note`).
    static func columnsPointedAt(by result: QueryResult, language: Language) -> Set<String> {
        guard !result.warnings.isEmpty else { return [] }
        // Each warning is formatted once, and the names it quotes in backticks are found once
        // (formatting and searching it again for every column cost most of a small statement).
        var quoted: Set<Substring> = []
        var arguments: Set<String> = []
        for warning in result.warnings {
            let text = warning.message.format(language, warning.arguments)
            let pieces = text.split(separator: "`", omittingEmptySubsequences: false)
            if pieces.count > 2 { quoted.formUnion(pieces[1..<(pieces.count - 1)]) }
            arguments.formUnion(warning.arguments)
        }
        var names: Set<String> = []
        for index in result.table.visibleColumnIndices {
            let name = result.table.fields[index].name
            // A piece between two backticks is "`name`" in the text, unless the name holds a backtick.
            if arguments.contains(name) || (name.contains("`") ? result.warnings.contains { $0.message.format(language, $0.arguments).contains("`" + name + "`") } : quoted.contains(Substring(name))) {
                names.insert(name)
            }
        }
        return names
    }

    /// A chart's points as a table: label, value, unit, qualifier.
    static func points(of chart: ChartData) -> Table {
        let label = ColumnBuilder(type: .text), value = ColumnBuilder(type: .decimal)
        let unit = ColumnBuilder(type: .text), qualifier = ColumnBuilder(type: .text)
        for bar in chart.bars {
            label.append(text: bar.label)
            value.append(bar.value.map(Value.decimal) ?? .null)
            unit.append(bar.unit.map(Value.text) ?? .null)
            qualifier.append(bar.qualifier.map(Value.text) ?? .null)
        }
        let fields = [Field(name: "label", type: .text), Field(name: chart.valueName, type: .decimal),
                      Field(name: "unit", type: .text), Field(name: "qualifier", type: .text)]
        let columns = [label.finish(), value.finish(), unit.finish(), qualifier.finish()]
        return Table(name: "chart", fields: fields, columns: columns, rowCount: chart.bars.count)
    }

    /// The visible columns of a table as text in the current mode.
    public func render(_ table: Table) -> String {
        // Data modes write raw values; a figure's qualifier and unit go beside it as columns.
        let table = settings.mode.isMachineReadable ? CaveatReader(table: table).withCaveatColumns() : table
        let visible = table.visibleColumnIndices
        switch settings.mode {
        case .csv: return delimited(table, visible, separator: ",")
        case .tsv: return delimited(table, visible, separator: "\t")
        case .json: return json(table, visible, lines: false)
        case .jsonl: return json(table, visible, lines: true)
        case .markdown: return markdown(table, visible)
        case .line: return lineMode(table, visible)
        case .box, .table: return grid(table, visible)
        }
    }

    // MARK: - Cells

    /// The unit and qualifier of each visible column's cell, from its annotation columns.
    private func annotationColumns(_ table: Table, _ column: Int) -> (unit: Column?, fixedUnit: String?, qualifier: Column?) {
        let annotations = table.fields[column].annotations
        return (annotations.unit.flatMap(table.column), annotations.fixedUnit, annotations.qualifier.flatMap(table.column))
    }

    func cellText(_ table: Table, row: Int, column: Int) -> String {
        let value = table.columns[column].value(at: row)
        let (unitColumn, fixedUnit, qualifierColumn) = annotationColumns(table, column)
        let unit = unitColumn?.text(at: row) ?? fixedUnit
        if table.fields[column].translatesNotes, case .text(let text) = value { return CompareNotes.translate(text, to: settings.language) }
        return formatter.format(value, columnName: table.fields[column].name, unit: unit, qualifier: qualifierColumn?.text(at: row), isCode: table.fields[column].isCode)
    }

    private func rawText(_ table: Table, row: Int, column: Int) -> String {
        table.columns[column].value(at: row).description
    }

    private var shownRows: (Table) -> (count: Int, hidden: Int) {
        { table in
            guard let maxRows = settings.maxRows, table.rowCount > maxRows else { return (table.rowCount, 0) }
            return (maxRows, table.rowCount - maxRows)
        }
    }

    // MARK: - Machine-readable modes (always raw values, every row)

    private func delimited(_ table: Table, _ visible: [Int], separator: String) -> String {
        var out = visible.map { quoteField(table.fields[$0].name, separator: separator) }.joined(separator: separator) + "\n"
        for row in 0..<table.rowCount {
            out += visible.map { column -> String in
                if table.columns[column].isNull(row) { return "" }
                // An empty text is `""`, so that it reads back as empty text and not as null (the
                // importer's rule: an unquoted empty cell is null). TSV has no quoting.
                if separator == ",", table.columns[column].type == .text, table.columns[column].text(at: row)?.isEmpty == true { return "\"\"" }
                // Only text can be a formula: -293524 must stay a number in the spreadsheet.
                return quoteField(rawText(table, row: row, column: column), separator: separator, guardFormula: table.columns[column].type == .text)
            }.joined(separator: separator) + "\n"
        }
        return out
    }

    /// RFC 4180 quoting, plus formula guarding when `excelSafe` is on.
    func quoteField(_ text: String, separator: String, guardFormula: Bool = true) -> String {
        TableRenderer.csvField(text, separator: separator, guardFormula: (excelSafe || settings.excelSafe) && guardFormula)
    }

    /// RFC 4180 quoting; with `guardFormula`, text a spreadsheet would run as a formula is kept text.
    static func csvField(_ text: String, separator: String, guardFormula: Bool) -> String {
        var text = text
        if guardFormula, let first = text.unicodeScalars.first, "=+-@".unicodeScalars.contains(first) || first == "\t" || first == "\r" {
            // A spreadsheet would run `=…` as a formula; a leading apostrophe keeps it text.
            text = "'" + text
        }
        let needsQuotes = text.contains(separator) || text.contains("\"") || text.contains("\n") || text.contains("\r")
        if !needsQuotes { return text }
        return "\"" + text.replacing("\"", with: "\"\"") + "\""
    }

    /// Guard CSV against spreadsheet formula injection (`--excel-safe`): text cells starting with
    /// = + - @, a tab or a CR get a leading '. Numbers are never changed.
    public var excelSafe = false

    private func json(_ table: Table, _ visible: [Int], lines: Bool) -> String {
        var rows: [String] = []
        for row in 0..<table.rowCount {
            let members = visible.map { column -> String in
                "\(jsonString(table.fields[column].name)):\(jsonValue(table.columns[column].value(at: row)))"
            }
            rows.append("{" + members.joined(separator: ",") + "}")
        }
        if lines { return rows.map { $0 + "\n" }.joined() }
        return "[" + rows.joined(separator: ",\n") + "]\n"
    }

    private func jsonValue(_ value: Value) -> String {
        switch value {
        case .null: return "null"
        case .integer(let number): return String(number)
        case .decimal(let number): return number.isFinite ? NumberText.plain(number) : "null"
        case .boolean(let flag): return flag ? "true" : "false"
        case .text(let text): return jsonString(text)
        }
    }

    /// One JSON string escaper for the data modes and the export files (`JSONText.quote`).
    func jsonString(_ text: String) -> String { JSONText.quote(text) }

    // MARK: - Human modes

    private func isNumeric(_ table: Table, _ column: Int) -> Bool {
        table.fields[column].type == .integer || table.fields[column].type == .decimal
    }

    /// Control characters in data are shown as symbols, never sent to the terminal.
    private func printable(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: UnicodeText.isUnsafeForTerminal) else { return text }
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar == "\n" { scalars.append(contentsOf: (settings.unicode ? "↵" : " ").unicodeScalars) } else if scalar.value < 0x20 || scalar.value == 0x7F {
                scalars.append(settings.unicode ? (Unicode.Scalar(0x2400 + min(scalar.value, 0x21)) ?? "?") : "?")
            } else if UnicodeText.isUnsafeForTerminal(scalar) {
                // C1 and bidirectional controls: named, so a cell cannot reverse the line after it.
                scalars.append(contentsOf: ("⟨" + UnicodeText.codePoint(scalar.value) + "⟩").unicodeScalars)
            } else {
                scalars.append(scalar)
            }
        }
        return String(scalars)
    }

    private func markdown(_ table: Table, _ visible: [Int]) -> String {
        let (count, hidden) = shownRows(table)
        func escape(_ text: String) -> String { printable(text).replacing("|", with: "\\|") }
        var out = "| " + visible.map { escape(table.fields[$0].name) }.joined(separator: " | ") + " |\n"
        out += "|" + visible.map { isNumeric(table, $0) ? " ---: |" : " --- |" }.joined() + "\n"
        for row in 0..<count {
            out += "| " + visible.map { escape(cellText(table, row: row, column: $0)) }.joined(separator: " | ") + " |\n"
        }
        if hidden > 0 { out += "\n" + MessageID.moreRows.format(settings.language, [String(hidden), String(settings.maxRows ?? 0)]) + "\n" }
        return out
    }

    /// A long value in line mode, wrapped at a word to the terminal width under its own start.
    private func wrapped(_ text: String, indent: Int) -> String {
        guard let width = settings.width, width - indent >= 20, UnicodeText.displayWidth(text) > width - indent else { return text }
        return UnicodeText.wrap(text, width: width - indent).replacing("\n", with: "\n" + String(repeating: " ", count: indent))
    }

    private func lineMode(_ table: Table, _ visible: [Int]) -> String {
        let (count, hidden) = shownRows(table)
        let nameWidth = visible.map { UnicodeText.displayWidth(table.fields[$0].name) }.max() ?? 0
        var blocks: [String] = []
        for row in 0..<count {
            blocks.append(visible.map { column in
                UnicodeText.pad(table.fields[column].name, to: nameWidth, alignRight: true) + " = " + wrapped(printable(cellText(table, row: row, column: column)), indent: nameWidth + 3)
            }.joined(separator: "\n"))
        }
        var out = blocks.joined(separator: "\n\n")
        if !out.isEmpty { out += "\n" }
        if hidden > 0 { out += "\n" + MessageID.moreRows.format(settings.language, [String(hidden), String(settings.maxRows ?? 0)]) + "\n" }
        return out
    }

    /// Box (Unicode lines) or table (ASCII) mode, fitted to the terminal width (GridLayout):
    /// whole columns are hidden behind a `…` column before long text is cut at a word, numbers
    /// are never cut, and a long result shows its first and last rows, as DuckDB does.
    private func grid(_ table: Table, _ allVisible: [Int]) -> String {
        let (rows, head, tail) = shownRowIndices(table)
        // Each cell's text and display width are computed once; lines are assembled as bytes.
        let allCells: [[String]] = allVisible.map { column in rows.map { printable(cellText(table, row: $0, column: column)) } }
        let allCellWidths: [[Int]] = allCells.map { $0.map(UnicodeText.displayWidth) }
        let allHeaders = allVisible.map { printable(table.fields[$0].name) }
        let columns = allVisible.indices.map { position in
            let headerWidth = UnicodeText.displayWidth(allHeaders[position])
            return GridLayout.Column(
                name: table.fields[allVisible[position]].name, headerWidth: headerWidth,
                natural: max(headerWidth, allCellWidths[position].max() ?? 0),
                numeric: isNumeric(table, allVisible[position]),
                hasWords: allCells[position].contains { $0.contains(" ") || $0.contains("_") },
                allNull: rows.allSatisfy { table.columns[allVisible[position]].isNull($0) },
                mustKeep: keptColumns.contains(table.fields[allVisible[position]].name))
        }
        let layout = GridLayout.plan(columns, terminalWidth: settings.width)
        if !layout.lineModeFor.isEmpty {
            let names = layout.lineModeFor.map { "`" + columns[$0].name + "`" }.joined(separator: ", ")
            let note = MessageID.lineModeToFit.format(settings.language, [names, String(settings.width ?? 0)])
            return "(" + UnicodeText.wrap(note, width: settings.width.map { $0 - 2 }) + ")\n" + lineMode(table, allVisible)
        }
        let visible = layout.kept.map { allVisible[$0] }
        let cells = layout.kept.map { allCells[$0] }
        let cellWidths = layout.kept.map { allCellWidths[$0] }
        var headers = layout.kept.map { allHeaders[$0] }
        var widths = layout.widths
        let ellipsis = settings.unicode ? "…" : "~"
        // The `…` column stands where the hidden columns were, at the end of the shown ones.
        let marker = layout.marker
        if marker {
            headers.append(ellipsis)
            widths.append(1)
        }
        let box = settings.mode == .box && settings.unicode
        let (h, v, tl, tm, tr, ml, mm, mr, bl, bm, br) = box
            ? ("─", "│", "┌", "┬", "┐", "├", "┼", "┤", "└", "┴", "┘")
            : ("-", "|", "+", "+", "+", "+", "+", "+", "+", "+", "+")
        var out: [UInt8] = []
        out.reserveCapacity((widths.reduce(0, +) + 4 * widths.count) * (rows.count + 5) + 64)
        func put(_ text: String) { out.append(contentsOf: text.utf8) }
        func spaces(_ count: Int) { if count > 0 { out.append(contentsOf: repeatElement(0x20, count: count)) } }
        func rule(_ left: String, _ middle: String, _ right: String) {
            put(left)
            let line = Array(h.utf8)
            for (index, width) in widths.enumerated() {
                if index > 0 { put(middle) }
                for _ in 0..<(width + 2) { out.append(contentsOf: line) }
            }
            put(right)
            out.append(0x0A)
        }
        func line(_ texts: [String], _ textWidths: [Int], header: Bool) {
            put(v)
            for (index, text) in texts.enumerated() {
                if index > 0 { put(v) }
                var fitted = text
                var fittedWidth = textWidths[index]
                if fittedWidth > widths[index] {
                    fitted = UnicodeText.truncateAtWord(text, to: widths[index], ellipsis: ellipsis)
                    fittedWidth = UnicodeText.displayWidth(fitted)
                }
                let alignRight = !header && index < visible.count && isNumeric(table, visible[index])
                let padding = widths[index] - fittedWidth
                let dim = settings.color && !header && (text == "null" || index >= visible.count)
                out.append(0x20)
                if settings.color && header { put("\u{1B}[1m") }
                if dim { put("\u{1B}[2m") }
                if alignRight { spaces(padding) }
                put(fitted)
                if !alignRight { spaces(padding) }
                if (settings.color && header) || dim { put("\u{1B}[0m") }
                out.append(0x20)
            }
            put(v)
            out.append(0x0A)
        }
        func dataLine(_ row: Int) {
            var texts = cells.map { $0[row] }
            var textWidths = cellWidths.map { $0[row] }
            if marker { texts.append(ellipsis); textWidths.append(1) }
            line(texts, textWidths, header: false)
        }
        rule(tl, tm, tr)
        line(headers, headers.map(UnicodeText.displayWidth), header: true)
        rule(ml, mm, mr)
        for row in 0..<head { dataLine(row) }
        if rows.count < table.rowCount {
            // Between the first and the last rows: one row of `…`, as DuckDB's `·`.
            let gap = widths.map { _ in settings.unicode ? "…" : "..." }
            line(gap, gap.map(UnicodeText.displayWidth), header: false)
        }
        for row in head..<(head + tail) { dataLine(row) }
        rule(bl, bm, br)
        let rowsText: String
        if rows.count < table.rowCount, tail == 0 {
            rowsText = MessageID.rowsShownHead.format(settings.language, [String(table.rowCount), String(head)])
        } else if rows.count < table.rowCount {
            rowsText = MessageID.rowsShownHeadTail.format(settings.language, [String(table.rowCount), String(rows.count), String(head), String(tail)])
        } else {
            rowsText = MessageID.rowCount.format(settings.language, [String(table.rowCount)])
        }
        var footer = "(" + rowsText + ")"
        if !layout.hidden.isEmpty {
            let names = layout.hidden.map { columns[$0].name }.joined(separator: ", ")
            footer += "\n(" + MessageID.columnsHiddenToFit.format(settings.language, [String(layout.kept.count), String(allVisible.count), String(settings.width ?? 0), names]) + ")"
        }
        put(UnicodeText.wrap(footer, width: settings.width) + "\n")
        return String(decoding: out, as: UTF8.self)
    }

    /// The rows a human mode shows: all of them, or the first and the last when there are more
    /// than `.maxrows` (half each; the first half gets the odd one).
    func shownRowIndices(_ table: Table) -> (rows: [Int], head: Int, tail: Int) {
        guard let maxRows = settings.maxRows, table.rowCount > maxRows else { return (Array(0..<table.rowCount), table.rowCount, 0) }
        let head = (maxRows + 1) / 2
        let tail = maxRows - head
        return (Array(0..<head) + Array((table.rowCount - tail)..<table.rowCount), head, tail)
    }
}

extension String {
    func replacingPrefix(_ prefix: String, with replacement: String) -> String {
        guard let range = firstRange(of: prefix) else { return self }
        return self[..<range.lowerBound] + replacement + self[range.upperBound...]
    }
}
