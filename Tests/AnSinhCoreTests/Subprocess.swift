import Glibc

/// Runs a program with arguments and stdin text; returns stdout, stderr and the exit status.
/// Used by the end-to-end tests, which test the built binary as a person runs it.
struct ProcessResult {
    var out: String
    var err: String
    var status: Int32
}

enum Subprocess {
    /// The package root, found from this file's path.
    static var packageRoot: String {
        let path = #filePath
        var parts = path.split(separator: "/").map(String.init)
        while let last = parts.last, last != "Tests" { parts.removeLast() }
        parts.removeLast()
        return "/" + parts.joined(separator: "/")
    }

    /// The binary under test: `ANSINH_BINARY` when set (scripts/test points the sanitizer runs at
    /// the binary of their own build), else the debug build's.
    static var ansinh: String {
        if let given = getenv("ANSINH_BINARY") { return String(cString: given) }
        return packageRoot + "/.build/debug/ansinh"
    }

    static func run(_ program: String, _ arguments: [String], stdin: String = "", environment: [String: String] = [:], directory: String? = nil) -> ProcessResult {
        // A program may stop reading its input early (an import past its size limit): writing on
        // must give EPIPE, handled below, not a SIGPIPE that kills the whole test process.
        signal(SIGPIPE, SIG_IGN)
        var inPipe: [Int32] = [0, 0], outPipe: [Int32] = [0, 0], errPipe: [Int32] = [0, 0]
        pipe(&inPipe); pipe(&outPipe); pipe(&errPipe)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        for descriptor in inPipe + outPipe + errPipe { posix_spawn_file_actions_addclose(&actions, descriptor) }
        var env = ["LANG=C.UTF-8", "HOME=/tmp/ansinh-e2e-home", "PATH=/usr/bin:/bin", "XDG_STATE_HOME=/tmp/ansinh-e2e-state"]
        for (key, value) in environment { env.append("\(key)=\(value)") }
        // `env --chdir` runs the program in another folder (posix_spawn's chdir is not exposed to Swift).
        let command = directory.map { ["/usr/bin/env", "--chdir=\($0)", program] } ?? [program]
        let argv = (command + arguments).map { strdup($0) } + [nil]
        let envp = env.map { strdup($0) } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
            posix_spawn_file_actions_destroy(&actions)
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, command[0], &actions, nil, argv, envp)
        close(inPipe[0]); close(outPipe[1]); close(errPipe[1])
        guard spawned == 0 else {
            close(inPipe[1]); close(outPipe[0]); close(errPipe[0])
            return ProcessResult(out: "", err: "cannot start \(program): \(String(cString: strerror(spawned)))", status: -1)
        }
        // Feed stdin and drain both outputs together, so neither side blocks on a full pipe.
        var input = Array(stdin.utf8)[...]
        var out: [UInt8] = [], err: [UInt8] = []
        var open = (stdin: true, out: true, err: true)
        if input.isEmpty { close(inPipe[1]); open.stdin = false }
        var buffer = [UInt8](repeating: 0, count: 65536)
        while open.out || open.err {
            var fds: [pollfd] = []
            if open.stdin { fds.append(pollfd(fd: inPipe[1], events: Int16(POLLOUT), revents: 0)) }
            if open.out { fds.append(pollfd(fd: outPipe[0], events: Int16(POLLIN), revents: 0)) }
            if open.err { fds.append(pollfd(fd: errPipe[0], events: Int16(POLLIN), revents: 0)) }
            if poll(&fds, nfds_t(fds.count), 60_000) <= 0 { break }
            for entry in fds where entry.revents != 0 {
                if entry.fd == inPipe[1] {
                    // POLLOUT promises room for PIPE_BUF (4096) bytes only: a bigger write could block.
                    let written = input.withUnsafeBytes { write(inPipe[1], $0.baseAddress, min($0.count, 4096)) }
                    if written > 0 { input = input.dropFirst(written) }
                    if written < 0 || input.isEmpty { close(inPipe[1]); open.stdin = false }
                } else {
                    let count = read(entry.fd, &buffer, buffer.count)
                    if count <= 0 {
                        close(entry.fd)
                        if entry.fd == outPipe[0] { open.out = false } else { open.err = false }
                    } else if entry.fd == outPipe[0] {
                        out += buffer[0..<count]
                    } else {
                        err += buffer[0..<count]
                    }
                }
            }
        }
        if open.stdin { close(inPipe[1]) }
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        let exitCode = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        return ProcessResult(out: String(decoding: out, as: UTF8.self), err: String(decoding: err, as: UTF8.self), status: exitCode)
    }
}
