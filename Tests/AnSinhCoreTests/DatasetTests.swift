import Testing
import Glibc
@testable import AnSinhCore

/// The embedded dataset: schema rules, and provenance against the articles when they are here.
@Suite struct DatasetTests {
    let tables: [String: Table]

    init() throws {
        tables = try Dataset.load()
    }

    func texts(_ table: String, _ column: String) -> [String?] {
        guard let table = tables[table], let column = table.column(column) else { return [] }
        return (0..<table.rowCount).map { column.text(at: $0) }
    }

    /// The fixed lists of datasets/README.md.
    static let units: Set<String> = ["VND", "VND/person/year", "VND/household/month", "VND/gift", "VND/savings_book",
        "people", "person_visits", "households", "families", "customers", "cases", "gifts", "savings_books", "cards",
        "decisions", "houses", "classes", "cattle", "models", "sites", "targets", "programmes", "criteria", "wards",
        "communes", "percent", "times"]
    static let measures: Set<String> = ["flow", "annual_average", "stock", "rate", "target", "threshold", "unit_amount"]
    static let qualifiers: Set<String> = ["exact", "about", "more_than", "nearly", "less_than"]

    @Test func requiredFieldsAndKeys() throws {
        let facts = try #require(tables["facts"])
        for name in ["id", "district", "province", "district_type", "period", "year_from", "year_to", "measure", "category",
                     "indicator", "value", "unit", "qualifier", "source", "quote"] {
            let column = try #require(facts.column(name), "missing column \(name)")
            for row in 0..<facts.rowCount {
                #expect(!column.isNull(row), "facts row \(row + 1): \(name) is empty")
            }
        }
        let ids = texts("facts", "id").compactMap { $0 }
        #expect(Set(ids).count == ids.count, "ids are not unique")
        let fromYears = try #require(facts.column("year_from")), toYears = try #require(facts.column("year_to"))
        for row in 0..<facts.rowCount {
            #expect((fromYears.double(at: row) ?? 0) <= (toYears.double(at: row) ?? 0), "row \(row + 1): year_from > year_to")
        }
    }

    @Test func valuesComeFromFixedLists() {
        for unit in Set(texts("facts", "unit").compactMap { $0 }) { #expect(Self.units.contains(unit), "unknown unit \(unit)") }
        for measure in Set(texts("facts", "measure").compactMap { $0 }) { #expect(Self.measures.contains(measure), "unknown measure \(measure)") }
        for qualifier in Set(texts("facts", "qualifier").compactMap { $0 }) { #expect(Self.qualifiers.contains(qualifier), "unknown qualifier \(qualifier)") }
    }

    @Test func referencesResolve() {
        let indicators = Set(texts("indicators", "indicator").compactMap { $0 })
        let sources = Set(texts("sources", "source").compactMap { $0 })
        let districts = Set(texts("districts", "district").compactMap { $0 })
        for indicator in Set(texts("facts", "indicator").compactMap { $0 }) { #expect(indicators.contains(indicator), "indicator \(indicator) is not in indicators") }
        for indicator in indicators { #expect(texts("facts", "indicator").contains(indicator), "indicator \(indicator) is never used") }
        for source in Set(texts("facts", "source").compactMap { $0 }) { #expect(sources.contains(source), "source \(source) is not in sources") }
        for district in Set(texts("facts", "district").compactMap { $0 }) { #expect(districts.contains(district), "district \(district) is not in districts") }
        let ids = Set(texts("facts", "id").compactMap { $0 })
        for parent in texts("facts", "part_of").compactMap({ $0 }) { #expect(ids.contains(parent), "part_of \(parent) is not an id") }
    }

    @Test func everyDistrictSaysItWasDissolved() {
        for dissolved in texts("districts", "dissolved_on") { #expect(dissolved == "2025-07-01") }
    }

    /// The seeds folder beside the repository, if present (CI has it).
    static var seedsFolder: String? {
        let path = #filePath
        var parts = path.split(separator: "/").map(String.init)
        while let last = parts.last, last != "Tests" { parts.removeLast() }
        parts.removeLast()  // Tests
        parts.removeLast()  // the repository folder
        let folder = "/" + (parts + ["shared", "seeds"]).joined(separator: "/")
        return access(folder, F_OK) == 0 ? folder : nil
    }

    @Test func everyQuoteIsInItsArticleAndStatesTheValue() throws {
        guard let folder = Self.seedsFolder else {
            print("skipped provenance: ../shared/seeds is not beside the repository, so quotes cannot be checked against the articles")
            return
        }
        let facts = try #require(tables["facts"])
        let sources = try #require(tables["sources"])
        var articleOf: [String: String] = [:]
        for row in 0..<sources.rowCount {
            guard let id = sources.column("source")?.text(at: row), let file = sources.column("file")?.text(at: row) else { continue }
            articleOf[id] = UnicodeText.nfc(try TextFile.read(folder + "/" + file))
        }
        var perSource: [String: Int] = [:]
        for row in 0..<facts.rowCount {
            let id = facts.column("id")?.text(at: row) ?? "?"
            let source = facts.column("source")?.text(at: row) ?? ""
            let quote = UnicodeText.nfc(facts.column("quote")?.text(at: row) ?? "")
            perSource[source, default: 0] += 1
            let article = try #require(articleOf[source], "\(id): no article for source \(source)")
            #expect(article.contains(quote), "\(id): quote not found verbatim in \(source): \(quote)")
            let note = facts.column("note")?.text(at: row) ?? ""
            if note.hasPrefix("Reading:") || note.hasPrefix("Derived:") { continue }
            let numbers = VietnameseNumber.findAll(in: quote).map(\.value)
            let value = facts.column("value")?.double(at: row)
            let target = facts.column("target_value")?.double(at: row)
            let matches = numbers.contains { number in
                [value, target].compactMap { $0 }.contains { abs($0 - number) <= 1e-6 * max(1, abs(number)) }
            }
            #expect(matches, "\(id): value \(value.map(NumberText.plain) ?? "null") is not a number in its quote \(numbers)")
        }
        print("facts per article: " + perSource.keys.sorted().map { "\($0) \(perSource[$0] ?? 0)" }.joined(separator: ", ") + " (total \(facts.rowCount))")
    }

    @Test func quotesAreShort() {
        // One source forbids copying: quotes are clauses, never whole paragraphs.
        for quote in texts("facts", "quote").compactMap({ $0 }) { #expect(quote.count <= 300, "quote too long: \(quote.prefix(60))…") }
    }
}
