/// Text from data inside HTML and SVG. Every quote, cell, column name and title goes through
/// here, so `<script>`, `"><img onerror=…>` or a `javascript:` link come out as text.
enum HTMLText {
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                // Control characters are not allowed in HTML text: shown as symbols.
                if scalar.value < 0x20 && scalar != "\n" && scalar != "\t" || scalar.value == 0x7F {
                    out.unicodeScalars.append(Unicode.Scalar(0x2400 + min(scalar.value, 0x21)) ?? "?")
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// Escaped text with a line-break opportunity (`<wbr>`) after each `_`, so a long key such
    /// as `meritorious_monthly_allowance_paid` or a header like `period_2021` wraps at its parts
    /// instead of widening its table past a desktop screen.
    static func breakable(_ escaped: String) -> String {
        escaped.contains("_") ? escaped.replacing("_", with: "_<wbr>") : escaped
    }

    /// An id for `href="#…"`: only letters, digits and `-`.
    static func anchor(_ parts: Int...) -> String {
        "f" + parts.map(String.init).joined(separator: "-")
    }
}
