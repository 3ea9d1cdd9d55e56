/// The facts behind each row of a result, with their articles: what `why` shows, read from the
/// lineage the result already carries (no re-run). Used by the data package and the report.
struct ResultProvenance {
    struct Fact {
        var row: Int
        var id: String
        var district: String?
        var indicator: String?
        var period: String?
        var value: Value
        var unit: String?
        var qualifier: String?
        var quote: String?
        var source: String?
    }

    struct Article {
        var id: String
        var title: String?
        var publisher: String?
        var published: String?
        var file: String?
    }

    var facts: [Fact] = []
    /// The articles behind the facts, in order of first use.
    var articles: [Article] = []

    var isEmpty: Bool { facts.isEmpty }

    init(table: Table, catalog: Catalog) {
        guard let lineage = table.lineage, let factsTable = catalog["facts"] else { return }
        func text(_ name: String, _ row: Int) -> String? { factsTable.column(name)?.text(at: row) }
        var used: [String] = []
        for row in 0..<min(table.rowCount, lineage.count) {
            var seen = Set<Int32>()
            for fact in lineage[row] where seen.insert(fact).inserted {
                let index = Int(fact)
                guard index >= 0, index < factsTable.rowCount else { continue }
                let source = text("source", index)
                if let source, !used.contains(source) { used.append(source) }
                facts.append(Fact(row: row + 1, id: text("id", index) ?? String(index), district: text("district", index), indicator: text("indicator", index),
                                  period: text("period", index), value: factsTable.column("value")?.value(at: index) ?? .null, unit: text("unit", index),
                                  qualifier: text("qualifier", index), quote: text("quote", index), source: source))
            }
        }
        let sources = catalog["sources"]
        for id in used {
            var article = Article(id: id)
            if let sources, let ids = sources.column("source"), let row = (0..<sources.rowCount).first(where: { ids.text(at: $0) == id }) {
                func field(_ name: String) -> String? { sources.column(name)?.text(at: row).flatMap { $0.isEmpty ? nil : $0 } }
                article.title = field("title")
                article.publisher = field("publisher")
                article.published = field("published")
                article.file = field("file")
            }
            articles.append(article)
        }
    }

    func article(_ id: String?) -> Article? {
        articles.first { $0.id == id }
    }

    /// `title — publisher — date`, as `why` writes it.
    static func citation(_ article: Article) -> String {
        [article.title, article.publisher, article.published].compactMap { $0 }.joined(separator: " — ")
    }
}
