#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension CSVImporter {
    /// A file's bytes, mapped into memory. A pipe, a FIFO or a device (`<(cat f)`, `/dev/stdin`)
    /// cannot be mapped and has no size: it is read to its end into memory instead, stopping with
    /// `tooLarge` past `maximumBytes`.
    public final class MappedFile: @unchecked Sendable {
        public let bytes: UnsafeRawBufferPointer
        private let length: Int
        private let mapped: Bool
        /// Memory read from a pipe or device (nil for a mapped file).
        private let readBuffer: UnsafeMutableRawPointer?

        /// Thrown (as the `Diagnostic` given) when a pipe holds more than `maximumBytes`.
        public init(path: String, maximumBytes: Int? = nil, tooLarge: Diagnostic? = nil) throws(Diagnostic) {
            let descriptor = open(path, O_RDONLY)
            guard descriptor >= 0 else {
                if errno == ENOENT { throw Diagnostic(.io, .fileNotFound, [path]) }
                throw Diagnostic(.io, .fileUnreadable, [path, String(cString: strerror(errno))])
            }
            defer { close(descriptor) }
            var status = stat()
            guard fstat(descriptor, &status) == 0 else {
                throw Diagnostic(.io, .fileUnreadable, [path, String(cString: strerror(errno))])
            }
            if (status.st_mode & S_IFMT) == S_IFDIR {
                throw Diagnostic(.io, .fileUnreadable, [path, "it is a directory"])
            }
            if (status.st_mode & S_IFMT) != S_IFREG {
                let (buffer, count) = try MappedFile.readAll(descriptor, path: path, maximumBytes: maximumBytes, tooLarge: tooLarge)
                readBuffer = buffer
                length = count
                bytes = UnsafeRawBufferPointer(start: readBuffer, count: length)
                mapped = false
                return
            }
            readBuffer = nil
            length = Int(status.st_size)
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

        /// Reads a descriptor to its end with read(2); the buffer is malloc'd (nil when empty).
        private static func readAll(_ descriptor: Int32, path: String, maximumBytes: Int?, tooLarge: Diagnostic?) throws(Diagnostic) -> (UnsafeMutableRawPointer?, Int) {
            var capacity = 1 << 16
            guard var buffer = malloc(capacity) else {
                throw Diagnostic(.io, .fileUnreadable, [path, String(cString: strerror(ENOMEM))])
            }
            var count = 0
            while true {
                if count == capacity {
                    if let maximumBytes, count > maximumBytes { break }
                    capacity *= 2
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
                // Stop as soon as the limit is passed (`/dev/zero` never ends).
                if let maximumBytes, count > maximumBytes { break }
            }
            if let maximumBytes, count > maximumBytes {
                free(buffer)
                throw tooLarge ?? Diagnostic(.io, .fileUnreadable, [path, "it is too large"])
            }
            if count == 0 {
                free(buffer)
                return (nil, 0)
            }
            return (buffer, count)
        }
    }
}
