/// The entries of a zip archive (a `.xlsx` workbook is one), read from its central directory.
///
/// Only what workbooks use: stored and deflated entries, no encryption, no multi-disk archives.
/// Every size is checked before memory is taken: an entry whose declared size passes the
/// bound is refused, and inflating stops at the declared size (and at the bound), so a zip
/// bomb or a lying header never costs more than `.limit memory_mb`.
struct ZipArchive {
    struct Entry {
        var name: String
        var method: Int
        var flags: Int
        var crc: UInt32
        var compressedSize: Int
        var size: Int
        var localHeaderOffset: Int
    }

    enum Failure: Error {
        /// No end-of-central-directory record: not a zip archive.
        case notZip
        /// The directory or an entry is damaged.
        case corrupt(String)
        /// An entry is password-protected.
        case encrypted(String)
        /// An entry (or the whole archive) would take more than the memory bound.
        case tooLarge(String)
        /// A compression method other than stored or deflate.
        case unsupportedMethod(String, Int)
    }

    let bytes: UnsafeBufferPointer<UInt8>
    private(set) var entries: [String: Entry] = [:]
    /// Bytes the archive may inflate in all (the memory bound); each read takes from it.
    private(set) var budget: Int

    init(_ bytes: UnsafeBufferPointer<UInt8>, budget: Int) throws(Failure) {
        self.bytes = bytes
        self.budget = budget
        // The end-of-central-directory record is within the last 64 KiB + 22 bytes.
        guard bytes.count >= 22 else { throw .notZip }
        var end = -1
        var offset = bytes.count - 22
        let lowest = max(0, bytes.count - 22 - 65_535)
        while offset >= lowest {
            if read32(offset) == 0x0605_4B50 { end = offset; break }
            offset -= 1
        }
        guard end >= 0 else { throw .notZip }
        let count = read16(end + 10)
        let directorySize = Int(read32(end + 12))
        let directoryOffset = Int(read32(end + 16))
        // Zip64 archives (over 4 GB or 65,535 entries) are no workbook anyone sends as a table.
        guard count != 0xFFFF, directoryOffset != 0xFFFF_FFFF else { throw .tooLarge("zip64") }
        guard directoryOffset + directorySize <= bytes.count else { throw .corrupt("central directory") }
        var position = directoryOffset
        for _ in 0..<count {
            guard position + 46 <= bytes.count, read32(position) == 0x0201_4B50 else { throw .corrupt("central directory") }
            let nameLength = read16(position + 28)
            let extraLength = read16(position + 30)
            let commentLength = read16(position + 32)
            guard position + 46 + nameLength <= bytes.count else { throw .corrupt("central directory") }
            let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[(position + 46)..<(position + 46 + nameLength)]), as: UTF8.self)
            let entry = Entry(name: name, method: read16(position + 10), flags: read16(position + 8), crc: read32(position + 16),
                              compressedSize: Int(read32(position + 20)), size: Int(read32(position + 24)),
                              localHeaderOffset: Int(read32(position + 42)))
            // Names are compared without a leading slash and case-insensitively, as Excel does.
            entries[Self.key(name)] = entry
            position += 46 + nameLength + extraLength + commentLength
        }
    }

    static func key(_ name: String) -> String {
        var name = name.lowercased()
        while name.hasPrefix("/") { name.removeFirst() }
        return name
    }

    func contains(_ name: String) -> Bool { entries[Self.key(name)] != nil }

    /// The bytes of one entry, inflated and checked against its CRC.
    mutating func read(_ name: String) throws(Failure) -> [UInt8]? {
        guard let entry = entries[Self.key(name)] else { return nil }
        if entry.flags & 1 != 0 { throw .encrypted(entry.name) }
        guard entry.size <= budget else { throw .tooLarge(entry.name) }
        let local = entry.localHeaderOffset
        guard local + 30 <= bytes.count, read32(local) == 0x0403_4B50 else { throw .corrupt(entry.name) }
        let start = local + 30 + read16(local + 26) + read16(local + 28)
        guard start <= bytes.count, entry.compressedSize <= bytes.count - start else { throw .corrupt(entry.name) }
        let data = UnsafeBufferPointer(rebasing: bytes[start..<(start + entry.compressedSize)])
        var output: [UInt8]
        switch entry.method {
        case 0:
            guard entry.compressedSize == entry.size else { throw .corrupt(entry.name) }
            output = Array(data)
        case 8:
            do {
                // Never more than the declared size: a part that inflates past it is damaged
                // (or built to exhaust memory), and either way it is refused.
                output = try Inflater.inflate(data, expected: entry.size, limit: entry.size)
            } catch {
                switch error {
                case .corrupt: throw .corrupt(entry.name)
                case .tooLarge: throw .corrupt(entry.name)
                }
            }
        default:
            throw .unsupportedMethod(entry.name, entry.method)
        }
        guard output.count == entry.size, CRC32.checksum(output) == entry.crc else { throw .corrupt(entry.name) }
        budget -= output.count
        return output
    }

    private func read16(_ offset: Int) -> Int { Int(bytes[offset]) | Int(bytes[offset + 1]) << 8 }

    private func read32(_ offset: Int) -> UInt32 {
        UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24
    }
}
