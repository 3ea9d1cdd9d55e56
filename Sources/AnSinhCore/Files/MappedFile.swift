#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file's bytes, mapped into memory. A pipe, a FIFO or a device (`<(cat f)`, `/dev/stdin`)
/// cannot be mapped and has no size: it is read to its end into memory instead, stopping with
/// `tooLarge` as soon as more than `maximumBytes` arrived (`/dev/zero` never ends), so what is
/// held never passes the bound. The file is opened through `FileAccess` (safe mode's check).
public final class MappedFile: @unchecked Sendable {
    public let bytes: UnsafeRawBufferPointer
    private let length: Int
    private let mapped: Bool
    /// Memory read from a pipe or device (nil for a mapped file).
    private let readBuffer: UnsafeMutableRawPointer?

    /// Throws `tooLarge` when the file holds more than `maximumBytes`; a pipe or device is bounded
    /// by `streamBytes` (and `streamTooLarge`) when given.
    public init(path: String, access: FileAccess = .unrestricted, command: String = ".import",
                maximumBytes: Int? = nil, tooLarge: Diagnostic? = nil,
                streamBytes: Int? = nil, streamTooLarge: Diagnostic? = nil) throws(Diagnostic) {
        let descriptor = try access.openForReading(path, command: command)
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw Diagnostic(.io, .fileUnreadable, [path, String(cString: strerror(errno))])
        }
        if (status.st_mode & S_IFMT) == S_IFDIR {
            throw Diagnostic(.io, .fileUnreadable, [path, "it is a directory"])
        }
        if (status.st_mode & S_IFMT) != S_IFREG {
            let (buffer, count) = try MappedFile.readAll(descriptor, path: path, maximumBytes: streamBytes ?? maximumBytes,
                                                         tooLarge: streamBytes == nil ? tooLarge : streamTooLarge)
            readBuffer = buffer
            length = count
            bytes = UnsafeRawBufferPointer(start: readBuffer, count: length)
            mapped = false
            return
        }
        // `/proc/self/mem` says it is empty and `/proc/kcore` says it is huge: neither is data.
        if let kind = FileAccess.systemFileKind(descriptor) {
            throw Diagnostic(.io, .systemFile, [path, kind])
        }
        readBuffer = nil
        length = Int(status.st_size)
        if let maximumBytes, let tooLarge, length > maximumBytes { throw tooLarge }
        if length == 0 {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            mapped = false
            return
        }
        guard let address = mmap(nil, length, PROT_READ, MAP_PRIVATE, descriptor, 0), address != MAP_FAILED else {
            throw Diagnostic(.io, .fileUnreadable, [path, String(cString: strerror(errno))])
        }
        madvise(address, length, MADV_SEQUENTIAL)
        bytes = UnsafeRawBufferPointer(start: address, count: length)
        mapped = true
    }

    deinit {
        if mapped, let base = bytes.baseAddress { munmap(UnsafeMutableRawPointer(mutating: base), length) }
        free(readBuffer)
    }

    /// Reads a descriptor to its end with read(2); the buffer is malloc'd (nil when empty). The
    /// buffer never grows past `maximumBytes` + 1: the byte after the bound says "too large".
    static func readAll(_ descriptor: Int32, path: String, maximumBytes: Int?, tooLarge: Diagnostic?) throws(Diagnostic) -> (UnsafeMutableRawPointer?, Int) {
        let ceiling = maximumBytes.map { $0 + 1 } ?? Int.max
        var capacity = min(1 << 16, ceiling)
        guard var buffer = malloc(capacity) else {
            throw Diagnostic(.io, .fileUnreadable, [path, String(cString: strerror(ENOMEM))])
        }
        var count = 0
        while true {
            if count == capacity {
                if capacity >= ceiling { break }
                capacity = min(capacity > Int.max / 2 ? Int.max : capacity * 2, ceiling)
                guard let grown = realloc(buffer, capacity) else {
                    free(buffer)
                    throw Diagnostic(.io, .fileUnreadable, [path, String(cString: strerror(ENOMEM))])
                }
                buffer = grown
            }
            let got = read(descriptor, buffer + count, capacity - count)
            if got < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                free(buffer)
                throw Diagnostic(.io, .fileUnreadable, [path, reason])
            }
            if got == 0 { break }
            count += got
        }
        if let maximumBytes, count > maximumBytes {
            free(buffer)
            throw tooLarge ?? Diagnostic(.io, .streamTooLarge, [path, String(maximumBytes / 1_048_576)])
        }
        if count == 0 {
            free(buffer)
            return (nil, 0)
        }
        return (buffer, count)
    }
}

extension MappedFile {
    /// Opens a data file under the session's limits: a regular file up to `import_mb` (mapped,
    /// not copied), a pipe or device up to the smaller of `import_mb` and `memory_mb`, since
    /// everything it sends is held in memory.
    public static func open(_ path: String, access: FileAccess, command: String, limits: ResourceLimits, tooLarge: Diagnostic) throws(Diagnostic) -> MappedFile {
        let importBytes = limits.maximumImportMegabytes * 1_048_576
        let memoryBytes = limits.maximumMemoryMegabytes * 1_048_576
        return try MappedFile(path: path, access: access, command: command, maximumBytes: importBytes, tooLarge: tooLarge,
                              streamBytes: min(importBytes, memoryBytes),
                              streamTooLarge: memoryBytes < importBytes ? Diagnostic(.limit, .streamTooLarge, [path, String(limits.maximumMemoryMegabytes)]) : tooLarge)
    }
}
