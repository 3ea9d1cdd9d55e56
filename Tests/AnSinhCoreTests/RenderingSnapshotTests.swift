import Testing
import Glibc
@testable import AnSinhCore

/// The first screens a newcomer sees, rendered at 80, 120 and 200 columns as at a terminal
/// (box lines, 40 rows, no colour) and compared with the committed snapshots in
/// Cases/snapshots/. `ANSINH_UPDATE_SNAPSHOTS=1 swift test --filter RenderingSnapshot`
/// rewrites them; look at the diff before committing it.
@Suite struct RenderingSnapshotTests {
    static let widths = [80, 120, 200]
    static let screens: [(name: String, lines: [String])] = [
        ("from_facts", ["from facts"]),
        ("compare", ["from facts | compare district"]),
        ("why", ["from facts | where district ~ \"thanh xuan\" | take 3", ".why 1"]),
        ("from_targets", ["from targets"]),
        ("help", [".help"]),
    ]

    static var folder: String {
        let path = #filePath
        return String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)]) + "/Cases/snapshots"
    }

    /// What the screen shows: results and notes, then messages, as the terminal interleaves them.
    static func render(_ lines: [String], width: Int) throws -> String {
        var out = ""
        let session = try Session()
        var settings = RenderSettings()
        settings.mode = .box
        settings.unicode = true
        settings.color = false
        settings.maxRows = 40
        settings.width = width
        settings.widthFixed = true
        settings.language = .en
        session.settings = settings
        let shell = Shell(session: session, writeOut: { out += $0 }, writeErr: { out += $0 })
        shell.interactive = true
        for line in lines {
            out += "ansinh> " + line + "\n"
            shell.runScript(line, fileName: nil, keepGoing: true)
        }
        return out
    }

    static var cases: [(String, Int)] { screens.flatMap { screen in widths.map { (screen.name, $0) } } }

    @Test("rendering snapshots", arguments: cases)
    func snapshot(name: String, width: Int) throws {
        let lines = Self.screens.first { $0.name == name }?.lines ?? []
        let text = try Self.render(lines, width: width)
        let path = "\(Self.folder)/\(name)_\(width).txt"
        if let update = getenvString("ANSINH_UPDATE_SNAPSHOTS"), update == "1" {
            try AtomicFileWriter.write(text, to: path, overwrite: true)
        }
        if name == "help" {
            // `.help` grows with every new command: its snapshot is for looking at; the test
            // checks that it wraps at the width (no line wider, unless one word is).
            for line in text.split(separator: "\n") where UnicodeText.displayWidth(String(line)) > width {
                #expect(!line.trimmingPrefix(" ").contains(" "), "help at \(width): \(line)")
            }
            return
        }
        let expected = try TextFile.read(path)
        #expect(text == expected, "\(path) differs; rerun with ANSINH_UPDATE_SNAPSHOTS=1 and look at the diff")
    }

    /// Every table line fits the width, and no number, qualifier or unit word is cut.
    @Test("tables fit and numbers stay whole", arguments: widths)
    func tablesFit(width: Int) throws {
        for screen in Self.screens where screen.name != "help" {
            let text = try Self.render(screen.lines, width: width)
            for line in text.split(separator: "\n") where line.hasPrefix("│") || line.hasPrefix("┌") || line.hasPrefix("(") {
                #expect(UnicodeText.displayWidth(String(line)) <= width, "\(screen.name) at \(width): \(line)")
            }
            for unitWord in ["tỷ", "triệu", "đồng", "nghìn"] {
                // A cut number would end in a cut word: `58,03 t…`, `tỷ…`, `đồn…`.
                #expect(!text.contains(unitWord + "…") && !text.contains(String(unitWord.prefix(1)) + "…│"), "\(screen.name) at \(width)")
            }
            #expect(!text.contains(" t… │") && !text.contains(",… │"), "\(screen.name) at \(width)")
        }
    }

    /// A column a warning points at is shown: `compare` marks rows in `note`.
    @Test("compare keeps its note column", arguments: widths)
    func compareKeepsNote(width: Int) throws {
        let text = try Self.render(["from facts | compare district"], width: width)
        let header = text.split(separator: "\n").first { $0.hasPrefix("│") } ?? ""
        #expect(header.contains(" note "), "\(header)")
    }

    /// `from facts` shows what a figure is before where it is.
    @Test("from facts keeps district, indicator, period and value", arguments: widths)
    func factsKeepMeaning(width: Int) throws {
        let text = try Self.render(["from facts"], width: width)
        let header = text.split(separator: "\n").first { $0.hasPrefix("│") } ?? ""
        for name in ["district", "indicator", "period", "value"] {
            #expect(header.contains(" \(name) "), "\(name) at \(width): \(header)")
        }
        #expect(text.contains("169 rows, 40 shown: the first 20 and the last 20"))
    }

    @Test func wrapKeepsWordsAndHangsUnderTheSecondColumn() {
        let wrapped = UnicodeText.wrap("  .width N   fit tables to N columns of the terminal, which is a long summary text", width: 40)
        #expect(wrapped == "  .width N   fit tables to N columns of\n             the terminal, which is a\n             long summary text")
        // Display width, not bytes: Vietnamese marks take no column.
        let vietnamese = UnicodeText.wrap("ghi chú: Quận Thanh Xuân đã thực hiện tốt chính sách an sinh", width: 30)
        for line in vietnamese.split(separator: "\n") { #expect(UnicodeText.displayWidth(String(line)) <= 30) }
        #expect(vietnamese.replacing("\n", with: "").replacing("  ", with: " ").contains("Thanh Xuân"))
    }

    @Test func truncationCutsAtAWord() {
        #expect(UnicodeText.truncateAtWord("Trong giai đoạn 2020-2025, nguồn vốn tín dụng", to: 24) == "Trong giai đoạn…")
    }
}

private func getenvString(_ name: String) -> String? {
    guard let value = getenv(name) else { return nil }
    return String(cString: value)
}
