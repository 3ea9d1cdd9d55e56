/// The ways statistics offices write "no figure": `..` (PX-Web), `...`, `-`, `NA`, `n/a`.
///
/// In a number column such a cell is null, and the import says in one note which markers it
/// met, how many cells and in which columns. In a text column the cell is kept as written.
enum MissingMarkers {
    /// The markers recognised without options, in the order notes list them.
    static let builtin: [String] = ["..", "...", "-", "NA", "n/a"]

    /// The index in `markers` of the marker these bytes spell (`NA`, `N/A` and `na` alike), or nil.
    @inline(__always)
    static func match(_ base: UnsafePointer<UInt8>, _ count: Int, markers: [[UInt8]]) -> Int? {
        guard count > 0, count <= 8 else { return nil }
        for (index, marker) in markers.enumerated() where marker.count == count {
            var same = true
            for offset in 0..<count {
                var byte = base[offset]
                var wanted = marker[offset]
                if byte >= 0x41 && byte <= 0x5A { byte |= 0x20 }
                if wanted >= 0x41 && wanted <= 0x5A { wanted |= 0x20 }
                if byte != wanted { same = false; break }
            }
            if same { return index }
        }
        return nil
    }

    static func bytes(_ markers: [String]) -> [[UInt8]] { markers.map { Array($0.utf8) }.filter { !$0.isEmpty && $0.count <= 8 } }
}

/// Counts of missing markers read as null, per column and marker, gathered while parsing.
struct MarkerCounts: Sendable {
    /// `cells[column * markerCount + marker]`.
    var cells: [Int]
    let markerCount: Int

    init(columns: Int, markers: Int) {
        markerCount = max(1, markers)
        cells = [Int](repeating: 0, count: columns * markerCount)
    }

    @inline(__always) mutating func add(column: Int, marker: Int) { cells[column * markerCount + marker] += 1 }

    mutating func merge(_ other: MarkerCounts) {
        for index in cells.indices where index < other.cells.count { cells[index] += other.cells[index] }
    }

    var isEmpty: Bool { !cells.contains { $0 > 0 } }

    /// One note: `..` read as null in 45 cells of 12 columns (`Total 1995`, …).
    func note(markers: [String], names: [String]) -> Diagnostic.Note? {
        guard !isEmpty else { return nil }
        var usedMarkers: [String] = []
        var total = 0
        var columns: [String] = []
        for marker in 0..<markerCount {
            var used = false
            for column in names.indices where cells[column * markerCount + marker] > 0 {
                used = true
                total += cells[column * markerCount + marker]
            }
            if used, marker < markers.count { usedMarkers.append("`\(markers[marker])`") }
        }
        for column in names.indices where (0..<markerCount).contains(where: { cells[column * markerCount + $0] > 0 }) {
            columns.append(names[column])
        }
        let shown = columns.prefix(4).map { "`\($0)`" }.joined(separator: ", ") + (columns.count > 4 ? ", … (\(columns.count))" : "")
        return Diagnostic.Note(.csvMissingMarkers, [usedMarkers.joined(separator: " "), String(total), shown])
    }
}
