#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Raw memory for column buffers: malloc/realloc, so a buffer can grow in place (glibc moves
/// large blocks with mremap instead of copying) when chunks parsed in parallel are joined.
enum Memory {
    static func allocate(_ bytes: Int) -> UnsafeMutableRawPointer {
        guard let pointer = malloc(max(8, bytes)) else { outOfMemory(bytes) }
        return pointer
    }

    static func reallocate(_ pointer: UnsafeMutableRawPointer, _ bytes: Int) -> UnsafeMutableRawPointer {
        guard let grown = realloc(pointer, max(8, bytes)) else { outOfMemory(bytes) }
        return grown
    }

    static func release(_ pointer: UnsafeMutableRawPointer?) {
        free(pointer)
    }

    /// Memory is checked against `ResourceLimits` before large imports; this is the last resort
    /// when the system itself refuses.
    static func outOfMemory(_ bytes: Int) -> Never {
        let message = "ansinh: out of memory (asked for \(bytes) bytes)\n"
        _ = message.withCString { write(2, $0, strlen($0)) }
        exit(3)
    }
}

/// The distinct strings of a text column; rows store 32-bit codes into it.
///
/// Shared by every column derived from the same source (a filter or sort moves codes, never
/// strings), so string work — matching, folding, collation — is done once per distinct value.
public final class TextDictionary: @unchecked Sendable {
    public private(set) var strings: [String]
    /// String → code, built on first use: hashing non-ASCII Swift strings normalises them, which
    /// would dominate start-up if done for every loaded dictionary.
    private var indexCache: [String: UInt32]?
    private var foldedCache: [String]?
    private var ranksCache: [UInt32]?

    public init(_ strings: [String] = []) {
        self.strings = strings
    }

    /// Distinct strings, known to be distinct and in NFC (from the CSV importer's byte interner).
    init(distinct strings: [String]) {
        self.strings = strings
    }

    public var count: Int { strings.count }

    /// The kind of place each string names, or nil when more than half name none (then no
    /// column of this dictionary is read as places: PlaceKinds). Kept for the strings it was
    /// computed for: every `summarize` over a column asked again, and the lookups of every
    /// value of every text column cost about 30 M instructions a statement over `facts`.
    private var placeKindsCache: (count: Int, kinds: [Places.Kind?]?)?
    var placeKinds: [Places.Kind?]? {
        if let placeKindsCache, placeKindsCache.count == strings.count { return placeKindsCache.kinds }
        var kinds: [Places.Kind?] = []
        kinds.reserveCapacity(strings.count)
        var unknown = 0
        for string in strings {
            let kind = Places.shared.lookup(string)?.kind
            if kind == nil {
                unknown += 1
                if unknown > strings.count / 2 {
                    placeKindsCache = (strings.count, nil)
                    return nil
                }
            }
            kinds.append(kind)
        }
        placeKindsCache = (strings.count, kinds)
        return kinds
    }

    private var index: [String: UInt32] {
        if let indexCache { return indexCache }
        var index: [String: UInt32] = [:]
        index.reserveCapacity(strings.count)
        for (code, string) in strings.enumerated() where index[string] == nil {
            index[string] = UInt32(code)
        }
        indexCache = index
        return index
    }

    /// The code of `string`, adding it when new. Swift string equality is canonical, so NFC and
    /// NFD spellings of a name share one code.
    public func intern(_ string: String) -> UInt32 {
        if let code = index[string] { return code }
        let code = UInt32(strings.count)
        strings.append(string)
        indexCache?[string] = code
        foldedCache = nil
        ranksCache = nil
        return code
    }

    public func code(of string: String) -> UInt32? { index[string] }

    /// Each string folded (lower case, no diacritics), by code.
    public var folded: [String] {
        // `.never` cannot throw.
        (try? folded(cancellation: .never)) ?? strings
    }

    /// `folded`, polling for ^C: a dictionary of a million distinct strings takes seconds to fold.
    func folded(cancellation: CancellationCheck) throws(Diagnostic) -> [String] {
        if let foldedCache, foldedCache.count == strings.count { return foldedCache }
        var budget = RowBudget(cancellation)
        var result: [String] = []
        result.reserveCapacity(strings.count)
        for string in strings {
            result.append(UnicodeText.fold(string))
            try budget.spend()
        }
        foldedCache = result
        return result
    }

