/// Inline SVG for a report chart, styled by attributes only (so the same text works inside the
/// HTML report and as a file beside a Markdown report). Bars are horizontal with the label above
/// each bar, so long Vietnamese names fit and a phone can read them; lines run over years.
/// Every label is escaped; each value label carries its qualifier sign (≈, >, ≲, <), figures that
/// are not exact are drawn pale with a dashed outline (bars) or hollow (points), and the axis
/// title says the unit and period. The axis starts at zero.
struct SVGChart {
    let chart: ReportChart
    let formatter: ValueFormatter
    let language: Language

    static let colours = ["#1f5f8b", "#c8553d", "#588157", "#8d6a9f", "#b8860b", "#4a4e69"]
    static let width = 420.0
    static let ink = "#1d2430", muted = "#5b6472", axis = "#8a94a3"

    var hasInexactPoints: Bool {
        chart.series.contains { $0.points.contains { $0.value != nil && !$0.isExact } }
    }

    func valueText(_ value: Double?, qualifier: String?) -> String {
        guard let value else { return "—" }
        return formatter.format(.decimal(value), columnName: chart.valueName, unit: chart.unit, qualifier: qualifier)
    }

    var axisTitle: String {
        var parts = [chart.kind == .bars ? chart.valueName : nil].compactMap { $0 }
        if let unit = chart.unit { parts.append(MessageID.reportChartUnit.format(language, [unit])) }
        if let measure = chart.measure { parts.append(measure) }
        if let period = chart.period { parts.append(MessageID.reportChartPeriod.format(language, [period])) }
        if parts.isEmpty { parts.append(chart.valueName) }
        return parts.joined(separator: " · ")
    }

    func render() -> String {
        switch chart.kind {
        case .bars, .groupedBars: bars()
        case .lines: lines()
        }
    }

    private func truncated(_ text: String, _ limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }

    private func number(_ value: Double) -> String {
        NumberText.plain((value * 10).rounded() / 10)
    }

