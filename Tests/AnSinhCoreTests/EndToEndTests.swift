import Testing
import Glibc
@testable import AnSinhCore

/// The built binary, as a person or a script uses it: arguments, stdin, exit codes, stderr.
@Suite(.serialized) struct EndToEndTests {
    func ansinh(_ arguments: [String], stdin: String = "", directory: String? = nil) throws -> ProcessResult {
        guard access(Subprocess.ansinh, X_OK) == 0 else {
            Issue.record("no binary at \(Subprocess.ansinh): run `swift build` first (scripts/test does)")
            return ProcessResult(out: "", err: "", status: -1)
        }
        return Subprocess.run(Subprocess.ansinh, ["--no-rc"] + arguments, stdin: stdin, directory: directory)
    }

    @Test func commandLineStatement() throws {
        let result = try ansinh(["-c", "from districts | summarize n = count()", "--mode", "csv"])
        #expect(result.status == 0)
        #expect(result.out == "n\n4\n")
        #expect(result.err.isEmpty)
    }

    @Test func pipedStatementsRunWithoutAPrompt() throws {
        let result = try ansinh([], stdin: ".mode csv\nfrom districts\n| where district_type == \"huyện\"\n| select district\nfrom sources | summarize n = count()\n")
        #expect(result.status == 0)
        #expect(result.out == "district\nTân Hưng\nn\n5\n")
        #expect(!result.out.contains("ansinh>"))
    }

    @Test func pipedBytesThatAreNotUTF8AreRefusedLikeAFile() throws {
        // A Windows-1258 "á" (0xE1): refused with its line, not run with U+FFFD in its place.
        let command = "printf 'from districts | take 1\\nfrom districts | where district == \"Qu\\341n 11\"\\n' | '\(Subprocess.ansinh)' --no-rc"
        let result = Subprocess.run("/bin/sh", ["-c", command], stdin: "")
        #expect(result.status == 2)
        #expect(result.err.contains("`<stdin>` is not valid UTF-8 text (first bad byte at line 2)"), "\(result.err)")
        #expect(!result.out.contains("\u{FFFD}"))
    }

    @Test func anErrorInAScriptExitsTwoWithFileLineColumn() throws {
        let path = "/tmp/ansinh-e2e-\(getpid()).asq"
        try AtomicFileWriter.write("from districts | take 1\n\nfrom facts\n| where distrct == 1\nfrom sources | take 1\n", to: path, overwrite: true)
        defer { unlink(path) }
        let result = try ansinh([path, "--mode", "csv"])
        #expect(result.status == 2)
        #expect(result.err.contains("\(path):4:9: error: unknown column `distrct` — did you mean `district`?"), "\(result.err)")
        #expect(result.err.contains("^^^^^^^"))
        #expect(!result.out.contains("publisher"), "the script must stop at the first error")
        let keepGoing = try ansinh([path, "--mode", "csv", "--keep-going"])
        #expect(keepGoing.status == 2)
        #expect(keepGoing.out.contains("publisher"))
    }

    @Test func badUsageExitsOne() throws {
        #expect(try ansinh(["--bogus"]).status == 1)
        #expect(try ansinh(["--mode", "fancy"]).status == 1)
        #expect(try ansinh(["--param", "novalue"]).status == 1)
        let help = try ansinh(["--help"])
        #expect(help.status == 0 && help.out.contains("--no-rc"))
    }

    @Test func missingScriptFileExitsTwo() throws {
        let result = try ansinh(["/nonexistent/script.asq"])
        #expect(result.status == 2)
        #expect(result.err.contains("no such file"))
    }

    @Test func parametersBindInScripts() throws {
        let result = try ansinh(["-c", "from districts | where district == $d | select wards_communes", "--param", "d=Quận 11", "--mode", "csv"])
        #expect(result.out == "wards_communes\n16\n")
        let missing = try ansinh(["-c", "from districts | where district == $d"])
        #expect(missing.status == 2)
        #expect(missing.err.contains("--param d=…"))
    }

    @Test func aFailedScriptLeavesNoPartialOutputFile() throws {
        let output = "/tmp/ansinh-e2e-out-\(getpid()).txt"
        unlink(output)
        let result = try ansinh([], stdin: ".output \(output)\nfrom districts | take 1\nfrom nowhere\n")
        #expect(result.status == 2)
        #expect(access(output, F_OK) != 0, "a partial output file was left behind")
        let success = try ansinh([], stdin: ".output \(output)\nfrom districts | select district | take 1\n")
        #expect(success.status == 0)
        #expect(try TextFile.read(output).contains("Thanh Xuân"))
        unlink(output)
    }

