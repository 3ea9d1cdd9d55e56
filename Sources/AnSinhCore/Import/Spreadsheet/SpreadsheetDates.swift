/// What a cell's number format shows: a date, a time of day, or both.
enum DateFormatKind: Equatable {
    case date, time, dateTime

    /// From a format id (the built-in ones: 14–22, 45–47, and the East Asian 27–36, 50–58) or a
    /// custom format code (`dd/mm/yyyy`, `[$-42A]d mmmm yyyy`, `h:mm`): letters d, m, y, h, s
    /// outside quotes, brackets and escapes. `0.0%` and `#,##0` are numbers.
    init?(id: Int, code: String?) {
        switch id {
        case 14, 15, 16, 17, 27...31, 34...36, 50...58: self = .date
        case 18, 19, 20, 21, 32, 33, 45, 46, 47: self = .time
        case 22: self = .dateTime
        default:
            guard let code else { return nil }
            var sawDate = false, sawTime = false
            var inQuotes = false, inBracket = false, escaped = false
            // Only the first section (before `;`) says how a positive number is shown.
            for character in code.lowercased() {
                if escaped { escaped = false; continue }
                if inQuotes { if character == "\"" { inQuotes = false }; continue }
                if inBracket {
                    // `[h]:mm` is elapsed time, still a time.
                    if character == "]" { inBracket = false } else if character == "h" || character == "s" { sawTime = true }
                    continue
                }
                switch character {
                case "\"": inQuotes = true
                case "[": inBracket = true
                case "\\", "_", "*": escaped = true
                case ";": break
                case "d", "y": sawDate = true
                case "h", "s": sawTime = true
                case "m": sawDate = true  // a month, or minutes beside h/s (then a time too)
                default: continue
                }
                if character == ";" { break }
            }
            if sawTime, code.lowercased().contains("m"), !code.lowercased().contains("d"), !code.lowercased().contains("y") {
                self = .time
            } else if sawDate, sawTime {
                self = .dateTime
            } else if sawDate {
                self = .date
            } else if sawTime {
                self = .time
            } else {
                return nil
            }
        }
    }
}

/// Excel's date serials (days since 1899-12-30, or 1904-01-01 in the 1904 system) as ISO text.
enum SpreadsheetDates {
    /// `45382` → `2024-03-31`; `45382.5` → `2024-03-31 12:00:00`; `0.5` as a time → `12:00:00`.
    /// Nil outside years 1–9999 (a number formatted as a date by mistake stays a number).
    static func text(serial: Double, kind: DateFormatKind, date1904: Bool) -> String? {
        guard serial.isFinite, serial >= 0, serial < 2_958_466 else { return nil }
        var days = serial.rounded(.down)
        var seconds = Int(((serial - days) * 86_400).rounded())
        if seconds >= 86_400 { days += 1; seconds -= 86_400 }
        // Excel counts 1900-02-29, which never was: serials before it are one day later.
        let offset = date1904 ? 1462 : (days < 60 ? 1 : 0)
        let (year, month, day) = civil(fromDays: Int(days) - 25_569 + offset)
        let time = two(seconds / 3600) + ":" + two(seconds / 60 % 60) + ":" + two(seconds % 60)
        let date = four(year) + "-" + two(month) + "-" + two(day)
        switch kind {
        case .time where serial < 1: return time
        case .date where seconds == 0, .dateTime where seconds == 0: return date
        default: return date + " " + time
        }
    }

    /// Days since 1970-01-01 → (year, month, day) in the proleptic Gregorian calendar.
    static func civil(fromDays days: Int) -> (Int, Int, Int) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func two(_ value: Int) -> String { value < 10 ? "0" + String(value) : String(value) }
    private static func four(_ value: Int) -> String { String(repeating: "0", count: max(0, 4 - String(value).count)) + String(value) }
}
