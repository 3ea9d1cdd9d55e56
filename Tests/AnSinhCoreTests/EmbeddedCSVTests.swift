import Testing
@testable import AnSinhCore

/// The direct reader of the embedded files (Data/EmbeddedCSV.swift) against the general importer:
/// the same table for every file in the binary, and nil (the importer then reads it) for
/// anything outside the plain case.
@Suite struct EmbeddedCSVTests {
    /// Names, types, codes, dictionaries (same strings in the same order) and null positions.
    func expectSame(_ direct: Table, _ imported: Table, _ name: String) {
        #expect(direct.fields == imported.fields, "\(name): fields")
        #expect(direct.rowCount == imported.rowCount, "\(name): rows")
        guard direct.columns.count == imported.columns.count else {
            Issue.record("\(name): \(direct.columns.count) columns, the importer has \(imported.columns.count)")
            return
        }
        for (index, (a, b)) in zip(direct.columns, imported.columns).enumerated() {
            let column = "\(name).\(direct.fields[index].name)"
            #expect(a.type == b.type, "\(column): type")
            #expect(a.nullCount == b.nullCount, "\(column): nulls")
            if a.type == .text {
                #expect(a.dictionary.strings == b.dictionary.strings, "\(column): dictionary")
            }
            for row in 0..<min(a.count, b.count) {
                if a.isNull(row) != b.isNull(row) || a.value(at: row) != b.value(at: row) || (a.type == .text && !a.isNull(row) && a.codes[row] != b.codes[row]) {
                    Issue.record("\(column) row \(row + 1): \(a.value(at: row)) against the importer's \(b.value(at: row))")
                    break
                }
            }
        }
    }

    @Test func everyEmbeddedFileReadsAsTheImporterReadsIt() throws {
        #expect(Dataset.catalogue.problem == nil)
        for entry in Dataset.catalogue.tables {
            let text = try #require(Dataset.files[entry.name])
            let types = Dictionary(uniqueKeysWithValues: entry.columns.map { ($0.name, $0.type) })
            // The plain case holds for every file now: were one to leave it, start-up would slow
            // down without a word.
            let direct = try #require(EmbeddedCSV.load(text, name: entry.name, types: types), "\(entry.name).csv left the direct reader's plain case")
            let imported = try CSVImporter.load(text: text, name: entry.name, options: CSVOptions.curated(types: types)).table
            expectSame(direct, imported, entry.name)
        }
        for name in ["tables", "columns"] {
            let text = try #require(Dataset.files[name])
            let direct = try #require(EmbeddedCSV.load(text, name: name, types: [:], otherColumns: .text))
            expectSame(direct, try CSVImporter.load(text: text, name: name, options: CSVOptions.curated()).table, name)
        }
    }

    /// Quotes, doubled quotes, a quoted empty text (""), empty cells (null), numbers, booleans
    /// and text that is not NFC (decomposed "Quận" meets composed "Quận": one code).
    @Test func plainCasesMatchTheImporter() throws {
        let decomposed = "Qua\u{0323}\u{0302}n 1", composed = "Quận 1"
        let text = "name,n,x,ok,note\n\"a, \"\"b\"\"\",1,2.5,true,\"\"\n\(decomposed),,-3,false,\n\(composed),-7,,,\"line\nbreak\"\n"
        let types: [String: DataType] = ["name": .text, "n": .integer, "x": .decimal, "ok": .boolean, "note": .text]
        let direct = try #require(EmbeddedCSV.load(text, name: "t", types: types))
        expectSame(direct, try CSVImporter.load(text: text, name: "t", options: CSVOptions.curated(types: types)).table, "t")
        #expect(direct.columns[0].dictionary.strings == ["a, \"b\"", composed])
        #expect(direct.columns[4].value(at: 0) == .text("") && direct.columns[4].isNull(1))
    }

    /// Anything else goes to the importer: a quoted number, a value that is not of its type, a
    /// ragged or blank line, a footnote, CR line ends, a BOM, an unusual header, a column
    /// without a type, a type for a column that is not there, or a single column.
    @Test func theRestIsLeftToTheImporter() {
        let types: [String: DataType] = ["a": .text, "b": .integer]
        for text in ["a,b\nx,\"1\"\n", "a,b\nx,1.5\n", "a,b\nx,1,2\n", "a,b\nx\n", "a,b\nx,1\n\ny,2\n", "a,b\nx,1\nSource: GSO\n",
                     "a,b\r\nx,1\r\n", "\u{FEFF}a,b\nx,1\n", "a,b\nx,1\n\n", "a,b", "a,B\nx,1\n", "a,b c\nx,1\n", "a,a\nx,1\n", "a,\"b\"\nx,1\n",
                     "a,b\nx\"y,1\n", "a,b\n\"x\"y,1\n"] {
            #expect(EmbeddedCSV.load(text, name: "t", types: types) == nil, "\(text.debugDescription)")
        }
        #expect(EmbeddedCSV.load("a,b,c\nx,1,2\n", name: "t", types: types) == nil)
        #expect(EmbeddedCSV.load("a,b\nx,1\n", name: "t", types: ["a": .text, "b": .integer, "c": .text]) == nil)
        #expect(EmbeddedCSV.load("a\nx\n", name: "t", types: ["a": .text]) == nil)
        #expect(EmbeddedCSV.load("a,b\nx,1\n", name: "t", types: types)?.rowCount == 1)
        // The build's literals drop the last line break.
        #expect(EmbeddedCSV.load("a,b\nx,1", name: "t", types: types)?.rowCount == 1)
        #expect(EmbeddedCSV.load("a,b\n\"x\",1\ny,2", name: "t", types: types)?.rowCount == 2)
        #expect(EmbeddedCSV.load("a,b\n", name: "t", types: types)?.rowCount == 0)
    }

    /// A session reads a built-in table when a statement first uses it, and the views over
    /// `facts` see the same facts.
    @Test func sessionTablesAreReadOnFirstUse() throws {
        let session = try Session()
        #expect(Set(session.catalog.tableNames) == Set(Dataset.builtinNames).union(Views.names))
        let facts = try #require(session.catalog["facts"])
        #expect(session.catalog["facts"] === facts)
        #expect(facts.rowCount == (try Dataset.load()["facts"]?.rowCount))
        #expect((session.catalog["conflicts"]?.rowCount ?? 0) > 0)
    }

    /// The contiguous-bytes NFC test (ASCII eight bytes at a time) says what the byte-by-byte one
    /// says, on random mixes of ASCII, Vietnamese letters, combining marks, U+2000, bad and cut sequences.
    @Test func fastNFCCheckAgreesWithTheSequenceOne() {
        let pieces: [[UInt8]] = [Array("abcdefgh".utf8), Array("Quận ".utf8), Array("ư".utf8), Array("ệ".utf8), [0xCC, 0x81], [0xE2, 0x80, 0x80], [0xE2, 0x80, 0x81],
                                 [0xE2, 0x80, 0x94], [0xE1, 0xBA], [0xC3], [0xFF], [0xEA, 0xB0, 0x80], Array(" 1,5 ".utf8), [0x80]]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<3000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 0...12, using: &generator) { bytes += pieces[Int.random(in: 0..<pieces.count, using: &generator)] }
            let slow = UnicodeText.isCertainlyNFC(IteratorSequence(bytes.makeIterator()))
            let fast = bytes.withUnsafeBufferPointer { UnicodeText.isCertainlyNFC($0) }
            #expect(slow == fast, "\(bytes)")
        }
    }
}
