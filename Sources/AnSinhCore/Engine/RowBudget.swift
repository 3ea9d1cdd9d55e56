/// Cancellation checked on a fixed budget of rows, so every operator answers ^C at the same pace.
///
/// An operator that loops over rows spends them here (`spend(1)` per row in a row-at-a-time loop,
/// `spend(count)` after a vectorised kernel over `count` rows); once `rowsPerCheck` rows have been
/// spent, the cancellation check runs. 16,384 rows are microseconds in the typed kernels and a
/// few milliseconds in the slowest row-at-a-time paths (a Vietnamese collation key, a
/// `Set<[Value]>` insert: about 50 ms in a debug build, measured by Tests/pty/prompt_test.py), so a
/// query at 10M rows stops soon after ^C whatever operator it is in. A vectorised kernel over all
/// rows spends them at once and polls after it. The check itself is one relaxed atomic load
/// behind a closure, so polling this often costs nothing measurable.
struct RowBudget {
    static let rowsPerCheck = 16_384

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

extension Array {
    /// Sorts in place, spending one row of `budget` per comparison. The standard library's sort
    /// cannot be paused, but its comparator may throw, so a 10M-row sort stops within a few
    /// milliseconds of ^C instead of running to the end.
    mutating func sort(spending budget: inout RowBudget, by precedes: (Element, Element) -> Bool) throws(Diagnostic) {
        do {
            try sort { (a: Element, b: Element) throws -> Bool in
                try budget.spend()
                return precedes(a, b)
            }
        } catch {
            throw (error as? Diagnostic) ?? Diagnostic(.cancelled, .cancelled)
        }
    }
}
