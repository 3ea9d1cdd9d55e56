import Synchronization
import Glibc

/// Number of SIGINTs received since the last `InterruptSignal.reset()`.
///
/// A global because a signal handler is a plain C function pointer that cannot capture context.
/// A lock-free `Atomic` is async-signal-safe; a lock or an allocation in the handler would not be.
/// `nonisolated` keeps it reachable from the handler even if the target's default isolation is
/// the main actor.
private nonisolated let pendingInterrupts = Atomic<Int>(0)

/// Ctrl-C handling while a query runs: SIGINT only raises a flag that the engine polls.
///
/// While `LineEditor` is reading, ^C is an ordinary key (ISIG is off in libedit's edit mode), so
/// this handler only sees Ctrl-C pressed while a statement is running, or a `kill -INT`. The handler
/// stays installed, so a second or third ^C during a slow query never kills the process; the
/// engine must poll `isPending` and stop. Everything is synchronous on purpose: with Swift
/// concurrency in `main`, code runs on worker threads that block SIGINT (see libedit.md §7).
///
/// Once installed, ^C never ends the process by itself, also when reading a script from a pipe:
/// there the caller should stop the whole run after a cancelled statement. ^\ (SIGQUIT) still
/// kills a query that never polls.
nonisolated enum InterruptSignal {
    /// Installs the SIGINT handler; call once at start-up, before the first prompt.
    ///
    /// No `SA_RESTART`: a blocking `read`, `nanosleep` or `poll` inside a query returns EINTR at
    /// once, so a query waiting on I/O notices the interrupt without waiting for the call to end.
    static func install() {
        // Touch the global first: its lazy initialiser (swift_once) is not async-signal-safe,
        // so it must not run for the first time inside the handler.
        pendingInterrupts.store(0, ordering: .relaxed)
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in
            pendingInterrupts.wrappingAdd(1, ordering: .relaxed)
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(SIGINT, &action, nil)
    }

    /// Whether a SIGINT arrived since the last `reset()`; the engine polls this to cancel.
    static var isPending: Bool { pendingInterrupts.load(ordering: .relaxed) > 0 }

    /// How many SIGINTs arrived since the last `reset()`, e.g. to offer harsher measures on a third.
    static var count: Int { pendingInterrupts.load(ordering: .relaxed) }

    /// Forgets earlier interrupts; call before starting each statement.
    static func reset() { pendingInterrupts.store(0, ordering: .relaxed) }
}
