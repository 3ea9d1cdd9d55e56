/// A Frictionless Data Package (`NAME.datapackage.json`) beside an exported CSV/TSV file.
///
/// Why Frictionless and not CSVW: one JSON file describes the table and, as a second inline
/// resource, the facts and quotes behind its rows; the standard `sources` property holds the
/// articles; and its validator (`frictionless validate`, PyPI) checks the file against the data
/// itself. CSVW needs JSON-LD and a separate validator per language.
struct DataPackageWriter {
    var table: Table
    var result: QueryResult
    var notes: [(id: String, text: String, lesson: String?)]
    var provenance: ResultProvenance
    var statement: String?
    var language: Language
    var created: String

    /// `out/lend.csv` → `out/lend.datapackage.json`.
    static func companionPath(for path: String) -> String {
        let slash = path.lastIndex(of: "/")
        if let dot = path.lastIndex(of: "."), slash.map({ dot > $0 }) ?? true, dot != path.startIndex, path[path.index(before: dot)] != "/" {
            return String(path[..<dot]) + ".datapackage.json"
        }
        return path + ".datapackage.json"
    }

    /// A Data Package name: lower-case letters, digits, `-`, `.`, `_`.
    static func packageName(_ text: String) -> String {
        var name = ""
        for scalar in UnicodeText.fold(text).lowercased().unicodeScalars {
            let keep = (scalar.value >= 0x61 && scalar.value <= 0x7A) || (scalar.value >= 0x30 && scalar.value <= 0x39) || scalar == "-" || scalar == "."
            name.unicodeScalars.append(keep ? scalar : "-")
        }
        return name.isEmpty ? "result" : name
    }

    static func fieldType(_ type: DataType) -> String {
        switch type {
        case .integer: "integer"
        case .decimal: "number"
        case .boolean: "boolean"
        case .text: "string"
        case .null: "any"
        }
    }

    func descriptor(dataPath: String, separator: String) -> String {
        let exported = CaveatReader(table: table).withCaveatColumns()
        let reader = CaveatReader(table: table)
        var fields: [JSONText] = []
        var byName: [String: Int] = [:]
        for column in table.visibleColumnIndices { byName[table.fields[column].name] = column }
        for column in exported.visibleColumnIndices {
            let field = exported.fields[column]
            var members: [(String, JSONText)] = [("name", .string(field.name)), ("type", .string(DataPackageWriter.fieldType(field.type)))]
            var description = field.description
            if let original = byName[field.name], table.fields[original].name == field.name {
                let units = Set((0..<table.rowCount).compactMap { reader.unit(row: $0, column: original) })
                if units.count == 1, let unit = units.first { members.append(("unit", .string(unit))) }
                let (qualified, unitKnown) = reader.columnsToAdd(after: original)
                var parts: [String] = []
                if qualified { parts.append("how exact each figure is: see \(field.name)_qualifier") }
                if unitKnown { parts.append("its unit: see \(field.name)_unit") }
                if units.count > 1 { parts.append("units differ between rows: " + units.sorted().joined(separator: ", ")) }
                if !parts.isEmpty { description = [description, "A figure; " + parts.joined(separator: "; ")].compactMap { $0 }.joined(separator: ". ") }
            }
            if let description { members.append(("description", .string(description))) }
            fields.append(.object(members))
        }
        var resource: [(String, JSONText)] = [
            ("name", .string(DataPackageWriter.packageName(table.name == "" ? "result" : table.name))),
            ("path", .string(dataPath)),
            ("profile", .string("tabular-data-resource")),
            ("format", .string(separator == "\t" ? "tsv" : "csv")),
            ("mediatype", .string(separator == "\t" ? "text/tab-separated-values" : "text/csv")),
            ("encoding", .string("utf-8")),
        ]
        if separator == "\t" { resource.append(("dialect", .object([("delimiter", .string("\t"))]))) }
        resource.append(("schema", .object([("fields", .array(fields))])))
        var resources: [JSONText] = [.object(resource)]
        if !provenance.isEmpty {
            resources.append(factsResource())
        }
        let noteObjects: [JSONText] = notes.map { note in
            .object([("id", .string(note.id)), ("text", .string(note.text))] + (note.lesson.map { [("lesson", JSONText.string($0))] } ?? []))
        }
        let sources: [JSONText] = provenance.articles.map { article in
            var members: [(String, JSONText)] = [("title", .string(ResultProvenance.citation(article).isEmpty ? article.id : ResultProvenance.citation(article)))]
            members.append(("id", .string(article.id)))
            if let publisher = article.publisher { members.append(("publisher", .string(publisher))) }
            if let published = article.published { members.append(("published", .string(published))) }
            if let file = article.file { members.append(("file", .string(file))) }
            return .object(members)
        }
        var description = "Exported by ansinh \(Help.version)"
        if let statement { description += " from: " + statement }
        if !notes.isEmpty { description += "\n\nNotes:\n" + notes.map { "- " + $0.text }.joined(separator: "\n") }
        var package: [(String, JSONText)] = [
            ("profile", .string("tabular-data-package")),
            ("name", .string(DataPackageWriter.packageName(String(DataPackageWriter.companionPath(for: dataPath).dropLast(".datapackage.json".count))))),
            ("title", .string(statement ?? table.name)),
            ("description", .string(description)),
            ("created", .string(created)),
        ]
        if !sources.isEmpty { package.append(("sources", .array(sources))) }
        package.append(("resources", .array(resources)))
        package.append(("ansinh", .object([
            ("version", .string(Help.version)),
            ("statement", JSONText.optional(statement)),
            ("language", .string(language.rawValue)),
            ("notes", .array(noteObjects)),
        ])))
        return JSONText.object(package).rendered() + "\n"
    }

    /// The facts behind the rows, inline: row number, fact, the figure as the article gives it,
    /// the verbatim quote and the article.
    private func factsResource() -> JSONText {
        let names: [(String, String, String)] = [
            ("row", "integer", "row of the exported file (1 = first data row)"),
            ("fact", "string", "id of the fact in ansinh's facts table"),
            ("district", "string", "district"), ("indicator", "string", "indicator"), ("period", "string", "period the figure covers"),
            ("value", "number", "the figure as the article gives it"), ("unit", "string", "its unit"),
            ("qualifier", "string", CaveatReader.qualifierMeaning), ("quote", "string", "the article's words, verbatim"),
            ("source", "string", "id of the article"), ("article", "string", "title of the article"),
            ("publisher", "string", "publisher"), ("published", "string", "date published, when the article gives it"),
        ]
        var rows: [JSONText] = [.array(names.map { .string($0.0) })]
        for fact in provenance.facts {
            let article = provenance.article(fact.source)
            var value = JSONText.value(fact.value)
            if case .integer(let number) = value { value = .number(Double(number)) }
            rows.append(.array([.integer(Int64(fact.row)), .string(fact.id), .optional(fact.district), .optional(fact.indicator), .optional(fact.period),
                                value, .optional(fact.unit), .optional(fact.qualifier), .optional(fact.quote), .optional(fact.source),
                                .optional(article?.title), .optional(article?.publisher), .optional(article?.published)]))
        }
        return .object([
            ("name", .string("facts-behind-rows")),
            ("description", .string("The facts each exported row was computed from, with the quotes behind them (what `why` shows).")),
            ("profile", .string("tabular-data-resource")),
            ("data", .array(rows)),
            ("schema", .object([("fields", .array(names.map { .object([("name", .string($0.0)), ("type", .string($0.1)), ("description", .string($0.2))]) }))])),
        ])
    }
}
