/// `compare`'s `note` cells are written in English in the data (so a result, its CSV and its
/// report are the same whatever `.lang` says); this translates them when a table is shown.
/// A note is parts joined by `; `, each one of the forms `compare` writes.
enum CompareNotes {
    private static let prefixes: [(en: String, vi: String)] = [
        ("units differ: ", "khác đơn vị: "),
        ("measures differ: ", "khác loại số đo: "),
        ("counts differ: ", "khác nội dung: "),
        ("period lengths differ: ", "khác độ dài kỳ: "),
        ("periods differ: ", "khác kỳ: "),
        (MessageID.compareDefinitionsDiffer.format(.en, [""]), MessageID.compareDefinitionsDiffer.format(.vi, [""])),
    ]
    private static let words: [(en: String, vi: String)] = [
        ("(general)", "(chung)"),
        (MessageID.compareDefinitionNotStated.format(.en, []), MessageID.compareDefinitionNotStated.format(.vi, [])),
    ]

    static func translate(_ note: String, to language: Language) -> String {
        guard language == .vi else { return note }
        return note.split(separator: "; ", omittingEmptySubsequences: false).map { translatePart(String($0)) }.joined(separator: "; ")
    }

    private static func translatePart(_ part: String) -> String {
        for (en, vi) in prefixes where part.hasPrefix(en) {
            var rest = String(part.dropFirst(en.count))
            for (word, translated) in words { rest = rest.replacing(word, with: translated) }
            return vi + rest
        }
        // "2021: 2 more figures (see why)"
        for suffix in [" more figures (see why)", " more figure (see why)"] where part.hasSuffix(suffix) {
            let head = part.dropLast(suffix.count)
            guard let colon = head.lastIndex(of: ":") else { break }
            let count = head[head.index(after: colon)...].dropFirst()
            guard !count.isEmpty, count.allSatisfy({ $0.isNumber }) else { break }
            return "\(head[..<colon]): thêm \(count) số liệu khác (xem why)"
        }
        return part
    }
}
