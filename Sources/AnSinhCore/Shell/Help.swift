/// The texts of `.help`, `.tables` and `.schema`, in English and Vietnamese.
public enum Help {
    /// One version for `--version`, the banner and `.help`.
    public static let version = "0.1.0"

    static func text(topic: String?, language: Language) throws(Diagnostic) -> String {
        let vi = language == .vi
        guard let rawTopic = topic?.lowercased() else { return overview(vi: vi) }
        if rawTopic.hasPrefix("."), let command = ShellCommands.find(String(rawTopic.dropFirst())) {
            return "\(command.usage)\n  \(vi ? command.summary.vi : command.summary.en)\n"
        }
        if let command = ShellCommands.find(rawTopic), !topics.contains(rawTopic) {
            return "\(command.usage)\n  \(vi ? command.summary.vi : command.summary.en)\n"
        }
        switch rawTopic {
        case "syntax", "language", "grammar", "ngonngu", "cuphap": return syntax(vi: vi)
        case "stages", "stage", "buoc": return stages(vi: vi)
        case "functions", "function", "ham": return functions(vi: vi)
        case "modes", "mode": return modes(vi: vi)
        case "data", "tables", "dulieu": return data(vi: vi)
        case "export": return export(vi: vi)
        case "keys", "keyboard", "phim": return keys(vi: vi)
        case "import", "nhap": return MessageID.helpImport.format(language, []) + "\n"
        case "tutorial": return vi ? "Gõ .tutorial để bắt đầu; .tutorial list để xem các bài.\n" : "Type .tutorial to start; .tutorial list shows the lessons.\n"
        default:
            throw Diagnostic(.usage, .helpTopicUnknown, [rawTopic, topics.joined(separator: ", ") + ", .COMMAND"], suggestions: UnicodeText.suggestions(for: rawTopic, among: topics + ShellCommands.all.map(\.name)))
        }
    }

    static let topics = ["syntax", "stages", "functions", "modes", "data", "import", "export", "keys", "tutorial"]

    static func overview(vi: Bool) -> String {
        var out = (vi ? "ansinh \(version) — số liệu an sinh xã hội của các quận, huyện Việt Nam\n\n"
                      : "ansinh \(version) — social-welfare figures of Vietnamese districts\n\n")
        out += vi ? "Câu lệnh là một chuỗi bước nối bằng |, ví dụ:\n" : "A statement is a pipeline of stages joined by |, for example:\n"
        out += "  from facts | where district ~ \"thanh xuan\" | summarize total = sum(value) by indicator, unit\n\n"
        out += vi ? "Lệnh chấm:\n" : "Dot-commands:\n"
        // A long usage gets a line of its own, so the summaries keep room at 80 columns.
        let width = min(24, ShellCommands.all.map { UnicodeText.displayWidth($0.usage) }.max() ?? 0)
        for command in ShellCommands.all {
            let summary = vi ? command.summary.vi : command.summary.en
            if UnicodeText.displayWidth(command.usage) > width {
                out += "  " + command.usage + "\n" + String(repeating: " ", count: width + 4) + summary + "\n"
            } else {
                out += "  " + UnicodeText.pad(command.usage, to: width) + "  " + summary + "\n"
            }
        }
        out += "\n" + (vi ? "Chủ đề: .help syntax | stages | functions | modes | data | import | export | keys | tutorial\n"
                          : "Topics: .help syntax | stages | functions | modes | data | import | export | keys | tutorial\n")
        return out
    }

