#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Number parsing from raw bytes, without building a String.
enum NumberParsing {
    static func integer(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard let base = bytes.baseAddress else { return nil }
        return integer(base, bytes.count)
    }

    @inline(__always)
    static func integer(_ base: UnsafePointer<UInt8>, _ count: Int) -> Int64? {
        guard count > 0 else { return nil }
        var index = 0
        var negative = false
        if base[0] == 0x2D || base[0] == 0x2B {
            negative = base[0] == 0x2D
            index = 1
            guard count > 1 else { return nil }
        }
        if count - index > 19 { return nil }
        // `007`, `0912345678`: a code or a phone number, whose zeros a number would lose.
        if base[index] == 0x30, count - index > 1 { return nil }
        var value: UInt64 = 0
        while index < count {
            let digit = base[index] &- 0x30
            guard digit < 10 else { return nil }
            value = value &* 10 &+ UInt64(digit)
            index += 1
        }
        if negative {
            guard value <= UInt64(Int64.max) + 1 else { return nil }
            return value == UInt64(Int64.max) + 1 ? Int64.min : -Int64(value)
        }
        guard value <= UInt64(Int64.max) else { return nil }
        // 19 digits may have wrapped: reject values that did.
        if count - index >= 19, value < 1_000_000_000_000_000_000 { return nil }
        return Int64(value)
    }

    private static let powersOfTen: [Double] = (0...22).map { exponent in
        var value = 1.0
        for _ in 0..<exponent { value *= 10 }
        return value
    }

    static func decimal(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        guard let base = bytes.baseAddress else { return nil }
        return decimal(base, bytes.count)
    }

    /// `-12.5`, `1e9`, `.5`, `3.` — an integer mantissa scaled by an exact power of ten when that
    /// is exact (≤ 15 significant digits); `strtod` otherwise. Same results as `strtod`.
    @inline(__always)
    static func decimal(_ base: UnsafePointer<UInt8>, _ count: Int) -> Double? {
        guard count > 0 else { return nil }
        var index = 0
        var negative = false
        if base[0] == 0x2D || base[0] == 0x2B {
            negative = base[0] == 0x2D
            index = 1
        }
        var mantissa: UInt64 = 0
        var digits = 0
        var significant = 0
        var scale = 0
        var sawDigit = false
        // `007`, `00.5`: digits after a leading zero are a code, not a number (`0.5` is one).
        if index + 1 < count, base[index] == 0x30, base[index + 1] &- 0x30 < 10 { return nil }
        while index < count, base[index] &- 0x30 < 10 {
            let digit = UInt64(base[index] &- 0x30)
            if significant > 0 || digit != 0 { significant += 1 }
            if significant <= 19 { mantissa = mantissa &* 10 &+ digit } else { scale += 1 }
            digits += 1
            sawDigit = true
            index += 1
        }
        if index < count, base[index] == 0x2E {
            index += 1
            while index < count, base[index] &- 0x30 < 10 {
                let digit = UInt64(base[index] &- 0x30)
                if significant > 0 || digit != 0 { significant += 1 }
                if significant <= 19 {
                    mantissa = mantissa &* 10 &+ digit
                    scale -= 1
                }
                sawDigit = true
                index += 1
            }
        }
        guard sawDigit else { return nil }
        if index < count, base[index] == 0x65 || base[index] == 0x45 {
            index += 1
            var exponentNegative = false
            if index < count, base[index] == 0x2D || base[index] == 0x2B {
                exponentNegative = base[index] == 0x2D
                index += 1
            }
            var exponent = 0
            var sawExponentDigit = false
            while index < count, base[index] &- 0x30 < 10 {
                if exponent < 100_000 { exponent = exponent * 10 + Int(base[index] &- 0x30) }
                sawExponentDigit = true
                index += 1
            }
            guard sawExponentDigit else { return nil }
            scale += exponentNegative ? -exponent : exponent
        }
        guard index == count else { return nil }
        _ = digits
        if significant <= 15, scale >= -22, scale <= 22 {
            var value = Double(mantissa)
            value = scale < 0 ? value / powersOfTen[-scale] : value * powersOfTen[scale]
            return negative ? -value : value
        }
        // Rare: long or extreme numbers go through strtod on a NUL-terminated copy.
        guard count < 128 else { return nil }
        var buffer = [CChar](repeating: 0, count: count + 1)
        for offset in 0..<count { buffer[offset] = CChar(bitPattern: base[offset]) }
        let value = strtod(buffer, nil)
        return value.isFinite ? value : nil
    }

