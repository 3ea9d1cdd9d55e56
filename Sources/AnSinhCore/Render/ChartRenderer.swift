/// Horizontal bar charts and sparklines in block characters (ASCII when Unicode is unavailable).
struct ChartRenderer {
    let settings: RenderSettings

    func render(_ chart: ChartData) -> String {
        chart.spark ? sparkline(chart) : bars(chart)
    }

    private var formatter: ValueFormatter { ValueFormatter(settings: settings) }

    private func valueLabel(_ bar: ChartData.Bar) -> String {
        guard let value = bar.value else { return "null" }
        return formatter.format(.decimal(value), columnName: "value", unit: bar.unit, qualifier: bar.qualifier)
    }

    private func bars(_ chart: ChartData) -> String {
        let labels = chart.bars.map { bar in UnicodeText.truncate(UnicodeText.terminalSafe(bar.label, keepLineBreaks: false), to: 30) }
        let values = chart.bars.map(valueLabel)
        let labelWidth = labels.map(UnicodeText.displayWidth).max() ?? 0
        let valueWidth = values.map(UnicodeText.displayWidth).max() ?? 0
        let available = max(10, min(60, (settings.width ?? 80) - labelWidth - valueWidth - 5))
        let largest = chart.bars.compactMap { $0.value.map(abs) }.max() ?? 0
        var out = ""
        for (index, bar) in chart.bars.enumerated() {
            var drawn = ""
            if let value = bar.value, largest > 0 {
                let length = abs(value) / largest * Double(available)
                drawn = blocks(length)
                if value < 0 { drawn = "-" + drawn }
                // Pad by the cells actually drawn (a fraction may round down to no partial block).
                let padding = max(0, available - UnicodeText.displayWidth(drawn))
                if settings.color { drawn = "\u{1B}[36m" + drawn + "\u{1B}[0m" }
                drawn += String(repeating: " ", count: padding)
            } else {
                drawn = String(repeating: " ", count: available)
            }
            out += UnicodeText.pad(labels[index], to: labelWidth) + " " + drawn + " " + UnicodeText.pad(values[index], to: valueWidth, alignRight: true) + "\n"
        }
        if chart.bars.isEmpty { out = MessageID.emptyResult.format(settings.language, []) + "\n" }
        return out
    }

    /// A bar `length` cells long, with eighth-blocks for the fraction.
    private func blocks(_ length: Double) -> String {
        let whole = Int(length)
        guard settings.unicode else { return String(repeating: "#", count: max(whole, length > 0 ? 1 : 0)) }
        let eighths = Int(((length - Double(whole)) * 8).rounded())
        let partials = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉", "█"]
        var bar = String(repeating: "█", count: whole)
        if eighths > 0 { bar += partials[eighths] }
        if bar.isEmpty, length > 0 { bar = "▏" }
        return bar
    }

    private func sparkline(_ chart: ChartData) -> String {
        let values = chart.bars.compactMap(\.value)
        guard let low = values.min(), let high = values.max() else {
            return MessageID.emptyResult.format(settings.language, []) + "\n"
        }
        let levels: [String] = settings.unicode ? ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"] : ["_", ".", "-", "~", "=", "+", "*", "#"]
        var line = ""
        for bar in chart.bars {
            guard let value = bar.value else { line += " "; continue }
            let level = high == low ? levels.count / 2 : Int(((value - low) / (high - low) * Double(levels.count - 1)).rounded())
            line += levels[max(0, min(levels.count - 1, level))]
        }
        if settings.color { line = "\u{1B}[36m" + line + "\u{1B}[0m" }
        let first = chart.bars.first.map { "\(UnicodeText.terminalSafe($0.label, keepLineBreaks: false)) \(valueLabel($0))" } ?? ""
        let last = chart.bars.last.map { "\(UnicodeText.terminalSafe($0.label, keepLineBreaks: false)) \(valueLabel($0))" } ?? ""
        let lowBar = chart.bars.first { $0.value == low }
        let highBar = chart.bars.first { $0.value == high }
        let minText = lowBar.map(valueLabel) ?? ""
        let maxText = highBar.map(valueLabel) ?? ""
        let range = settings.language == .vi ? "thấp nhất \(minText), cao nhất \(maxText)" : "min \(minText), max \(maxText)"
        return "\(UnicodeText.terminalSafe(chart.valueName, keepLineBreaks: false)): \(first) \(line) \(last)  (\(range))\n"
    }
}
