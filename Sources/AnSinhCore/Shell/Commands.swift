/// The arguments of a dot-command as typed.
public struct CommandArguments: Sendable {
    /// Everything after the command name.
    public var raw: String
    /// Split on spaces, "quoted parts" kept together.
    public var words: [String]
    public var source: SourceFile

    /// Words without `--force`, and whether it was given.
    var withoutForce: (words: [String], force: Bool) {
        (words.filter { $0 != "--force" && $0 != "-f" }, words.contains("--force") || words.contains("-f"))
    }
}

/// A dot-command: one row of the table that drives dispatch and `.help`.
struct ShellCommand: Sendable {
    let name: String
    var aliases: [String] = []
    let usage: String
    let summary: (en: String, vi: String)
    /// Print the run time after it when `.timer on` (for `.import`, `.read`).
    var timed = false
    let run: @Sendable (Shell, CommandArguments) throws(Diagnostic) -> Void
}

enum ShellCommands {
    static func find(_ name: String) -> ShellCommand? {
        all.first { $0.name == name || $0.aliases.contains(name) }
    }

    static func usageError() -> Diagnostic { Diagnostic(.usage, .commandUsage, []) }

    static func onOff(_ word: String?) throws(Diagnostic) -> Bool {
        switch word?.lowercased() {
        case "on", "true", "1", "yes", "bật": return true
        case "off", "false", "0", "no", "tắt": return false
        default: throw usageError()
        }
    }