    /// `true` or `false` in any case. Compared as ASCII bytes: comparing a cell as a String
    /// normalises it first, which is slow for a cell of many combining marks.
    static func boolean(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool? {
        func matches(_ word: StaticString) -> Bool {
            guard bytes.count == word.utf8CodeUnitCount else { return false }
            let letters = word.utf8Start
            for index in 0..<bytes.count where bytes[index] | 0x20 != letters[index] { return false }
            return true
        }
        if matches("true") { return true }
        if matches("false") { return false }
        return nil
    }
}

/// Interns byte strings: an open-addressing table of (hash, bytes in an arena).
///
/// Costs one hash and, on a hit, one memcmp per field — no String is built until each distinct
/// value is decoded once at the end (which is also where invalid UTF-8 is found).
struct ByteInterner {
    /// One distinct value: where its bytes are in the arena, and where it was first seen.
    struct Entry {
        var hash: UInt64
        var offset: Int
        var length: Int
        var firstSeen: Int
    }

    private var arena: UnsafeMutablePointer<UInt8>
    private var arenaCapacity = 4096
    private var arenaCount = 0
    private var entries: UnsafeMutablePointer<Entry>
    private var entryCapacity = 256
    private(set) var count = 0
    private var slots: UnsafeMutablePointer<Int32>
    private var slotMask: Int

    init() {
        arena = Memory.allocate(arenaCapacity).assumingMemoryBound(to: UInt8.self)
        entries = Memory.allocate(entryCapacity * MemoryLayout<Entry>.stride).bindMemory(to: Entry.self, capacity: entryCapacity)
        slotMask = 1023
        slots = Memory.allocate((slotMask + 1) * 4).bindMemory(to: Int32.self, capacity: slotMask + 1)
        slots.initialize(repeating: -1, count: slotMask + 1)
    }

    func release() {
        Memory.release(arena)
        Memory.release(entries)
        Memory.release(slots)
    }

    /// A 64-bit hash folding 128-bit products, so that trailing digits ("Quận 398" vs "Quận 399")
    /// reach the low bits used to pick a slot.
    @inline(__always)
    static func hash(_ base: UnsafePointer<UInt8>, _ count: Int) -> UInt64 {
        let k0: UInt64 = 0xA076_1D64_78BD_642F, k1: UInt64 = 0xE703_7ED1_A0B4_28DB
        @inline(__always) func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
            let product = a.multipliedFullWidth(by: b)
            return product.high ^ product.low
        }
        var h = UInt64(count) ^ k0
        var index = 0
        let raw = UnsafeRawPointer(base)
        while index + 8 <= count {
            h = mix(h ^ raw.loadUnaligned(fromByteOffset: index, as: UInt64.self), k1)
            index += 8
        }
        if index < count {
            var tail: UInt64 = 0
            memcpy(&tail, base + index, count - index)
            h = mix(h ^ tail, k1)
        }
        return mix(h, k0)
    }

    /// Byte equality, eight bytes at a time (values are short: a call to memcmp costs more).
    @inline(__always)
    static func equal(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        var index = 0
        let rawA = UnsafeRawPointer(a), rawB = UnsafeRawPointer(b)
        while index + 8 <= count {
            if rawA.loadUnaligned(fromByteOffset: index, as: UInt64.self) != rawB.loadUnaligned(fromByteOffset: index, as: UInt64.self) { return false }
            index += 8
        }
        while index < count {
            if a[index] != b[index] { return false }
            index += 1
        }
        return true
    }

