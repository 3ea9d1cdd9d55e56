import Testing
@testable import AnSinhCore

/// Defects found by the property tests and the differential oracle (Tests/oracle/oracle.py),
/// each with its expected outcome written from the rules in docs/LANGUAGE.md.
@Suite struct OracleRegressionTests {
    /// The importer reads a quoted empty cell as empty text and an unquoted one as null, so CSV
    /// must write an empty text as `""`: it was written as nothing, and came back as null.
    @Test func emptyTextIsWrittenQuotedInCSV() throws {
        var options = CSVOptions()
        options.types = ["t": .text]
        let table = try CSVImporter.load(text: "n,t\n1,\"\"\n2,\n3,x\n", name: "g", options: options).table
        var settings = RenderSettings()
        settings.mode = .csv
        settings.maxRows = nil
        let written = TableRenderer(settings: settings).render(table)
        #expect(written == "n,t\n1,\"\"\n2,\n3,x\n")
        let again = try CSVImporter.load(text: written, name: "g", options: options).table
        let column = try #require(again.columnIndex("t"))
        #expect(again.value(row: 0, column: column) == .text(""))
        #expect(again.value(row: 1, column: column) == .null)
    }
}
