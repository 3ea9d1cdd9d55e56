import Testing
import Glibc
@testable import AnSinhCore

/// Safe mode's open-then-check (Files/FileAccess.swift): what was opened decides, not the path.
@Suite struct FileAccessTests {
    /// A folder with a marker file outside it, and the access that allows only the folder.
    func scratch(_ label: String) -> (folder: String, outside: String, access: FileAccess) {
        let base = "/tmp/ansinh-access-\(label)-\(getpid())"
        _ = Subprocess.run("/bin/rm", ["-rf", base])
        mkdir(base, 0o755)
        mkdir(base + "/in", 0o755)
        let outside = base + "/outside.csv"
        let file = fopen(outside, "w")
        fputs("marker\nOUTSIDE-BYTES\n", file)
        fclose(file)
        let inside = fopen(base + "/in/ok.csv", "w")
        fputs("a\n1\n", inside)
        fclose(inside)
        return (base + "/in", outside, FileAccess(folder: FileAccess.realPath(base + "/in") ?? []))
    }

    func refused(_ access: FileAccess, _ path: String) -> MessageID? {
        do {
            let descriptor = try access.openForReading(path, command: ".import")
            close(descriptor)
            return nil
        } catch {
            return error.message
        }
    }

    @Test func aFileInsideIsOpened() {
        let (folder, _, access) = scratch("inside")
        #expect(refused(access, folder + "/ok.csv") == nil)
        symlink(folder + "/ok.csv", folder + "/alias.csv")
        #expect(refused(access, folder + "/alias.csv") == nil)
    }

    @Test func linksOutsideAreRefused() {
        let (folder, outside, access) = scratch("links")
        symlink(outside, folder + "/link.csv")
        symlink("/", folder + "/root")
        link(outside, folder + "/hard.csv")
        #expect(refused(access, folder + "/link.csv") == .safeModeOutsideFolder)
        #expect(refused(access, folder + "/root" + outside) == .safeModeOutsideFolder)
        #expect(refused(access, folder + "/hard.csv") == .safeModeHardLink)
        #expect(refused(access, folder + "/../outside.csv") == .safeModeOutsideFolder)
    }

    @Test func longPathsThroughLinksAreRefused() {
        // A chain deeper than PATH_MAX: realpath fails on it, and a failed check must refuse.
        let (folder, outside, access) = scratch("long")
        var path = folder
        let name = String(repeating: "d", count: 200)
        for _ in 0..<24 {
            path += "/" + name
            mkdir(path, 0o755)
        }
        symlink(outside, path + "/x.csv")
        #expect(refused(access, path + "/x.csv") != nil)
        #expect(FileAccess(folder: []).isRestricted)
        #expect(refused(FileAccess(folder: []), folder + "/ok.csv") == .safeModeOutsideFolder)
    }

    @Test func devicesPipesAndProcAreRefused() {
        let (folder, _, access) = scratch("devices")
        mkfifo(folder + "/fifo", 0o600)
        symlink("/proc/self/fd/0", folder + "/stdin")
        for path in ["/dev/stdin", "/dev/zero", "/proc/self/fd/0", "/proc/self/mem", "/proc/self/environ", folder + "/fifo", folder + "/stdin"] {
            #expect(refused(access, path) != nil, "\(path)")
        }
        #expect(refused(FileAccess(folder: [0x2F]), "/proc/self/environ") == .safeModeSpecialFile)
    }
}