    mutating func intern(_ base: UnsafePointer<UInt8>, _ length: Int, sourceOffset: Int) -> UInt32 {
        let h = ByteInterner.hash(base, length)
        var slot = Int(truncatingIfNeeded: h) & slotMask
        while true {
            let code = slots[slot]
            if code < 0 { break }
            let entry = entries[Int(code)]
            if entry.hash == h, entry.length == length, ByteInterner.equal(arena + entry.offset, base, length) {
                return UInt32(code)
            }
            slot = (slot + 1) & slotMask
        }
        // A new value.
        if arenaCount + length > arenaCapacity {
            while arenaCount + length > arenaCapacity { arenaCapacity *= 2 }
            arena = Memory.reallocate(arena, arenaCapacity).assumingMemoryBound(to: UInt8.self)
        }
        (arena + arenaCount).update(from: base, count: length)
        if count == entryCapacity {
            entryCapacity *= 2
            entries = Memory.reallocate(entries, entryCapacity * MemoryLayout<Entry>.stride).bindMemory(to: Entry.self, capacity: entryCapacity)
        }
        let code = count
        entries[code] = Entry(hash: h, offset: arenaCount, length: length, firstSeen: sourceOffset)
        count += 1
        arenaCount += length
        slots[slot] = Int32(code)
        if count * 2 > slotMask { grow() }
        return UInt32(code)
    }

    private mutating func grow() {
        let newMask = (slotMask + 1) * 2 - 1
        let newSlots = Memory.allocate((newMask + 1) * 4).bindMemory(to: Int32.self, capacity: newMask + 1)
        newSlots.initialize(repeating: -1, count: newMask + 1)
        for index in 0..<count {
            var slot = Int(truncatingIfNeeded: entries[index].hash) & newMask
            while newSlots[slot] >= 0 { slot = (slot + 1) & newMask }
            newSlots[slot] = Int32(index)
        }
        Memory.release(slots)
        slots = newSlots
        slotMask = newMask
    }

    /// Each distinct value decoded; nil where the bytes are not UTF-8.
    func strings(input: CSVImporter.Input) -> [String?] {
        (0..<count).map { index in
            String(validating: UnsafeBufferPointer(start: arena + entries[index].offset, count: entries[index].length), as: UTF8.self)
        }
    }

    /// Each distinct value, for bytes known to be UTF-8 (cut at ASCII bytes out of a Swift
    /// string): no validation, which costs a generic call per value (Data/EmbeddedCSV.swift).
    func decodedStrings() -> [String] {
        (0..<count).map { index in
            String(decoding: UnsafeBufferPointer(start: arena + entries[index].offset, count: entries[index].length), as: UTF8.self)
        }
    }

    func firstOffset(_ code: Int) -> Int { entries[code].firstSeen }
}

/// One column's values from one chunk, in a growable malloc'd buffer.
final class ColumnBuffer {
    let type: DataType
    private(set) var storage: UnsafeMutableRawPointer
    private var capacity: Int
    private(set) var count = 0
    private var validity: UnsafeMutablePointer<UInt64>?
    private var validityWords = 0
    private(set) var nullCount = 0
    var interner = ByteInterner()
    private var owned = true

    init(type: DataType, capacity: Int) {
        self.type = type
        self.capacity = max(16, capacity)
        storage = Memory.allocate(self.capacity * Column.elementSize(type))
    }

    deinit {
        if owned { Memory.release(storage) }
        Memory.release(validity.map { UnsafeMutableRawPointer($0) })
        interner.release()
    }

    /// The storage now belongs to a Column.
    func forgetStorage() { owned = false }

    func releaseStorage() {
        if owned { Memory.release(storage) }
        owned = false
    }

    /// Room for at least `rows` values (the fast loop writes by row index, then sets `count`).
    func reserve(rows: Int) {
        guard rows > capacity else { return }
        capacity = max(rows, capacity + capacity / 2)
        storage = Memory.reallocate(storage, capacity * Column.elementSize(type))
    }

    var rowCapacity: Int { capacity }

    /// After the fast loop wrote `rows` values directly into `storage`.
    func setCount(_ rows: Int) { count = rows }

    /// Marks row `row` (already counted or about to be) as null.
    func markNull(_ row: Int) {
        Column.markNull(row, in: &validity, words: &validityWords, minimumWords: max(validityWords * 2, 16))
        nullCount += 1
    }

    @inline(__always)
    private func reserveOne() {
        if count == capacity {
            capacity *= 2
            storage = Memory.reallocate(storage, capacity * Column.elementSize(type))
        }
    }

    @inline(__always) func append(integer value: Int64) {
        reserveOne()
        storage.assumingMemoryBound(to: Int64.self)[count] = value
        count += 1
    }

