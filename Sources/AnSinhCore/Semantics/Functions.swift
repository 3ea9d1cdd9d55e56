/// Scalar functions: computed row by row (in practice column by column).
public enum ScalarFunction: String, CaseIterable, Sendable {
    case abs, round, floor, ceil, lower, upper, fold, length, trim, concat, coalesce
    case `if`, vn_number, text, nullif
    case number
    // Text functions for real files (names as written in exports, wide-table column names).
    case replace, matches, extract, regex_replace, squish, starts_with, ends_with, split_part, year_of
    // Places
    case place, place_kind

    /// Accepted argument counts.
    var arity: ClosedRange<Int> {
        switch self {
        case .abs, .floor, .ceil, .lower, .upper, .fold, .length, .trim, .vn_number, .text: 1...1
        case .round: 1...2
        case .number: 1...2
        case .concat, .coalesce: 1...32
        case .if: 3...3
        case .nullif: 2...2
        case .squish, .year_of, .place, .place_kind: 1...1
        case .matches, .starts_with, .ends_with: 2...2
        case .extract: 2...3
        case .replace, .regex_replace, .split_part: 3...3
        }
    }

    var aritySummary: String {
        arity.lowerBound == arity.upperBound
            ? "\(arity.lowerBound) argument\(arity.lowerBound == 1 ? "" : "s")"
            : arity.upperBound > 3 ? "\(arity.lowerBound) or more arguments" : "\(arity.lowerBound) to \(arity.upperBound) arguments"
    }

    /// One line for `.help functions`, in the learner's language.
    public func help(vi: Bool) -> String { vi ? helpVi : help }

    public var helpVi: String {
        switch self {
        case .abs: "abs(x) — giá trị tuyệt đối"
        case .round: "round(x[, chữ_số]) — làm tròn, nửa thì làm tròn ra xa số 0; chữ_số có thể âm (round(x, -3))"
        case .floor: "floor(x) — số nguyên lớn nhất không vượt quá x"
        case .ceil: "ceil(x) — số nguyên nhỏ nhất không nhỏ hơn x"
        case .lower: "lower(chữ) — chữ thường (cả tiếng Việt: \"ĐÀ\" → \"đà\")"
        case .upper: "upper(chữ) — chữ hoa"
        case .fold: "fold(chữ) — chữ thường, bỏ dấu: fold(\"Nam Từ Liêm\") = \"nam tu liem\""
        case .length: "length(chữ) — số ký tự"
        case .trim: "trim(chữ) — bỏ khoảng trắng ở hai đầu"
        case .concat: "concat(a, b, …) — nối thành chữ; null được tính là rỗng"
        case .coalesce: "coalesce(a, b, …) — đối số đầu tiên không null"
        case .if: "if(điều_kiện, a, b) — a khi điều kiện đúng, ngược lại b"
        case .vn_number: "vn_number(chữ) — số viết kiểu Việt Nam: dấu . ngăn hàng nghìn, dấu , thập phân, có tỷ/triệu/nghìn và %: vn_number(\"169,96 tỷ\") = 169960000000, vn_number(\"14.200\") = 14200"
        case .number: "number(chữ[, dấu_thập_phân]) — một số thuần (không đơn vị); dấu thập phân '.' (mặc định) hoặc ',': number(\"14.200\") = 14.2, number(\"14.200\", \",\") = 14200, number(\"1.234,5\", \",\") = 1234.5; null nếu không đọc được"
        case .text: "text(x) — x dưới dạng chữ"
        case .nullif: "nullif(a, b) — null khi a bằng b, ngược lại a"
        case .replace: "replace(chữ, cũ, mới) — thay mọi chỗ có `cũ` bằng `mới` (đúng từng ký tự)"
        case .matches: "matches(chữ, mẫu) — true khi biểu thức chính quy `mẫu` khớp ở đâu đó: matches(cột, \"^[0-9]{4}\")"
        case .extract: "extract(chữ, mẫu[, nhóm]) — phần khớp đầu tiên (nhóm ngoặc đầu tiên nếu mẫu có ngoặc; nhóm 0 = cả phần khớp); null khi không khớp"
        case .regex_replace: "regex_replace(chữ, mẫu, thay) — thay mọi chỗ khớp; \\1 … \\9 trong `thay` là các nhóm ngoặc"
        case .squish: "squish(chữ) — bỏ khoảng trắng hai đầu và gộp các khoảng trắng liền nhau: squish(\" Quang  Nam\") = \"Quang Nam\""
        case .starts_with: "starts_with(chữ, đầu) — true khi chữ bắt đầu bằng `đầu`"
        case .ends_with: "ends_with(chữ, cuối) — true khi chữ kết thúc bằng `cuối`"
        case .split_part: "split_part(chữ, dấu_tách, n) — phần thứ n (từ 1) khi tách theo dấu_tách; \"\" khi không có phần đó"
        case .year_of: "year_of(chữ) — năm 4 chữ số đầu tiên: year_of(\"Pre. 2016\") = 2016, year_of(\"2010-2011\") = 2010 (năm đầu)"
        case .place: "place(chữ) — tên chuẩn tiếng Việt của tỉnh, vùng hay cả nước từ mọi cách viết thường gặp: place(\"HA NOI\") = \"Hà Nội\"; null khi không biết"
        case .place_kind: "place_kind(chữ) — \"country\", \"region\" hoặc \"province\"; null khi không biết"
        }
    }

