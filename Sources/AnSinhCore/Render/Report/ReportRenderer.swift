/// Turns a collected report into one self-contained HTML file: no scripts, no network (a
/// Content-Security-Policy forbids both), inline CSS and SVG. Every text from data (cells, column
/// names, quotes, the script) goes through `HTMLText.escape`.
struct ReportRenderer {
    let collector: ReportCollector
    let settings: RenderSettings
    let parameters: [String: Value]
    let fingerprint: String
    let created: String

    var language: Language { settings.language }
    func text(_ id: MessageID, _ arguments: [String] = []) -> String { id.format(language, arguments) }

    /// Rows of one result shown in a report; the rest are counted under the table.
    static let maximumRows = 500

    /// Settings for tables as on screen: every row, no terminal width, no colours.
    var tableSettings: RenderSettings {
        var settings = settings
        settings.mode = .box
        settings.maxRows = nil
        settings.width = nil
        settings.color = false
        settings.unicode = true
        return settings
    }

    /// One note under a result: the text, the lesson pointer and the lesson's own first words.
    struct Note {
        var id: String
        var text: String
        var lesson: String?
        var explanation: String?
    }

    /// One result, ready to write in either format.
    struct Section {
        var number: Int
        var statement: String?
        var headers: [String]
        var numeric: [Bool]
        var rows: [[String]]
        var totalRows: Int
        var charts: [ReportChart]
        var chartRowsLeftOut: Int
        var chartRowsNotComparable: Int
        var notes: [Note]
        var provenance: ResultProvenance
        /// For each row (1-based), the footnote numbers of the facts behind it.
        var rowFootnotes: [Int: [Int]]
        /// The footnote number of each of `provenance.facts`.
        var factNumbers: [Int]
    }

    func lessonTitle(_ topic: LessonTopic) -> (number: Int, title: String)? {
        Tutorial.lessonNumber(for: topic).map { ($0.number, $0.title(language)) }
    }

    func sections() -> [Section] {
        let renderer = TableRenderer(settings: tableSettings)
        var footnote = 1
        return collector.entries.enumerated().map { index, entry in
            let result = entry.result
            let table = result.table
            let visible = table.visibleColumnIndices
            let shownRows = min(table.rowCount, ReportRenderer.maximumRows)
            let rows = (0..<shownRows).map { row in visible.map { renderer.cellText(table, row: row, column: $0) } }
            let (charts, leftOut, notComparable) = ReportChart.charts(for: result)
            var rowFootnotes: [Int: [Int]] = [:]
            var factNumbers: [Int] = []
            for fact in entry.provenance.facts {
                factNumbers.append(footnote)
                if fact.row <= shownRows { rowFootnotes[fact.row, default: []].append(footnote) }
                footnote += 1
            }
            let notes = zip(renderer.noteTexts(result, lessonTitle: lessonTitle), result.warnings).map { note, warning in
                Note(id: note.id, text: note.text, lesson: note.lesson, explanation: warning.lesson.flatMap { LessonSummary.text(for: $0, language: language) })
            }
            return Section(number: index + 1, statement: entry.statement, headers: visible.map { table.fields[$0].name },
                           numeric: visible.map { table.fields[$0].type == .integer || table.fields[$0].type == .decimal },
                           rows: rows, totalRows: table.rowCount, charts: charts, chartRowsLeftOut: leftOut, chartRowsNotComparable: notComparable, notes: notes,
                           provenance: entry.provenance, rowFootnotes: rowFootnotes, factNumbers: factNumbers)
        }
    }

    var heading: (title: String, intro: [String]) {
        let (title, intro) = collector.heading
        return (title ?? collector.scriptName ?? text(.reportDefaultTitle), intro)
    }

    var parameterLines: [String] {
        parameters.keys.sorted().map { "$\($0) = \(parameters[$0].map(Parameters.shown) ?? "")" }
    }

    var chartFormatter: ValueFormatter { ValueFormatter(settings: tableSettings) }

    /// The figure of a fact as on screen (`≈800 tỷ đồng`).
    func figure(_ fact: ResultProvenance.Fact) -> String {
        chartFormatter.format(fact.value, columnName: "value", unit: fact.unit, qualifier: fact.qualifier)
    }

    // MARK: - HTML

