/// Collects input lines into units: a dot-command line, or a complete statement.
///
/// A statement is complete when the parser does not run out of input (an unfinished string,
/// bracket, or a line ending in `|` or an operator keeps it open). In a script the next line is
/// looked at too: a pipeline continues when it starts with `|`. At the prompt there is no next
/// line yet, so a complete line runs at once.
public struct InputAssembler {
    public enum Unit: Equatable {
        case command(String, line: Int)
        case statement(String, firstLine: Int)
    }

    private var buffer: [String] = []
    private var bufferStart = 0
    private var lineNumber = 0

    /// At the prompt every statement's lines count from 1, also in a pasted block.
    private let numberFromEachStatement: Bool

    public init() { numberFromEachStatement = false }

    /// For the prompt: pasted or typed-ahead lines go through `addScriptLine` (so `|` continues
    /// a pipeline), but positions count from each statement's own first line.
    public init(prompt: Bool) { numberFromEachStatement = prompt }

    /// True while a complete statement waits for the next line (`addScriptLine`).
    public var isHolding: Bool { !buffer.isEmpty && (completeness ?? InputAssembler.isComplete(pending)) }

    public var isEmpty: Bool { buffer.isEmpty }

    /// The text gathered so far (for a continuation prompt or Ctrl-C).
    public var pending: String { buffer.joined(separator: "\n") }

    public mutating func reset() {
        buffer.removeAll()
        completeness = nil
    }

    /// True when `text` parses without running out of input.
    public static func isComplete(_ text: String) -> Bool {
        let (_, diagnostics) = Parser.parse(SourceFile(name: nil, text: text))
        return !diagnostics.contains { $0.kind == .incomplete }
    }

    static func isBlankOrComment(_ line: String) -> Bool {
        let trimmed = line.trimmingSpaces()
        return trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed.hasPrefix("--")
    }

    static func isCommand(_ line: String) -> Bool {
        let trimmed = line.trimmingSpaces()
        return trimmed.hasPrefix(".") && !(trimmed.dropFirst().first?.isNumber ?? false)
    }

    /// Adds a line typed at the prompt; returns the unit it completes, if any.
    ///
    /// Lines are numbered from the statement's own first line, as DuckDB's `LINE 1:`: an error in
    /// a one-line statement is at `1:COLUMN` however many statements came before.
    public mutating func addInteractive(_ line: String) -> Unit? {
        if buffer.isEmpty {
            if InputAssembler.isCommand(line) { return .command(line.trimmingSpaces(), line: 1) }
            if InputAssembler.isBlankOrComment(line) { return nil }
            bufferStart = 1
        }
        buffer.append(line)
        completeness = nil
        let text = pending
        guard InputAssembler.isComplete(text) else { return nil }
        buffer.removeAll()
        return .statement(text, firstLine: bufferStart)
    }

    /// Whether the lines in `buffer` make a complete statement; nil until asked. Scripts ask
    /// only when a line that does not start with `|` arrives, so a statement of thousands of
    /// `|` lines is parsed once, not once per line (that was quadratic: 4,000 lines took
    /// minutes in a debug build).
    private var completeness: Bool?

    private mutating func bufferIsComplete() -> Bool {
        if let completeness { return completeness }
        let complete = InputAssembler.isComplete(pending)
        completeness = complete
        return complete
    }

    /// A line ending in `|` (with no comment on it) leaves the statement open whatever came
    /// before: a pipe waiting for its stage, or `|` inside a string still open.
    static func leavesOpen(_ line: String) -> Bool {
        let trimmed = line.trimmingSpaces()
        return trimmed.hasSuffix("|") && !trimmed.contains("#") && !trimmed.contains("--")
    }

    /// Adds a script line (a file, or stdin from a pipe). A complete statement is held until the
    /// next meaningful line shows whether the pipeline continues with `|`.
    public mutating func addScriptLine(_ rawLine: String) -> [Unit] {
        let line = rawLine.hasSuffix("\r") ? String(rawLine.dropLast()) : rawLine
        lineNumber += 1
        var units: [Unit] = []
        if !buffer.isEmpty {
            // Blank and comment lines change nothing; a `|` line is part of the statement
            // whether or not it was complete before.
            if InputAssembler.isBlankOrComment(line) {
                buffer.append(line)
                return []
            }
            if line.trimmingSpaces().hasPrefix("|") {
                buffer.append(line)
                completeness = InputAssembler.leavesOpen(line) ? false : nil
                return []
            }
            if !bufferIsComplete() {
                buffer.append(line)
                completeness = InputAssembler.leavesOpen(line) ? false : nil
                return []
            }
            while let last = buffer.last, InputAssembler.isBlankOrComment(last) { buffer.removeLast() }
            units.append(.statement(pending, firstLine: bufferStart))
            buffer.removeAll()
            completeness = nil
        }
        if numberFromEachStatement { lineNumber = 1 }
        if InputAssembler.isCommand(line) {
            units.append(.command(line.trimmingSpaces(), line: lineNumber))
            return units
        }
        if InputAssembler.isBlankOrComment(line) { return units }
        bufferStart = lineNumber
        buffer.append(line)
        completeness = InputAssembler.leavesOpen(line) ? false : nil
        return units
    }

    /// No more lines are waiting at the prompt: a held complete statement runs now; an
    /// unfinished one stays for the continuation prompt.
    public mutating func endOfTypeahead() -> [Unit] {
        guard !buffer.isEmpty, bufferIsComplete() else { return [] }
        while let last = buffer.last, InputAssembler.isBlankOrComment(last) { buffer.removeLast() }
        let unit = Unit.statement(pending, firstLine: bufferStart)
        buffer.removeAll()
        completeness = nil
        return [unit]
    }

    /// The end of the script: a held statement runs; an unfinished one is reported by the parser.
    public mutating func finishScript() -> [Unit] {
        defer {
            buffer.removeAll()
            completeness = nil
        }
        // Trailing blank or comment lines are not part of the statement.
        while let last = buffer.last, InputAssembler.isBlankOrComment(last) { buffer.removeLast() }
        return buffer.isEmpty ? [] : [.statement(pending, firstLine: bufferStart)]
    }

    /// Splits a whole script into units, with line numbers.
    public static func units(of text: String) -> [Unit] {
        var assembler = InputAssembler()
        var units: [Unit] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            units += assembler.addScriptLine(String(line))
        }
        return units + assembler.finishScript()
    }
}