    static let all: [ShellCommand] = [
        ShellCommand(name: "help", aliases: ["h", "?"], usage: ".help [TOPIC|.COMMAND]",
                     summary: ("commands, or help on a topic: syntax, stages, functions, modes, data, export, keys, tutorial",
                               "các lệnh, hoặc trợ giúp theo chủ đề: syntax, stages, functions, modes, data, export, keys, tutorial")) { shell, arguments throws(Diagnostic) in
            shell.emitProse(try Help.text(topic: arguments.words.first, language: shell.session.language))
        },
        ShellCommand(name: "tables", usage: ".tables", summary: ("list the tables, with their rows and what they hold", "liệt kê các bảng, số dòng và nội dung")) { shell, _ throws(Diagnostic) in
            shell.emitProse(Help.tables(shell.session))
        },
        ShellCommand(name: "schema", usage: ".schema [TABLE]", summary: ("columns of a table: type, meaning, row count", "các cột của bảng: kiểu, ý nghĩa, số dòng")) { shell, arguments throws(Diagnostic) in
            guard let name = arguments.words.first else {
                for table in shell.session.catalog.tableNames { shell.emitProse(try Help.schema(table, session: shell.session) + "\n") }
                return
            }
            shell.emitProse(try Help.schema(name, session: shell.session))
        },
        ShellCommand(name: "mode", usage: ".mode box|table|csv|tsv|json|jsonl|markdown|line",
                     summary: ("how results are written (csv/tsv/json/jsonl write raw values)", "cách hiển thị kết quả (csv/tsv/json/jsonl ghi giá trị thô)")) { shell, arguments throws(Diagnostic) in
            guard let word = arguments.words.first else {
                shell.message(.modeCurrent, [shell.session.settings.mode.rawValue])
                return
            }
            guard let mode = OutputMode(rawValue: word.lowercased()) ?? (word.lowercased() == "list" ? .table : nil) else {
                throw Diagnostic(.usage, .unknownMode, [word, OutputMode.allCases.map(\.rawValue).joined(separator: ", ")],
                                 suggestions: UnicodeText.suggestions(for: word, among: OutputMode.allCases.map(\.rawValue)))
            }
            shell.session.settings.mode = mode
        },
        ShellCommand(name: "numbers", usage: ".numbers vi|en|raw",
                     summary: ("numbers as 169,96 tỷ đồng (vi, the default), 169.96 bn VND (en) or 169960000000 (raw)", "số dạng 169,96 tỷ đồng (vi, mặc định), 169.96 bn VND (en) hoặc 169960000000 (raw)")) { shell, arguments throws(Diagnostic) in
            guard let word = arguments.words.first else {
                shell.message(.settingCurrent, ["numbers", shell.session.settings.numbers.rawValue])
                return
            }
            guard let style = NumberStyle(rawValue: word.lowercased()) else { throw usageError() }
            shell.session.settings.numbers = style
        },
        ShellCommand(name: "maxrows", usage: ".maxrows N|off", summary: ("rows shown of a long result: its first and last rows", "số dòng hiện của một kết quả dài: các dòng đầu và cuối")) { shell, arguments throws(Diagnostic) in
            guard let word = arguments.words.first else {
                shell.message(.settingCurrent, ["maxrows", shell.session.settings.maxRows.map(String.init) ?? "off"])
                return
            }
            if word.lowercased() == "off" || word == "0" { shell.session.settings.maxRows = nil; return }
            guard let count = Int(word), count > 0 else { throw usageError() }
            shell.session.settings.maxRows = count
        },
        ShellCommand(name: "width", usage: ".width N|auto", summary: ("fit tables to N columns (auto: the terminal)", "co bảng vừa N cột ký tự (auto: theo màn hình)")) { shell, arguments throws(Diagnostic) in
            guard let word = arguments.words.first else {
                let settings = shell.session.settings
                shell.message(.settingCurrent, ["width", settings.widthFixed ? settings.width.map(String.init) ?? "auto" : "auto" + (settings.width.map { " (\($0))" } ?? "")])
                return
            }
            if word == "auto" || word == "off" {
                shell.session.settings.width = nil
                shell.session.settings.widthFixed = false
                return
            }
            guard let width = Int(word) else { throw usageError() }
            guard width >= 20 else { throw Diagnostic(.value, .widthTooSmall, ["20", word]) }
            shell.session.settings.width = width
            shell.session.settings.widthFixed = true
        },
        ShellCommand(name: "last", usage: ".last", summary: ("show the last result again, every row", "hiện lại kết quả gần nhất, đủ mọi dòng")) { shell, _ throws(Diagnostic) in
            guard let result = shell.session.lastResult else { throw Diagnostic(.usage, .noLastResult) }
            var settings = shell.session.settings
            settings.maxRows = nil
            let rendered = TableRenderer(settings: settings).render(result)
            shell.emit(rendered.body)
            shell.showNotes(rendered.notes)
        },
        ShellCommand(name: "timer", usage: ".timer on|off", summary: ("print the run time of each statement", "in thời gian chạy của mỗi câu lệnh")) { shell, arguments throws(Diagnostic) in
            guard arguments.words.first != nil else {
                shell.message(.settingCurrent, ["timer", shell.timer ? "on" : "off"])
                return
            }
            shell.timer = try onOff(arguments.words.first)
        },
        ShellCommand(name: "once", usage: ".once FILE [--force]",
                     summary: ("send only the next result to FILE, then back to the screen (as sqlite3 and DuckDB)", "chỉ ghi kết quả kế tiếp vào FILE, rồi trở lại màn hình (như sqlite3 và DuckDB)")) { shell, arguments throws(Diagnostic) in
            let (words, force) = arguments.withoutForce
            guard let path = words.first else { throw usageError() }
            try shell.setOutput(path, force: force, once: true)
        },
        ShellCommand(name: "output", usage: ".output [FILE] [--force]",
                     summary: ("send results to FILE (written when closed); no FILE: back to the screen", "ghi kết quả vào FILE (ghi xong khi đóng); không có FILE: trở lại màn hình")) { shell, arguments throws(Diagnostic) in
            let (words, force) = arguments.withoutForce
            try shell.setOutput(words.first, force: force)
            if words.isEmpty { shell.message(.outputToStdout) }
        },
        ShellCommand(name: "read", usage: ".read FILE", summary: ("run the statements of a script file", "chạy các câu lệnh trong một tệp"), timed: true) { shell, arguments throws(Diagnostic) in
            guard let path = arguments.words.first else { throw usageError() }
            try shell.readScript(path)
        },
        ShellCommand(name: "import", usage: ".import FILE [AS NAME] [(option value, …)]",
                     summary: ("load a CSV/TSV file or an Excel .xlsx sheet as a table: delimiter, title lines, header, missing markers (..), decimal mark and encoding are found from the file, and each guess is named in a note; options: delimiter, header, null, decimal, encoding, types, sheet, range (.help import)",
                               "nạp tệp CSV/TSV hoặc một trang tính Excel .xlsx thành bảng: dấu phân cách, dòng tiêu đề, dòng tên cột, ký hiệu thiếu số liệu (..), dấu thập phân và bảng mã được nhận ra từ tệp, mỗi phỏng đoán đều có ghi chú; tùy chọn: delimiter, header, null, decimal, encoding, types, sheet, range (.help import)"), timed: true) { shell, arguments throws(Diagnostic) in
            let command = try ImportCommand.parse(arguments.raw)
            let options = try command.optionsText.map { text throws(Diagnostic) in try CSVOptions.parse(text) } ?? CSVOptions()
            try shell.importFile(command.path, as: command.name, options: options)
        },
        ShellCommand(name: "export", usage: ".export FILE [--force]",
                     summary: ("write the last result to FILE: .csv .tsv .json .jsonl .md .txt", "ghi kết quả gần nhất ra FILE: .csv .tsv .json .jsonl .md .txt")) { shell, arguments throws(Diagnostic) in
            let (words, force) = arguments.withoutForce
            guard let path = words.first else { throw usageError() }
            try shell.export(path, force: force)
        },
        ShellCommand(name: "report", usage: ".report [FILE] [--force]",
                     summary: ("with FILE.html or FILE.md, collect every result from now on into a report; alone, write it: one page with tables, charts, notes and sources (.help export)",
                               "có FILE.html hoặc FILE.md: gom mọi kết quả từ giờ vào một báo cáo; không có FILE: ghi báo cáo ra: một trang gồm bảng, biểu đồ, ghi chú và nguồn (.help export)")) { shell, arguments throws(Diagnostic) in
            let (words, force) = arguments.withoutForce
            if let path = words.first {
                try shell.startReport(path, force: force)
            } else {
                try shell.writeReport()
            }
        },
        ShellCommand(name: "explain", usage: ".explain PIPELINE", summary: ("the pipeline in plain words, with rows after each stage", "giải thích câu lệnh bằng lời, kèm số dòng sau mỗi bước")) { shell, arguments throws(Diagnostic) in
            guard !arguments.raw.isEmpty else { throw usageError() }
            shell.runStatement(Shell.tailSource(arguments.raw, of: arguments.source, keyword: "explain"), display: arguments.source)
        },
        ShellCommand(name: "sql", usage: ".sql [sqlite|duckdb|postgres] PIPELINE",
                     summary: ("the same query in SQL, to run on a larger engine", "câu lệnh tương đương bằng SQL, để chạy trên hệ quản trị lớn hơn")) { shell, arguments throws(Diagnostic) in
            var text = arguments.raw
            var dialect = SQLDialect.sqlite
            if let first = arguments.words.first, let chosen = SQLDialect(rawValue: first.lowercased()) {
                dialect = chosen
                text = String(text.dropFirst(first.count)).trimmingSpaces()
            } else if arguments.words.count >= 2, arguments.words[0].lowercased() != "from", arguments.words[1].lowercased() == "from" {
                // `.sql mysql from …`: a dialect that is not one of ours.
                let names = SQLDialect.allCases.map(\.rawValue)
                throw Diagnostic(.usage, .unknownDialect, [arguments.words[0], names.joined(separator: ", ")],
                                 suggestions: UnicodeText.suggestions(for: arguments.words[0].lowercased(), among: names))
            }
            guard !text.isEmpty else { throw usageError() }
            let source = Shell.tailSource(text, of: arguments.source)
            let (statements, errors) = Parser.parse(source)
            if let first = errors.first { throw first }
            guard let statement = statements.first, case .query(let pipeline) = statement.kind else { throw usageError() }
            let bound = try Binder(catalog: shell.session.catalog, source: source).bind(pipeline)
            shell.emit(try SQLTranslator(dialect: dialect, source: source).translate(bound) + "\n")
        },
        ShellCommand(name: "why", usage: ".why [ROW]", summary: ("the article, quote and qualifier behind the last result (or one row)", "bài báo, câu trích và mức độ chính xác đằng sau kết quả gần nhất (hoặc một dòng)")) { shell, arguments throws(Diagnostic) in
            var row: Int?
            guard arguments.words.count <= 1 else { throw usageError() }
            if let word = arguments.words.first {
                guard let number = Int(word), number >= 1 else { throw usageError() }
                let rows = shell.session.lastResult?.table.rowCount ?? 0
                if shell.session.lastResult != nil, number > rows {
                    if rows == 0 { throw Diagnostic(.value, .whyNoRows, [word]) }
                    throw Diagnostic(.value, .whyRowOutOfRange, [word, String(rows)])
                }
                row = number
            }
            let result = try shell.session.whyLast(row: row)
            var settings = shell.session.settings
            if settings.mode == .box || settings.mode == .table { settings.mode = .line }
            let rendered = TableRenderer(settings: settings).render(result)
            shell.emit(rendered.body)
        },
        ShellCommand(name: "lang", aliases: ["language"], usage: ".lang vi|en", summary: ("language of messages and help", "ngôn ngữ của thông báo và trợ giúp")) { shell, arguments throws(Diagnostic) in
            guard let word = arguments.words.first else {
                shell.message(.settingCurrent, ["lang", shell.session.language.rawValue])
                return
            }
            guard let language = Language(rawValue: word.lowercased()) else { throw usageError() }
            shell.session.language = language
            shell.message(.languageSet)
        },
        ShellCommand(name: "tutorial", aliases: ["learn", "hoc"], usage: Tutorial.usage,
                     summary: ("lessons on reading welfare numbers critically, checked as you go", "các bài học đọc số liệu an sinh một cách có phê phán, có chấm bài")) { shell, arguments throws(Diagnostic) in
            if arguments.words.first?.lowercased() == "export" {
                try shell.exportTutorial(Array(arguments.words.dropFirst()))
                return
            }
            shell.emit(try shell.tutorial.command(arguments.words, session: shell.session) + "\n")
        },
        ShellCommand(name: "safe", usage: ".safe on", summary: ("safe mode for the rest of the session: no file writes, no files outside this folder", "chế độ an toàn đến hết phiên: không ghi tệp, không đọc tệp ngoài thư mục này")) { shell, arguments throws(Diagnostic) in
            guard try onOff(arguments.words.first) else {
                if shell.safeMode { throw Diagnostic(.usage, .safeModeBlocked, [".safe off"]) }
                return
            }
            shell.enableSafeMode()
            shell.message(.safeModeOn)
        },
        ShellCommand(name: "limit", usage: ".limit [rows|cells|columns|import_mb|memory_mb] [N]",
                     summary: ("show or set the limits that stop runaway joins, pivots and imports", "xem hoặc đặt giới hạn cho phép nối, xoay bảng và nhập tệp")) { shell, arguments throws(Diagnostic) in
            let limits = shell.session.limits
            guard arguments.words.count == 2 else {
                guard arguments.words.isEmpty else { throw usageError() }
                shell.emit("rows \(limits.maximumRows)\ncells \(limits.maximumCells)\ncolumns \(limits.maximumColumns)\nimport_mb \(limits.maximumImportMegabytes)\nmemory_mb \(limits.maximumMemoryMegabytes)\n")
                return
            }
            guard let value = Int(arguments.words[1]), value > 0 else { throw usageError() }
            switch arguments.words[0].lowercased() {
            case "rows": shell.session.limits.maximumRows = value
            case "cells": shell.session.limits.maximumCells = value
            case "columns": shell.session.limits.maximumColumns = value
            case "import_mb": shell.session.limits.maximumImportMegabytes = value
            case "memory_mb": shell.session.limits.maximumMemoryMegabytes = value
            default: throw Diagnostic(.usage, .unknownSetting, [arguments.words[0], "rows, cells, columns, import_mb, memory_mb"], suggestions: UnicodeText.suggestions(for: arguments.words[0], among: ["rows", "cells", "columns", "import_mb", "memory_mb"]))
            }
        },
        ShellCommand(name: "param", aliases: ["params"], usage: ".param [--default] [NAME VALUE]",
                     summary: ("set a $parameter (--default: only if --param did not), or list them", "đặt một $tham_số (--default: chỉ khi --param chưa đặt), hoặc liệt kê")) { shell, arguments throws(Diagnostic) in
            var arguments = arguments
            let onlyIfUnset = arguments.words.first == "--default"
            if onlyIfUnset { arguments.words.removeFirst() }
            if arguments.words.isEmpty {
                let lines = shell.session.parameters.keys.sorted().map { "$\($0) = \(shell.session.parameters[$0].map(Parameters.shown) ?? "")" }
                shell.emit(lines.map { $0 + "\n" }.joined())
                return
            }
            guard arguments.words.count >= 2 else { throw usageError() }
            let name = arguments.words[0].hasPrefix("$") ? String(arguments.words[0].dropFirst()) : arguments.words[0]
            try Parameters.checkName(name)
            if onlyIfUnset, shell.session.parameters[name] != nil { return }
            // The value as typed, so that quotes say "text": `.param p "2021"` is the text 2021.
            var rest = Substring(arguments.raw)
            for _ in 0..<(onlyIfUnset ? 2 : 1) {
                rest = rest.drop(while: { $0 == " " || $0 == "\t" }).drop(while: { $0 != " " && $0 != "\t" })
            }
            shell.session.parameters[name] = Parameters.value(String(rest).trimmingSpaces())
        },
        ShellCommand(name: "drop", usage: ".drop NAME", summary: ("forget a table made with let or .import", "xóa một bảng tạo bằng let hoặc .import")) { shell, arguments throws(Diagnostic) in
            guard let name = arguments.words.first else { throw usageError() }
            try shell.session.dropTable(name)
            shell.message(.tableDropped, [name])
        },
        ShellCommand(name: "connect", usage: ".connect postgres://USER@HOST:PORT/DATABASE",
                     summary: ("attach a PostgreSQL database: its tables run there, as pg.SCHEMA.TABLE (password from PGPASSWORD or ~/.pgpass)",
                               "gắn một cơ sở dữ liệu PostgreSQL: các bảng của nó chạy trên máy chủ, tên pg.LƯỢC_ĐỒ.BẢNG (mật khẩu từ PGPASSWORD hoặc ~/.pgpass)")) { shell, arguments throws(Diagnostic) in
            guard arguments.words.count == 1, let url = arguments.words.first else { throw usageError() }
            try shell.connect(url)
        },
        ShellCommand(name: "disconnect", usage: ".disconnect", summary: ("forget the connected database and its tables", "ngắt cơ sở dữ liệu đã kết nối và quên các bảng của nó")) { shell, _ throws(Diagnostic) in
            guard let label = shell.session.disconnect() else { throw Diagnostic(.usage, .remoteNotConnected) }
            shell.message(.remoteDisconnected, [label])
        },
        ShellCommand(name: "quit", aliases: ["exit", "q"], usage: ".quit", summary: ("leave ansinh (also Ctrl-D)", "thoát ansinh (hoặc Ctrl-D)")) { shell, _ throws(Diagnostic) in
            shell.quit()
        },
    ]
}

