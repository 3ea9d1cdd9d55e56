/// `explain`: a pipeline in plain words, one line per stage, with the rows left after each.
struct Explainer {
    let language: Language
    let source: SourceFile
    let catalog: Catalog

    private func text(_ expr: Expr) -> String {
        source.text(in: expr.range).split(whereSeparator: { $0 == "\n" || $0 == " " || $0 == "\t" }).joined(separator: " ")
    }

    private func items(_ items: [SelectItem]) -> String {
        items.map { item in
            let expression = text(item.expr)
            if let name = item.name, name.text != expression { return "\(name.text) = \(expression)" }
            return expression
        }.joined(separator: ", ")
    }

    private func rows(_ count: Int?) -> String {
        guard let count else { return "" }
        if language == .vi { return "  → \(count) dòng" }
        return "  → \(count) row\(count == 1 ? "" : "s")"
    }

    /// One line per stage, numbered, with the rows each stage leaves.
    func explain(_ pipeline: Pipeline, rowCounts: [Int]) -> [String] {
        steps(pipeline, rowCounts: rowCounts).map { "\($0.step). " + $0.text + rows($0.rows) }
    }

    /// The same as data (for csv/json modes): step number, sentence, rows after the step.
    func steps(_ pipeline: Pipeline, rowCounts: [Int]) -> [(step: Int, text: String, rows: Int?)] {
        let vi = language == .vi
        var lines: [(step: Int, text: String, rows: Int?)] = []
        let summary = catalog[pipeline.source.text]?.summary.map { " — \($0)" } ?? ""
        lines.append((1, (vi ? "Bắt đầu từ bảng `\(pipeline.source.text)`" : "Start from the table `\(pipeline.source.text)`") + summary, rowCounts.first))
        for (index, stage) in pipeline.stages.enumerated() {
            let sentence: String
            switch stage.kind {
            case .filter(let condition):
                sentence = vi ? "Giữ các dòng thỏa điều kiện \(text(condition))." : "Keep the rows where \(text(condition))."
            case .select(let list):
                sentence = vi ? "Chỉ giữ các cột: \(items(list))." : "Keep only the columns \(items(list))."
            case .derive(let list):
                sentence = vi ? "Thêm cột \(items(list))." : "Add the column\(list.count > 1 ? "s" : "") \(items(list))."
            case .summarize(let aggregates, let keys):
                if keys.isEmpty {
                    sentence = vi ? "Gộp tất cả các dòng thành một và tính \(items(aggregates))." : "Combine all rows into one and compute \(items(aggregates))."
                } else {
                    sentence = vi ? "Nhóm các dòng theo \(items(keys)) và tính \(items(aggregates)) cho mỗi nhóm (các nhóm xếp theo khóa)."
                        : "Group the rows by \(items(keys)) and compute \(items(aggregates)) for each group (groups ordered by key)."
                }
            case .sort(let keys):
                let parts = keys.map { key in
                    "\(text(key.expr)) " + (key.descending ? (vi ? "giảm dần" : "largest first") : (vi ? "tăng dần" : "smallest first"))
                }.joined(separator: vi ? ", rồi " : ", then ")
                sentence = vi ? "Sắp xếp theo \(parts) (null ở cuối)." : "Sort by \(parts) (nulls last)."
            case .take(let count):
                sentence = vi ? "Giữ \(text(count)) dòng đầu tiên." : "Keep the first \(text(count)) rows."
            case .distinct(let names):
                let list = names.isEmpty ? (vi ? "tất cả các cột" : "all columns") : names.map(\.text).joined(separator: ", ")
                if names.isEmpty {
                    sentence = vi ? "Bỏ các dòng trùng nhau ở mọi cột, giữ dòng đầu tiên." : "Remove rows that repeat an earlier row in every column, keeping the first."
                } else {
                    sentence = vi ? "Bỏ các dòng trùng nhau theo \(list), giữ dòng đầu tiên." : "Keep one row for each different value of \(list) (the first one)."
                }
            case .join(let isLeft, let table, let keys):
                let match = keys.map { key in
                    let left = text(key.left)
                    return left == key.right.text ? left : "\(left) == \(key.right.text)"
                }.joined(separator: vi ? " và " : " and ")
                let several = keys.count > 1
                if vi {
                    sentence = "Ghép thêm các cột của bảng `\(table.text)` theo \(match)" + (several ? " (mọi khóa phải khớp; khóa null không khớp)" : "") + (isLeft ? "; dòng không khớp vẫn được giữ (với null)." : "; dòng không khớp bị bỏ.")
                } else {
                    sentence = "Add the columns of `\(table.text)` where \(match) " + (several ? "all match (a null key matches nothing)" : "matches") + (isLeft ? "; rows without a match are kept (with nulls)." : "; rows without a match are dropped.")
                }
            case .pivot(let rowItems, let column, let value):
                let cell = value.map(text) ?? "sum(value)"
                sentence = vi ? "Xoay bảng: mỗi giá trị của \(text(column)) thành một cột, mỗi \(items(rowItems)) một dòng, ô là \(cell)."
                    : "Turn each value of \(text(column)) into a column, one row per \(items(rowItems)), each cell \(cell)."
            case .compare(let key, let value):
                let number = value.map { " (\($0.text))" } ?? ""
                sentence = vi ? "Đặt các giá trị\(number) của \(key.text) cạnh nhau, mỗi chỉ tiêu (hoặc mỗi tổ hợp các cột còn lại) một dòng; chỉ tính chênh lệch khi cùng đơn vị, kỳ và loại số đo."
                    : "Put each \(key.text) side by side\(number), one row per indicator (or per combination of the other columns); differences only where unit, period and measure agree."
            case .chart:
                sentence = vi ? "Vẽ biểu đồ thanh (hoặc sparkline) của giá trị." : "Draw the values as bars (or a sparkline)."
            case .why:
                sentence = vi ? "Với mỗi dòng, hiện các số liệu gốc: bài báo, câu trích và mức độ chính xác." : "For each row, show the facts behind it: article, exact quote and qualifier."
            case .perCapita(let column, let scale):
                let per = scale.map(text) ?? "1"
                let name = column?.text ?? "value"
                sentence = vi ? "Chia \(name) cho dân số của quận, huyện (× \(per)); ghi rõ năm của số dân." : "Divide \(name) by the district's population (× \(per)), saying which population year was used."
            case .unpivot(let columns, let nameColumn, let valueColumn):
                let which: String
                switch columns {
                case .list(let ranges):
                    which = ranges.map { range in range.last.map { "`\(range.first.text)` … `\($0.text)`" } ?? "`\(range.first.text)`" }.joined(separator: ", ")
                case .allExcept(let names):
                    let list = names.map { "`\($0.text)`" }.joined(separator: ", ")
                    which = names.isEmpty ? (vi ? "mọi cột" : "every column") : (vi ? "mọi cột trừ \(list)" : "every column except \(list)")
                case .matching(let pattern, _):
                    which = vi ? "các cột có tên khớp \"\(pattern)\"" : "the columns whose names match \"\(pattern)\""
                }
                sentence = vi ? "Chuyển bảng rộng thành dài: mỗi dòng thành một dòng cho mỗi cột trong \(which); tên cột vào `\(nameColumn.text)`, giá trị vào `\(valueColumn.text)` (null vẫn là null)."
                    : "Turn wide into long: one row per input row and each of \(which); the column's name goes into `\(nameColumn.text)`, its value into `\(valueColumn.text)` (nulls stay null)."
            }
            let count = index + 1 < rowCounts.count ? rowCounts[index + 1] : nil
            lines.append((index + 2, sentence, count))
        }
        return lines
    }
}
