/// DEFLATE (RFC 1951) decompression, for the parts of a `.xlsx` archive.
///
/// Written here rather than linked: zlib would be one more shared library loaded at every start
/// of a statically linked binary that reads a spreadsheet rarely, and ZIPFoundation brings
/// Foundation with it. The output is bounded: it stops with `tooLarge` as soon as more than
/// `limit` bytes would come out, so a zip bomb costs at most the bound, never the machine.
struct Inflater {
    enum Failure: Error {
        case corrupt
        case tooLarge
    }

    private let input: UnsafeBufferPointer<UInt8>
    private var position = 0
    private var bitBuffer: UInt64 = 0
    private var bitCount = 0
    /// Bytes of zeros `refill` put in the buffer after the input ended.
    private var overrun = 0
    private(set) var output: [UInt8] = []
    private let limit: Int

    /// Decompresses raw DEFLATE data into at most `limit` bytes (`expected` reserves room).
    static func inflate(_ input: UnsafeBufferPointer<UInt8>, expected: Int, limit: Int) throws(Failure) -> [UInt8] {
        var inflater = Inflater(input: input, limit: limit)
        inflater.output.reserveCapacity(min(expected, limit))
        try inflater.run()
        return inflater.output
    }

    private init(input: UnsafeBufferPointer<UInt8>, limit: Int) {
        self.input = input
        self.limit = limit
    }

    @inline(__always)
    private mutating func refill() {
        while bitCount <= 56 {
            if position < input.count {
                bitBuffer |= UInt64(input[position]) << UInt64(bitCount)
                position += 1
            } else {
                overrun += 1
            }
            bitCount += 8
        }
    }

    @inline(__always)
    private mutating func bits(_ count: Int) throws(Failure) -> Int {
        if count == 0 { return 0 }
        if bitCount < count { refill() }
        let value = Int(bitBuffer & ((1 << UInt64(count)) - 1))
        bitBuffer >>= UInt64(count)
        bitCount -= count
        // A bit from past the end of the input (the zeros `refill` pads with) was taken.
        if overrun * 8 > bitCount { throw .corrupt }
        return value
    }

    /// A canonical Huffman code as a table indexed by the next `maximumLength` bits of input
    /// (bit-reversed codes): each entry is symbol << 4 | length, 0 where no code is.
    struct Code {
        var table: [UInt16]
        var maximumLength: Int

        init(lengths: ArraySlice<UInt8>) throws(Failure) {
            var counts = [Int](repeating: 0, count: 16)
            for length in lengths { counts[Int(length)] += 1 }
            counts[0] = 0
            // Over-subscribed codes are corrupt; incomplete ones are allowed (one distance code).
            var left = 1
            for length in 1...15 {
                left <<= 1
                left -= counts[length]
                if left < 0 { throw .corrupt }
            }
            var maximum = 0
            for length in 1...15 where counts[length] > 0 { maximum = length }
            maximumLength = max(maximum, 1)
            table = [UInt16](repeating: 0, count: 1 << maximumLength)
            var next = [Int](repeating: 0, count: 16)
            var code = 0
            for length in 1...15 {
                code = (code + counts[length - 1]) << 1
                next[length] = code
            }
            for (offset, rawLength) in lengths.enumerated() where rawLength > 0 {
                let length = Int(rawLength)
                let symbol = offset
                var reversed = 0
                var value = next[length]
                next[length] += 1
                for _ in 0..<length { reversed = (reversed << 1) | (value & 1); value >>= 1 }
                let entry = UInt16(symbol << 4 | length)
                var index = reversed
                while index < table.count {
                    table[index] = entry
                    index += 1 << length
                }
            }
        }
    }

    @inline(__always)
    private mutating func decode(_ code: Code) throws(Failure) -> Int {
        if bitCount < code.maximumLength { refill() }
        let entry = Int(code.table[Int(bitBuffer & UInt64((1 << code.maximumLength) - 1))])
        let length = entry & 15
        guard length > 0 else { throw .corrupt }
        bitBuffer >>= UInt64(length)
        bitCount -= length
        if overrun * 8 > bitCount { throw .corrupt }
        return entry >> 4
    }

