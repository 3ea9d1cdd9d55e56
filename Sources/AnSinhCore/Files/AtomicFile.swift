#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a file through a temporary file in the same folder, renamed over the target only when
/// everything was written and synced: a crash or a full disk never leaves a half-written file in
/// place of a good one.
///
/// A symbolic link is followed, so the file it points at is replaced and the link stays. A
/// character device or a pipe (`/dev/null`, `/dev/stdout`, a FIFO) is written directly, as sqlite3
/// and the DuckDB CLI do: there is no file to lose, and renaming over `/dev/null` would replace the
/// device itself.
public final class AtomicFileWriter {
    public let path: String
    /// Where the bytes end up: `path`, or the file a symbolic link at `path` points to.
    private let target: String
    /// The temporary file; nil when writing directly to a device or pipe.
    private let temporaryPath: String?
    private var descriptor: Int32
    private var failure: String?
    private var finished = false
    /// False: the target must not exist when the file is put in place (it is linked, never
    /// renamed over), so of two writers of one new file exactly one wins.
    private let overwrite: Bool

    /// What is at a path now, following symbolic links.
    enum Existing: Equatable {
        case nothing, regularFile, directory, deviceOrPipe, other
    }

    static func existing(_ path: String) -> Existing {
        var status = stat()
        guard stat(path, &status) == 0 else { return .nothing }
        switch status.st_mode & S_IFMT {
        // `/dev/stdout` or `/proc/self/fd/1` redirected to a file by the calling shell: write
        // through the descriptor, as `echo > /dev/stdout` does, rather than replace that file.
        // Only names of a descriptor: `/dev/shm/report.csv` is an ordinary file, replaced atomically.
        case S_IFREG where namesADescriptor(path): return .deviceOrPipe
        case S_IFREG: return .regularFile
        case S_IFDIR: return .directory
        case S_IFCHR, S_IFIFO: return .deviceOrPipe
        default: return .other
        }
    }

    /// `/dev/stdout`, `/dev/stderr`, `/dev/fd/N`, `/proc/self/fd/N`, `/proc/PID/fd/N`.
    static func namesADescriptor(_ path: String) -> Bool {
        if ["/dev/stdout", "/dev/stderr", "/dev/stdin"].contains(path) || path.hasPrefix("/dev/fd/") || path.hasPrefix("/proc/self/fd/") { return true }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        return parts.count == 5 && parts[0].isEmpty && parts[1] == "proc" && parts[2].allSatisfy(\.isNumber) && parts[3] == "fd"
    }

    /// Whether writing `path` would replace the contents of an existing file (and so needs
    /// `--force` or a yes). Writing to a device or a pipe replaces nothing.
    public static func wouldReplaceFile(_ path: String) -> Bool {
        existing(path) == .regularFile
    }

