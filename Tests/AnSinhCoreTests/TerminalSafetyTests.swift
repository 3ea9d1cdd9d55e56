import Testing
import Glibc
@testable import AnSinhCore

/// Text from data (a CSV header or cell, a file name, a quote) must never reach the terminal as
/// control sequences: an ESC could recolour the screen, rewrite the title or move the cursor, and
/// a bidirectional override (U+202E) makes what follows read backwards. Data modes stay raw.
@Suite struct TerminalSafetyTests {
    static let esc = "\u{1B}"
    static let hostile = "name\(esc)[31m,v\nA\(esc)]0;pwn\u{07}x,1\nB\u{202E}evil\u{9B}2J,2\n"

    func run(_ script: String, mode: OutputMode) throws -> (out: String, err: String) {
        let folder = "/tmp/ansinh-terminal-safety-\(getpid())-\(mode.rawValue)"
        mkdir(folder, 0o700)
        defer { unlink(folder + "/h.csv"); rmdir(folder) }
        let file = folder + "/h.csv"
        let handle = fopen(file, "w")
        fputs(Self.hostile, handle)
        fclose(handle)
        let capture = Capture()
        let session = try Session()
        session.settings.mode = mode
        let shell = Shell(session: session, writeOut: { capture.out += $0 }, writeErr: { capture.err += $0 })
        shell.runScript(".import \(file) AS h\n" + script, fileName: nil, keepGoing: true)
        return (capture.out, capture.err)
    }

    static func hasControl(_ text: String) -> Bool {
        text.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\n") || (0x7F...0x9F).contains($0.value) || (0x202A...0x202E).contains($0.value) }
    }

    @Test func tablesSchemaMessagesAndChartsShowControlsAsSymbols() throws {
        let (out, err) = try run(".schema h\n.tables\nfrom h\nfrom h | select nme\nfrom h | chart bar v by name\n", mode: .box)
        #expect(!Self.hasControl(out), "\(out.debugDescription)")
        #expect(!Self.hasControl(err), "\(err.debugDescription)")
        #expect(out.contains("⟨U+202E⟩evil"))
        #expect(out.contains("␛]0;pwn␇x"))
    }

    /// The echo of the statement under an error showed a right-to-left override (and C1
    /// controls) raw: `from sources | where \u{202E} == 1` reversed the rest of the echoed line.
    @Test func errorEchoShowsBidiAndC1ControlsByCodePoint() throws {
        let (_, err) = try run("from h | where \u{202E}x\u{9B}2J == 1\n", mode: .box)
        #expect(err.contains("error"), "\(err.debugDescription)")
        #expect(!Self.hasControl(err), "\(err.debugDescription)")
        #expect(err.contains("⟨U+202E⟩"), "\(err.debugDescription)")
        // The caret still sits under the character it names, past the widened symbol.
        let lines = err.components(separatedBy: "\n")
        if let echo = lines.firstIndex(where: { $0.contains("| from h") }), echo + 1 < lines.count {
            let column = lines[echo].distance(from: lines[echo].startIndex, to: lines[echo].range(of: "⟨U+202E⟩")?.lowerBound ?? lines[echo].endIndex)
            let caret = lines[echo + 1].distance(from: lines[echo + 1].startIndex, to: lines[echo + 1].firstIndex(of: "^") ?? lines[echo + 1].endIndex)
            #expect(column == caret, "\(err)")
        } else {
            Issue.record("no echoed line in \(err.debugDescription)")
        }
    }

    @Test func csvModeStillWritesTheRawCells() throws {
        let (out, _) = try run("from h\n", mode: .csv)
        #expect(out.contains("A\(Self.esc)]0;pwn\u{07}x"))
        #expect(out.contains("\u{202E}evil"))
    }

    @Test func terminalSafeKeepsLineBreaksOnlyWhenAsked() {
        #expect(UnicodeText.terminalSafe("a\nb\(Self.esc)c") == "a\nb␛c")
        #expect(UnicodeText.terminalSafe("a\nb", keepLineBreaks: false) == "a␊b")
        #expect(UnicodeText.terminalSafe("Thanh Xuân") == "Thanh Xuân")
        #expect(UnicodeText.terminalSafe("x\u{2067}y\u{7F}") == "x⟨U+2067⟩y\u{2421}")
    }
}