    func html() -> String {
        let (title, intro) = heading
        let all = sections()
        var out = """
        <!DOCTYPE html>
        <html lang="\(language.rawValue)">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; base-uri 'none'">
        <meta name="generator" content="ansinh \(HTMLText.escape(Help.version))">
        <title>\(HTMLText.escape(title))</title>
        <style>\(ReportStyle.css)</style>
        </head>
        <body>
        <main>
        <header>
        <h1>\(HTMLText.escape(title))</h1>

        """
        for paragraph in intro { out += "<p class=\"intro\">\(HTMLText.escape(paragraph))</p>\n" }
        out += "<p class=\"meta\">\(HTMLText.escape(text(.reportMadeWith, [Help.version, created])))</p>\n"
        if all.count > 1 {
            out += "<nav><h2 class=\"toc\">\(HTMLText.escape(text(.reportContents)))</h2><ol>"
            for section in all {
                out += "<li><a href=\"#result-\(section.number)\">\(HTMLText.escape(text(.reportResultHeading, [String(section.number)])))</a>"
                    + (section.notes.isEmpty ? "" : " <span class=\"badge\">\(HTMLText.escape(text(.labelNote))) × \(section.notes.count)</span>") + "</li>"
            }
            out += "</ol></nav>\n"
        }
        out += "</header>\n"
        for section in all { out += html(section) }
        out += footnotes(all)
        out += reproduce()
        out += "</main>\n</body>\n</html>\n"
        return out
    }

    private func html(_ section: Section) -> String {
        var out = "<section class=\"result\" id=\"result-\(section.number)\">\n"
        out += "<h2>\(HTMLText.escape(text(.reportResultHeading, [String(section.number)])))</h2>\n"
        if let statement = section.statement {
            out += "<pre class=\"statement\" aria-label=\"\(HTMLText.escape(text(.reportStatement)))\"><code>\(HTMLText.escape(statement))</code></pre>\n"
        }
        // The notes come before the figures, as a reader must know them before reading on.
        if !section.notes.isEmpty {
            out += "<div class=\"notes\">\n"
            for note in section.notes {
                out += "<aside class=\"callout\" role=\"note\" data-note=\"\(HTMLText.escape(note.id))\"><p><strong>\(HTMLText.escape(text(.labelNote))):</strong> \(HTMLText.escape(note.text))</p>"
                if let explanation = note.explanation { out += "<p class=\"explain\">\(HTMLText.escape(explanation))</p>" }
                if let lesson = note.lesson { out += "<p class=\"lesson\">\(HTMLText.escape(lesson))</p>" }
                out += "</aside>\n"
            }
            out += "</div>\n"
        }
        for chart in section.charts {
            let svg = SVGChart(chart: chart, formatter: chartFormatter, language: language)
            out += "<figure class=\"chart\">" + svg.render()
            if svg.hasInexactPoints { out += "<figcaption>\(HTMLText.escape(text(.reportChartLegend)))</figcaption>" }
            out += "</figure>\n"
        }
        for line in chartRemarks(section) {
            out += "<p class=\"no-chart\">\(HTMLText.escape(line))</p>\n"
        }
        out += table(section)
        return out + "</section>\n"
    }

    /// What the charts leave out, and why.
    func chartRemarks(_ section: Section) -> [String] {
        var lines: [String] = []
        if section.chartRowsNotComparable > 0 { lines.append(text(.reportChartRowsNotComparable, [String(section.chartRowsNotComparable)])) }
        if section.chartRowsLeftOut > 0 { lines.append(text(.reportChartRowsLeftOut, [String(section.chartRowsLeftOut)])) }
        return lines
    }