    static func syntax(vi: Bool) -> String {
        if vi {
            return """
            Câu lệnh:
              from BẢNG | bước | bước …          một truy vấn
              let TÊN = from … | …               lưu kết quả thành bảng TÊN
              explain from … | …                 giải thích bằng lời
            Xuống dòng được khi dòng kết thúc bằng | hoặc dòng sau bắt đầu bằng | (trong tệp lệnh).
            Chú thích: # … hoặc -- …   Nhiều câu lệnh trên một dòng: ngăn bằng ;
            Biểu thức:
              số 1_000  3.5  1e9   chuỗi "…" hoặc '…'   true false null   $tham_số   `tên có dấu cách`
              + - * / %  (/ luôn chia chính xác: 5 / 2 = 2.5)
              == != < <= > >=   ~ (chứa, không phân biệt hoa thường và dấu)   !~
              and or not   x in (a, b)   x between a and b   x is null   x is not null
              Thứ tự ưu tiên: or < and < not < so sánh < + - < * / % < - (đơn)
            Xem thêm: .help stages, .help functions

            """
        }
        return """
        Statements:
          from TABLE | stage | stage …       a query
          let NAME = from … | …              keep the result as table NAME
          explain from … | …                 the pipeline in plain words
        A pipeline continues on the next line when a line ends with | or (in scripts) the next starts with |.
        Comments: # … or -- …   Several statements on one line: separate with ;
        Expressions:
          numbers 1_000  3.5  1e9   strings "…" or '…'   true false null   $param   `name with spaces`
          + - * / %  (/ always divides exactly: 5 / 2 = 2.5)
          == != < <= > >=   ~ (contains, ignoring case and diacritics)   !~
          and or not   x in (a, b)   x between a and b   x is null   x is not null
          Precedence: or < and < not < comparisons < + - < * / % < unary -
        See also: .help stages, .help functions

        """
    }

    static func stages(vi: Bool) -> String {
        let rows: [(String, String, String)] = [
            ("where COND", "keep rows where COND is true", "giữ các dòng thỏa COND"),
            ("select ITEM, …", "keep/compute columns: EXPR [as NAME] or NAME = EXPR", "chọn/tính cột: BT [as TÊN] hoặc TÊN = BT"),
            ("derive NAME = EXPR, …", "add columns", "thêm cột"),
            ("summarize AGG, … [by KEY, …]", "one row per group; aggregates ignore nulls", "mỗi nhóm một dòng; hàm gộp bỏ qua null"),
            ("sort EXPR [asc|desc], …", "order rows (nulls last)", "sắp xếp (null ở cuối)"),
            ("take N", "first N rows", "N dòng đầu"),
            ("distinct [COL, …]", "one row per different value", "bỏ dòng trùng"),
            ("join [left] TABLE on KEY, …", "add another table's columns where every key matches (KEY: NAME, or EXPR == NAME)", "ghép cột của bảng khác khi mọi khóa đều khớp (khóa: TÊN, hoặc BIỂU_THỨC == TÊN)"),
            ("pivot ROWS by COL [value AGG]", "long → wide: values of COL become columns", "xoay bảng: giá trị của COL thành cột"),
            ("unpivot COLS into NAME, VALUE", "wide → long: COLS (\"A\"..\"B\", a list, all except …, matching \"RE\") become rows", "bảng rộng → dài: các cột COLS (\"A\"..\"B\", danh sách, all except …, matching \"RE\") thành dòng"),
            ("compare KEY [value COLUMN]", "side by side with difference, ratio, % change (year means year_to); any table", "đặt cạnh nhau, kèm chênh lệch, tỷ số, % thay đổi (year là year_to); mọi bảng"),
            ("chart [bar|spark] [VALUE] [by LABEL]", "bars or a sparkline in the terminal", "biểu đồ thanh hoặc sparkline"),
            ("why", "the article and quote behind each row", "bài báo và câu trích đằng sau mỗi dòng"),
            ("per_capita [COLUMN] [1000]", "value (or COLUMN) per resident, or per 1,000: per_resident, per_1000_residents; names the population year", "value (hoặc COLUMN) trên mỗi người dân, hoặc trên 1.000 người: per_resident, per_1000_residents; ghi rõ năm dân số"),
        ]
        let width = rows.map { UnicodeText.displayWidth($0.0) }.max() ?? 0
        return rows.map { "  " + UnicodeText.pad($0.0, to: width) + "  " + (vi ? $0.2 : $0.1) }.joined(separator: "\n") + "\n"
    }

