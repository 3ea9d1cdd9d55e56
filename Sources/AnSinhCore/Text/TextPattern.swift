/// A regular expression typed by a user (`matches`, `extract`, `regex_replace`, `unpivot matching`).
///
/// Swift's `Regex` (the standard library's _StringProcessing, no Foundation) is a backtracking
/// engine: `(a+)+$` against forty `a`s and a `b` never finishes. The pattern is user text, so
/// before compiling it the shapes that backtrack exponentially are refused with a message that
/// says how to rewrite them — a repeated group that itself repeats or offers alternatives
/// (`(a+)+`, `(a|ab)*`) — as are patterns with many unbounded repeats (`.*.*.*.*.*`) and very long
/// ones. What remains is polynomial in the length of one value, and it runs once per distinct
/// value, not per row.
struct TextPattern {
    static let maximumLength = 500
    static let maximumUnboundedRepeats = 4

    enum Problem: Error {
        case invalid(String)
        case nestedRepeat
        case tooManyRepeats
        case tooLong
    }

    let source: String
    let regex: Regex<AnyRegexOutput>
    /// Bracketed groups that capture (not `(?:…)`, `(?=…)` …).
    let groupCount: Int

    init(_ pattern: String) throws(Problem) {
        guard pattern.unicodeScalars.count <= TextPattern.maximumLength else { throw .tooLong }
        let shape = TextPattern.shape(of: pattern)
        if shape.nestedRepeat { throw .nestedRepeat }
        if shape.unboundedRepeats > TextPattern.maximumUnboundedRepeats { throw .tooManyRepeats }
        do {
            regex = try Regex(pattern)
        } catch {
            throw .invalid(String(describing: error))
        }
        source = pattern
        groupCount = shape.groups
    }

    /// True where the pattern matches somewhere in `text`.
    func matches(_ text: String) -> Bool {
        (try? regex.firstMatch(in: text)) != nil
    }

    /// The first match, or its `group`; nil when nothing matches or the group took no part.
    func extract(_ text: String, group: Int) -> String? {
        guard let match = try? regex.firstMatch(in: text) else { return nil }
        guard group >= 0, group < match.output.count else { return nil }
        return match.output[group].substring.map(String.init)
    }

    /// Every match replaced; `\1` … `\9` in the replacement stand for the groups, `\\` for `\`.
    func replaceAll(_ text: String, with replacement: String) -> String {
        var result = ""
        var copied = text.startIndex
        for match in text.matches(of: regex) {
            result += text[copied..<match.range.lowerBound]
            var characters = replacement.makeIterator()
            while let character = characters.next() {
                guard character == "\\" else { result.append(character); continue }
                guard let next = characters.next() else { result.append("\\"); break }
                if let digit = next.wholeNumberValue, next.isASCII {
                    if digit < match.output.count, let group = match.output[digit].substring { result += group }
                } else {
                    result.append(next)
                }
            }
            copied = match.range.upperBound
        }
        result += text[copied...]
        return result
    }

    /// What a scan of the pattern sees: capturing groups, unbounded repeats, and whether a
    /// repeated group contains a repeat or an alternative.
    static func shape(of pattern: String) -> (groups: Int, unboundedRepeats: Int, nestedRepeat: Bool) {
        let scalars = Array(pattern.unicodeScalars)
        var groups = 0
        var unbounded = 0
        var nested = false
        // For each open group: does it contain a repeat or a `|`?
        var stack: [Bool] = []
        var closedGroupRisky = false
        var index = 0
        var inClass = false
        func isRepeat(at position: Int) -> (Bool, unbounded: Bool, length: Int) {
            guard position < scalars.count else { return (false, false, 0) }
            switch scalars[position] {
            case "*", "+": return (true, true, 1)
            case "?": return (true, false, 1)
            case "{":
                var end = position + 1
                var text = ""
                while end < scalars.count, scalars[end] != "}" { text.unicodeScalars.append(scalars[end]); end += 1 }
                guard end < scalars.count, !text.isEmpty, text.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) || $0 == "," }) else { return (false, false, 0) }
                return (true, text.hasSuffix(","), end - position + 1)
            default: return (false, false, 0)
            }
        }
        while index < scalars.count {
            let scalar = scalars[index]
            var atomEnded = false
            var atomRisky = false
            if scalar == "\\" {
                index += 2
                atomEnded = !inClass
            } else if inClass {
                if scalar == "]" { inClass = false; atomEnded = true }
                index += 1
            } else if scalar == "[" {
                inClass = true
                index += 1
                // `[]…]` and `[^]…]` hold a literal `]`.
                if index < scalars.count, scalars[index] == "^" { index += 1 }
                if index < scalars.count, scalars[index] == "]" { index += 1 }
                continue
            } else if scalar == "(" {
                let capturing = index + 1 >= scalars.count || scalars[index + 1] != "?"
                if capturing { groups += 1 }
                stack.append(false)
                index += 1
                continue
            } else if scalar == ")" {
                atomRisky = stack.popLast() ?? false
                closedGroupRisky = atomRisky
                index += 1
                atomEnded = true
            } else if scalar == "|" {
                if !stack.isEmpty { stack[stack.count - 1] = true }
                index += 1
                continue
            } else {
                let (repeats, isUnbounded, length) = isRepeat(at: index)
                if repeats {
                    // A repeat after a repeat (`a**`, `a+?`) modifies it; counted once.
                    index += length
                    if isUnbounded { unbounded += 1 }
                    if !stack.isEmpty { stack[stack.count - 1] = true }
                    continue
                }
                index += 1
                atomEnded = true
            }
            guard atomEnded else { continue }
            let (repeats, isUnbounded, length) = isRepeat(at: index)
            if repeats {
                if atomRisky && closedGroupRisky && (isUnbounded || scalars[index] == "{") { nested = true }
                if isUnbounded { unbounded += 1 }
                if !stack.isEmpty { stack[stack.count - 1] = true }
                index += length
                // A lazy or possessive marker after the repeat.
                if index < scalars.count, scalars[index] == "?" || scalars[index] == "+" { index += 1 }
            }
            // A group's riskiness carries to the enclosing group (`((a+))+`).
            if atomRisky, !stack.isEmpty { stack[stack.count - 1] = true }
        }
        return (groups, unbounded, nested)
    }
}
