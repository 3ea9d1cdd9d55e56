/// How numbers are written for people: `.numbers vi|en|raw`.
public enum NumberStyle: String, Sendable, CaseIterable {
    /// `169,96 tỷ đồng`, `4.200`
    case vi
    /// `169.96 bn VND`, `4,200`
    case en
    /// `169960000000`
    case raw
}

/// Output modes of `.mode`.
public enum OutputMode: String, Sendable, CaseIterable {
    case box, table, csv, tsv, json, jsonl, markdown, line

    /// Machine-readable modes write raw values: `.` decimals, no units, no separators.
    public var isMachineReadable: Bool {
        switch self {
        case .csv, .tsv, .json, .jsonl: true
        default: false
        }
    }
}

/// Everything the renderer needs to know about where the text goes.
public struct RenderSettings: Sendable {
    public var mode: OutputMode = .box
    public var numbers: NumberStyle = .vi
    /// Rows shown before "… N more rows"; nil shows all.
    public var maxRows: Int? = 40
    /// Terminal width in columns; nil when not a terminal (no wrapping).
    public var width: Int?
    /// True after `.width N`: the prompt no longer follows the terminal's width.
    public var widthFixed = false
    public var color = false
    public var unicode = true
    public var language: Language = .en
    /// Guard csv/tsv text cells against spreadsheet formulas (`--excel-safe`, while `.output`
    /// writes a file).
    public var excelSafe = false

    public init() {}
}

/// Formats one cell for people: units in words (tỷ, triệu), thousands separators, the
/// qualifier as a sign (≈ about, > more than, ≲ nearly, < less than).
struct ValueFormatter {
    let settings: RenderSettings

    func qualifierSign(_ qualifier: String?) -> String {
        Qualifier(text: qualifier)?.sign(unicode: settings.unicode) ?? ""
    }

    /// Integer columns that hold years or identifiers are never grouped (2021, not 2.021).
    static func isPlainIntegerColumn(_ name: String) -> Bool {
        let lowered = name.lowercased()
        return lowered == "year" || lowered.hasSuffix("year") || lowered.hasSuffix("_from") || lowered.hasSuffix("_to")
            || lowered == "row" || lowered == "id" || lowered.hasSuffix("_id") || lowered == "năm" || Int(lowered) != nil
    }

    func format(_ value: Value, columnName: String, unit: String?, qualifier: String?, isCode: Bool = false) -> String {
        switch value {
        case .null:
            return "null"
        case .text(let text):
            return text
        case .boolean(let flag):
            return flag ? "true" : "false"
        case .integer(let number):
            if settings.numbers == .raw { return String(number) }
            if unit == nil, isCode || ValueFormatter.isPlainIntegerColumn(columnName) { return String(number) }
            if unit == nil || !(unit == "VND" || unit?.hasPrefix("VND/") == true || unit == "percent") {
                return qualifierSign(qualifier) + NumberText.grouped(number, language: settings.numbers == .en ? .en : .vi)
            }
            return qualifierSign(qualifier) + formatNumber(Double(number), unit: unit, isInteger: true)
        case .decimal(let number):
            if settings.numbers == .raw { return NumberText.plain(number) }
            if !number.isFinite { return NumberText.plain(number) }
            if unit == nil, isCode || ValueFormatter.isPlainIntegerColumn(columnName), number == number.rounded(), abs(number) < 1e15 {
                return NumberText.plain(number)
            }
            return qualifierSign(qualifier) + formatNumber(number, unit: unit, isInteger: false)
        }
    }

    private func formatNumber(_ number: Double, unit: String?, isInteger: Bool) -> String {
        let language: Language = settings.numbers == .en ? .en : .vi
        if let unit, unit == "VND" || unit.hasPrefix("VND/") {
            return money(number, language: language)
        }
        if unit == "percent" {
            return NumberText.compact(number, maximumDecimals: 2, language: language) + "%"
        }
        if isInteger || number == number.rounded() && abs(number) < 1e15 {
            return NumberText.grouped(number, decimals: 0, language: language)
        }
        if !number.isFinite { return number.description }
        let size = abs(number)
        if size >= 1e15 || (size < 1e-4 && size > 0) {
            return scientific(number, language: language)
        }
        // Enough decimals to show about six significant digits, also below 1 (0,000123457).
        var decimals: Int
        if size < 1 {
            var leadingZeros = 0
            var scaled = size
            while scaled < 0.1 && scaled > 0 { scaled *= 10; leadingZeros += 1 }
            decimals = leadingZeros + 6
        } else {
            decimals = max(0, 6 - (Int(log10(size)) + 1))
        }
        decimals = min(decimals, 10)
        return NumberText.compact(number, maximumDecimals: decimals, language: language)
    }

    /// Very large or very small decimals: `2,9e-13` / `2.9e-13`, `9,2234e18`, never a bare 0 for
    /// a number that is not zero, and never `.` as a decimal mark in Vietnamese.
    private func scientific(_ number: Double, language: Language) -> String {
        var exponent = 0
        var mantissa = abs(number)
        while mantissa >= 10 { mantissa /= 10; exponent += 1 }
        while mantissa < 1 { mantissa *= 10; exponent -= 1 }
        // Recompute from an exact power of ten so the mantissa does not drift.
        if let power = Double("1e\(exponent)"), power != 0, power.isFinite { mantissa = abs(number) / power }
        // 9.99999e15 shows as 1e16, not 10e15: round first, then renormalise.
        mantissa = (mantissa * 10_000).rounded() / 10_000
        if mantissa >= 10 { mantissa /= 10; exponent += 1 }
        let text = NumberText.compact(number < 0 ? -mantissa : mantissa, maximumDecimals: 4, language: language)
        return text + "e" + String(exponent)
    }

    /// `169,96 tỷ đồng` / `169.96 bn VND`; below a million, whole đồng with separators.
    func money(_ amount: Double, language: Language) -> String {
        let size = abs(amount)
        let currency = language == .vi ? "đồng" : "VND"
        let scales: [(Double, String, String)] = [(1e9, "tỷ", "bn"), (1e6, "triệu", "m")]
        for (factor, vi, en) in scales where size >= factor {
            let scaled = amount / factor
            return NumberText.compact(scaled, maximumDecimals: 3, language: language) + " " + (language == .vi ? vi : en) + " " + currency
        }
        // Whole đồng from a thousand up; small per-person amounts keep two decimals.
        let decimals = amount == amount.rounded() || size >= 1000 ? 0 : 2
        return NumberText.grouped(amount, decimals: decimals, language: language) + " " + currency
    }

    private func log10(_ value: Double) -> Double {
        var exponent = 0.0
        var remaining = value
        while remaining >= 10 { remaining /= 10; exponent += 1 }
        return exponent
    }
}
