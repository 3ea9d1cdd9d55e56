/// How to read a delimited text file. Every field left nil is found from the file itself.
///
/// Written by the user as one list after the file:
/// `.import FILE AS t (delimiter ';', header 3, null '..', decimal ',', encoding 'windows-1258', types (year integer))`.
public struct CSVOptions: Sendable {
    /// The project's own curated files (datasets/*.csv): plain commas, one header line, no title
    /// lines to look for, no missing markers, no units to find, read on one core.
    static func curated(types: [String: DataType] = [:]) -> CSVOptions {
        var options = CSVOptions(delimiter: 0x2C, types: types)
        options.parallel = false
        options.header = 1
        options.nullMarkers = []
        options.findUnits = false
        return options
    }

    /// `,` `;` tab or `|`; nil chooses from a sample of lines.
    public var delimiter: UInt8?
    /// Column types to use instead of guessing (the built-in tables know theirs).
    public var types: [String: DataType] = [:]
    /// Parse on both cores when the file allows it (no quotes anywhere).
    public var parallel = true
    /// The header's line number (1-based, counting every line of the file); 0 means the file
    /// has no header (columns are named `column1`, …). Nil finds it after any title lines.
    public var header: Int?
    /// Cells that mean "no figure" in number columns; nil is `..` `...` `-` `NA` `n/a`.
    public var nullMarkers: [String]?
    /// The decimal mark; nil decides from the file's numbers.
    public var decimal: DecimalMark?
    /// The encoding; nil reads UTF-8 (BOM or not), UTF-16 with a BOM, else a single-byte one.
    public var encoding: TextEncoding?
    /// More columns than this is refused while the header is read (Excel's own limit).
    public var maximumColumns = 16_384
    /// Look for units and preliminary figures in the title, header and cells (ImportUnits).
    public var findUnits = true
    /// A spreadsheet's sheet to read (nil: the first); only for .xlsx files.
    public var sheet: String?
    /// A spreadsheet's cells to read, as written (`A3:H70`); only for .xlsx files.
    public var range: String?
    /// The options given in the list, by their canonical name (to refuse those that do not apply).
    public var given: Set<String> = []

    public init(delimiter: UInt8? = nil, types: [String: DataType] = [:]) {
        self.delimiter = delimiter
        self.types = types
    }

    var markers: [String] { nullMarkers ?? MissingMarkers.builtin }

    /// The option names, for messages and completion.
    static let names = ["delimiter", "header", "null", "decimal", "encoding", "types", "sheet", "range"]

    /// The name an option is listed under in messages (`sep` is `delimiter`).
    static func canonicalName(_ name: String) -> String {
        switch name {
        case "delim", "sep", "separator": "delimiter"
        case "nulls", "na": "null"
        case "decimal_mark": "decimal"
        case "type": "types"
        case "worksheet": "sheet"
        case "cells": "range"
        default: name
        }
    }

    /// Parses `(delimiter ';', header 3, …)`: the text inside and including the brackets.
    public static func parse(_ text: String) throws(Diagnostic) -> CSVOptions {
        var tokens = try OptionTokens(text)
        var options = CSVOptions()
        try tokens.expect("(")
        if tokens.peek() == .punctuation(")") { _ = tokens.next(); return options }
        while true {
            guard case .word(let rawName)? = tokens.next() else { throw Diagnostic(.usage, .importOptionSyntax, [text]) }
            let name = rawName.lowercased()
            switch name {
            case "delimiter", "delim", "sep", "separator":
                let value = try tokens.value(for: name)
                switch value {
                case ",", "comma": options.delimiter = 0x2C
                case ";", "semicolon": options.delimiter = 0x3B
                case "\t", "\\t", "tab": options.delimiter = 0x09
                case "|", "pipe": options.delimiter = 0x7C
                default: throw Diagnostic(.usage, .importOptionValue, ["delimiter", value, "',' ';' '|' 'tab'"])
                }
            case "header":
                let value = try tokens.value(for: name)
                if ["none", "no", "false", "off"].contains(value.lowercased()) {
                    options.header = 0
                } else if let line = Int(value), line >= 0, line <= 1_000_000 {
                    options.header = line
                } else {
                    throw Diagnostic(.usage, .importOptionValue, ["header", value, "a line number (1 is the first line) or none"])
                }
            case "null", "nulls", "na":
                if tokens.peek() == .punctuation("(") {
                    _ = tokens.next()
                    var markers: [String] = []
                    while true {
                        markers.append(try tokens.value(for: name))
                        if tokens.peek() == .punctuation(",") { _ = tokens.next(); continue }
                        try tokens.expect(")")
                        break
                    }
                    options.nullMarkers = markers
                } else {
                    options.nullMarkers = [try tokens.value(for: name)]
                }
            case "decimal", "decimal_mark":
                let value = try tokens.value(for: name)
                guard let mark = DecimalMark.named(value) else { throw Diagnostic(.usage, .importOptionValue, ["decimal", value, "'.' or ','"]) }
                options.decimal = mark
            case "encoding":
                let value = try tokens.value(for: name)
                guard let encoding = TextEncoding.named(value) else { throw Diagnostic(.usage, .importOptionValue, ["encoding", value, TextEncoding.names]) }
                options.encoding = encoding
            case "types", "type":
                try tokens.expect("(")
                while true {
                    let column = try tokens.value(for: name)
                    let typeName = try tokens.value(for: name)
                    guard let type = DataType.named(typeName) else { throw Diagnostic(.usage, .importOptionValue, ["types", typeName, "integer, decimal, text, boolean"]) }
                    options.types[UnicodeText.nfc(column)] = type
                    if tokens.peek() == .punctuation(",") { _ = tokens.next(); continue }
                    try tokens.expect(")")
                    break
                }
            case "sheet", "worksheet":
                options.sheet = try tokens.value(for: "sheet")
            case "range", "cells":
                options.range = try tokens.value(for: "range")
            default:
                throw Diagnostic(.usage, .importOptionUnknown, [rawName, names.joined(separator: ", ")], suggestions: UnicodeText.suggestions(for: rawName, among: names))
            }
            options.given.insert(canonicalName(name))
            if tokens.peek() == .punctuation(",") { _ = tokens.next(); continue }
            try tokens.expect(")")
            guard tokens.isAtEnd else { throw Diagnostic(.usage, .importOptionSyntax, [text]) }
            return options
        }
    }
}

