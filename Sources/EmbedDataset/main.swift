// Writes the dataset CSV files as Swift string literals (see Plugins/EmbedDatasetPlugin).
// usage: EmbedDataset OUTPUT.swift INPUT.csv...
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

func readFile(_ path: String) -> String? {
    guard let file = fopen(path, "rb") else { return nil }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let count = fread(&buffer, 1, buffer.count, file)
        if count <= 0 { break }
        bytes.append(contentsOf: buffer[0..<count])
    }
    return String(validating: bytes, as: UTF8.self)
}

func fail(_ message: String) -> Never {
    let text = "EmbedDataset: \(message)\n"
    _ = text.withCString { write(2, $0, strlen($0)) }
    exit(1)
}

let arguments = Array(CommandLine.arguments.dropFirst())
guard let outputPath = arguments.first else { fail("usage: EmbedDataset OUTPUT.swift INPUT.csv...") }

var files: [(name: String, literal: String)] = []
var lessons: [(name: String, literal: String)] = []
for path in arguments.dropFirst() {
    guard let text = readFile(path) else { fail("cannot read \(path) as UTF-8") }
    let fileName = path.split(separator: "/").last.map(String.init) ?? path
    let isLesson = fileName.hasSuffix(".lesson")
    let name = fileName.hasSuffix(".csv") ? String(fileName.dropLast(4)) : fileName
    // A raw string literal needs a delimiter that the text never contains.
    var hashes = "#"
    while text.contains("\"" + hashes) || text.contains("\\" + hashes) { hashes += "#" }
    let body = text.replacing("\r\n", with: "\n")
    let literal = "\(hashes)\"\"\"\n\(body)\(body.hasSuffix("\n") ? "" : "\n")\"\"\"\(hashes)"
    if isLesson { lessons.append((name, literal)) } else { files.append((name, literal)) }
}

var swift = "// Generated at build time by EmbedDataset from datasets/*.csv and lessons/*.lesson. Do not edit.\n"
swift += "enum EmbeddedDataset {\n"
for (property, entries) in [("files", files), ("lessons", lessons)] {
    swift += "    static let \(property): [(name: String, text: String)] = [\n"
    for entry in entries { swift += "        (\"\(entry.name)\", \(entry.literal)),\n" }
    swift += "    ]\n"
}
swift += "}\n"

guard let out = fopen(outputPath, "wb") else { fail("cannot write \(outputPath)") }
fputs(swift, out)
fclose(out)