    /// The sort position of each code under Vietnamese collation: sorting codes by rank sorts the
    /// strings, so a sort compares integers instead of strings.
    public var ranks: [UInt32] {
        // `.never` cannot throw.
        (try? ranks(cancellation: .never)) ?? []
    }

    /// `ranks`, polling for ^C while the collation keys are built and sorted (seconds for a
    /// million distinct strings, before the sort that asked for them has begun).
    func ranks(cancellation: CancellationCheck) throws(Diagnostic) -> [UInt32] {
        if let ranksCache, ranksCache.count == strings.count { return ranksCache }
        var budget = RowBudget(cancellation)
        var keys: [[UInt32]] = []
        keys.reserveCapacity(strings.count)
        for string in strings {
            keys.append(VietnameseCollation.key(string))
            try budget.spend()
        }
        var order = Array(0..<strings.count)
        try order.sort(spending: &budget) { a, b in
            keys[a].lexicographicallyPrecedes(keys[b]) || (keys[a] == keys[b] && a < b)
        }
        var ranks = [UInt32](repeating: 0, count: strings.count)
        var rank: UInt32 = 0
        for (position, code) in order.enumerated() {
            if position > 0, keys[order[position - 1]] != keys[code] { rank = UInt32(position) }
            ranks[code] = rank
        }
        ranksCache = ranks
        return ranks
    }
}

/// A column of one type, stored in a contiguous buffer, with an optional validity bitmap.
///
/// A `final class` owning unsafe memory: no copy-on-write or exclusivity checks in the kernels,
/// which copy the base pointers into locals before looping (see PERFORMANCE.md).
public final class Column: @unchecked Sendable {
    public let type: DataType
    public let count: Int
    /// Integer values (type `.integer`).
    let integers: UnsafeMutablePointer<Int64>
    /// Decimal values (type `.decimal`).
    let decimals: UnsafeMutablePointer<Double>
    /// Dictionary codes (type `.text`).
    let codes: UnsafeMutablePointer<UInt32>
    /// 0 or 1 (type `.boolean`).
    let booleans: UnsafeMutablePointer<UInt8>
    public let dictionary: TextDictionary
    /// Bit `i` set when row `i` holds a value; nil when no row is null.
    let validity: UnsafeMutablePointer<UInt64>?
    public let nullCount: Int
    private let storage: UnsafeMutableRawPointer?

    nonisolated(unsafe) private static let empty = Memory.allocate(8)

    /// Takes ownership of `storage` (allocated with `allocateStorage`) and `validity`.
    init(type: DataType, count: Int, storage: UnsafeMutableRawPointer?, dictionary: TextDictionary?, validity: UnsafeMutablePointer<UInt64>?, nullCount: Int) {
        self.type = type
        self.count = count
        self.storage = storage
        let base = storage ?? Column.empty
        integers = base.assumingMemoryBound(to: Int64.self)
        decimals = base.assumingMemoryBound(to: Double.self)
        codes = base.assumingMemoryBound(to: UInt32.self)
        booleans = base.assumingMemoryBound(to: UInt8.self)
        // Every row of a text column, null or not, holds a code into its dictionary (a null's
        // is 0), and kernels index per-code tables (ranks, folded strings, answers) by it. A
        // column with no non-null value would have no string at all, so it gets one, the empty
        // string: one representation of an all-null text column that every operator handles.
        if type == .text, count > 0, (dictionary?.count ?? 0) == 0 {
            self.dictionary = TextDictionary(distinct: [""])
        } else {
            self.dictionary = dictionary ?? TextDictionary()
        }
        self.validity = nullCount > 0 ? validity : nil
        if nullCount == 0, let validity { Memory.release(validity) }
        self.nullCount = nullCount
    }

    deinit {
        Memory.release(storage)
        Memory.release(validity.map { UnsafeMutableRawPointer($0) })
    }

    static func elementSize(_ type: DataType) -> Int {
        switch type {
        case .integer, .decimal: 8
        case .text: 4
        case .boolean, .null: 1
        }
    }

    static func allocateStorage(_ type: DataType, count: Int) -> UnsafeMutableRawPointer {
        Memory.allocate(count * elementSize(type))
    }

    /// A bitmap with every row valid.
    static func allocateValidity(count: Int) -> UnsafeMutablePointer<UInt64> {
        let words = max(1, (count + 63) / 64)
        let pointer = Memory.allocate(words * 8).bindMemory(to: UInt64.self, capacity: words)
        pointer.initialize(repeating: ~0, count: words)
        return pointer
    }