    private func open(height: Double) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 \(number(SVGChart.width)) \(number(height))\" "
            + "width=\"\(number(SVGChart.width))\" height=\"\(number(height))\" role=\"img\" aria-label=\"\(HTMLText.escape(axisTitle))\" "
            + "font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', Arial, sans-serif\">\n"
            + "<title>\(HTMLText.escape(axisTitle))</title>\n"
    }

    private func text(_ content: String, x: Double, y: Double, size: Int, fill: String = SVGChart.ink, anchor: String? = nil, weight: String? = nil, full: String? = nil) -> String {
        var out = "<text x=\"\(number(x))\" y=\"\(number(y))\" font-size=\"\(size)\" fill=\"\(fill)\""
        if let anchor { out += " text-anchor=\"\(anchor)\"" }
        if let weight { out += " font-weight=\"\(weight)\"" }
        out += ">"
        if let full, full != content { out += "<title>\(HTMLText.escape(full))</title>" }
        return out + HTMLText.escape(content) + "</text>\n"
    }

    private func bars() -> String {
        let seriesCount = chart.series.count
        let barHeight = 16.0, barGap = 3.0, labelHeight = 19.0, groupGap = 12.0
        let valueRoom = 140.0
        let plotWidth = SVGChart.width - valueRoom
        let all = chart.series.flatMap { $0.points.compactMap(\.value) }
        let high = max(all.max() ?? 0, 0), low = min(all.min() ?? 0, 0)
        let span = high - low == 0 ? 1 : high - low
        func x(_ value: Double) -> Double { (value - low) / span * plotWidth }
        let legendHeight = seriesCount > 1 ? 22.0 * Double(seriesCount) : 0
        let top = 28.0 + legendHeight
        let groupHeight = labelHeight + Double(seriesCount) * (barHeight + barGap) + groupGap
        let height = top + Double(chart.labels.count) * groupHeight + 4
        var out = open(height: height)
        out += text(truncated(axisTitle, 54), x: 0, y: 16, size: 14, weight: "600", full: axisTitle)
        if seriesCount > 1 {
            for (index, series) in chart.series.enumerated() {
                let y = 30.0 + Double(index) * 22
                out += "<rect x=\"0\" y=\"\(number(y))\" width=\"14\" height=\"14\" fill=\"\(colour(index))\"/>\n"
                out += text(truncated(series.name, 50), x: 20, y: y + 12, size: 13, full: series.name)
            }
        }
        for (index, label) in chart.labels.enumerated() {
            let y0 = top + Double(index) * groupHeight
            out += text(truncated(label, 52), x: 0, y: y0 + 14, size: 14, full: label)
            for (seriesIndex, series) in chart.series.enumerated() {
                let point = index < series.points.count ? series.points[index] : ReportChart.Point(value: nil, qualifier: nil)
                let y = y0 + labelHeight + Double(seriesIndex) * (barHeight + barGap)
                let fill = colour(seriesIndex)
                let shown = valueText(point.value, qualifier: point.qualifier)
                if let value = point.value {
                    let start = x(min(0, value)), end = x(max(0, value))
                    let style = point.isExact ? "" : " fill-opacity=\"0.35\" stroke=\"\(fill)\" stroke-width=\"1.5\" stroke-dasharray=\"4 2\""
                    out += "<rect x=\"\(number(start))\" y=\"\(number(y))\" width=\"\(number(max(end - start, 1)))\" height=\"\(number(barHeight))\" fill=\"\(fill)\"\(style)>"
                        + "<title>\(HTMLText.escape(label + " — " + series.name + ": " + shown))</title></rect>\n"
                }
                out += text(shown, x: x(max(0, point.value ?? 0)) + 6, y: y + barHeight - 3, size: 13, fill: SVGChart.muted)
            }
        }
        // The zero line.
        out += "<line x1=\"\(number(x(0)))\" y1=\"\(number(top))\" x2=\"\(number(x(0)))\" y2=\"\(number(height - 4))\" stroke=\"\(SVGChart.axis)\" stroke-width=\"1\"/>\n"
        return out + "</svg>"
    }

    private func colour(_ index: Int) -> String { SVGChart.colours[index % SVGChart.colours.count] }

    private func lines() -> String {
        let left = 12.0, right = 12.0, top = 34.0, plotHeight = 180.0
        let seriesCount = chart.series.count
        let height = top + plotHeight + 30 + Double(seriesCount) * 22
        let all = chart.series.flatMap { $0.points.compactMap(\.value) }
        let high = max(all.max() ?? 0, 0), low = min(all.min() ?? 0, 0)
        let span = high - low == 0 ? 1 : high - low
        let plotWidth = SVGChart.width - left - right
        // Years sit at their distance in time (2021, 2024, 2025 are not evenly spaced).
        let years = chart.labels.compactMap { Int($0) }
        let positions: [Double]
        if years.count == chart.labels.count, let first = years.first, let last = years.last, last > first {
            positions = years.map { Double($0 - first) / Double(last - first) }
        } else {
            positions = chart.labels.indices.map { chart.labels.count == 1 ? 0.5 : Double($0) / Double(chart.labels.count - 1) }
        }
        func x(_ index: Int) -> Double { left + (index < positions.count ? positions[index] : 0) * plotWidth }
        func y(_ value: Double) -> Double { top + plotHeight - (value - low) / span * plotHeight }
        var out = open(height: height)
        out += text(truncated(axisTitle, 54), x: 0, y: 16, size: 14, weight: "600", full: axisTitle)
        // Grid lines at zero (or the lowest value), halfway and the highest value, labelled above the line.
        for value in Set([low, low + span / 2, high]).sorted() {
            out += "<line x1=\"\(number(left))\" y1=\"\(number(y(value)))\" x2=\"\(number(SVGChart.width - right))\" y2=\"\(number(y(value)))\" stroke=\"\(value == low ? SVGChart.axis : "#e3e7ec")\" stroke-width=\"1\"/>\n"
            out += text(valueText(value, qualifier: nil), x: left + 10, y: y(value) - 4, size: 12, fill: SVGChart.muted)  // clear of the first points
        }
        // Year labels that would run into each other (2014 and 2015 one year apart on a 2006–2015
        // axis) are thinned: the first and last always show, a middle one only with room on both sides.
        func labelSpan(_ index: Int) -> (anchor: String, x: Double, from: Double, to: Double) {
            let anchor = positions[index] < 0.05 ? "start" : positions[index] > 0.95 ? "end" : "middle"
            let at = x(index) + (anchor == "start" ? -5 : anchor == "end" ? 5 : 0)
            let width = Double(UnicodeText.displayWidth(chart.labels[index])) * 8.0  // 13 px digits are about 8 px wide
            let from = anchor == "start" ? at : anchor == "end" ? at - width : at - width / 2
            return (anchor, at, from, from + width)
        }
        let lastLabel = chart.labels.count - 1
        var drawnUpTo = -Double.infinity
        for (index, label) in chart.labels.enumerated() {
            let place = labelSpan(index)
            let roomBefore = place.from >= drawnUpTo + 6
            let roomAfter = index == lastLabel || lastLabel < 0 || place.to + 6 <= labelSpan(lastLabel).from
            guard index == 0 || index == lastLabel || (roomBefore && roomAfter) else { continue }
            out += text(label, x: place.x, y: top + plotHeight + 18, size: 13, fill: SVGChart.muted, anchor: place.anchor)
            drawnUpTo = place.to
        }
        for (seriesIndex, series) in chart.series.enumerated() {
            let colour = colour(seriesIndex)
            // A year without a figure breaks the line rather than joining across it.
            var segments: [[(Int, Double)]] = [[]]
            for (index, point) in series.points.enumerated() {
                if let value = point.value { segments[segments.count - 1].append((index, value)) } else if !(segments.last?.isEmpty ?? true) { segments.append([]) }
            }
            for segment in segments where segment.count >= 2 {
                out += "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2.5\" points=\""
                    + segment.map { "\(number(x($0.0))),\(number(y($0.1)))" }.joined(separator: " ") + "\"/>\n"
            }
            for (index, point) in series.points.enumerated() {
                guard let value = point.value else { continue }
                let year = index < chart.labels.count ? chart.labels[index] : ""
                let shown = valueText(value, qualifier: point.qualifier)
                let fill = point.isExact ? colour : "#ffffff"
                out += "<circle cx=\"\(number(x(index)))\" cy=\"\(number(y(value)))\" r=\"5\" fill=\"\(fill)\" stroke=\"\(colour)\" stroke-width=\"2\">"
                    + "<title>\(HTMLText.escape(series.name + ", " + year + ": " + shown))</title></circle>\n"
                if seriesCount == 1 {
                    out += text(shown, x: x(index), y: y(value) - 10, size: 12, fill: SVGChart.ink, anchor: positions[index] < 0.05 ? "start" : positions[index] > 0.95 ? "end" : "middle")
                }
            }
            let legendY = top + plotHeight + 32 + Double(seriesIndex) * 22
            out += "<rect x=\"0\" y=\"\(number(legendY))\" width=\"14\" height=\"14\" fill=\"\(colour)\"/>\n"
            // The legend says each line's latest figure, so several lines need no value labels.
            var legend = series.name
            if seriesCount > 1, let last = series.points.indices.last(where: { series.points[$0].value != nil }) {
                legend += ": " + valueText(series.points[last].value, qualifier: series.points[last].qualifier) + " (" + chart.labels[min(last, chart.labels.count - 1)] + ")"
            }
            out += text(truncated(legend, 56), x: 20, y: legendY + 12, size: 13, full: legend)
        }
        return out + "</svg>"
    }
}
