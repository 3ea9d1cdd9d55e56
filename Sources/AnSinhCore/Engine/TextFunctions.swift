/// The text functions for real files (`replace`, `matches`, `extract`, `regex_replace`,
/// `squish`, `starts_with`, `ends_with`, `split_part`, `year_of`, `place`, `place_kind`).
///
/// With the other arguments constant (the usual case: a pattern, a delimiter), each runs once per
/// distinct dictionary value of its text and the rows gather the answers by code; otherwise row
/// by row.
extension Evaluator {
    mutating func textFunction(_ function: ScalarFunction, _ arguments: [Operand], rows: Int, type: DataType) throws(Diagnostic) -> Column {
        let text = arguments[0]
        let others = arguments.dropFirst()
        guard others.allSatisfy(\.isConstant) else {
            let builder = ColumnBuilder(type: type, capacity: rows)
            for row in 0..<rows {
                let values = arguments.map { $0.column.value(at: row * $0.stride) }
                builder.append(Evaluator.textValue(function, values, pattern: nil))
                try budget.spend()
            }
            return builder.finish()
        }
        let constants = others.map { $0.column.value(at: 0) }
        if constants.contains(.null) || text.column.type != .text {
            return Column.nulls(type == .null ? .text : type, count: rows)
        }
        var pattern: TextPattern?
        if [.matches, .extract, .regex_replace].contains(function), case .text(let source) = constants[0] {
            // The binder compiled it already; a failure here cannot happen for a constant.
            pattern = try? TextPattern(source)
            if pattern == nil { return Column.nulls(type, count: rows) }
        }
        if type == .text {
            // Once per distinct value; a null answer (extract with no match, place of an unknown
            // name) becomes a null row.
            let dictionary = TextDictionary()
            var remap: [UInt32?] = []
            remap.reserveCapacity(text.column.dictionary.count)
            for string in text.column.dictionary.strings {
                if case .text(let result) = Evaluator.textValue(function, [.text(string)] + constants, pattern: pattern) {
                    remap.append(dictionary.intern(result))
                } else {
                    remap.append(nil)
                }
                try budget.spend()
            }
            var out = KernelOutput(.text, count: rows)
            let codes = out.codes
            let nullCode = remap.contains(nil) || dictionary.strings.isEmpty ? dictionary.intern("") : 0
            for row in 0..<rows {
                if !text.isNull(row), let code = remap[Int(text.column.codes[row * text.stride])] {
                    codes[row] = code
                } else {
                    codes[row] = nullCode
                    out.setNull(row)
                }
            }
            return out.finish(dictionary: dictionary)
        }
        return try mapText(text, rows: rows, as: type) { string in
            Evaluator.textValue(function, [.text(string)] + constants, pattern: pattern)
        }
    }

    /// One value of a text function (null in, null out).
    static func textValue(_ function: ScalarFunction, _ values: [Value], pattern: TextPattern?) -> Value {
        var texts: [String] = []
        for value in values {
            switch value {
            case .null: return .null
            case .text(let text): texts.append(text)
            default: texts.append(value.description)
            }
        }
        func compiled() -> TextPattern? { pattern ?? (try? TextPattern(texts[1])) }
        switch function {
        case .replace:
            guard !texts[1].isEmpty else { return .text(texts[0]) }
            return .text(texts[0].replacing(texts[1], with: texts[2]))
        case .matches:
            guard let regex = compiled() else { return .null }
            return .boolean(regex.matches(texts[0]))
        case .extract:
            guard let regex = compiled() else { return .null }
            var group = regex.groupCount > 0 ? 1 : 0
            if values.count > 2, case .integer(let requested) = values[2] { group = Int(clamping: requested) }
            return regex.extract(texts[0], group: group).map(Value.text) ?? .null
        case .regex_replace:
            guard let regex = compiled() else { return .null }
            return .text(regex.replaceAll(texts[0], with: texts[2]))
        case .squish:
            return .text(texts[0].squished())
        case .starts_with:
            return .boolean(texts[0].hasPrefix(texts[1]))
        case .ends_with:
            return .boolean(texts[0].hasSuffix(texts[1]))
        case .split_part:
            guard case .integer(let part) = values[2], part >= 1, !texts[1].isEmpty else { return .text("") }
            let parts = texts[0].split(separator: texts[1], omittingEmptySubsequences: false)
            return .text(part <= parts.count ? String(parts[Int(part) - 1]) : "")
        case .year_of:
            return Evaluator.yearOf(texts[0]).map { .integer(Int64($0)) } ?? .null
        case .place:
            return Places.shared.lookup(texts[0]).map { .text($0.name) } ?? .null
        case .place_kind:
            return Places.shared.lookup(texts[0]).map { .text($0.kind.rawValue) } ?? .null
        default:
            return .null
        }
    }

    /// The first run of exactly four digits: "Pre. 2016" → 2016, "2010-2011" → 2010.
    static func yearOf(_ text: String) -> Int? {
        var run = 0
        var value = 0
        var found: Int?
        for scalar in text.unicodeScalars {
            if ("0"..."9").contains(scalar) {
                run += 1
                value = value * 10 + Int(scalar.value - 48)
                if run > 4 { value = 0 }
            } else {
                if run == 4 { found = value; break }
                run = 0
                value = 0
            }
        }
        if found == nil, run == 4 { found = value }
        return found
    }
}

extension String {
    /// Trimmed, with every inner run of white space made one space: " Quang  Nam" → "Quang Nam".
    func squished() -> String {
        var result = ""
        var pendingSpace = false
        for scalar in unicodeScalars {
            if scalar.properties.isWhitespace {
                pendingSpace = !result.isEmpty
            } else {
                if pendingSpace { result.unicodeScalars.append(" ") }
                pendingSpace = false
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