/// `--param name=value` and `.param`: numbers become numbers, everything else text.
public enum Parameters {
    public static func value(_ text: String) -> Value {
        // A value in quotes is text, without the quotes: --param 'p="2021"' compares with text periods.
        if text.count >= 2, let first = text.first, first == "\"" || first == "'", text.last == first {
            return .text(UnicodeText.nfc(String(text.dropFirst().dropLast())))
        }
        // A number only when written as a number literal is (digits, one `.`, an exponent):
        // `0x10`, `inf`, `nan` and `1_000` stay text, as every other word does.
        guard isDecimalNumeral(text) else {
            if text == "true" { return .boolean(true) }
            if text == "false" { return .boolean(false) }
            return .text(UnicodeText.nfc(text))
        }
        if let integer = Int64(text) { return .integer(integer) }
        if let decimal = Double(text), decimal.isFinite { return .decimal(decimal) }
        if text == "true" { return .boolean(true) }
        if text == "false" { return .boolean(false) }
        return .text(UnicodeText.nfc(text))
    }

    /// `-12`, `3.5`, `.5`, `2.5e-3`: ASCII digits, an optional sign, point and exponent.
    static func isDecimalNumeral(_ text: String) -> Bool {
        var bytes = Array(text.utf8)[...]
        if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
        func digits(_ part: inout ArraySlice<UInt8>) -> Int {
            let count = part.prefix { $0 >= 0x30 && $0 <= 0x39 }.count
            part = part.dropFirst(count)
            return count
        }
        var total = digits(&bytes)
        if bytes.first == UInt8(ascii: ".") { bytes = bytes.dropFirst(); total += digits(&bytes) }
        guard total > 0 else { return false }
        if let e = bytes.first, e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if let sign = bytes.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
            guard digits(&bytes) > 0 else { return false }
        }
        return bytes.isEmpty
    }

    /// Parses `name=value`; nil when malformed.
    public static func parse(_ assignment: String) throws(Diagnostic) -> (String, Value) {
        guard let equals = assignment.firstIndex(of: "="), equals != assignment.startIndex else {
            throw Diagnostic(.usage, .paramMissing, [assignment])
        }
        var name = String(assignment[..<equals])
        if name.hasPrefix("$") { name.removeFirst() }
        try checkName(name)
        return (name, value(String(assignment[assignment.index(after: equals)...])))
    }

    /// A name a query can write after `$`: letters, digits and _, not starting with a digit.
    static func checkName(_ name: String) throws(Diagnostic) {
        guard let first = name.unicodeScalars.first, !(first.value >= 0x30 && first.value <= 0x39),
              name.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic || ($0.value >= 0x30 && $0.value <= 0x39) || $0 == "_" }) else {
            throw Diagnostic(.usage, .paramMalformed, [name])
        }
    }

    /// How `.param` lists a value: text in quotes, so `"2021"` and 2021 look different.
    static func shown(_ value: Value) -> String {
        if case .text(let text) = value { return "\"" + text.replacing("\"", with: "\\\"") + "\"" }
        return value.description
    }
}