    @inline(__always) func append(decimal value: Double) {
        reserveOne()
        storage.assumingMemoryBound(to: Double.self)[count] = value
        count += 1
    }

    @inline(__always) func append(code: UInt32) {
        reserveOne()
        storage.assumingMemoryBound(to: UInt32.self)[count] = code
        count += 1
    }

    @inline(__always) func append(boolean: Bool) {
        reserveOne()
        storage.assumingMemoryBound(to: UInt8.self)[count] = boolean ? 1 : 0
        count += 1
    }

    func appendNull() {
        reserveOne()
        let size = Column.elementSize(type)
        (storage + count * size).initializeMemory(as: UInt8.self, repeating: 0, count: size)
        markNull(count)
        count += 1
    }

    func isNull(_ row: Int) -> Bool {
        guard let validity, row >> 6 < validityWords else { return false }
        return validity[row >> 6] & (1 << UInt64(row & 63)) == 0
    }
}

/// Parses the records of one chunk of the file into typed column buffers.
struct ChunkParser {
    let input: CSVImporter.Input
    let delimiter: UInt8
    let types: [DataType]
    /// Missing markers (`..`): null in number columns, counted per column.
    let markers: [[UInt8]]
    let start: Int
    let end: Int
    let estimatedRows: Int
    let cancellation: CancellationCheck

    struct Output: @unchecked Sendable {
        var columns: [ColumnBuffer]
        var rowCount: Int
        var markerCounts: MarkerCounts
        /// The first value that did not fit its column's type, the type that would fit it, and
        /// where the value starts in the input (for the message when the type was declared).
        var widen: (column: Int, type: DataType, offset: Int)?
    }

    mutating func run() throws(Diagnostic) -> Output {
        if memchr(input.base + start, 0x22, end - start) == nil {
            return try runUnquoted()
        }
        return try runGeneral()
    }