    /// Opens the temporary file. Refuses to replace an existing file unless `overwrite`.
    public init(path: String, overwrite: Bool) throws(Diagnostic) {
        self.path = path
        self.overwrite = overwrite
        var linkStatus = stat()
        var target = path
        if lstat(path, &linkStatus) == 0, (linkStatus.st_mode & S_IFMT) == S_IFLNK, let resolved = realpath(path, nil) {
            target = String(cString: resolved)
            free(resolved)
        }
        self.target = target
        var status = stat()
        let exists = stat(target, &status) == 0
        let atPath = Self.existing(path)
        switch atPath == .deviceOrPipe || target == path ? atPath : Self.existing(target) {
        case .directory:
            throw Diagnostic(.io, .fileWriteFailed, [path, "it is a directory"])
        case .other:
            throw Diagnostic(.io, .fileWriteFailed, [path, "it is not a regular file"])
        case .deviceOrPipe:
            temporaryPath = nil
            descriptor = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)
            if descriptor < 0 {
                throw Diagnostic(.io, .fileWriteFailed, [path, String(cString: strerror(errno))])
            }
            return
        case .regularFile:
            if !overwrite { throw Diagnostic(.io, .fileExists, [path]) }
        case .nothing:
            break
        }
        let folder: String
        let name: String
        if let slash = target.lastIndex(of: "/") {
            folder = String(target[..<slash]).isEmpty ? "/" : String(target[..<slash])
            name = String(target[target.index(after: slash)...])
        } else {
            folder = "."
            name = target
        }
        Self.removeStaleTemporaries(folder: folder, name: name)
        let temporary = "\(folder)/.\(name).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        temporaryPath = temporary
        descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        if descriptor < 0 {
            throw Diagnostic(.io, .fileWriteFailed, [path, String(cString: strerror(errno))])
        }
        // A replaced file keeps its permissions (a private file stays private).
        if exists { _ = fchmod(descriptor, status.st_mode & 0o7777) }
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
        guard let temporaryPath else {
            // A device or a pipe: nothing to sync or rename.
            if descriptor >= 0 { close(descriptor) }
            descriptor = -1
            return
        }
        if fsync(descriptor) != 0 || close(descriptor) != 0 {
            let reason = String(cString: strerror(errno))
            descriptor = -1
            unlink(temporaryPath)
            throw Diagnostic(.io, .fileWriteFailed, [path, reason])
        }
        descriptor = -1
        if !overwrite {
            // link(2) fails with EEXIST when another writer created the file meanwhile.
            if link(temporaryPath, target) == 0 {
                unlink(temporaryPath)
                return
            }
            let code = errno
            if code == EEXIST {
                unlink(temporaryPath)
                throw Diagnostic(.io, .fileExists, [path])
            }
            // A file system without hard links (FAT, some network mounts): rename below.
            if code != EPERM && code != EOPNOTSUPP && code != ENOSYS && code != EMLINK {
                unlink(temporaryPath)
                throw Diagnostic(.io, .fileWriteFailed, [path, String(cString: strerror(code))])
            }
        }
        if rename(temporaryPath, target) != 0 {
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
        if let temporaryPath { unlink(temporaryPath) }
    }

    /// Removes `.NAME.tmp-PID-N` files left in `folder` by writers of the same target that were
    /// killed (kill -9, power loss) before they could rename or discard. Only files whose process
    /// no longer exists are removed; a file of a live process (another shell writing now) stays.
    static func removeStaleTemporaries(folder: String, name: String) {
        guard let directory = opendir(folder) else { return }
        defer { closedir(directory) }
        let prefix = ".\(name).tmp-"
        while let entry = readdir(directory) {
            let entryName = FileAccess.entryName(entry)
            guard entryName.hasPrefix(prefix) else { continue }
            let rest = entryName.dropFirst(prefix.count).split(separator: "-", omittingEmptySubsequences: false)
            guard rest.count == 2, let pid = pid_t(rest[0]), pid > 0, UInt32(rest[1]) != nil else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH {
                unlink("\(folder)/\(entryName)")
            }
        }
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
    /// `access` and `command`: safe mode's check (`.read`, lesson files), Files/FileAccess.swift.
    public static func read(_ path: String, access: FileAccess = .unrestricted, command: String = ".read") throws(Diagnostic) -> String {
        // A script from a pipe or device is read to its end: at most 1 GiB (`-f /dev/zero`).
        let file = try MappedFile(path: path, access: access, command: command, maximumBytes: 1 << 30,
                                  tooLarge: Diagnostic(.io, .fileUnreadable, [path, "it is larger than 1 GB"]))
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

extension FileAccess {
    /// A directory entry's name, read in place up to its NUL. glibc's records are only as long
    /// as their name (d_reclen), so copying the whole 256-byte `d_name` array (as
    /// `entry.pointee.d_name` does) reads past the end of opendir's buffer: AddressSanitizer's
    /// heap-buffer-overflow in removeStaleTemporaries, found by the ASan step of scripts/test.
    static func entryName(_ entry: UnsafeMutablePointer<dirent>) -> String {
        let offset = MemoryLayout<dirent>.offset(of: \dirent.d_name) ?? 19
        return String(cString: (UnsafeRawPointer(entry) + offset).assumingMemoryBound(to: CChar.self))
    }
}
