/// A pull tokenizer for the XML parts of a workbook: start and end tags, attributes and text.
///
/// Purpose-written instead of Foundation's XMLParser (which links libxml2 and Foundation into a
/// binary that links neither): spreadsheet parts use a small, regular subset of XML (no DTDs
/// to expand, no external entities — a DOCTYPE is refused, so no entity expansion can blow
/// up). Names are compared by their local part (`x:c` is `c`), as producers differ in prefixes.
struct XMLScanner {
    struct Tag {
        /// The local name's bytes (after any `prefix:`).
        var name: Range<Int>
        /// The bytes after the name, up to `>` or `/>`.
        var attributes: Range<Int>
        var selfClosing: Bool
    }

    enum Token {
        case start(Tag)
        case end(Tag)
        /// Character data, entities still encoded (decode with `text(_:)`); CDATA is already plain.
        case text(Range<Int>, cdata: Bool)
    }

    struct Failure: Error {
        var offset: Int
    }

    let bytes: UnsafeBufferPointer<UInt8>
    private(set) var position = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    private func find(_ byte: UInt8, from start: Int) -> Int? {
        var index = start
        while index < bytes.count {
            if bytes[index] == byte { return index }
            index += 1
        }
        return nil
    }

    private func find(_ sequence: [UInt8], from start: Int) -> Int? {
        guard let first = sequence.first else { return start }
        var index = start
        while index + sequence.count <= bytes.count {
            if bytes[index] == first {
                var matched = true
                for offset in 1..<sequence.count where bytes[index + offset] != sequence[offset] { matched = false; break }
                if matched { return index }
            }
            index += 1
        }
        return nil
    }

    mutating func next() throws(Failure) -> Token? {
        while position < bytes.count {
            if bytes[position] != 0x3C {  // text up to the next `<`
                let start = position
                let end = find(0x3C, from: position) ?? bytes.count
                position = end
                return .text(start..<end, cdata: false)
            }
            guard position + 1 < bytes.count else { throw Failure(offset: position) }
            switch bytes[position + 1] {
            case 0x3F:  // <? … ?>
                guard let end = find([0x3F, 0x3E], from: position + 2) else { throw Failure(offset: position) }
                position = end + 2
                continue
            case 0x21:  // <!-- … -->, <![CDATA[ … ]]>, <!DOCTYPE …>
                if bytes.count - position >= 4, bytes[position + 2] == 0x2D, bytes[position + 3] == 0x2D {
                    guard let end = find([0x2D, 0x2D, 0x3E], from: position + 4) else { throw Failure(offset: position) }
                    position = end + 3
                    continue
                }
                let cdata: [UInt8] = Array("<![CDATA[".utf8)
                if bytes.count - position >= cdata.count, (0..<cdata.count).allSatisfy({ bytes[position + $0] == cdata[$0] }) {
                    let start = position + cdata.count
                    guard let end = find([0x5D, 0x5D, 0x3E], from: start) else { throw Failure(offset: position) }
                    position = end + 3
                    return .text(start..<end, cdata: true)
                }
                // A document type declaration could define entities; workbooks have none.
                throw Failure(offset: position)
            case 0x2F:  // </name>
                guard let end = find(0x3E, from: position + 2) else { throw Failure(offset: position) }
                let name = localName(from: position + 2, to: end)
                position = end + 1
                return .end(Tag(name: name, attributes: name.upperBound..<name.upperBound, selfClosing: false))
            default:
                // The tag ends at the first `>` outside a quoted attribute value.
                var index = position + 1
                var quote: UInt8 = 0
                while index < bytes.count {
                    let byte = bytes[index]
                    if quote != 0 {
                        if byte == quote { quote = 0 }
                    } else if byte == 0x22 || byte == 0x27 {
                        quote = byte
                    } else if byte == 0x3E {
                        break
                    }
                    index += 1
                }
                guard index < bytes.count else { throw Failure(offset: position) }
                let selfClosing = bytes[index - 1] == 0x2F
                let name = localName(from: position + 1, to: index)
                let attributesEnd = selfClosing ? index - 1 : index
                position = index + 1
                return .start(Tag(name: name, attributes: name.upperBound..<max(name.upperBound, attributesEnd), selfClosing: selfClosing))
            }
        }
        return nil
    }