/// The words of `.import FILE [AS NAME] [(option value, …)]`.
public struct ImportCommand: Sendable, Equatable {
    public var path: String
    public var name: String?
    public var optionsText: String?

    /// Splits the text after `.import`: a path (quoted when it holds spaces), `AS NAME` (or just
    /// NAME, as before), then the option list in brackets.
    public static func parse(_ raw: String) throws(Diagnostic) -> ImportCommand {
        let characters = Array(raw)
        var index = 0
        func skipSpaces() { while index < characters.count, characters[index] == " " || characters[index] == "\t" { index += 1 } }
        func word() -> String? {
            skipSpaces()
            guard index < characters.count, characters[index] != "(" else { return nil }
            if "\"'`".contains(characters[index]) {
                let quote = characters[index]
                index += 1
                var value = ""
                while index < characters.count, characters[index] != quote { value.append(characters[index]); index += 1 }
                index += 1
                return value
            }
            var value = ""
            while index < characters.count, characters[index] != " ", characters[index] != "\t" {
                // `t(delimiter ';')` without a space: the bracket starts the options.
                if characters[index] == "(", !value.isEmpty, index > 0 { break }
                value.append(characters[index])
                index += 1
            }
            return value
        }
        guard let path = word(), !path.isEmpty else { throw Diagnostic(.usage, .commandUsage, []) }
        var command = ImportCommand(path: path)
        if let next = word() {
            if next.lowercased() == "as" {
                guard let name = word(), !name.isEmpty else { throw Diagnostic(.usage, .commandUsage, []) }
                command.name = name
            } else {
                command.name = next
            }
        }
        skipSpaces()
        if index < characters.count {
            guard characters[index] == "(" else { throw Diagnostic(.usage, .commandUsage, []) }
            command.optionsText = String(characters[index...]).trimmingSpaces()
        }
        return command
    }
}

extension DataType {
    /// `integer`, `int`, `decimal`, `number`, `text`, `string`, `boolean`, `bool`.
    static func named(_ text: String) -> DataType? {
        switch text.lowercased() {
        case "integer", "int", "bigint": .integer
        case "decimal", "double", "number", "numeric", "float", "real": .decimal
        case "text", "string", "varchar": .text
        case "boolean", "bool": .boolean
        default: nil
        }
    }
}

/// Tokens of an option list: words, quoted strings ('…', "…" or `…`), brackets and commas.
struct OptionTokens {
    enum Token: Equatable {
        case word(String)
        case string(String)
        case punctuation(Character)
    }

    private var tokens: [Token] = []
    private var position = 0
    private let text: String

    init(_ text: String) throws(Diagnostic) {
        self.text = text
        var characters = Array(text)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if character == " " || character == "\t" { index += 1; continue }
            if character == "(" || character == ")" || character == "," {
                tokens.append(.punctuation(character))
                index += 1
                continue
            }
            if character == "'" || character == "\"" || character == "`" {
                var value = ""
                index += 1
                while true {
                    guard index < characters.count else { throw Diagnostic(.usage, .importOptionSyntax, [text]) }
                    if characters[index] == character {
                        // '' inside '…' is one quote.
                        if index + 1 < characters.count, characters[index + 1] == character { value.append(character); index += 2; continue }
                        index += 1
                        break
                    }
                    value.append(characters[index])
                    index += 1
                }
                tokens.append(.string(value))
                continue
            }
            var word = ""
            while index < characters.count, !" \t(),'\"`".contains(characters[index]) {
                word.append(characters[index])
                index += 1
            }
            tokens.append(.word(word))
        }
        characters.removeAll()
    }

    var isAtEnd: Bool { position >= tokens.count }

    func peek() -> Token? { position < tokens.count ? tokens[position] : nil }

    mutating func next() -> Token? {
        defer { position += 1 }
        return peek()
    }

    mutating func expect(_ punctuation: Character) throws(Diagnostic) {
        guard next() == .punctuation(punctuation) else { throw Diagnostic(.usage, .importOptionSyntax, [text]) }
    }

    /// A quoted string or a bare word.
    mutating func value(for option: String) throws(Diagnostic) -> String {
        switch next() {
        case .string(let value)?, .word(let value)?: return value
        default: throw Diagnostic(.usage, .importOptionMissingValue, [option])
        }
    }
}