    /// One line for `.help functions`.
    public var help: String {
        switch self {
        case .abs: "abs(x) — absolute value"
        case .round: "round(x[, digits]) — rounded half away from zero; digits may be negative (round(x, -3))"
        case .floor: "floor(x) — largest whole number not above x"
        case .ceil: "ceil(x) — smallest whole number not below x"
        case .lower: "lower(text) — lower case (Vietnamese too: \"ĐÀ\" → \"đà\")"
        case .upper: "upper(text) — upper case"
        case .fold: "fold(text) — lower case without diacritics: fold(\"Nam Từ Liêm\") = \"nam tu liem\""
        case .length: "length(text) — number of characters"
        case .trim: "trim(text) — without spaces at both ends"
        case .concat: "concat(a, b, …) — joined as text; null counts as empty"
        case .coalesce: "coalesce(a, b, …) — the first argument that is not null"
        case .if: "if(condition, a, b) — a where the condition is true, else b"
        case .vn_number: "vn_number(text) — a Vietnamese-written number: . groups thousands, , is the decimal mark, tỷ/triệu/nghìn and % allowed: vn_number(\"169,96 tỷ\") = 169960000000, vn_number(\"14.200\") = 14200"
        case .number: "number(text[, decimal_mark]) — a plain number (no units); the decimal mark is '.' (default) or ',': number(\"14.200\") = 14.2, number(\"14.200\", \",\") = 14200, number(\"1.234,5\", \",\") = 1234.5; null when it does not read"
        case .text: "text(x) — x as text"
        case .nullif: "nullif(a, b) — null where a equals b, else a"
        case .replace: "replace(text, old, new) — every occurrence of `old` replaced by `new` (exact characters)"
        case .matches: "matches(text, pattern) — true where the regular expression matches anywhere: matches(name, \"^[0-9]{4}\")"
        case .extract: "extract(text, pattern[, group]) — the first match (its first bracketed group if the pattern has one; group 0 = the whole match); null when nothing matches"
        case .regex_replace: "regex_replace(text, pattern, replacement) — every match replaced; \\1 … \\9 in the replacement are the bracketed groups"
        case .squish: "squish(text) — trimmed, and inner runs of spaces made one: squish(\" Quang  Nam\") = \"Quang Nam\""
        case .starts_with: "starts_with(text, prefix) — true where the text begins with `prefix`"
        case .ends_with: "ends_with(text, suffix) — true where the text ends with `suffix`"
        case .split_part: "split_part(text, delimiter, n) — the n-th part (from 1) between delimiters; \"\" when there is none"
        case .year_of: "year_of(text) — the first 4-digit year: year_of(\"Pre. 2016\") = 2016, year_of(\"2010-2011\") = 2010 (the first end)"
        case .place: "place(text) — the Vietnamese name of a province, region or the whole country from any common spelling: place(\"HA NOI\") = \"Hà Nội\"; null when unknown"
        case .place_kind: "place_kind(text) — \"country\", \"region\" or \"province\"; null when unknown"
        }
    }
}

/// Aggregate functions: one value per group of rows. Nulls are ignored.
public enum AggregateFunction: String, CaseIterable, Sendable {
    case count, sum, avg, min, max, median, count_distinct, first, last

    public func help(vi: Bool) -> String { vi ? helpVi : help }

    public var helpVi: String {
        switch self {
        case .count: "count() — số dòng; count(x) — số dòng có x khác null"
        case .sum: "sum(x) — tổng"
        case .avg: "avg(x) — trung bình cộng"
        case .min: "min(x) — nhỏ nhất (chữ: đứng đầu theo thứ tự tiếng Việt)"
        case .max: "max(x) — lớn nhất"
        case .median: "median(x) — trung vị (trung bình của hai giá trị giữa khi số lượng chẵn)"
        case .count_distinct: "count_distinct(x) — số giá trị khác nhau"
        case .first: "first(x) — giá trị khác null đầu tiên theo thứ tự hiện tại"
        case .last: "last(x) — giá trị khác null cuối cùng theo thứ tự hiện tại"
        }
    }

    public var help: String {
        switch self {
        case .count: "count() — rows; count(x) — rows where x is not null"
        case .sum: "sum(x) — total"
        case .avg: "avg(x) — mean"
        case .min: "min(x) — smallest (text: first in Vietnamese order)"
        case .max: "max(x) — largest"
        case .median: "median(x) — middle value (mean of the two middle ones for an even count)"
        case .count_distinct: "count_distinct(x) — number of different values"
        case .first: "first(x) — the first non-null value in the current order"
        case .last: "last(x) — the last non-null value in the current order"
        }
    }

    static func named(_ name: String) -> AggregateFunction? {
        switch name.lowercased() {
        case "mean", "average": .avg
        case "n_distinct", "dcount", "distinct_count": .count_distinct
        default: AggregateFunction(rawValue: name.lowercased())
        }
    }
}

enum FunctionCatalog {
    static var allNames: [String] {
        ScalarFunction.allCases.map(\.rawValue) + AggregateFunction.allCases.map(\.rawValue)
    }
}
