extension ReportRenderer {
    /// The report as Markdown: tables as pipe tables, notes as block quotes, charts as SVG files
    /// beside it (returned as name and text, named after the report: `FILE-chart-1.svg`), and the
    /// sources as footnotes.
    func markdown(baseName: String) -> (text: String, charts: [(name: String, svg: String)]) {
        let (title, intro) = heading
        var out = "# " + MarkdownText.escape(title) + "\n\n"
        for paragraph in intro { out += MarkdownText.escape(paragraph) + "\n\n" }
        out += "_" + MarkdownText.escape(text(.reportMadeWith, [Help.version, created])) + "_\n"
        var files: [(name: String, svg: String)] = []
        let all = sections()
        for section in all {
            out += "\n## " + MarkdownText.escape(text(.reportResultHeading, [String(section.number)])) + "\n\n"
            if let statement = section.statement { out += fenced(statement) + "\n" }
            for note in section.notes {
                out += "> **\(MarkdownText.escape(text(.labelNote))):** " + MarkdownText.escape(note.text)
                if let explanation = note.explanation { out += "  \n> " + MarkdownText.escape(explanation) }
                if let lesson = note.lesson { out += "  \n> _" + MarkdownText.escape(lesson) + "_" }
                out += "\n\n"
            }
            for chart in section.charts {
                let name = "\(baseName)-chart-\(files.count + 1).svg"
                let svg = SVGChart(chart: chart, formatter: chartFormatter, language: language)
                files.append((name, svg.render() + "\n"))
                out += "![\(MarkdownText.escape(svg.axisTitle))](\(name))\n\n"
                if svg.hasInexactPoints { out += "_" + MarkdownText.escape(text(.reportChartLegend)) + "_\n\n" }
            }
            for line in chartRemarks(section) { out += "_" + MarkdownText.escape(line) + "_\n\n" }
            guard !section.headers.isEmpty else { continue }
            let hasSources = !section.rowFootnotes.isEmpty
            out += "| " + (section.headers + (hasSources ? [text(.reportSourcesColumn)] : [])).map(MarkdownText.escape).joined(separator: " | ") + " |\n"
            out += "|" + section.numeric.map { $0 ? " ---: |" : " --- |" }.joined() + (hasSources ? " --- |" : "") + "\n"
            for (rowIndex, row) in section.rows.enumerated() {
                let marks = hasSources ? [(section.rowFootnotes[rowIndex + 1] ?? []).map { "[^\($0)]" }.joined(separator: " ")] : []
                out += "| " + (row.map(MarkdownText.escape) + marks).joined(separator: " | ") + " |\n"
            }
            if section.rows.count < section.totalRows {
                out += "\n_" + MarkdownText.escape(text(.reportRowsCut, [String(section.rows.count), String(section.totalRows)])) + "_\n"
            }
        }
        if all.contains(where: { !$0.provenance.isEmpty }) {
            out += "\n## " + MarkdownText.escape(text(.reportSourcesHeading)) + "\n\n" + MarkdownText.escape(text(.reportSourcesIntro)) + "\n\n"
            for section in all {
                for (offset, fact) in section.provenance.facts.enumerated() {
                    let what = [fact.district, fact.indicator, fact.period].compactMap { $0 }.joined(separator: " · ")
                    var line = "[^\(section.factNumbers[offset])]: " + MarkdownText.escape(what + ": " + figure(fact) + " [" + fact.id + "]")
                    if let quote = fact.quote, !quote.isEmpty { line += " — “" + MarkdownText.escape(quote) + "”" }
                    if let article = section.provenance.article(fact.source) {
                        let parts = [article.title, article.publisher, article.published ?? text(.reportUndated)].compactMap { $0 }
                        line += " — " + MarkdownText.escape(parts.joined(separator: " — "))
                    }
                    out += line + "\n"
                }
            }
        }
        out += "\n## " + MarkdownText.escape(text(.reportReproduceHeading)) + "\n\n"
        if let command = collector.commandLine { out += "- " + text(.reportCommand) + ": `" + command.replacing("`", with: "'") + "`\n" }
        out += "- " + text(.reportVersion) + ": ansinh " + Help.version + "\n- " + text(.reportDate) + ": " + created + "\n"
        out += "- " + text(.reportDataHash) + ": `" + fingerprint + "`\n"
        out += "- " + text(.reportParameters) + ": " + (parameterLines.isEmpty ? "—" : parameterLines.map(MarkdownText.escape).joined(separator: ", ")) + "\n"
        if let script = collector.scriptText {
            out += "\n### " + MarkdownText.escape(text(.reportScript, [collector.scriptName ?? ""])) + "\n\n" + fenced(script)
        }
        return (out, files)
    }

    /// A fenced code block whose fence is longer than any run of backticks inside.
    private func fenced(_ code: String) -> String {
        var longest = 0, run = 0
        for character in code {
            if character == "`" { run += 1; longest = max(longest, run) } else { run = 0 }
        }
        let fence = String(repeating: "`", count: max(3, longest + 1))
        return fence + "\n" + code + (code.hasSuffix("\n") ? "" : "\n") + fence + "\n"
    }
}