    @Test func machineReadableModesWriteRawValues() throws {
        let query = "from facts | where id == \"hnm-tx-06\" | select value, unit"
        #expect(try ansinh(["-c", query, "--mode", "csv"]).out == "value,value_qualifier,unit\n169960000000,more_than,VND\n")
        // With a note ("approximate values") JSON carries it: {"rows": […], "notes": […]}.
        #expect(try ansinh(["-c", query, "--mode", "json"]).out.hasPrefix("{\"rows\":[{\"value\":169960000000,\"value_qualifier\":\"more_than\",\"unit\":\"VND\"}],\n\"notes\":["))
        #expect(try ansinh(["-c", query, "--mode", "table"]).out.contains(">169,96 tỷ đồng"))
        #expect(try ansinh(["-c", query, "--mode", "table", "--numbers", "en"]).out.contains(">169.96 bn VND"))
    }

    @Test func safeModeRefusesWrites() throws {
        let result = try ansinh(["--safe", "-c", ".output /tmp/ansinh-safe-e2e.txt"])
        #expect(result.status == 2)
        #expect(result.err.contains("not allowed in safe mode"))
    }

    @Test func theBinaryCarriesItsData() throws {
        // Moved to another folder, the copy still starts on the embedded dataset.
        let folder = "/tmp/ansinh-moved-\(getpid())"
        mkdir(folder, 0o755)
        let copy = folder + "/ansinh"
        let copied = Subprocess.run("/bin/cp", [Subprocess.ansinh, copy])
        #expect(copied.status == 0)
        let result = Subprocess.run(copy, ["--no-rc", "-c", "from facts | summarize n = count()", "--mode", "csv"], directory: "/")
        #expect(result.out == "n\n169\n", "\(result.err)")
        unlink(copy)
        rmdir(folder)
    }

    /// A fresh folder under /tmp for one test.
    func scratchFolder(_ label: String) -> String {
        let folder = "/tmp/ansinh-e2e-\(label)-\(getpid())"
        _ = Subprocess.run("/bin/rm", ["-rf", folder])
        mkdir(folder, 0o755)
        return folder
    }

    @Test func safeModeResolvesSymbolicLinks() throws {
        let folder = scratchFolder("safe-links")
        defer { _ = Subprocess.run("/bin/rm", ["-rf", folder]) }
        symlink("/", folder + "/root")
        symlink("/etc/passwd", folder + "/pw.csv")
        try AtomicFileWriter.write("a,b\n1,2\n", to: folder + "/ok.csv", overwrite: true)
        let throughRoot = try ansinh(["--safe", "-c", ".import root/etc/hostname as h"], directory: folder)
        #expect(throughRoot.status == 2)
        #expect(throughRoot.err.contains("not allowed in safe mode"), "\(throughRoot.err)")
        let linkedFile = try ansinh(["--safe", "-c", ".import pw.csv"], directory: folder)
        #expect(linkedFile.status == 2)
        #expect(linkedFile.err.contains("not allowed in safe mode"), "\(linkedFile.err)")
        let readThroughRoot = try ansinh(["--safe", "-c", ".read root/etc/hostname"], directory: folder)
        #expect(readThroughRoot.status == 2)
        #expect(readThroughRoot.err.contains("not allowed in safe mode"), "\(readThroughRoot.err)")
        // Really inside the folder, however it is written: allowed.
        let inside = try ansinh(["--safe", "-c", ".import \(folder)/ok.csv as a", "-c", ".import ../\(folder.split(separator: "/").last ?? "")/ok.csv as b"], directory: folder)
        #expect(inside.status == 0, "\(inside.err)")
    }

    @Test func safeModeComparesFolderNamesByteForByte() throws {
        // `Café` written with é (NFC) and with e + U+0301 (NFD) are two folders on Linux; Swift
        // string comparison would call them equal and let --safe read the sibling.
        let parent = scratchFolder("safe-nfd")
        defer { _ = Subprocess.run("/bin/rm", ["-rf", parent]) }
        let composed = parent + "/Caf\u{E9}", decomposed = parent + "/Cafe\u{301}"
        #expect(mkdir(composed, 0o755) == 0)
        #expect(mkdir(decomposed, 0o755) == 0)
        try AtomicFileWriter.write("a,b\n1,2\n", to: decomposed + "/secret.csv", overwrite: true)
        let sibling = try ansinh(["--safe", "-c", ".import ../Cafe\u{301}/secret.csv as s"], directory: composed)
        #expect(sibling.status == 2)
        #expect(sibling.err.contains("not allowed in safe mode"), "\(sibling.err)")
    }

