import Testing
import Glibc
@testable import AnSinhCore

/// Runs the language cases in `Cases/*.test`: text files that read like the language.
///
/// ```
/// query                      the statement's result as CSV (raw values, header row)
/// from facts | summarize n = count()
/// ----
/// n
/// 169
///
/// error                      the message, location and caret, exactly as printed
/// from facts | where distrct == 1
/// ----
/// 1:20: error: unknown column `distrct` — did you mean `district`?
///  1 | from facts | where distrct == 1
///    |                    ^^^^^^^
///
/// render box width=60 numbers=en lang=vi    the rendered table in a mode
/// statement ok               runs without an error (a `let`, a dot-command)
/// output                     a dot-command's output (stdout then stderr)
/// ```
/// `$CASES` in a block is replaced by the path of the Cases folder (for `.import $CASES/fixtures/…`).
/// A block's expected text runs until a blank line followed by the next block keyword (or the
/// end of the file), so expected output may contain blank lines. `#` lines between blocks are
/// comments. Each file runs in one session, so `let` tables carry over to later blocks.
struct LanguageCase: CustomTestStringConvertible, Sendable {
    var file: String
    var line: Int
    var kind: String
    var options: [String: String]
    var input: String
    var expected: String

    var testDescription: String { "\(file):\(line) \(kind)" }

    static let keywords = ["query", "error", "render", "statement", "output", "warns"]

    static var folder: String {
        let path = #filePath
        return String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)]) + "/Cases"
    }

    static func load() -> [CaseFile] {
        var files: [CaseFile] = []
        for path in caseFiles() {
            guard let text = try? TextFile.read(path) else { continue }
            let name = String(path.split(separator: "/").last ?? "")
            files.append(CaseFile(name: name, cases: parse(text, file: name)))
        }
        return files
    }

    static func caseFiles() -> [String] {
        var files: [String] = []
        guard let directory = opendir(folder) else { return [] }
        defer { closedir(directory) }
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) } }
            if name.hasSuffix(".test") { files.append(folder + "/" + name) }
        }
        return files.sorted()
    }

    static func parse(_ text: String, file: String) -> [LanguageCase] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var cases: [LanguageCase] = []
        var index = 0
        func isBlockStart(_ line: String) -> Bool {
            keywords.contains(String(line.split(separator: " ").first ?? ""))
        }
        while index < lines.count {
            let line = lines[index]
            guard isBlockStart(line) else { index += 1; continue }
            let header = line.split(separator: " ").map(String.init)
            var options: [String: String] = [:]
            for word in header.dropFirst() {
                let parts = word.split(separator: "=", maxSplits: 1).map(String.init)
                options[parts[0]] = parts.count > 1 ? parts[1] : ""
            }
            let start = index + 1
            index += 1
            var input: [String] = []
            while index < lines.count, lines[index] != "----", !(lines[index].isEmpty && header[0] == "statement") {
                input.append(lines[index])
                index += 1
            }
            var expected: [String] = []
            if index < lines.count, lines[index] == "----" {
                index += 1
                while index < lines.count {
                    if lines[index].isEmpty, index + 1 < lines.count, isBlockStart(lines[index + 1]) || lines[index + 1].hasPrefix("#") { break }
                    expected.append(lines[index])
                    index += 1
                }
            }
            while let last = expected.last, last.isEmpty { expected.removeLast() }
            cases.append(LanguageCase(file: file, line: start, kind: header[0], options: options,
                                      input: input.joined(separator: "\n"), expected: expected.joined(separator: "\n")))
        }
        return cases
    }
}

/// One `.test` file: its cases run in order in one session.
struct CaseFile: CustomTestStringConvertible, Sendable {
    var name: String
    var cases: [LanguageCase]
    var testDescription: String { "\(name) (\(cases.count) cases)" }
}

/// Output captured from one shell.
final class Capture: @unchecked Sendable {
    var out = ""
    var err = ""
    func reset() { out = ""; err = "" }
}

func trimmedLines(_ text: String) -> String {
    text.split(separator: "\n", omittingEmptySubsequences: false)
        .map { line in String(line.reversed().drop(while: { $0 == " " }).reversed()) }
        .joined(separator: "\n")
        .trimmingSpaces()
}

@Suite struct LanguageCaseTests {
    @Test("language cases", arguments: LanguageCase.load())
    func runFile(_ file: CaseFile) throws {
        let cases = file.cases
        let capture = Capture()
        let session = try Session()
        let shell = Shell(session: session, writeOut: { capture.out += $0 }, writeErr: { capture.err += $0 })
        for testCase in cases {
            capture.reset()
            var settings = RenderSettings()
            settings.maxRows = nil
            settings.mode = .csv
            settings.unicode = true
            if testCase.kind == "render" || testCase.kind == "warns" {
                settings.mode = OutputMode(rawValue: testCase.options.keys.first { OutputMode(rawValue: $0) != nil } ?? "box") ?? .box
                settings.width = testCase.options["width"].flatMap { Int($0) }
                settings.numbers = testCase.options["numbers"].flatMap(NumberStyle.init(rawValue:)) ?? .vi
                settings.maxRows = testCase.options["maxrows"].flatMap { Int($0) }
            }
            settings.language = testCase.options["lang"].flatMap(Language.init(rawValue:)) ?? .en
            session.settings = settings
            // `$CASES` stands for this folder, so fixtures can be imported from any working directory.
            shell.runScript(testCase.input.replacing("$CASES", with: LanguageCase.folder), fileName: nil, keepGoing: false)
            let location = "\(testCase.file):\(testCase.line)"
            switch testCase.kind {
            case "query", "render":
                #expect(capture.err.isEmpty || !capture.err.contains("error"), "\(location): unexpected error:\n\(capture.err)")
                #expect(trimmedLines(capture.out) == trimmedLines(testCase.expected), "\(location)\n--- got ---\n\(capture.out)")
            case "warns":
                // Each expected line must appear in the output (the notes under the result);
                // a line starting with `! ` must not. Spaces and line breaks are not compared,
                // so a wrapped note still matches.
                let shown = (capture.out + capture.err).split(whereSeparator: \.isWhitespace).joined(separator: " ")
                #expect(!testCase.expected.isEmpty, "\(location): a `warns` block must say what it expects")
                for line in testCase.expected.split(separator: "\n") {
                    let wanted = line.split(whereSeparator: \.isWhitespace).joined(separator: " ")
                    if wanted.hasPrefix("! ") {
                        #expect(!shown.contains(wanted.dropFirst(2)), "\(location): must not say `\(wanted.dropFirst(2))`\n--- got ---\n\(capture.out + capture.err)")
                    } else if !wanted.isEmpty {
                        #expect(shown.contains(wanted), "\(location): missing `\(wanted)`\n--- got ---\n\(capture.out + capture.err)")
                    }
                }
            case "error":
                #expect(trimmedLines(capture.err) == trimmedLines(testCase.expected), "\(location)\n--- got ---\n\(capture.err)")
            case "statement":
                #expect(!capture.err.contains("error"), "\(location): \(capture.err)")
            case "output":
                #expect(trimmedLines(capture.out + capture.err) == trimmedLines(testCase.expected), "\(location)\n--- got ---\n\(capture.out + capture.err)")
            default:
                Issue.record("\(location): unknown block `\(testCase.kind)`")
            }
        }
    }
}