    /// Clears the validity bit of `row` in a growable bitmap (all valid until marked), growing
    /// it to at least `minimumWords` words first when `row` lies past its end. Shared by the
    /// builders that append row by row (`ColumnBuilder`, the CSV importer's column buffers).
    static func markNull(_ row: Int, in validity: inout UnsafeMutablePointer<UInt64>?, words: inout Int, minimumWords: Int) {
        let word = row >> 6
        if validity == nil || word >= words {
            let newWords = max(word + 1, minimumWords)
            let grown = allocateValidity(count: newWords * 64)
            if let old = validity {
                grown.update(from: old, count: words)
                Memory.release(old)
            }
            validity = grown
            words = newWords
        }
        validity?[word] &= ~(1 << UInt64(row & 63))
    }

    @inline(__always)
    public func isNull(_ row: Int) -> Bool {
        if type == .null { return true }
        guard let validity else { return false }
        return validity[row >> 6] & (1 << UInt64(row & 63)) == 0
    }

    /// A column of `count` nulls.
    static func nulls(_ type: DataType, count: Int) -> Column {
        if type == .null || count == 0 {
            return Column(type: type, count: count, storage: allocateStorage(type, count: count), dictionary: nil, validity: nil, nullCount: type == .null ? count : 0)
        }
        let storage = allocateStorage(type, count: count)
        storage.initializeMemory(as: UInt8.self, repeating: 0, count: max(8, count * elementSize(type)))
        let validity = allocateValidity(count: count)
        validity.update(repeating: 0, count: max(1, (count + 63) / 64))
        return Column(type: type, count: count, storage: storage, dictionary: nil, validity: validity, nullCount: count)
    }

    /// The value at `row`, boxed. For rendering and tests, never for kernels.
    public func value(at row: Int) -> Value {
        if isNull(row) { return .null }
        switch type {
        case .integer: return .integer(integers[row])
        case .decimal: return .decimal(decimals[row])
        case .text: return .text(dictionary.strings[Int(codes[row])])
        case .boolean: return .boolean(booleans[row] != 0)
        case .null: return .null
        }
    }

    /// Numeric value as Double, nil for null or non-numbers.
    @inline(__always)
    func double(at row: Int) -> Double? {
        if isNull(row) { return nil }
        switch type {
        case .integer: return Double(integers[row])
        case .decimal: return decimals[row]
        default: return nil
        }
    }

    @inline(__always)
    func text(at row: Int) -> String? {
        guard type == .text, !isNull(row) else { return nil }
        return dictionary.strings[Int(codes[row])]
    }

    /// The rows at `indices`, in that order (a gather through a selection vector).
    func gather(_ indices: UnsafeBufferPointer<UInt32>) -> Column {
        let count = indices.count
        if type == .null { return Column.nulls(.null, count: count) }
        let storage = Column.allocateStorage(type, count: count)
        var validity: UnsafeMutablePointer<UInt64>?
        var nulls = 0
        if let source = self.validity {
            let target = Column.allocateValidity(count: count)
            for (position, row) in indices.enumerated() where source[Int(row) >> 6] & (1 << UInt64(row & 63)) == 0 {
                target[position >> 6] &= ~(1 << UInt64(position & 63))
                nulls += 1
            }
            validity = target
        }
        do {
            switch type {
            case .integer:
                let from = integers, to = storage.assumingMemoryBound(to: Int64.self)
                for position in 0..<count { to[position] = from[Int(indices[position])] }
            case .decimal:
                let from = decimals, to = storage.assumingMemoryBound(to: Double.self)
                for position in 0..<count { to[position] = from[Int(indices[position])] }
            case .text:
                let from = codes, to = storage.assumingMemoryBound(to: UInt32.self)
                for position in 0..<count { to[position] = from[Int(indices[position])] }
            case .boolean:
                let from = booleans, to = storage.assumingMemoryBound(to: UInt8.self)
                for position in 0..<count { to[position] = from[Int(indices[position])] }
            case .null: break
            }
        }
        return Column(type: type, count: count, storage: storage, dictionary: type == .text ? dictionary : nil, validity: validity, nullCount: nulls)
    }

    func gather(_ indices: [UInt32]) -> Column {
        indices.withUnsafeBufferPointer { gather($0) }
    }

