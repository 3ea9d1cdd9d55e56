#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one way the shell opens a file to read it (`.read`, `.import`, lesson files, the startup
/// file), and, in safe mode, the one check of what was opened.
///
/// Safe mode opens first and checks afterwards what the descriptor really is: a regular file
/// with one name, whose path as the kernel knows it (`/proc/self/fd/N`) is inside the folder.
/// Checking a path and then opening it would let a symbolic link swapped in between, or a path
/// too long for `realpath`, lead outside; a check that fails or cannot be made refuses.
public struct FileAccess: Sendable, Equatable {
    /// The real path (bytes) of the only folder files may come from; nil: any file. Empty when
    /// the folder's own path could not be found: nothing is allowed then.
    public let folder: [UInt8]?

    public static let unrestricted = FileAccess(folder: nil)

    /// Only regular files inside the current folder, as it is now.
    public static func currentFolder() -> FileAccess {
        FileAccess(folder: realPath(".") ?? [])
    }

    public var isRestricted: Bool { folder != nil }

    /// Opens `path` for reading and returns the descriptor (close-on-exec). `command` names what
    /// asked (`.import`), for the refusal message.
    public func openForReading(_ path: String, command: String) throws(Diagnostic) -> Int32 {
        guard let folder else {
            let descriptor = open(path, O_RDONLY | O_CLOEXEC)
            if descriptor < 0 { throw FileAccess.openFailure(path) }
            return descriptor
        }
        let refused = "\(command) \(path)"
        // Refuse a device or a pipe before opening it: opening one can block or have effects.
        // This only ever refuses; what is allowed is decided after the open, below.
        var before = stat()
        if stat(path, &before) == 0, (before.st_mode & S_IFMT) != S_IFREG {
            throw Diagnostic(.usage, .safeModeSpecialFile, [refused, path])
        }
        // O_NONBLOCK: a FIFO swapped in after the stat must not block the open.
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)
        if descriptor < 0 { throw FileAccess.openFailure(path) }
        do {
            try FileAccess.verify(descriptor, inside: folder, path: path, refused: refused)
        } catch {
            close(descriptor)
            throw error
        }
        let flags = fcntl(descriptor, F_GETFL)
        if flags >= 0 { _ = fcntl(descriptor, F_SETFL, flags & ~O_NONBLOCK) }
        return descriptor
    }

    /// Checks an open descriptor: a regular file, one name, inside `folder`, not a system file.
    static func verify(_ descriptor: Int32, inside folder: [UInt8], path: String, refused: String) throws(Diagnostic) {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw Diagnostic(.usage, .safeModeUncheckable, [refused, path, String(cString: strerror(errno))])
        }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            throw Diagnostic(.usage, .safeModeSpecialFile, [refused, path])
        }
        let opened: [UInt8]
        switch kernelPath(of: descriptor) {
        case .success(let bytes): opened = bytes
        case .failure(let reason): throw Diagnostic(.usage, .safeModeUncheckable, [refused, path, reason.text])
        }
        guard !folder.isEmpty, contains(opened, in: folder) else {
            throw Diagnostic(.usage, .safeModeOutsideFolder, [refused, path])
        }
        // A hard link in the folder to a file outside it has a path inside: the other name is
        // invisible, so a file with several names is refused.
        guard status.st_nlink <= 1 else {
            throw Diagnostic(.usage, .safeModeHardLink, [refused, path, String(status.st_nlink)])
        }
        // Even when the folder is `/`: /proc, /sys and /dev hold the process's memory, its
        // descriptors and the machine's devices, never a script's data.
        for system in ["/proc", "/sys", "/dev"] where contains(opened, in: Array(system.utf8)) {
            throw Diagnostic(.usage, .safeModeSpecialFile, [refused, path])
        }
        if systemFileKind(descriptor) != nil {
            throw Diagnostic(.usage, .safeModeSpecialFile, [refused, path])
        }
    }

    /// Whether `path` (real path bytes) is `folder` or inside it. Raw bytes, not Swift strings:
    /// `Café` (NFC) and `Café` (NFD) are two folders.
    static func contains(_ path: [UInt8], in folder: [UInt8]) -> Bool {
        let prefix = folder == [0x2F] ? folder : folder + [0x2F]
        return path == folder || path.starts(with: prefix)
    }

    struct Problem: Error { let text: String }

    /// The path of the file open at `descriptor`, as the kernel resolved it when it was opened.
    static func kernelPath(of descriptor: Int32) -> Result<[UInt8], Problem> {
        #if os(Linux)
        var buffer = [UInt8](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = buffer.withUnsafeMutableBufferPointer { raw in
            raw.baseAddress!.withMemoryRebound(to: CChar.self, capacity: raw.count) {
                readlink("/proc/self/fd/\(descriptor)", $0, raw.count)
            }
        }
        if count < 0 { return .failure(Problem(text: "/proc/self/fd: " + String(cString: strerror(errno)))) }
        if count >= buffer.count - 1 { return .failure(Problem(text: "the path is longer than \(PATH_MAX) bytes")) }
        let bytes = Array(buffer[0..<count])
        // An anonymous or unreachable file (`pipe:[…]`, `/memfd:…`, or outside our root).
        guard bytes.first == 0x2F else { return .failure(Problem(text: "it has no path")) }
        return .success(bytes)
        #else
        var buffer = [CChar](repeating: 0, count: Int(MAXPATHLEN) + 1)
        guard fcntl(descriptor, F_GETPATH, &buffer) == 0 else {
            return .failure(Problem(text: String(cString: strerror(errno))))
        }
        return .success(Array(String(cString: buffer).utf8))
        #endif
    }

    /// The kind of virtual file system a descriptor's file lives on (`/proc`, `/sys`), or nil for
    /// an ordinary one. Their files say they are empty or have a made-up size.
    static func systemFileKind(_ descriptor: Int32) -> String? {
        #if os(Linux)
        // Glibc's Swift module leaves out <sys/vfs.h>: fstatfs is looked up by name. Its struct
        // starts with the file-system type (a long) on every Linux architecture.
        typealias FStatFS = @convention(c) (Int32, UnsafeMutableRawPointer) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "fstatfs") else { return nil }
        let fstatfs = unsafeBitCast(symbol, to: FStatFS.self)
        let info = UnsafeMutableRawPointer.allocate(byteCount: 512, alignment: 16)
        defer { info.deallocate() }
        guard fstatfs(descriptor, info) == 0 else { return nil }
        switch UInt64(UInt32(truncatingIfNeeded: info.load(as: Int.self))) {
        case 0x9FA0: return "/proc"
        case 0x6265_6572: return "/sys"
        case 0x64626720: return "debugfs"
        case 0x7472_6163: return "tracefs"
        case 0x6367_7270, 0x27E0EB: return "cgroup"
        case 0x4249_4E4D: return "binfmt_misc"
        case 0xCAFE_4A11: return "bpf"
        case 0x7363_6673: return "securityfs"
        case 0xF97C_FF8C: return "selinuxfs"
        case 0x6E73_6673: return "nsfs"
        default: return nil
        }
        #else
        return nil
        #endif
    }

    /// The message for an `open` that failed.
    static func openFailure(_ path: String) -> Diagnostic {
        if errno == ENOENT { return Diagnostic(.io, .fileNotFound, [path]) }
        return Diagnostic(.io, .fileUnreadable, [path, String(cString: strerror(errno))])
    }

    /// The real path's bytes (links resolved), or nil when it does not exist or is too long.
    static func realPath(_ path: String) -> [UInt8]? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return Array(UnsafeRawBufferPointer(start: resolved, count: strlen(resolved)))
    }
}
