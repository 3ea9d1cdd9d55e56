/// A half-open range of UTF-8 offsets into a `SourceFile`'s text.
public struct SourceRange: Hashable, Sendable, CustomStringConvertible {
    public var start: Int
    public var end: Int

    public init(_ start: Int, _ end: Int) {
        self.start = start
        self.end = max(start, end)
    }

    /// The smallest range covering both.
    public func joined(_ other: SourceRange) -> SourceRange {
        SourceRange(min(start, other.start), max(end, other.end))
    }

    public var description: String { "\(start)..<\(end)" }
}

/// The text of a script, a `-c` argument or a line typed at the prompt, with its name.
public struct SourceFile: Sendable {
    /// The file name shown in messages (`script.asq`), or nil for text typed at the prompt.
    public let name: String?
    public let text: String
    /// UTF-8 bytes of `text`, for the lexer.
    let bytes: [UInt8]
    /// UTF-8 offset where each line starts.
    let lineStarts: [Int]
    /// Added to line numbers, when this text is a part of a larger file (a statement of a script).
    public let firstLine: Int

    public init(name: String?, text: String, firstLine: Int = 1) {
        self.name = name
        self.text = text
        self.firstLine = firstLine
        bytes = Array(text.utf8)
        var starts = [0]
        for (offset, byte) in bytes.enumerated() where byte == 0x0A { starts.append(offset + 1) }
        lineStarts = starts
    }

    /// The 0-based index of the line containing `offset`.
    func lineIndex(of offset: Int) -> Int {
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if lineStarts[middle] <= offset { low = middle } else { high = middle - 1 }
        }
        return low
    }

    /// The text of the 0-based line `index`, without its line break.
    func lineText(_ index: Int) -> String {
        guard index >= 0, index < lineStarts.count else { return "" }
        let start = lineStarts[index]
        var end = index + 1 < lineStarts.count ? lineStarts[index + 1] - 1 : bytes.count
        if end > start, bytes[end - 1] == 0x0D { end -= 1 }
        return String(decoding: bytes[start..<max(start, end)], as: UTF8.self)
    }

    /// 1-based line and column (in characters) of a UTF-8 offset.
    public func location(of offset: Int) -> (line: Int, column: Int) {
        let clamped = min(max(0, offset), bytes.count)
        let index = lineIndex(of: clamped)
        let prefix = String(decoding: bytes[lineStarts[index]..<clamped], as: UTF8.self)
        return (index + firstLine, prefix.count + 1)
    }

    /// The text covered by a range.
    public func text(in range: SourceRange) -> String {
        let start = min(max(0, range.start), bytes.count)
        let end = min(max(start, range.end), bytes.count)
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }
}