    /// A column of `count` copies of one value.
    static func constant(_ value: Value, count: Int) -> Column {
        let builder = ColumnBuilder(type: value.type, capacity: count)
        for _ in 0..<count { builder.append(value) }
        return builder.finish()
    }
}

/// Appends values one at a time into a new column (results, imports, tests).
public final class ColumnBuilder {
    public let type: DataType
    private var storage: UnsafeMutableRawPointer
    private var capacity: Int
    private var validity: UnsafeMutablePointer<UInt64>?
    private var validityWords = 0
    public private(set) var count = 0
    private var nullCount = 0
    public let dictionary: TextDictionary

    public init(type: DataType, capacity: Int = 16, dictionary: TextDictionary? = nil) {
        self.type = type
        self.capacity = max(16, capacity)
        self.storage = Column.allocateStorage(type, count: self.capacity)
        self.dictionary = dictionary ?? TextDictionary()
    }

    private func reserve(_ needed: Int) {
        guard needed > capacity else { return }
        let newCapacity = max(needed, capacity * 2)
        let size = Column.elementSize(type)
        storage = Memory.reallocate(storage, newCapacity * size)
        capacity = newCapacity
    }

    private func markNull(_ row: Int) {
        Column.markNull(row, in: &validity, words: &validityWords, minimumWords: (capacity + 63) / 64)
        nullCount += 1
    }

    public func appendNull() {
        reserve(count + 1)
        let size = Column.elementSize(type)
        (storage + count * size).initializeMemory(as: UInt8.self, repeating: 0, count: size)
        markNull(count)
        count += 1
    }

    public func append(integer value: Int64) {
        reserve(count + 1)
        storage.assumingMemoryBound(to: Int64.self)[count] = value
        count += 1
    }

    public func append(decimal value: Double) {
        reserve(count + 1)
        storage.assumingMemoryBound(to: Double.self)[count] = value
        count += 1
    }

    public func append(text value: String) {
        reserve(count + 1)
        storage.assumingMemoryBound(to: UInt32.self)[count] = dictionary.intern(value)
        count += 1
    }

    public func append(code: UInt32) {
        reserve(count + 1)
        storage.assumingMemoryBound(to: UInt32.self)[count] = code
        count += 1
    }

    public func append(boolean value: Bool) {
        reserve(count + 1)
        storage.assumingMemoryBound(to: UInt8.self)[count] = value ? 1 : 0
        count += 1
    }

    /// Appends a value, converting integers to decimals for a decimal column; a value of another
    /// type becomes null (callers bind types first, so this only guards against mistakes).
    public func append(_ value: Value) {
        switch (type, value) {
        case (_, .null): appendNull()
        case (.integer, .integer(let number)): append(integer: number)
        case (.decimal, .decimal(let number)): append(decimal: number)
        case (.decimal, .integer(let number)): append(decimal: Double(number))
        case (.text, .text(let string)): append(text: string)
        case (.boolean, .boolean(let flag)): append(boolean: flag)
        case (.null, _): count += 1; nullCount += 1
        default: appendNull()
        }
    }

    /// Copies row `row` of `column` (same type, or integer into decimal).
    func append(from column: Column, row: Int) {
        if column.isNull(row) { appendNull(); return }
        switch (type, column.type) {
        case (.integer, .integer): append(integer: column.integers[row])
        case (.decimal, .decimal): append(decimal: column.decimals[row])
        case (.decimal, .integer): append(decimal: Double(column.integers[row]))
        case (.text, .text):
            if column.dictionary === dictionary {
                append(code: column.codes[row])
            } else {
                append(text: column.dictionary.strings[Int(column.codes[row])])
            }
        case (.boolean, .boolean): append(boolean: column.booleans[row] != 0)
        default: appendNull()
        }
    }

    private var finished = false

    deinit {
        if !finished {
            Memory.release(storage)
            Memory.release(validity.map { UnsafeMutableRawPointer($0) })
        }
    }

    /// The finished column, which takes over the memory; the builder must not be used again.
    public func finish() -> Column {
        finished = true
        let neededWords = (count + 63) / 64
        if let old = validity, validityWords < neededWords {
            let new = Column.allocateValidity(count: neededWords * 64)
            new.update(from: old, count: validityWords)
            Memory.release(old)
            validity = new
            validityWords = neededWords
        }
        return Column(type: type, count: count, storage: storage, dictionary: type == .text ? dictionary : nil, validity: validity, nullCount: nullCount)
    }
}
