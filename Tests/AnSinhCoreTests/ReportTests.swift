import Testing
import Glibc
@testable import AnSinhCore

/// `.report` / `--report`: one self-contained HTML page (or Markdown with SVG charts beside it)
/// whose tables, charts, notes and footnotes come from the same results and caveats as the
/// screen, and in which text from data is always text.
@Suite(.serialized) struct ReportTests {
    static let lending = "from facts | where indicator == \"policy_credit_lending\" | summarize total = sum(value) by district"

    func shell(language: Language = .en) throws -> (Shell, Capture) {
        let capture = Capture()
        let session = try Session()
        session.settings.mode = .box
        session.language = language
        return (Shell(session: session, writeOut: { capture.out += $0 }, writeErr: { capture.err += $0 }), capture)
    }

    func path(_ name: String) -> String { "/tmp/ansinh-report-test-\(getpid())-\(name)" }

    /// Runs `script` with `.report FILE` before it and `.report` after it; returns the file.
    func report(_ script: String, name: String = "r.html", language: Language = .en) throws -> String {
        let file = path(name)
        defer { unlink(file) }
        let (shell, capture) = try shell(language: language)
        #expect(shell.runScript(".report \(file) --force\n" + script + "\n.report", fileName: nil, keepGoing: false), "\(capture.err)")
        return try TextFile.read(file)
    }

    @Test func theLendingTotalKeepsItsQualifierNotesChartAndSources() throws {
        let html = try report(Self.lending)
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
        // The figure as on screen, its note as a callout with the lesson's words, a chart.
        #expect(html.contains("<td class=\"num\" data-label=\"total\">≈1.600 tỷ đồng</td>"), "\(html)")
        #expect(html.contains("data-note=\"warnDoubleCounted\""))
        #expect(html.contains("One article says Thanh Xuân placed or found jobs for 6.300 people per year"))
        #expect(html.contains("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\""))
        #expect(html.contains("≈1.600 tỷ đồng</text>"), "the bar's value label keeps ≈")
        // Each row links to the facts behind it, and each footnote quotes its sentence.
        #expect(html.contains("<a href=\"#f1\" class=\"fn\""))
        #expect(html.contains("<li id=\"f1\">"))
        #expect(html.contains("<blockquote lang=\"vi\">“"))
        // Nothing is fetched: no external address outside the SVG namespace, no script.
        let outside = html.replacing("http://www.w3.org/2000/svg", with: "")
        let addresses = outside.split(separator: "\n").filter { $0.contains("://") }
        #expect(addresses.isEmpty, "\(addresses)")
        #expect(!html.lowercased().contains("<script"))
        #expect(html.contains("default-src 'none'"))
    }

    @Test func vietnameseReportsSpeakVietnamese() throws {
        let html = try report(Self.lending, language: .vi)
        #expect(html.contains("<html lang=\"vi\">"))
        #expect(html.contains("Nguồn của các số liệu"))
        #expect(html.contains("Kết quả 1"))
    }

    @Test func hostileTextFromDataComesOutAsText() throws {
        let csv = path("hostile.csv")
        defer { unlink(csv) }
        let cells = "name,link,amount\n\"<script>alert(1)</script>\",\"javascript:alert(1)\",5\n\"\"\"><img src=x onerror=alert(2)>\",'onmouseover='alert(3),7\n"
        #expect(AtomicFileWriter.wouldReplaceFile(csv) == false)
        try AtomicFileWriter.write(cells, to: csv, overwrite: true)
        let html = try report(".import \(csv) AS hostile\nfrom hostile | derive `<b>col</b>` = \"</pre><script>x()</script>\"")
        let lowered = html.lowercased()
        #expect(!lowered.contains("<script"), "\(html)")
        #expect(!lowered.contains("<img"))
        #expect(!lowered.contains("<b>"))
        #expect(!lowered.contains("href=\"javascript"))
        #expect(!html.contains("='alert"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"))
        #expect(html.contains("<td data-label=\"link\">javascript:alert(1)</td>"))
    }

    @Test func longKeysWrapAtTheirUnderscoresSoWideTablesFitADesktop() throws {
        // `conflicting_figures.asq`'s table was 1,289 px wide in a 1,238 px box at 1280 px,
        // because `meritorious_monthly_allowance_paid` could not wrap (check_reports.py measures it).
        let html = try report("from facts | where indicator == \"meritorious_monthly_allowance_paid\" | select indicator, period_text = period, value | take 1")
        #expect(html.contains(">meritorious_<wbr>monthly_<wbr>allowance_<wbr>paid</td>"), "\(html)")
        #expect(html.contains("<th scope=\"col\">period_<wbr>text</th>"))
        #expect(html.contains("data-label=\"period_text\""), "attributes keep the name whole")
    }