    private static let lengthBase: [Int] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
    private static let lengthExtra: [Int] = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    private static let distanceBase: [Int] = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
    private static let distanceExtra: [Int] = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]
    private static let codeLengthOrder: [Int] = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    private static let fixedCodes: (Code, Code)? = {
        var lengths = [UInt8](repeating: 8, count: 288)
        for symbol in 144..<256 { lengths[symbol] = 9 }
        for symbol in 256..<280 { lengths[symbol] = 7 }
        let distances = [UInt8](repeating: 5, count: 30)
        guard let literal = try? Code(lengths: lengths[...]), let distance = try? Code(lengths: distances[...]) else { return nil }
        return (literal, distance)
    }()

    private mutating func run() throws(Failure) {
        while true {
            let last = try bits(1)
            let kind = try bits(2)
            switch kind {
            case 0: try stored()
            case 1:
                guard let (literal, distance) = Inflater.fixedCodes else { throw .corrupt }
                try block(literal, distance)
            case 2:
                let (literal, distance) = try dynamicCodes()
                try block(literal, distance)
            default: throw .corrupt
            }
            if last == 1 { return }
        }
    }

    private mutating func stored() throws(Failure) {
        // Drop to a byte boundary, then LEN and its complement.
        _ = try bits(bitCount % 8)
        let length = try bits(16)
        let complement = try bits(16)
        guard length == (~complement & 0xFFFF) else { throw .corrupt }
        guard output.count + length <= limit else { throw .tooLarge }
        for _ in 0..<length { output.append(UInt8(try bits(8))) }
    }

    private mutating func dynamicCodes() throws(Failure) -> (Code, Code) {
        let literalCount = try bits(5) + 257
        let distanceCount = try bits(5) + 1
        let lengthCount = try bits(4) + 4
        guard literalCount <= 286, distanceCount <= 30 else { throw .corrupt }
        var codeLengths = [UInt8](repeating: 0, count: 19)
        for index in 0..<lengthCount { codeLengths[Inflater.codeLengthOrder[index]] = UInt8(try bits(3)) }
        let lengthCode = try Code(lengths: codeLengths[...])
        var lengths = [UInt8](repeating: 0, count: literalCount + distanceCount)
        var index = 0
        while index < lengths.count {
            let symbol = try decode(lengthCode)
            if symbol < 16 {
                lengths[index] = UInt8(symbol)
                index += 1
                continue
            }
            var repeated: UInt8 = 0
            var count: Int
            switch symbol {
            case 16:
                guard index > 0 else { throw .corrupt }
                repeated = lengths[index - 1]
                count = 3 + (try bits(2))
            case 17: count = 3 + (try bits(3))
            default: count = 11 + (try bits(7))
            }
            guard index + count <= lengths.count else { throw .corrupt }
            for _ in 0..<count { lengths[index] = repeated; index += 1 }
        }
        guard lengths[256] > 0 else { throw .corrupt }
        return (try Code(lengths: lengths[..<literalCount]), try Code(lengths: lengths[literalCount...]))
    }

    private mutating func block(_ literal: Code, _ distance: Code) throws(Failure) {
        while true {
            let symbol = try decode(literal)
            if symbol < 256 {
                guard output.count < limit else { throw .tooLarge }
                output.append(UInt8(symbol))
                continue
            }
            if symbol == 256 { return }
            let lengthIndex = symbol - 257
            guard lengthIndex < 29 else { throw .corrupt }
            let length = Inflater.lengthBase[lengthIndex] + (try bits(Inflater.lengthExtra[lengthIndex]))
            let distanceSymbol = try decode(distance)
            guard distanceSymbol < 30 else { throw .corrupt }
            let back = Inflater.distanceBase[distanceSymbol] + (try bits(Inflater.distanceExtra[distanceSymbol]))
            guard back <= output.count else { throw .corrupt }
            guard output.count + length <= limit else { throw .tooLarge }
            var from = output.count - back
            for _ in 0..<length {
                output.append(output[from])
                from += 1
            }
        }
    }
}

/// CRC-32 (the zip checksum), so a damaged part is refused instead of read as data.
enum CRC32 {
    private static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }

    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        let table = CRC32.table
        for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }
}