    static func functions(vi: Bool) -> String {
        var out = vi ? "Hàm:\n" : "Functions:\n"
        out += ScalarFunction.allCases.map { "  " + $0.help(vi: vi) }.joined(separator: "\n") + "\n"
        out += vi ? "Hàm gộp (trong summarize, pivot … value):\n" : "Aggregates (in summarize, pivot … value):\n"
        out += AggregateFunction.allCases.map { "  " + $0.help(vi: vi) }.joined(separator: "\n") + "\n"
        return out
    }

    static func modes(vi: Bool) -> String {
        vi ? """
          box       bảng khung Unicode (mặc định trên màn hình)
          table     bảng khung ASCII (mặc định khi ghi ra tệp/ống)
          markdown  bảng Markdown
          line      mỗi dòng một khối "cột = giá trị"
          csv, tsv  giá trị thô, có dòng tiêu đề (dấu . thập phân, không đơn vị)
          json      mảng các đối tượng; jsonl: mỗi dòng một đối tượng
        .numbers vi|en|raw chọn cách viết số ở các chế độ dành cho người đọc.

        """ : """
          box       Unicode box table (default on a terminal)
          table     ASCII table (default when writing to a file or pipe)
          markdown  Markdown table
          line      one "column = value" block per row
          csv, tsv  raw values with a header row (. decimals, no units)
          json      array of objects; jsonl: one object per line
        .numbers vi|en|raw picks how numbers are written in the human modes.

        """
    }

    static func data(vi: Bool) -> String {
        vi ? """
        facts       mỗi dòng một số liệu trong 5 bài báo: quận, kỳ, chỉ tiêu, giá trị (đơn vị gốc), đơn vị,
                    loại số đo, mức độ chính xác, kế hoạch, nguồn và câu trích
        indicators  ý nghĩa từng chỉ tiêu, nhãn tiếng Việt và tiếng Anh
        districts   4 quận, huyện (dân số 2019 có nguồn); cả 4 đã giải thể ngày 1/7/2025
        sources     5 bài báo; một bài (hnm-tx) cấm sao chép nên chỉ lưu trích dẫn ngắn
        conflicts   các số liệu mâu thuẫn nhau, đặt cạnh nhau
        targets     số liệu có kế hoạch: đạt, kế hoạch, % kế hoạch

        """ : """
        facts       one row per number in the 5 articles: district, period, indicator, value (base units), unit,
                    measure, qualifier, plan, source and quote
        indicators  what each indicator means, Vietnamese and English labels
        districts   the 4 districts (2019 population with sources); all 4 were dissolved on 2025-07-01
        sources     the 5 articles; one (hnm-tx) forbids copying, so only short quotes are kept
        conflicts   figures that disagree, side by side
        targets     figures stated against a plan: achieved, planned, % of plan

        """
    }

    static func export(vi: Bool) -> String {
        vi ? """
        .export TỆP [--force] ghi kết quả gần nhất; định dạng theo đuôi tệp: .csv .tsv .json .jsonl .md .txt
        Tệp được ghi vào một tệp tạm rồi đổi tên, nên không bao giờ bị ghi dở. Tệp đã có không bị ghi đè
        nếu thiếu --force (trên màn hình: ansinh sẽ hỏi). Liên kết tượng trưng được đi theo (tệp đích được
        thay, quyền đọc ghi giữ nguyên); /dev/stdout, /dev/null và ống (FIFO) được ghi thẳng. .output cũng vậy.
        --excel-safe (tùy chọn dòng lệnh): trong tệp .csv/.tsv do .export và .output ghi, ô chữ bắt đầu bằng
        = + - @ (hoặc tab, CR) được thêm dấu ' để bảng tính không chạy chúng như công thức (chống chèn công
        thức); số vẫn giữ là số.
        .report TỆP.html (hoặc .md) bắt đầu gom mọi kết quả hiện ra từ đó; .report không kèm tệp thì ghi báo
        cáo: một trang HTML độc lập (không cần mạng) gồm câu lệnh, bảng như trên màn hình, ghi chú, biểu đồ SVG
        và chú thích nguồn với câu trích nguyên văn. Dòng lệnh: ansinh --report TỆP.html KỊCH_BẢN.asq.

        """ : """
        .export FILE [--force] writes the last result; the format follows the extension: .csv .tsv .json .jsonl .md .txt
        The file is written to a temporary file and renamed, so it is never left half-written. An existing
        file is not replaced without --force (at the prompt, ansinh asks). A symbolic link is followed (the
        file it points to is replaced and keeps its permissions); /dev/stdout, /dev/null and pipes (FIFOs)
        are written directly. .output works the same way.
        --excel-safe (command-line option): in .csv/.tsv files written by .export and .output, text cells
        starting with = + - @ (or a tab or CR) get a leading ' so that a spreadsheet does not run them as
        formulas (formula injection); numbers stay numbers.
        .report FILE.html (or .md) starts collecting every result shown from then on; .report alone writes
        the report: one self-contained HTML page (no network) with each statement, its table as on screen,
        its notes, SVG charts and footnotes quoting the sources. From the shell: ansinh --report FILE.html SCRIPT.asq.

        """
    }