    private func table(_ section: Section) -> String {
        guard !section.headers.isEmpty else { return "" }
        let hasSources = !section.rowFootnotes.isEmpty
        var out = "<div class=\"table-wrap\"><table>\n<thead><tr>"
        for (column, header) in section.headers.enumerated() {
            out += "<th scope=\"col\"\(section.numeric[column] ? " class=\"num\"" : "")>\(HTMLText.breakable(HTMLText.escape(header)))</th>"
        }
        if hasSources { out += "<th scope=\"col\">\(HTMLText.escape(text(.reportSourcesColumn)))</th>" }
        out += "</tr></thead>\n<tbody>\n"
        for (rowIndex, row) in section.rows.enumerated() {
            out += "<tr>"
            for (column, cell) in row.enumerated() {
                // Short names, periods and ids stay on one line; other text wraps at its spaces.
                let classes = section.numeric[column] ? " class=\"num\"" : (cell.count <= 12 || (cell.count <= 18 && !cell.contains(" "))) ? " class=\"nw\"" : ""
                let shown = section.numeric[column] ? HTMLText.escape(cell) : HTMLText.breakable(HTMLText.escape(cell))
                out += "<td\(classes) data-label=\"\(HTMLText.escape(section.headers[column]))\">\(shown)</td>"
            }
            if hasSources {
                let label = HTMLText.escape(text(.reportFactLink, [String(rowIndex + 1)]))
                let marks = (section.rowFootnotes[rowIndex + 1] ?? []).map { "<a href=\"#\(HTMLText.anchor($0))\" class=\"fn\" title=\"\(label)\">\($0)</a>" }
                out += "<td class=\"fns\" data-label=\"\(HTMLText.escape(text(.reportSourcesColumn)))\"><span>" + marks.joined(separator: " ") + "</span></td>"
            }
            out += "</tr>\n"
        }
        out += "</tbody></table></div>\n"
        let rowsText = section.rows.count < section.totalRows
            ? text(.reportRowsCut, [String(section.rows.count), String(section.totalRows)])
            : section.totalRows == 0 ? text(.emptyResult) : "(" + text(.rowCount, [String(section.totalRows)]) + ")"
        out += "<p class=\"rows\">\(HTMLText.escape(rowsText))</p>\n"
        return out
    }

    private func footnotes(_ sections: [Section]) -> String {
        guard sections.contains(where: { !$0.provenance.isEmpty }) else { return "" }
        var out = "<section class=\"footnotes\" id=\"sources\">\n<h2>\(HTMLText.escape(text(.reportSourcesHeading)))</h2>\n<p>\(HTMLText.escape(text(.reportSourcesIntro)))</p>\n"
        for section in sections where !section.provenance.isEmpty {
            out += "<h3><a href=\"#result-\(section.number)\">\(HTMLText.escape(text(.reportResultHeading, [String(section.number)])))</a></h3>\n"
            out += "<ol class=\"sources\" start=\"\(section.factNumbers.first ?? 1)\">\n"
            for (offset, fact) in section.provenance.facts.enumerated() {
                let number = section.factNumbers[offset]
                let what = [fact.district, fact.indicator, fact.period].compactMap { $0 }.joined(separator: " · ")
                out += "<li id=\"\(HTMLText.anchor(number))\"><p class=\"fact\">\(HTMLText.escape(what)): <strong>\(HTMLText.escape(figure(fact)))</strong> <span class=\"id\">[\(HTMLText.escape(fact.id))]</span></p>"
                if let quote = fact.quote, !quote.isEmpty { out += "<blockquote lang=\"vi\">“\(HTMLText.escape(quote))”</blockquote>" }
                if let article = section.provenance.article(fact.source) {
                    let parts = [article.title, article.publisher, article.published ?? text(.reportUndated)].compactMap { $0 }
                    out += "<p class=\"cite\"><cite>\(HTMLText.escape(parts.joined(separator: " — ")))</cite> <span class=\"id\">[\(HTMLText.escape(article.id))]</span></p>"
                }
                out += "</li>\n"
            }
            out += "</ol>\n"
        }
        return out + "</section>\n"
    }

    private func reproduce() -> String {
        var out = "<section class=\"reproduce\" id=\"reproduce\">\n<h2>\(HTMLText.escape(text(.reportReproduceHeading)))</h2>\n<dl>\n"
        if let command = collector.commandLine {
            out += "<dt>\(HTMLText.escape(text(.reportCommand)))</dt><dd><code>\(HTMLText.escape(command))</code></dd>\n"
        }
        out += "<dt>\(HTMLText.escape(text(.reportVersion)))</dt><dd>ansinh \(HTMLText.escape(Help.version))</dd>\n"
        out += "<dt>\(HTMLText.escape(text(.reportDate)))</dt><dd>\(HTMLText.escape(created))</dd>\n"
        out += "<dt>\(HTMLText.escape(text(.reportDataHash)))</dt><dd><code>\(HTMLText.escape(fingerprint))</code></dd>\n"
        out += "<dt>\(HTMLText.escape(text(.reportParameters)))</dt><dd>\(parameterLines.isEmpty ? "—" : parameterLines.map(HTMLText.escape).joined(separator: "<br>"))</dd>\n"
        out += "</dl>\n"
        if let script = collector.scriptText {
            out += "<h3>\(HTMLText.escape(text(.reportScript, [collector.scriptName ?? ""])))</h3>\n<pre class=\"script\"><code>\(HTMLText.escape(script))</code></pre>\n"
        }
        return out + "</section>\n"
    }
}

/// The first words of the lesson that explains a note (its first sentence, or two when the
/// first is short), in the report's language: the same words as the tutorial.
enum LessonSummary {
    nonisolated(unsafe) static var cache: [String: String] = [:]

    static func text(for topic: LessonTopic, language: Language) -> String? {
        let key = topic.rawValue + "/" + language.rawValue
        if let cached = cache[key] { return cached }
        for (name, source) in EmbeddedDataset.lessons {
            guard let lesson = try? LessonParser.parse(source, file: "lessons/\(name)"), lesson.topic == topic else { continue }
            let text = lesson.localized(lesson.text, language).split(whereSeparator: \.isNewline).map { String($0).trimmingSpaces() }.joined(separator: " ")
            let summary = firstSentences(text)
            cache[key] = summary
            return summary
        }
        return nil
    }

    /// Up to the end of the first sentence (". " before a capital letter, or a quote), or of
    /// the second when the first is shorter than 60 characters.
    static func firstSentences(_ text: String) -> String {
        let characters = Array(text)
        var ends = 0
        var index = 0
        while index < characters.count {
            if characters[index] == ".", index + 2 < characters.count, characters[index + 1] == " ",
               characters[index + 2].isUppercase || characters[index + 2] == "\"" || characters[index + 2] == "“" {
                ends += 1
                if ends == 2 || index >= 60 { return String(characters[...index]) }
            }
            index += 1
        }
        return text
    }
}