    /// The common case, a chunk without any quote: fields are found and converted in one pass,
    /// written straight into the column buffers by row index (growth is checked once a row),
    /// with no per-record field list.
    private func runUnquoted() throws(Diagnostic) -> Output {
        let columns = types.map { ColumnBuffer(type: $0, capacity: estimatedRows) }
        let columnCount = types.count
        let base = input.base
        let delimiter = self.delimiter
        // Per column: its type code and its storage pointer (refreshed when buffers grow), and
        // its interner, held here so the loop mutates it without going through the class.
        let kinds = UnsafeMutablePointer<UInt8>.allocate(capacity: columnCount)
        let stores = UnsafeMutablePointer<UnsafeMutableRawPointer>.allocate(capacity: columnCount)
        let interners = UnsafeMutablePointer<ByteInterner>.allocate(capacity: columnCount)
        for (index, type) in types.enumerated() {
            kinds[index] = type == .integer ? 0 : type == .decimal ? 1 : type == .boolean ? 2 : 3
            stores[index] = columns[index].storage
            interners.advanced(by: index).initialize(to: columns[index].interner)
        }
        var capacity = columns.map(\.rowCapacity).min() ?? 0
        var rowCount = 0
        var counts = MarkerCounts(columns: columnCount, markers: markers.count)
        let markers = self.markers
        defer {
            for index in 0..<columnCount {
                columns[index].interner = interners[index]
                columns[index].setCount(rowCount)
            }
            kinds.deallocate()
            stores.deallocate()
            interners.deinitialize(count: columnCount)
            interners.deallocate()
        }
        var position = start
        let lastColumn = columnCount - 1
        // Pages already parsed are handed back to the kernel, so the mapped file does not
        // stay resident on top of the columns being built (peak memory).
        let pageSize = 1 << 21
        var released = (start + pageSize - 1) & ~(pageSize - 1)
        while position < end {
            // Blank lines (and a lone CR before LF) are not records.
            if base[position] == 0x0A { position += 1; continue }
            if base[position] == 0x0D, position + 1 < end, base[position + 1] == 0x0A { position += 2; continue }
            if rowCount == capacity {
                capacity = capacity + capacity / 2 + 16
                for index in 0..<columnCount {
                    columns[index].reserve(rows: capacity)
                    stores[index] = columns[index].storage
                }
            }
            let recordStart = position
            for column in 0...lastColumn {
                let fieldStart = position
                position = ChunkParser.nextSeparator(base, from: position, end: end, delimiter: delimiter)
                var fieldEnd = position
                if fieldEnd > fieldStart, base[fieldEnd - 1] == 0x0D, position >= end || base[position] == 0x0A { fieldEnd -= 1 }
                let atDelimiter = position < end && base[position] == delimiter
                if column < lastColumn {
                    guard atDelimiter else {
                        throw Diagnostic(.value, .csvRaggedRow, [String(input.lineNumber(at: recordStart)), String(columnCount), String(column + 1)])
                    }
                    position += 1
                } else if atDelimiter {
                    var found = columnCount + 1
                    var scan = position + 1
                    while scan < end, base[scan] != 0x0A {
                        if base[scan] == delimiter { found += 1 }
                        scan += 1
                    }
                    throw Diagnostic(.value, .csvRaggedRow, [String(input.lineNumber(at: recordStart)), String(columnCount), String(found)])
                }
                let pointer = base + fieldStart
                let length = fieldEnd - fieldStart
                let store = stores[column]
                if length == 0 {
                    // Null: a zeroed slot plus a cleared validity bit.
                    switch kinds[column] {
                    case 0, 1: store.storeBytes(of: 0, toByteOffset: rowCount * 8, as: UInt64.self)
                    case 2: store.storeBytes(of: 0, toByteOffset: rowCount, as: UInt8.self)
                    default: store.storeBytes(of: 0, toByteOffset: rowCount * 4, as: UInt32.self)
                    }
                    columns[column].markNull(rowCount)
                    continue
                }
                switch kinds[column] {
                case 0:
                    guard let value = NumberParsing.integer(pointer, length) else {
                        if let marker = MissingMarkers.match(pointer, length, markers: markers) {
                            store.storeBytes(of: 0, toByteOffset: rowCount * 8, as: UInt64.self)
                            columns[column].markNull(rowCount)
                            counts.add(column: column, marker: marker)
                            continue
                        }
                        return Output(columns: columns, rowCount: rowCount, markerCounts: counts, widen: (column, NumberParsing.decimal(pointer, length) != nil ? .decimal : .text, fieldStart))
                    }
                    store.storeBytes(of: value, toByteOffset: rowCount * 8, as: Int64.self)
                case 1:
                    guard let value = NumberParsing.decimal(pointer, length) else {
                        if let marker = MissingMarkers.match(pointer, length, markers: markers) {
                            store.storeBytes(of: 0, toByteOffset: rowCount * 8, as: UInt64.self)
                            columns[column].markNull(rowCount)
                            counts.add(column: column, marker: marker)
                            continue
                        }
                        return Output(columns: columns, rowCount: rowCount, markerCounts: counts, widen: (column, .text, fieldStart))
                    }
                    store.storeBytes(of: value, toByteOffset: rowCount * 8, as: Double.self)
                case 2:
                    guard let value = NumberParsing.boolean(UnsafeBufferPointer(start: pointer, count: length)) else {
                        return Output(columns: columns, rowCount: rowCount, markerCounts: counts, widen: (column, .text, fieldStart))
                    }
                    store.storeBytes(of: value ? 1 : 0, toByteOffset: rowCount, as: UInt8.self)
                default:
                    let code = interners[column].intern(pointer, length, sourceOffset: fieldStart)
                    store.storeBytes(of: code, toByteOffset: rowCount * 4, as: UInt32.self)
                }
            }
            if position < end { position += 1 }  // the line feed
            rowCount += 1
            if rowCount & 0xFFFF == 0 {
                try cancellation.check()
                let done = position & ~(pageSize - 1)
                if done > released {
                    madvise(UnsafeMutableRawPointer(mutating: base + released), done - released, MADV_DONTNEED)
                    released = done
                }
            }
        }
        return Output(columns: columns, rowCount: rowCount, markerCounts: counts, widen: nil)
    }

