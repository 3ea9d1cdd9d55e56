#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a file through a temporary file in the same folder, renamed over the target only when
/// everything was written and synced: a crash or a full disk never leaves a half-written file in
/// place of a good one.
public final class AtomicFileWriter {
    public let path: String
    private let temporaryPath: String
    private var descriptor: Int32
    private var failure: String?
    private var finished = false

    /// Opens the temporary file. Refuses to replace an existing file unless `overwrite`.
    public init(path: String, overwrite: Bool) throws(Diagnostic) {
        self.path = path
        var status = stat()
        if stat(path, &status) == 0 {
            if (status.st_mode & S_IFMT) == S_IFDIR { throw Diagnostic(.io, .fileWriteFailed, [path, "it is a directory"]) }
            if !overwrite { throw Diagnostic(.io, .fileExists, [path]) }
        }
        let folder: String
        let name: String
        if let slash = path.lastIndex(of: "/") {
            folder = String(path[..<slash]).isEmpty ? "/" : String(path[..<slash])
            name = String(path[path.index(after: slash)...])
        } else {
            folder = "."
            name = path
        }
        temporaryPath = "\(folder)/.\(name).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        if descriptor < 0 {
            throw Diagnostic(.io, .fileWriteFailed, [path, String(cString: strerror(errno))])
        }
    }

    deinit {
        if !finished { discard() }
    }

    public func write(_ text: String) {
        guard failure == nil, descriptor >= 0 else { return }
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return Glibc.write(descriptor, base + offset, buffer.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                failure = String(cString: strerror(errno))
                return
            }
            offset += written
        }
        bytes.removeAll()
    }

    /// Syncs and renames the temporary file over the target.
    public func commit() throws(Diagnostic) {
        finished = true
        if let failure {
            discard()
            throw Diagnostic(.io, .fileWriteFailed, [path, failure])
        }
        if fsync(descriptor) != 0 || close(descriptor) != 0 {
            let reason = String(cString: strerror(errno))
            descriptor = -1
            unlink(temporaryPath)
            throw Diagnostic(.io, .fileWriteFailed, [path, reason])
        }
        descriptor = -1
        if rename(temporaryPath, path) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(temporaryPath)
            throw Diagnostic(.io, .fileWriteFailed, [path, reason])
        }
    }

    /// Removes the temporary file; the target is untouched.
    public func discard() {
        finished = true
        if descriptor >= 0 { close(descriptor) }
        descriptor = -1
        unlink(temporaryPath)
    }

    /// Writes `text` to `path` in one go.
    public static func write(_ text: String, to path: String, overwrite: Bool) throws(Diagnostic) {
        let writer = try AtomicFileWriter(path: path, overwrite: overwrite)
        writer.write(text)
        try writer.commit()
    }
}

/// Reads a whole file as UTF-8 text.
public enum TextFile {
    public static func read(_ path: String) throws(Diagnostic) -> String {
        let file = try CSVImporter.MappedFile(path: path)
        guard let text = String(validating: file.bytes, as: UTF8.self) else {
            let offset = UTF8Check.firstInvalidOffset(file.bytes) ?? 0
            let line = 1 + file.bytes[0..<offset].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
            throw Diagnostic(.io, .fileNotUTF8, [path, String(line)])
        }
        return text
    }
}

/// Finds where UTF-8 decoding first fails.
enum UTF8Check {
    static func firstInvalidOffset(_ bytes: UnsafeRawBufferPointer) -> Int? {
        var index = 0
        let count = bytes.count
        while index < count {
            let lead = bytes[index]
            let length: Int
            switch lead {
            case 0x00...0x7F: length = 1
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: return index
            }
            if index + length > count { return index }
            if length > 1, String(validating: UnsafeRawBufferPointer(rebasing: bytes[index..<index + length]), as: UTF8.self) == nil {
                return index
            }
            index += length
        }
        return nil
    }
}
