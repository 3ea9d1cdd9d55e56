extension Shell {
    /// `.connect URL` and `--connect URL`. Safe mode refuses it unless `--allow-connect`: a
    /// script from someone else should not reach out to a server on its own.
    public func connect(_ url: String) throws(Diagnostic) {
        if safeMode, !allowConnect { throw Diagnostic(.usage, .remoteSafeMode) }
        let (label, count) = try session.connect(url)
        // Scripts stay quiet (their stderr is for errors); the prompt says what was attached.
        if interactive { message(.remoteConnected, [label, String(count)]) }
    }
}

extension Shell {
    /// A command line that may hold a password (`.connect postgres://user:secret@…`): kept out
    /// of the history file.
    public static func mayHoldSecret(_ line: String) -> Bool {
        let trimmed = line.trimmingSpaces().lowercased()
        return trimmed.hasPrefix(".connect")
    }
}
