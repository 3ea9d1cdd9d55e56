/// The built-in tables, loaded from the CSV files compiled into the binary (`datasets/`).
public enum Dataset {
    public static let builtinNames: [String] = ["facts", "indicators", "districts", "sources"]

    /// Column types and descriptions of the built-in tables (the README of `datasets/` in short).
    static let schema: [String: [(name: String, type: DataType, description: String)]] = [
        "facts": [
            ("id", .text, "stable id: <source>-<number>"),
            ("district", .text, "district name with diacritics"),
            ("province", .text, "province or centrally-run city"),
            ("district_type", .text, "quận (urban) or huyện (rural)"),
            ("period", .text, "the period as written plainly: 2021, 2020-2022, end-2024, per year 2020-2025, by end-2025"),
            ("year_from", .integer, "first year the figure covers"),
            ("year_to", .integer, "last year the figure covers"),
            ("measure", .text, "flow, annual_average, stock, rate, target, threshold or unit_amount"),
            ("category", .text, "theme: poverty, policy_credit, gifts, housing, …"),
            ("indicator", .text, "stable key; labels and definitions in `indicators`"),
            ("detail", .text, "what exactly this row counts, when the indicator alone does not say"),
            ("part_of", .text, "the id of a fact in the same article that includes this one (do not add both)"),
            ("value", .decimal, "the number in base units (169,96 tỷ đồng = 169960000000)"),
            ("unit", .text, "VND, people, households, percent, …"),
            ("qualifier", .text, "exact, about (khoảng), more_than (hơn, trên), nearly (gần), less_than (dưới)"),
            ("target", .text, "plan or X/Y as written (4.509/4.500, đạt 260% KH)"),
            ("target_value", .decimal, "the plan as a number, when the text states it"),
            ("source", .text, "article id; see `sources`"),
            ("quote", .text, "the article's words that state the number"),
            ("note", .text, "readings of malformed numbers (Reading:), derived values (Derived:), caveats"),
        ],
        "indicators": [
            ("indicator", .text, "key used in facts.indicator"),
            ("category", .text, "theme"),
            ("label_vi", .text, "Vietnamese label"),
            ("label_en", .text, "English label"),
            ("unit", .text, "usual unit"),
            ("measure", .text, "usual measure kind"),
            ("definition_en", .text, "one-sentence definition"),
            ("definition_vi", .text, "định nghĩa một câu"),
        ],
        "districts": [
            ("district", .text, "district name (joins facts.district)"),
            ("district_ascii", .text, "name without diacritics"),
            ("province", .text, "province"),
            ("district_type", .text, "quận or huyện"),
            ("wards_communes", .integer, "wards, communes and townships before 2025"),
            ("wards_note", .text, "where that count comes from"),
            ("population", .integer, "residents, with year and source below"),
            ("population_year", .integer, "year of the population figure (2019 census)"),
            ("population_source", .text, "where the population figure was read"),
            ("area_km2", .decimal, "area"),
            ("area_source", .text, "where the area was read"),
            ("dissolved_on", .text, "date the district ceased to exist (2025-07-01 for all four)"),
            ("replaced_by", .text, "the units that took its place"),
            ("replacement_source", .text, "the resolution that dissolved it"),
            ("note", .text, "what the articles' figures describe"),
        ],
        "sources": [
            ("source", .text, "article id (facts.source)"),
            ("file", .text, "file name in shared/seeds"),
            ("title", .text, "headline as shown"),
            ("publisher", .text, "publisher as the page shows it"),
            ("published", .text, "publication date (YYYY-MM-DD) when shown"),
            ("author", .text, "author or signing office"),
            ("districts", .text, "district(s) covered"),
            ("language", .text, "language of the article"),
            ("copying", .text, "copying restrictions"),
            ("note", .text, "what is inferred about the source"),
        ],
    ]

    static let summaries: [String: String] = [
        "facts": "One row per number stated in the five source articles, with its unit, period, qualifier and quote.",
        "indicators": "What each indicator key means, with Vietnamese and English labels.",
        "districts": "The four districts. All four were dissolved on 2025-07-01, when Vietnam ended district-level administration; the figures describe them before that.",
        "sources": "The five articles the facts come from. One (hnm-tx) forbids copying: only short quotes are kept.",
    ]

    /// Loads the embedded CSV files into tables. The facts' `value` carries its unit, qualifier,
    /// measure and period, so results can say what they add up.
    public static func load() throws(Diagnostic) -> [String: Table] {
        var tables: [String: Table] = [:]
        for (name, text) in EmbeddedDataset.files {
            let columns = schema[name] ?? []
            var options = CSVOptions()
            options.types = Dictionary(uniqueKeysWithValues: columns.map { ($0.name, $0.type) })
            options.parallel = false
            // The curated files are plain: no title lines to look for, no missing markers.
            options.delimiter = 0x2C
            options.header = 1
            options.nullMarkers = []
            options.findUnits = false
            let loaded = try CSVImporter.load(text: text, name: name, options: options)
            var fields = loaded.table.fields
            for index in fields.indices {
                if let described = columns.first(where: { $0.name == fields[index].name }) {
                    fields[index].description = described.description
                }
                fields[index].isCode = ["year_from", "year_to", "population_year"].contains(fields[index].name)
            }
            if name == "facts", let value = fields.firstIndex(where: { $0.name == "value" }) {
                fields[value].annotations = Annotations(unit: "unit", qualifier: "qualifier", measure: "measure", period: "period")
                if let target = fields.firstIndex(where: { $0.name == "target_value" }) {
                    fields[target].annotations = Annotations(unit: "unit")
                }
            }
            let lineage: [[Int32]]? = name == "facts" ? (0..<loaded.table.rowCount).map { [Int32($0)] } : nil
            tables[name] = Table(name: name, fields: fields, columns: loaded.table.columns, rowCount: loaded.table.rowCount, lineage: lineage, summary: summaries[name])
        }
        return tables
    }
}
