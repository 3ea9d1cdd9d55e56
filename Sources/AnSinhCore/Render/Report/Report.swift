/// Results collected for a report (`--report FILE`, `.report FILE`): each statement and its
/// result, with the script that made them. The facts behind each result are read when it is
/// added, while the catalogue is the one it ran against.
public final class ReportCollector {
    public let path: String
    public let overwrite: Bool
    public var scriptName: String?
    public var scriptText: String?
    /// How the report was made, for its "how to reproduce" section (`ansinh --report …`).
    public var commandLine: String?

    struct Entry {
        var statement: String?
        var result: QueryResult
        var provenance: ResultProvenance
    }
    private(set) var entries: [Entry] = []

    public init(path: String, overwrite: Bool, scriptName: String? = nil, scriptText: String? = nil) {
        self.path = path
        self.overwrite = overwrite
        self.scriptName = scriptName
        self.scriptText = scriptText
    }

    public var count: Int { entries.count }

    func add(_ result: QueryResult, statement: String?, catalog: Catalog) {
        entries.append(Entry(statement: statement, result: result, provenance: ResultProvenance(table: result.table, catalog: catalog)))
    }

    /// Markdown (charts as SVG files beside it) or HTML, from the extension.
    public enum Format: Sendable { case html, markdown }

    public static func format(of path: String) -> Format? {
        let lowered = path.lowercased()
        if lowered.hasSuffix(".html") || lowered.hasSuffix(".htm") { return .html }
        if lowered.hasSuffix(".md") || lowered.hasSuffix(".markdown") { return .markdown }
        return nil
    }

    /// Title and introduction from the script's opening comment (`#` lines before the first
    /// statement): the first line is the title, the rest paragraphs. A line that opens with a
    /// short label ("Question:", "How to read it:", "Parameters:") starts a paragraph of its own.
    var heading: (title: String?, intro: [String]) {
        guard let scriptText else { return (nil, []) }
        var lines: [String] = []
        for line in scriptText.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingPrefix(while: { $0 == " " || $0 == "\t" || $0 == "\u{FEFF}" })
            if trimmed.hasPrefix("#") {
                var body = String(trimmed.dropFirst())
                if body.hasPrefix(" ") { body.removeFirst() }
                while body.hasSuffix(" ") || body.hasSuffix("\r") { body.removeLast() }
                lines.append(body)
            } else if trimmed.isEmpty || trimmed == "\r" {
                if !lines.isEmpty { break }
            } else {
                break
            }
        }
        guard var title = lines.first, !title.isEmpty else { return (nil, []) }
        // A title is not a sentence: "Policy credit (…)." loses its full stop.
        if title.hasSuffix("."), !title.hasSuffix("..") { title.removeLast() }
        var paragraphs: [String] = []
        var current = ""
        for line in lines.dropFirst() {
            if line.isEmpty || ReportCollector.opensWithLabel(line) {
                if !current.isEmpty { paragraphs.append(current) }
                current = line
            } else {
                current += current.isEmpty ? line : " " + line
            }
        }
        if !current.isEmpty { paragraphs.append(current) }
        return (title, paragraphs)
    }

    /// `Question: …`: up to four words, then a colon and a space.
    static func opensWithLabel(_ line: String) -> Bool {
        guard let colon = line.firstIndex(of: ":"), line.index(after: colon) < line.endIndex, line[line.index(after: colon)] == " " else { return false }
        let label = line[..<colon]
        guard let first = label.first, first.isUppercase else { return false }
        return label.split(separator: " ").count <= 4 && label.allSatisfy { $0.isLetter || $0 == " " }
    }
}

/// FNV-1a over every table of the catalogue (names, column names and raw values), so a reader
/// can tell whether the data behind a report is the same as theirs.
enum DataFingerprint {
    static func of(_ catalog: Catalog) -> String {
        var hash: UInt64 = 0xcbf29ce484222325
        func add(_ text: String) {
            for byte in text.utf8 {
                hash ^= UInt64(byte)
                hash = hash &* 0x100000001b3
            }
            hash ^= 0x1F
            hash = hash &* 0x100000001b3
        }
        for name in catalog.tableNames {
            guard let table = catalog[name] else { continue }
            add(name)
            let visible = table.visibleColumnIndices
            for column in visible { add(table.fields[column].name) }
            for row in 0..<table.rowCount {
                for column in visible { add(table.columns[column].value(at: row).description) }
            }
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