    @Test func scriptsAndImportsFromPipes() throws {
        let script = "from districts | take 1 | select district\n"
        let viaDevStdin = try ansinh(["-f", "/dev/stdin", "--mode", "csv"], stdin: script)
        #expect(viaDevStdin.status == 0)
        #expect(viaDevStdin.out == "district\nThanh Xuân\n", "\(viaDevStdin.err)")
        let viaDash = try ansinh(["-", "--mode", "csv"], stdin: script)
        #expect(viaDash.status == 0)
        #expect(viaDash.out == "district\nThanh Xuân\n", "\(viaDash.err)")
        let imported = try ansinh(["-c", ".import /dev/stdin as s", "-c", "from s", "--mode", "csv"], stdin: "a,b\n1,2\n")
        #expect(imported.status == 0, "\(imported.err)")
        #expect(imported.out == "a,b\n1,2\n")
        let tooLarge = try ansinh(["-c", ".limit import_mb 1", "-c", ".import /dev/stdin as s"], stdin: "a\n" + String(repeating: "1\n", count: 600_000))
        #expect(tooLarge.status == 2)
        #expect(tooLarge.err.contains("1 MB"), "\(tooLarge.err)")
        let folder = scratchFolder("fifo")
        defer { _ = Subprocess.run("/bin/rm", ["-rf", folder]) }
        try AtomicFileWriter.write(script, to: folder + "/p.asq", overwrite: true)
        let fifo = "mkfifo f g; cat p.asq > f & cat p.asq > g & '\(Subprocess.ansinh)' --no-rc --mode csv f; '\(Subprocess.ansinh)' --no-rc --mode csv -c '.read g'"
        let viaFIFO = Subprocess.run("/bin/sh", ["-c", fifo], directory: folder)
        #expect(viaFIFO.status == 0, "\(viaFIFO.err)")
        #expect(viaFIFO.out == "district\nThanh Xuân\ndistrict\nThanh Xuân\n", "\(viaFIFO.err)")
    }

    @Test func aScriptFileWithDashCIsAUsageError() throws {
        let result = try ansinh(["scripts/hanoi_side_by_side.asq", "-c", ".tables"], directory: Subprocess.packageRoot)
        #expect(result.status == 1)
        #expect(result.err.contains("not both"), "\(result.err)")
        #expect(result.out.isEmpty)
    }

    @Test func keepGoingKeepsTheOutputFile() throws {
        let folder = scratchFolder("keep-going")
        defer { _ = Subprocess.run("/bin/rm", ["-rf", folder]) }
        let kept = try ansinh(["--keep-going", "--mode", "csv", "-c", ".output out5.txt", "-c", "from facts | select id | take 2", "-c", "from nope"], directory: folder)
        #expect(kept.status == 2)
        #expect((try? TextFile.read(folder + "/out5.txt")) == "id\nhnm-tx-01\nhnm-tx-02\n")
        let stopped = try ansinh(["--mode", "csv", "-c", ".output out6.txt", "-c", "from facts | select id | take 2", "-c", "from nope"], directory: folder)
        #expect(stopped.status == 2)
        #expect(access(folder + "/out6.txt", F_OK) != 0, "a failed script without --keep-going leaves no output file")
    }

    @Test func aFailedWriteMakesTheExitCodeTwo() throws {
        let result = try ansinh(["-c", ".output /dev/full", "-c", "from facts | select id | take 2"])
        #expect(result.err.contains("cannot write"), "\(result.err)")
        #expect(result.status == 2)
    }

    /// Saved scripts with extra arguments to test, besides their defaults: (label, arguments).
    static let examples: [String: [(String, [String])]] = [
        "district_over_years": [("quan_11", ["--param", "district=Quận 11"])],
    ]

    static var savedScripts: [String] {
        guard let directory = opendir(Subprocess.packageRoot + "/scripts") else { return [] }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) } }
            if name.hasSuffix(".asq") { names.append(String(name.dropLast(4))) }
        }
        return names.sorted()
    }

    @Test func thereAreAtLeastEightSavedScripts() {
        #expect(Self.savedScripts.count >= 8)
    }

    @Test("saved scripts match their committed output", arguments: savedScripts)
    func savedScript(_ name: String) throws {
        let runs = [("", [String]())] + (Self.examples[name] ?? [])
        for (label, arguments) in runs {
            let expectedPath = Subprocess.packageRoot + "/scripts/expected/\(name)\(label.isEmpty ? "" : "." + label).out"
            let result = try ansinh(["scripts/\(name).asq"] + arguments, directory: Subprocess.packageRoot)
            #expect(result.status == 0, "\(name): \(result.err)")
            // A script that imports a file prints the import's notes on stderr (how the file was
            // read): committed beside the output as NAME.err. Any other script prints nothing there.
            let expectedErr = (try? TextFile.read(Subprocess.packageRoot + "/scripts/expected/\(name)\(label.isEmpty ? "" : "." + label).err")) ?? ""
            #expect(result.err == expectedErr, "\(name): \(result.err)")
            let expected = (try? TextFile.read(expectedPath)) ?? "(missing \(expectedPath); run scripts/update-expected and review the diff)"
            #expect(result.out == expected, "\(name)\(label): output differs from \(expectedPath); if the change is intended, run scripts/update-expected and review the diff")
        }
    }
}
