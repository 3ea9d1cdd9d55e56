#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch

extension CSVImporter {
    // MARK: - Parsing

    enum ParseOutcome {
        /// The columns, the row count, and the missing markers read as null.
        case success([Column], Int, MarkerCounts)
        /// A value did not fit: read again with this column widened.
        case widen(Int, DataType, offset: Int)
    }

    static func parse(input: Input, delimiter: UInt8, from start: Int, end: Int, types: [DataType], markers: [[UInt8]], parallel: Bool, cancellation: CancellationCheck) throws(Diagnostic) -> ParseOutcome {
        // Two chunks on two cores, split at a line break, when no quote can hide a line break.
        var boundaries = [start, end]
        let remaining = end - start
        if parallel, remaining > 4_000_000, memchr(input.base + start, 0x22, remaining) == nil {
            var middle = start + remaining / 2
            if let newline = memchr(input.base + middle, 0x0A, end - middle) {
                middle = (UnsafeRawPointer(newline) - UnsafeRawPointer(input.base)) + 1
                if middle < end { boundaries = [start, middle, end] }
            }
        }
        let chunkCount = boundaries.count - 1
        let chunkBoundaries = boundaries
        let results = ResultBox(count: chunkCount)
        let estimatedRows = max(16, remaining / max(1, averageRecordLength(input: input, from: start, end: end)) + 16)
        let work: @Sendable (Int) -> Void = { chunk in
            var parser = ChunkParser(input: input, delimiter: delimiter, types: types, markers: markers, start: chunkBoundaries[chunk], end: chunkBoundaries[chunk + 1], estimatedRows: estimatedRows / chunkCount, cancellation: cancellation)
            results.set(chunk, Result { () throws(Diagnostic) -> ChunkParser.Output in try parser.run() })
        }
        if chunkCount == 1 {
            work(0)
        } else {
            DispatchQueue.concurrentPerform(iterations: chunkCount, execute: work)
        }
        var outputs: [ChunkParser.Output] = []
        for chunk in 0..<chunkCount {
            switch results.get(chunk) {
            case .success(let output): outputs.append(output)
            case .failure(let diagnostic): throw diagnostic
            case nil: throw Diagnostic(.cancelled, .cancelled)
            }
        }
        // The first widening wins (the earliest in the file, for a stable message order).
        for output in outputs {
            if let (column, type, offset) = output.widen { return .widen(column, type, offset: offset) }
        }
        var counts = MarkerCounts(columns: types.count, markers: markers.count)
        for output in outputs { counts.merge(output.markerCounts) }
        return .success(try merge(outputs, types: types, input: input), outputs.reduce(0) { $0 + $1.rowCount }, counts)
    }

    private static func averageRecordLength(input: Input, from start: Int, end: Int) -> Int {
        let sample = min(end - start, 65536)
        guard sample > 0 else { return 64 }
        var lines = 0
        for offset in 0..<sample where input.base[start + offset] == 0x0A { lines += 1 }
        return max(1, sample / max(1, lines))
    }

    final class ResultBox: @unchecked Sendable {
        private var results: [Result<ChunkParser.Output, Diagnostic>?]
        private let lock = NSLockish()
        init(count: Int) { results = Array(repeating: nil, count: count) }
        func set(_ index: Int, _ result: Result<ChunkParser.Output, Diagnostic>) {
            lock.locked { results[index] = result }
        }
        func get(_ index: Int) -> Result<ChunkParser.Output, Diagnostic>? {
            lock.locked { results[index] }
        }
    }

    /// Joins chunk outputs: numeric buffers are appended with realloc; text codes of later chunks
    /// are remapped into the first chunk's dictionary.
    private static func merge(_ outputs: [ChunkParser.Output], types: [DataType], input: Input) throws(Diagnostic) -> [Column] {
        // Decode and validate every text column of every chunk before any storage changes
        // hands: an invalid byte must leave each buffer owning exactly what it owned.
        var decodedText: [Int: [[String]]] = [:]
        for (index, type) in types.enumerated() where type == .text {
            var perChunk: [[String]] = []
            for output in outputs {
                let interner = output.columns[index].interner
                let strings = interner.strings(input: input)
                if let bad = strings.firstIndex(where: { $0 == nil }) {
                    throw Diagnostic(.value, .csvInvalidUTF8, [String(input.lineNumber(at: interner.firstOffset(bad)))])
                }
                perChunk.append(strings.map { $0 ?? "" })
            }
            decodedText[index] = perChunk
        }
        var columns: [Column] = []
        let total = outputs.reduce(0) { $0 + $1.rowCount }
        for (index, type) in types.enumerated() {
            let size = Column.elementSize(type)
            let storage = Memory.reallocate(outputs[0].columns[index].storage, max(8, total * size))
            outputs[0].columns[index].forgetStorage()
            var validity: UnsafeMutablePointer<UInt64>?
            var nullCount = 0
            var dictionary = TextDictionary()
            var offset = 0
            for (chunkIndex, output) in outputs.enumerated() {
                let buffer = output.columns[index]
                if type == .text, let decoded = decodedText[index]?[chunkIndex] {
                    if chunkIndex == 0, decoded.allSatisfy({ UnicodeText.isCertainlyNFC($0.utf8) }) {
                        // Distinct bytes that are already NFC are distinct strings: no hashing.
                        dictionary = TextDictionary(distinct: decoded)
                    }
                    let remap: [UInt32] = chunkIndex == 0 && dictionary.count == decoded.count
                        ? (0..<UInt32(decoded.count)).map { $0 }
                        : decoded.map { dictionary.intern(UnicodeText.nfc($0)) }
                    let codes = (storage + offset * size).assumingMemoryBound(to: UInt32.self)
                    // The first chunk's buffer was moved by realloc: its codes are in `storage` now.
                    let source = (chunkIndex == 0 ? storage : buffer.storage).assumingMemoryBound(to: UInt32.self)
                    remap.withUnsafeBufferPointer { remap in
                        // A null cell holds code 0 with its validity bit clear; a chunk whose
                        // cells are all null has no strings at all, so its codes stay 0.
                        for row in 0..<buffer.count {
                            let code = Int(source[row])
                            codes[row] = code < remap.count ? remap[code] : 0
                        }
                    }
                } else if chunkIndex > 0 {
                    (storage + offset * size).copyMemory(from: buffer.storage, byteCount: buffer.count * size)
                }
                if buffer.nullCount > 0 {
                    if validity == nil { validity = Column.allocateValidity(count: total) }
                    for row in 0..<buffer.count where buffer.isNull(row) {
                        let target = offset + row
                        validity?[target >> 6] &= ~(1 << UInt64(target & 63))
                    }
                    nullCount += buffer.nullCount
                }
                offset += buffer.count
                if chunkIndex > 0 { buffer.releaseStorage() }
            }
            columns.append(Column(type: type, count: total, storage: storage, dictionary: type == .text ? dictionary : nil, validity: validity, nullCount: nullCount))
        }
        return columns
    }
}

/// A tiny mutex over pthread (Foundation's NSLock is not imported here).
final class NSLockish: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    init() { pthread_mutex_init(&mutex, nil) }
    deinit { pthread_mutex_destroy(&mutex) }
    func locked<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return try body()
    }
}
