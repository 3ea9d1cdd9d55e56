/// The tutorial lesson that explains a warning (see `Tutorial`).
public enum LessonTopic: String, Sendable, CaseIterable {
    case readingTables = "reading-tables"
    case provenance = "why"
    case units
    case perCapita = "per-capita"
    case stockFlow = "stock-flow"
    case period
    case targets
    case approximate
    case conflicts
    case definitions
    case dissolved
    case percentagePoints = "percentage-points"
    case base
}

/// A note printed under a result: what it mixes or approximates, and which lesson explains it.
public struct ResultWarning: Sendable, Equatable {
    public var message: MessageID
    public var arguments: [String]
    public var lesson: LessonTopic?

    public init(_ message: MessageID, _ arguments: [String] = [], lesson: LessonTopic? = nil) {
        self.message = message
        self.arguments = arguments
        self.lesson = lesson
    }
}

/// A bar chart or sparkline, drawn by the renderer.
public struct ChartData: Sendable {
    public struct Bar: Sendable {
        public var label: String
        public var value: Double?
        public var unit: String?
        public var qualifier: String?
    }

    public var bars: [Bar]
    public var spark: Bool
    public var valueName: String
}

/// What a query produced: a table (possibly empty), warnings, and maybe a chart.
public struct QueryResult: Sendable {
    public var table: Table
    public var warnings: [ResultWarning]
    public var chart: ChartData?
    /// Hints for an empty result ("no row has district == "Thanh Xuan" — did you mean …").
    public var emptyHints: [Diagnostic]
    /// Rows after the source and after each stage (what `explain` reports).
    public var stageRowCounts: [Int] = []

    public init(table: Table, warnings: [ResultWarning] = [], chart: ChartData? = nil, emptyHints: [Diagnostic] = []) {
        self.table = table
        self.warnings = warnings
        self.chart = chart
        self.emptyHints = emptyHints
    }
}

/// Limits that stop a runaway join or pivot with a message instead of exhausting memory.
public struct ResourceLimits: Sendable {
    public var maximumRows = 50_000_000
    public var maximumCells = 2_000_000
    public var maximumColumns = 1_000
    public var maximumImportMegabytes = 8_192
    /// What a pipe or device may send (it is held in memory, unlike a mapped file), and so the
    /// memory an import may take: `.limit memory_mb`.
    public var maximumMemoryMegabytes = 4_096

    public init() {}
}

/// Polled by long operations; set from the SIGINT handler when the user presses Ctrl-C.
public struct CancellationCheck: Sendable {
    let isCancelled: @Sendable () -> Bool

    public init(_ isCancelled: @escaping @Sendable () -> Bool) {
        self.isCancelled = isCancelled
    }

    public static let never = CancellationCheck { false }

    func check() throws(Diagnostic) {
        if isCancelled() { throw Diagnostic(.cancelled, .cancelled) }
    }
}