    /// The position of the next delimiter or line feed (or `end`), eight bytes at a time: a byte
    /// equal to either makes its lane of `word ^ pattern` zero, which the classic has-zero-byte
    /// test finds; the lowest flagged lane is the first match on a little-endian machine.
    @inline(__always)
    static func nextSeparator(_ base: UnsafePointer<UInt8>, from start: Int, end: Int, delimiter: UInt8) -> Int {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let delimiters = ones &* UInt64(delimiter)
        let newlines = ones &* 0x0A
        var position = start
        let raw = UnsafeRawPointer(base)
        while position + 8 <= end {
            let word = raw.loadUnaligned(fromByteOffset: position, as: UInt64.self)
            let a = word ^ delimiters, b = word ^ newlines
            let found = ((a &- ones) & ~a | (b &- ones) & ~b) & highs
            if found != 0 { return position + found.trailingZeroBitCount >> 3 }
            position += 8
        }
        while position < end {
            let byte = base[position]
            if byte == delimiter || byte == 0x0A { return position }
            position += 1
        }
        return end
    }

    private mutating func runGeneral() throws(Diagnostic) -> Output {
        let columns = types.map { ColumnBuffer(type: $0, capacity: estimatedRows) }
        var scanner = CSVImporter.RecordScanner(input: input, delimiter: delimiter, start: start, end: end)
        var fields: [CSVImporter.Field8] = []
        fields.reserveCapacity(types.count)
        let scratch = CSVImporter.ScratchBuffer()
        var rowCount = 0
        let columnCount = types.count
        let base = input.base
        var counts = MarkerCounts(columns: columnCount, markers: markers.count)
        while true {
            scratch.bytes.removeAll(keepingCapacity: true)
            guard try scanner.nextRecord(into: &fields, scratch: scratch) else { break }
            if fields.count != columnCount {
                // A lone empty trailing field on a one-column file is a blank value, not a ragged row.
                throw Diagnostic(.value, .csvRaggedRow, [String(input.lineNumber(at: scanner.recordStart)), String(columnCount), String(fields.count)])
            }
            for column in 0..<columnCount {
                let field = fields[column]
                let buffer = columns[column]
                var pointer = base + field.start
                let length = field.end - field.start
                if field.scratchStart >= 0 {
                    // Doubled quotes were collapsed into the scratch buffer: only text has them.
                    guard types[column] == .text else { return Output(columns: columns, rowCount: rowCount, markerCounts: counts, widen: (column, .text, field.start)) }
                    let code = scratch.bytes.withUnsafeBufferPointer { bytes in
                        buffer.interner.intern((bytes.baseAddress ?? base) + field.scratchStart, field.scratchEnd - field.scratchStart, sourceOffset: field.start)
                    }
                    buffer.append(code: code)
                    continue
                }
                if length == 0 && !field.quoted {
                    buffer.appendNull()
                    continue
                }
                switch types[column] {
                case .integer:
                    if let value = NumberParsing.integer(pointer, length) {
                        buffer.append(integer: value)
                    } else if length == 0 {
                        buffer.appendNull()
                    } else if let marker = MissingMarkers.match(pointer, length, markers: markers) {
                        buffer.appendNull()
                        counts.add(column: column, marker: marker)
                    } else {
                        return Output(columns: columns, rowCount: rowCount, markerCounts: counts, widen: (column, NumberParsing.decimal(pointer, length) != nil ? .decimal : .text, field.start))
                    }
                case .decimal:
                    if let value = NumberParsing.decimal(pointer, length) {
                        buffer.append(decimal: value)
                    } else if length == 0 {
                        buffer.appendNull()
                    } else if let marker = MissingMarkers.match(pointer, length, markers: markers) {
                        buffer.appendNull()
                        counts.add(column: column, marker: marker)
                    } else {
                        return Output(columns: columns, rowCount: rowCount, markerCounts: counts, widen: (column, .text, field.start))
                    }
                case .boolean:
                    if let value = NumberParsing.boolean(UnsafeBufferPointer(start: pointer, count: length)) {
                        buffer.append(boolean: value)
                    } else if length == 0 {
                        buffer.appendNull()
                    } else {
                        return Output(columns: columns, rowCount: rowCount, markerCounts: counts, widen: (column, .text, field.start))
                    }
                case .text, .null:
                    if length == 0 { pointer = base }
                    buffer.append(code: buffer.interner.intern(pointer, length, sourceOffset: field.start))
                }
            }
            rowCount += 1
            if rowCount & 0xFFFF == 0 { try cancellation.check() }
        }
        return Output(columns: columns, rowCount: rowCount, markerCounts: counts, widen: nil)
    }
}