    @Test func theTitleAndIntroductionComeFromTheScriptsOpeningComment() throws {
        let file = path("titled.html")
        defer { unlink(file) }
        let (shell, capture) = try shell()
        let script = "# Lending by district.\n#\n# What it is.\n# Question: how much?\n# Two lines of\n# one paragraph.\n\n" + Self.lending + "\n"
        try shell.startReport(file, force: true, scriptName: "lend.asq", scriptText: script)
        #expect(shell.runScript(script, fileName: "lend.asq", keepGoing: false), "\(capture.err)")
        try shell.writeReport()
        let html = try TextFile.read(file)
        #expect(html.contains("<title>Lending by district</title>"))
        #expect(html.contains("<p class=\"intro\">What it is.</p>\n<p class=\"intro\">Question: how much? Two lines of one paragraph.</p>"), "\(html)")
        #expect(html.contains("<pre class=\"script\"><code># Lending by district."))
    }

    @Test func markdownReportsPutChartsBesideThemAndNotesInBlockQuotes() throws {
        let file = path("r.md")
        let chart = path("r-chart-1.svg")
        defer { unlink(file); unlink(chart) }
        let (shell, capture) = try shell()
        #expect(shell.runScript(".report \(file) --force\n" + Self.lending + "\n.report", fileName: nil, keepGoing: false), "\(capture.err)")
        let markdown = try TextFile.read(file)
        #expect(markdown.contains("| Thanh Xuân | ≈1.600 tỷ đồng | [^"), "\(markdown)")
        #expect(markdown.contains("\n> **note:** sum\\(value\\) counts one figure twice") || markdown.contains("\n> **note:** sum(value) counts one figure twice"), "\(markdown)")
        #expect(markdown.contains("](ansinh-report-test-\(getpid())-r-chart-1.svg)"), "\(markdown)")
        let svg = try TextFile.read(chart)
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
    }

    @Test func mistakesGiveMessagesInBothLanguages() throws {
        let (shell, capture) = try shell()
        #expect(!shell.runScript(".report", fileName: nil, keepGoing: false))
        #expect(capture.err.contains("no report is being collected"), "\(capture.err)")
        #expect(!shell.runScript(".report out.pdf", fileName: nil, keepGoing: false))
        #expect(capture.err.contains("a report is .html or .md"), "\(capture.err)")
        let file = path("empty.html")
        #expect(shell.runScript(".report \(file) --force", fileName: nil, keepGoing: false))
        #expect(!shell.runScript(".report", fileName: nil, keepGoing: false))
        #expect(capture.err.contains("has no results yet"), "\(capture.err)")
        #expect(AtomicFileWriter.wouldReplaceFile(file) == false, "nothing is written for an empty report")
        for id in [MessageID.reportNoResults, .reportAlreadyCollecting, .reportNotWritten, .reportChartLegend] {
            #expect(id.format(.vi, ["x"]) != id.format(.en, ["x"]))
        }
    }

    @Test func chartsNeverPutTwoUnitsOrAStockAndAFlowOnOneAxis() throws {
        let session = try Session()
        let outcomes = try session.run(SourceFile(name: nil, text: "from facts | where category == \"policy_credit\" and unit == \"VND\" | summarize total = sum(value) by district, measure", firstLine: 1))
        guard case .result(let result, _)? = outcomes.first else { Issue.record("no result"); return }
        let (charts, _, _) = ReportChart.charts(for: result)
        #expect(charts.count == 2, "one chart for flows, one for stocks")
        #expect(Set(charts.compactMap(\.measure)) == ["flow", "stock"])
        #expect(charts.allSatisfy { $0.unit == "VND" })
    }

    @Test func yearLabelsThatWouldRunIntoEachOtherAreThinned() throws {
        // 2014 and 2015 sit one year apart on a 2006–2015 axis: 2015 (the last) shows, 2014 not.
        let csv = path("years.csv")
        defer { unlink(csv) }
        try AtomicFileWriter.write("place,2006,2008,2010,2012,2014,2015\nA,15.5,13.4,14.2,11.1,8.4,7\nB,3,6.6,5.3,3.6,2.3,1.8\n", to: csv, overwrite: true)
        let html = try report(".import \(csv) AS s\nfrom s")
        let svg = try #require(html.range(of: "<svg").flatMap { start in html.range(of: "</svg>", range: start.upperBound..<html.endIndex).map { html[start.lowerBound..<$0.upperBound] } })
        let labels = svg.components(separatedBy: "\">").compactMap { part -> String? in
            let text = part.prefix(while: { $0 != "<" })
            return ["2006", "2008", "2010", "2012", "2014", "2015"].contains(String(text)) ? String(text) : nil
        }
        #expect(labels.contains("2006") && labels.contains("2015") && labels.contains("2010"), "\(labels)")
        #expect(!labels.contains("2014"), "2014 would overlap 2015: \(labels)")
    }
}
