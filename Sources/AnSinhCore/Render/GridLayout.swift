/// Which columns of a box/table grid are shown, and how wide, at a terminal width.
///
/// The rules (issue 16 §1), in order:
/// - numbers, qualifiers and unit words are never cut; nor are short columns (ids, names,
///   years) or identifiers without spaces — only long text with words is cut, at a word;
/// - whole columns are hidden before text is cut below a readable width, least meaningful
///   first: for `facts`, `district`, `indicator`, `period`, `value`, `unit` stay before
///   `province` or `district_type`; columns that are empty in the shown rows go first;
/// - a column a warning points at (`note` after `compare`) is never hidden: when it cannot fit,
///   the result is shown in line mode instead, and says so.
struct GridLayout: Equatable {
    /// Positions (into the visible columns) that are shown, in table order.
    var kept: [Int]
    /// Display width of each kept column.
    var widths: [Int]
    /// Positions hidden to fit.
    var hidden: [Int]
    /// Positions of columns a warning points at that cannot fit: show the result in line mode.
    var lineModeFor: [Int] = []
    /// Whether a `…` column stands for the hidden ones (left out when it would cost a core column).
    var marker: Bool { !hidden.isEmpty && !markerOmitted }
    var markerOmitted = false

    /// What the layout needs to know about one column.
    struct Column {
        var name: String
        var headerWidth: Int
        /// The widest shown cell or the header.
        var natural: Int
        var numeric: Bool
        /// True when a shown cell holds a space or a `_`: text with words (or an identifier made
        /// of words), which may be cut at a word when it is long.
        var hasWords: Bool
        var allNull: Bool
        var mustKeep: Bool
    }

    /// Text columns wider than this (with words in them) may be cut.
    static let longText = 24
    /// A cut column keeps at least this many columns (or its header).
    static let minimumCut = 20
    /// Columns are hidden before a cut column gets narrower than this.
    static let readableCut = 26

    static func cuttable(_ column: Column) -> Bool {
        !column.numeric && column.hasWords && column.natural > longText
    }

    static func minimum(_ column: Column) -> Int {
        cuttable(column) ? min(column.natural, max(column.headerWidth, minimumCut)) : column.natural
    }

    /// The width hiding stops at. A column a warning points at is kept whatever happens, so
    /// fewer columns are hidden for it: it asks for less than the readable width.
    static func preferred(_ column: Column) -> Int {
        let readable = column.mustKeep ? (minimumCut + readableCut) / 2 : readableCut
        return cuttable(column) ? min(column.natural, max(minimum(column), readable)) : column.natural
    }

    /// How much a column is worth keeping: by its name's meaning first, then by kind.
    static func priority(_ column: Column, position: Int) -> Int {
        var score: Int
        switch column.name.lowercased() {
        case "district", "quận", "huyện": score = 100
        case "value", "giá_trị": score = 98
        case "indicator": score = 99  // what a figure is: without it a value means nothing
        case "period": score = 95
        case "unit": score = 94
        case "name", "label", "title", "tên": score = 92
        case "year", "năm": score = 90
        case "achieved", "planned", "pct_of_plan": score = 97  // the figures of `targets`
        case "met": score = 85
        case "id": score = 60
        case "category": score = 45
        case "detail": score = 42
        case "measure": score = 40
        case "source": score = 35
        case "part_of", "target", "target_value", "year_from", "year_to": score = 30
        case "qualifier": score = 25
        case "province": score = 20
        case "district_type": score = 15
        default: score = column.numeric ? 80 : 50
        }
        if position == 0 { score += 5 }  // a result's first column is usually its key
        if column.allNull { score -= 40 }
        if column.natural > 40 && !column.numeric { score -= 15 }
        if column.mustKeep { score += 1000 }
        return score
    }

    /// Border and padding: `│ a │ b │` is the widths plus 3 per column plus 1; the `…` column
    /// that stands for hidden columns takes 4 more.
    static func total(_ widths: [Int], marker: Bool) -> Int {
        widths.reduce(0, +) + 3 * widths.count + 1 + (marker ? 4 : 0)
    }

    static func plan(_ columns: [Column], terminalWidth: Int?) -> GridLayout {
        let all = Array(columns.indices)
        let naturals = columns.map(\.natural)
        guard let terminalWidth, total(naturals, marker: false) > terminalWidth else {
            return GridLayout(kept: all, widths: naturals, hidden: [])
        }
        var kept = all
        let priorities = columns.indices.map { priority(columns[$0], position: $0) }
        func widths(_ measure: (Column) -> Int) -> [Int] { kept.map { measure(columns[$0]) } }
        // Hide the least meaningful columns until the rest fit at a readable width.
        while total(widths(preferred), marker: kept.count < columns.count) > terminalWidth, kept.count > 1 {
            let droppable = kept.filter { !columns[$0].mustKeep }
            // Lowest priority first; of equals, the rightmost.
            guard let drop = droppable.min(by: { priorities[$0] != priorities[$1] ? priorities[$0] < priorities[$1] : $0 > $1 }) else { break }
            kept.removeAll { $0 == drop }
        }
        // A core column (district, indicator, period, value, unit) comes back if the cut columns
        // can make room for it, even at the cost of the `…` column (the footer still names the
        // hidden ones).
        var marker = true
        for candidate in all.filter({ !kept.contains($0) && priorities[$0] >= 90 }).sorted(by: { priorities[$0] > priorities[$1] }) {
            let trial = (kept + [candidate]).sorted()
            let minimums = trial.map { minimum(columns[$0]) }
            if total(minimums, marker: marker) <= terminalWidth {
                kept = trial
            } else if total(minimums, marker: false) <= terminalWidth {
                kept = trial
                marker = false
            }
        }
        // Hiding a wide column can leave room for a narrower one hidden before it: bring those
        // back, most meaningful first.
        for candidate in all.filter({ !kept.contains($0) }).sorted(by: { priorities[$0] > priorities[$1] }) {
            var trial = kept + [candidate]
            trial.sort()
            if total(trial.map { preferred(columns[$0]) }, marker: marker && trial.count < columns.count) <= terminalWidth { kept = trial }
        }
        marker = marker && kept.count < columns.count
        let hidden = all.filter { !kept.contains($0) }
        var fitted = widths(minimum)
        if total(fitted, marker: marker) > terminalWidth {
            let must = kept.filter { columns[$0].mustKeep }
            if !must.isEmpty && columns.count > 1 {
                return GridLayout(kept: all, widths: naturals, hidden: [], lineModeFor: must)
            }
            // One column wider than the terminal: numbers are not cut, so it runs over.
            return GridLayout(kept: kept, widths: fitted, hidden: hidden, markerOmitted: !marker)
        }
        // Share what is left among the cut columns, one column at a time, up to their natural width.
        var spare = terminalWidth - total(fitted, marker: marker)
        let growable = kept.indices.filter { fitted[$0] < naturals[kept[$0]] }
        while spare > 0 {
            var grew = false
            for position in growable where spare > 0 && fitted[position] < naturals[kept[position]] {
                fitted[position] += 1
                spare -= 1
                grew = true
            }
            if !grew { break }
        }
        return GridLayout(kept: kept, widths: fitted, hidden: hidden, markerOmitted: !marker)
    }
}