    static func keys(vi: Bool) -> String {
        vi ? """
          Tab        gợi ý: lệnh, bước, bảng, cột, hàm, tên quận/tỉnh/chỉ tiêu (gõ không dấu cũng được)
          ↑ ↓        câu lệnh trước/sau (lịch sử được lưu)     Ctrl-R  tìm trong lịch sử
          Ctrl-C     bỏ dòng đang gõ; trong lúc chạy: hủy truy vấn
          Ctrl-D     thoát (trên dòng trống)

        """ : """
          Tab        complete: commands, stages, tables, columns, functions, district/province/indicator values (accents optional)
          ↑ ↓        previous/next statement (history is saved)   Ctrl-R  search history
          Ctrl-C     discard the line; while a query runs: cancel it
          Ctrl-D     exit (on an empty line)

        """
    }

    static func tables(_ session: Session) -> String {
        let catalog = session.catalog
        let names = catalog.tableNames
        let width = names.map { UnicodeText.displayWidth($0) }.max() ?? 0
        var out = ""
        for name in names {
            guard let table = catalog[name] else { continue }
            let kind = catalog.builtinNames.contains(name) ? "" : (session.language == .vi ? " (do bạn tạo)" : " (yours)")
            let rows = table.remote != nil ? MessageID.remoteRows.format(session.language, []) : session.language == .vi ? "\(table.rowCount) dòng" : "\(table.rowCount) rows"
            out += UnicodeText.terminalSafe(UnicodeText.pad(name, to: width) + "  " + UnicodeText.pad(rows, to: 10) + (table.summary.map { "  " + $0 } ?? "") + kind, keepLineBreaks: false) + "\n"
        }
        return out
    }

    static func schema(_ name: String, session: Session) throws(Diagnostic) -> String {
        guard let table = session.catalog[name] else {
            throw Diagnostic(.name, .unknownTable, [name], suggestions: UnicodeText.suggestions(for: name, among: session.catalog.tableNames))
        }
        let vi = session.language == .vi
        let rows = table.remote != nil ? MessageID.remoteRows.format(session.language, []) : "\(table.rowCount) " + (vi ? "dòng" : "rows")
        var out = "\(name): \(rows)" + (table.summary.map { " — " + $0 } ?? "") + "\n"
        if let source = table.source { out += (vi ? "nguồn: " : "source: ") + source + "\n" }
        let fields = table.fields.filter { !$0.isHidden }
        let nameWidth = fields.map { UnicodeText.displayWidth($0.name) }.max() ?? 0
        for field in fields {
            out += "  " + UnicodeText.pad(field.name, to: nameWidth) + "  " + UnicodeText.pad(field.type.display, to: 8) + (field.description.map { "  " + $0 } ?? "") + "\n"
        }
        for note in table.footnotes { out += "  " + MessageID.schemaFileNote.format(session.language, [note]) + "\n" }
        // Names, titles and footnotes come from imported files: shown, never obeyed.
        return UnicodeText.terminalSafe(out)
    }
}