    /// The local part of the name that starts at `start` (ends at a space, `/` or `>`).
    private func localName(from start: Int, to limit: Int) -> Range<Int> {
        var nameStart = start
        var index = start
        while index < limit {
            let byte = bytes[index]
            if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x2F || byte == 0x3E { break }
            if byte == 0x3A { nameStart = index + 1 }
            index += 1
        }
        return nameStart..<index
    }

    func isName(_ tag: Tag, _ name: StaticString) -> Bool {
        guard tag.name.count == name.utf8CodeUnitCount else { return false }
        let pointer = name.utf8Start
        for offset in 0..<tag.name.count where bytes[tag.name.lowerBound + offset] != pointer[offset] { return false }
        return true
    }

    /// An attribute's value, entities decoded; `name` is matched whole (`r:id`) or by its local
    /// part when it has no prefix (`r`).
    func attribute(_ tag: Tag, _ name: String) -> String? {
        let wanted = Array(name.utf8)
        var index = tag.attributes.lowerBound
        let end = tag.attributes.upperBound
        while index < end {
            while index < end, bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x0A || bytes[index] == 0x0D { index += 1 }
            let nameStart = index
            while index < end, bytes[index] != 0x3D, bytes[index] != 0x20 { index += 1 }
            let nameEnd = index
            while index < end, bytes[index] != 0x22, bytes[index] != 0x27 { index += 1 }
            guard index < end else { return nil }
            let quote = bytes[index]
            let valueStart = index + 1
            index = valueStart
            while index < end, bytes[index] != quote { index += 1 }
            let valueEnd = index
            index += 1
            if nameEnd - nameStart == wanted.count, (0..<wanted.count).allSatisfy({ bytes[nameStart + $0] == wanted[$0] }) {
                return decode(valueStart..<valueEnd)
            }
        }
        return nil
    }

    /// Text with `&lt;` `&gt;` `&amp;` `&quot;` `&apos;` and `&#…;` decoded.
    func decode(_ range: Range<Int>) -> String {
        var result: [UInt8] = []
        result.reserveCapacity(range.count)
        var index = range.lowerBound
        while index < range.upperBound {
            let byte = bytes[index]
            guard byte == 0x26, let semicolon = find(0x3B, from: index), semicolon < range.upperBound, semicolon - index <= 12 else {
                result.append(byte)
                index += 1
                continue
            }
            let entity = String(decoding: UnsafeBufferPointer(rebasing: bytes[(index + 1)..<semicolon]), as: UTF8.self)
            var scalar: Unicode.Scalar?
            switch entity {
            case "lt": scalar = "<"
            case "gt": scalar = ">"
            case "amp": scalar = "&"
            case "quot": scalar = "\""
            case "apos": scalar = "'"
            default:
                if entity.hasPrefix("#x") || entity.hasPrefix("#X") {
                    scalar = UInt32(entity.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init)
                } else if entity.hasPrefix("#") {
                    scalar = UInt32(entity.dropFirst(1)).flatMap(Unicode.Scalar.init)
                }
            }
            guard let scalar else {
                result.append(byte)
                index += 1
                continue
            }
            result.append(contentsOf: Array(String(Character(scalar)).utf8))
            index = semicolon + 1
        }
        return String(decoding: result, as: UTF8.self)
    }

    func text(_ token: (Range<Int>, cdata: Bool)) -> String {
        token.cdata ? String(decoding: UnsafeBufferPointer(rebasing: bytes[token.0]), as: UTF8.self) : decode(token.0)
    }
}
