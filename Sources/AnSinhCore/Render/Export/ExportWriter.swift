/// What `.export` writes for a result: data modes with their caveat columns (and, for JSON,
/// the notes), Markdown and text tables with the notes under them.
struct ExportWriter {
    let renderer: TableRenderer
    let lessonTitle: (LessonTopic) -> (number: Int, title: String)?

    func text(of result: QueryResult) -> String {
        // A chart's export is the table it was drawn from, as before.
        let body = result.chart == nil ? renderer.render(result, lessonTitle: lessonTitle).body : renderer.render(result.table)
        let notes = renderer.noteTexts(result, lessonTitle: lessonTitle)
        guard !notes.isEmpty else { return body }
        let label = MessageID.labelNote.format(renderer.settings.language, [])
        switch renderer.settings.mode {
        case .markdown:
            // Block quotes: Markdown keeps each note its own paragraph under the table.
            return body + notes.map { note in
                "\n> **\(label):** " + MarkdownText.escape(note.text) + (note.lesson.map { "  \n> " + MarkdownText.escape($0) } ?? "") + "\n"
            }.joined()
        case .box, .table, .line:
            return body + notes.map { "\(label): " + $0.text + ($0.lesson.map { "\n      " + $0 } ?? "") + "\n" }.joined()
        case .csv, .tsv, .json, .jsonl:
            return body
        }
    }
}

/// Text from data inside Markdown: characters that would start markup are escaped.
enum MarkdownText {
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "\\", "`", "*", "_", "[", "]", "<", ">", "|", "#": out += "\\" + String(character)
            case "\n", "\r": out += " "
            default: out.append(character)
            }
        }
        return out
    }
}
