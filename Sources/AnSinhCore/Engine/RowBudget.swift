/// Cancellation checked on a fixed budget of rows, so every operator answers ^C at the same pace.
///
/// An operator that loops over rows spends them here (`spend(1)` per row in a row-at-a-time loop,
/// `spend(count)` after a vectorised kernel over `count` rows); once `rowsPerCheck` rows have been
/// spent, the cancellation check runs. 65,536 rows are well under a millisecond in the typed
/// kernels and a few milliseconds in the slowest row-at-a-time paths (a `Set<[Value]>` insert, a
/// collation key), so a query at 10M rows stops within a few milliseconds of the check being set,
/// whatever operator it is in. The check itself is one relaxed atomic load behind a closure.
struct RowBudget {
    static let rowsPerCheck = 65_536

    let cancellation: CancellationCheck
    private var spent = 0

    init(_ cancellation: CancellationCheck) {
        self.cancellation = cancellation
    }

    /// Counts `rows` as done; throws "query cancelled" when the budget ran out and ^C was pressed.
    @inline(__always)
    mutating func spend(_ rows: Int = 1) throws(Diagnostic) {
        spent &+= rows
        if spent >= RowBudget.rowsPerCheck {
            spent = 0
            try cancellation.check()
        }
    }

    /// Checks now, whatever was spent (between stages, before an expensive step).
    mutating func checkNow() throws(Diagnostic) {
        spent = 0
        try cancellation.check()
    }
}
