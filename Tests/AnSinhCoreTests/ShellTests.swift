import Testing
import Glibc
@testable import AnSinhCore

@Suite struct ShellTests {
    func makeShell() throws -> (Shell, Capture) {
        let capture = Capture()
        let session = try Session()
        session.settings.mode = .csv
        return (Shell(session: session, writeOut: { capture.out += $0 }, writeErr: { capture.err += $0 }), capture)
    }

    @Test func scriptUnitsFollowTheContinuationRules() {
        let units = InputAssembler.units(of: ".mode csv\nfrom facts\n# a comment\n| take 1\n\nfrom sources |\n  take 2\nlet x = from facts\n")
        #expect(units == [
            .command(".mode csv", line: 1),
            .statement("from facts\n# a comment\n| take 1", firstLine: 2),
            .statement("from sources |\n  take 2", firstLine: 6),
            .statement("let x = from facts", firstLine: 8),
        ])
    }

    @Test func atThePromptACompleteLineRunsAtOnce() {
        var assembler = InputAssembler()
        #expect(assembler.addInteractive("from facts |") == nil)
        #expect(assembler.addInteractive("take 1") == .statement("from facts |\ntake 1", firstLine: 1))
        #expect(assembler.addInteractive(".tables") == .command(".tables", line: 1))  // lines count from each statement's own start
    }

    @Test func scriptErrorsNameFileLineAndColumn() throws {
        let (shell, capture) = try makeShell()
        let ok = shell.runScript("from facts | take 0\n\nfrom facts\n| where distrct == 1\n", fileName: "demo.asq", keepGoing: false)
        #expect(!ok)
        #expect(capture.err.hasPrefix("demo.asq:4:9: error: unknown column `distrct`"), "\(capture.err)")
    }

    @Test func unknownCommandSuggests() throws {
        let (shell, capture) = try makeShell()
        shell.runScript(".tabels", fileName: nil, keepGoing: false)
        #expect(capture.err.contains("did you mean `.tables`?"))
    }

    @Test func outputFileIsWrittenOnlyWhenClosed() throws {
        let (shell, _) = try makeShell()
        let path = "/tmp/ansinh-output-\(getpid()).csv"
        unlink(path)
        shell.runScript(".output \(path)\nfrom sources | select source", fileName: nil, keepGoing: false)
        #expect(access(path, F_OK) != 0, "the file must not exist before .output is closed")
        shell.runScript(".output", fileName: nil, keepGoing: false)
        let text = try TextFile.read(path)
        #expect(text.hasPrefix("source\n"))
        unlink(path)
    }

    @Test func exportRefusesToOverwriteWithoutForce() throws {
        let (shell, capture) = try makeShell()
        let path = "/tmp/ansinh-export-\(getpid()).csv"
        try AtomicFileWriter.write("precious\n", to: path, overwrite: true)
        shell.runScript("from sources | select source\n.export \(path)", fileName: nil, keepGoing: false)
        #expect(capture.err.contains("already exists"))
        #expect(try TextFile.read(path) == "precious\n")
        shell.runScript(".export \(path) --force", fileName: nil, keepGoing: false)
        #expect(try TextFile.read(path).hasPrefix("source\n"))
        unlink(path)
    }

    @Test func temporariesOfKilledWritersAreRemovedButThoseOfLiveOnesStay() throws {
        let folder = "/tmp/ansinh-stale-\(getpid())"
        mkdir(folder, 0o755)
        defer { _ = Subprocess.run("/bin/rm", ["-rf", folder]) }
        // A process id above the kernel's pid_max (at most 2^22) cannot be alive.
        let dead = "\(folder)/.out.csv.tmp-2147483646-17"
        let live = "\(folder)/.out.csv.tmp-\(getpid())-18"
        let otherTarget = "\(folder)/.other.csv.tmp-2147483646-19"
        let notOurs = "\(folder)/.out.csv.tmp-notes"
        for path in [dead, live, otherTarget, notOurs] { try AtomicFileWriter.write("x", to: path, overwrite: true) }
        try AtomicFileWriter.write("new\n", to: "\(folder)/out.csv", overwrite: false)
        #expect(access(dead, F_OK) != 0, "a killed writer's temporary file must be removed")
        #expect(access(live, F_OK) == 0, "a live writer's temporary file must stay")
        #expect(access(otherTarget, F_OK) == 0, "another target's temporary file must stay")
        #expect(access(notOurs, F_OK) == 0, "a file that only looks similar must stay")
        #expect(try TextFile.read("\(folder)/out.csv") == "new\n")
    }

    @Test func aSymbolicLinkIsFollowedAndTheReplacedFileKeepsItsPermissions() throws {
        let folder = "/tmp/ansinh-link-\(getpid())"
        mkdir(folder, 0o755)
        defer { _ = Subprocess.run("/bin/rm", ["-rf", folder]) }
        try AtomicFileWriter.write("old\n", to: "\(folder)/real.csv", overwrite: false)
        chmod("\(folder)/real.csv", 0o600)
        symlink("real.csv", "\(folder)/link.csv")
        #expect(AtomicFileWriter.wouldReplaceFile("\(folder)/link.csv"))
        try AtomicFileWriter.write("new\n", to: "\(folder)/link.csv", overwrite: true)
        var status = stat()
        lstat("\(folder)/link.csv", &status)
        #expect(status.st_mode & S_IFMT == S_IFLNK, "the link must stay a link")
        #expect(try TextFile.read("\(folder)/real.csv") == "new\n")
        stat("\(folder)/real.csv", &status)
        #expect(status.st_mode & 0o777 == 0o600, "a private file must stay private")
    }

    @Test func devicesAndPipesAreWrittenDirectlyNeverReplaced() throws {
        let folder = "/tmp/ansinh-device-\(getpid())"
        mkdir(folder, 0o755)
        defer { _ = Subprocess.run("/bin/rm", ["-rf", folder]) }
        // A link to /dev/null: if the device were renamed over, only this link would be lost.
        symlink("/dev/null", "\(folder)/null.csv")
        #expect(!AtomicFileWriter.wouldReplaceFile("\(folder)/null.csv"))
        try AtomicFileWriter.write("discarded\n", to: "\(folder)/null.csv", overwrite: false)
        var status = stat()
        lstat("\(folder)/null.csv", &status)
        #expect(status.st_mode & S_IFMT == S_IFLNK)
        stat("/dev/null", &status)
        #expect(status.st_mode & S_IFMT == S_IFCHR)

        let fifo = "\(folder)/pipe"
        mkfifo(fifo, 0o644)
        let reader = open(fifo, O_RDONLY | O_NONBLOCK)
        defer { close(reader) }
        try AtomicFileWriter.write("through the pipe\n", to: fifo, overwrite: false)
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = read(reader, &buffer, buffer.count)
        #expect(String(decoding: buffer.prefix(max(count, 0)), as: UTF8.self) == "through the pipe\n")
        stat(fifo, &status)
        #expect(status.st_mode & S_IFMT == S_IFIFO, "the pipe must stay a pipe")
        #expect(throws: Diagnostic.self) { try AtomicFileWriter.write("x", to: folder, overwrite: true) }
    }

    @Test func safeModeBlocksWritesAndCannotBeUndone() throws {
        let (shell, capture) = try makeShell()
        shell.runScript(".safe on\nfrom sources | take 1\n.export /tmp/x-safe.csv\n.output /tmp/x-safe.csv\n.import /etc/passwd\n.safe off", fileName: nil, keepGoing: true)
        #expect(capture.err.split(separator: "\n").filter { $0.contains("not allowed in safe mode") }.count == 4, "\(capture.err)")
        #expect(access("/tmp/x-safe.csv", F_OK) != 0)
    }

    @Test func excelSafeExportGuardsFormulas() throws {
        let (shell, _) = try makeShell()
        shell.excelSafe = true
        let csv = "/tmp/ansinh-excel-\(getpid()).csv"
        unlink(csv)
        let data = "/tmp/ansinh-excel-in-\(getpid()).csv"
        try AtomicFileWriter.write("cell\n=1+1\n@SUM(A1)\nplain\n", to: data, overwrite: true)
        shell.runScript(".import \(data) AS e\nfrom e\n.export \(csv)", fileName: nil, keepGoing: false)
        #expect(try TextFile.read(csv) == "cell\n'=1+1\n'@SUM(A1)\nplain\n")
        unlink(csv)
        unlink(data)
    }

    @Test func excelSafeLeavesNumbersAloneAndGuardsOutputFiles() throws {
        let (shell, capture) = try makeShell()
        shell.excelSafe = true
        let data = "/tmp/ansinh-excel-num-\(getpid()).csv"
        let exported = "/tmp/ansinh-excel-num-out-\(getpid()).csv"
        let output = "/tmp/ansinh-excel-num-output-\(getpid()).csv"
        unlink(exported); unlink(output)
        defer { unlink(data); unlink(exported); unlink(output) }
        try AtomicFileWriter.write("name,n,x\n=1+1,-293524,-1.5\n-x,5,2\n", to: data, overwrite: true)
        let ok = shell.runScript(".import \(data) AS e\nfrom e\n.export \(exported)\n.output \(output)\nfrom e\n.output\nfrom e", fileName: nil, keepGoing: false)
        #expect(ok, "\(capture.err)")
        let guarded = "name,n,x\n'=1+1,-293524,-1.5\n'-x,5,2\n"
        #expect(try TextFile.read(exported) == guarded)
        #expect(try TextFile.read(output) == guarded, ".output in csv mode is guarded like .export")
        // The screen (and a pipe) still gets raw values.
        #expect(capture.out.hasSuffix("name,n,x\n=1+1,-293524,-1.5\n-x,5,2\n"), "\(capture.out)")
    }

    @Test func exportRefusesUnknownExtensions() throws {
        let (shell, capture) = try makeShell()
        let path = "/tmp/ansinh-export-\(getpid()).xlsx"
        unlink(path)
        let ok = shell.runScript("from sources | select source\n.export \(path)", fileName: nil, keepGoing: false)
        #expect(!ok)
        #expect(capture.err.contains(".export writes files ending in .csv .tsv .json .jsonl .md .txt"), "\(capture.err)")
        #expect(access(path, F_OK) != 0)
    }

    @Test func whyRowPastTheLastRowIsAnError() throws {
        let (shell, capture) = try makeShell()
        #expect(!shell.runScript("from facts | take 2\n.why 3", fileName: nil, keepGoing: false))
        #expect(capture.err.contains("row 3 is out of range (1–2)"), "\(capture.err)")
        let (extra, extraCapture) = try makeShell()
        #expect(!extra.runScript("from facts | take 2\n.why 1 2", fileName: nil, keepGoing: false))
        #expect(extraCapture.err.contains("usage: .why [ROW]"), "\(extraCapture.err)")
        let (vi, viCapture) = try makeShell()
        vi.session.language = .vi
        #expect(!vi.runScript("from facts | take 2\n.why 3", fileName: nil, keepGoing: false))
        #expect(viCapture.err.contains("dòng 3 nằm ngoài phạm vi (1–2)"), "\(viCapture.err)")
    }

    @Test func theOverwriteQuestionReadsRight() throws {
        let (shell, capture) = try makeShell()
        let path = "/tmp/ansinh-ask-\(getpid()).csv"
        try AtomicFileWriter.write("precious\n", to: path, overwrite: true)
        defer { unlink(path) }
        var asked: [String] = []
        shell.confirm = { question in asked.append(question); return false }
        shell.runScript("from sources | select source\n.export \(path)\n.output \(path)\nfrom sources | take 1\n.output", fileName: nil, keepGoing: false)
        #expect(asked == ["`\(path)` already exists; replace it? [y/N]", "`\(path)` already exists; replace it? [y/N]"])
        #expect(capture.err.contains("`\(path)` was kept as it was; nothing was written"), "\(capture.err)")
        #expect(!capture.err.contains("--force"), "\(capture.err)")
        #expect(try TextFile.read(path) == "precious\n")
        shell.confirm = { _ in true }
        shell.runScript(".export \(path)", fileName: nil, keepGoing: false)
        #expect(try TextFile.read(path).hasPrefix("source,"))
    }

    @Test func quotedParameterValuesAreText() throws {
        #expect(Parameters.value("\"2021\"") == .text("2021"))
        #expect(Parameters.value("'5'") == .text("5"))
        #expect(Parameters.value("2021") == .integer(2021))
        #expect(try Parameters.parse("p=\"2021\"").1 == .text("2021"))
        let (shell, _) = try makeShell()
        shell.runScript(".param p \"2021\"\n.param q 2021\n.param --default r \"Quận 11\"", fileName: nil, keepGoing: false)
        #expect(shell.session.parameters["p"] == .text("2021"))
        #expect(shell.session.parameters["q"] == .integer(2021))
        #expect(shell.session.parameters["r"] == .text("Quận 11"))
    }

    @Test func commandMessagesNameTheChoices() throws {
        let cases: [(String, String)] = [
            (".sql mysql from facts | take 1", "unknown SQL dialect `mysql`; dialects: sqlite, duckdb, postgres"),
            (".help foo", "no help on `foo`; topics: syntax, stages"),
            (".limit foo 5", "unknown setting `foo`; settings: rows, cells, columns, import_mb"),
            (".width 10", "the width must be at least 20 columns"),
            (".drop facts", "`facts` is a built-in table and cannot be dropped"),
        ]
        for (command, expected) in cases {
            let (shell, capture) = try makeShell()
            #expect(!shell.runScript(command, fileName: nil, keepGoing: false))
            #expect(capture.err.contains(expected), "\(command): \(capture.err)")
        }
        let (shell, capture) = try makeShell()
        shell.runScript(".mode", fileName: nil, keepGoing: false)
        #expect(capture.err == "output mode: csv\n")
    }

    @Test func vietnameseMessagesHaveNoEnglishFragments() throws {
        let (shell, capture) = try makeShell()
        shell.session.language = .vi
        shell.runScript("from facts | where", fileName: nil, keepGoing: false)
        #expect(capture.err.contains("câu lệnh chưa xong: còn thiếu một giá trị hoặc tên cột"), "\(capture.err)")
        let (joined, joinedCapture) = try makeShell()
        joined.session.language = .vi
        joined.runScript(".limit rows 10\nfrom facts | join facts on id", fileName: nil, keepGoing: false)
        #expect(joinedCapture.err.contains("`join` sẽ tạo ra hơn 10 dòng; nâng giới hạn bằng `.limit rows N`"), "\(joinedCapture.err)")
    }

    @Test func completionKnowsTheContext() throws {
        let session = try Session()
        let completer = Completer(session: session)
        #expect(completer.complete("fr").candidates == ["from"])
        #expect(completer.complete("from dis").candidates == ["districts"])
        #expect(completer.complete("from facts | su").candidates == ["summarize"])
        #expect(completer.complete("from facts | where distr").candidates.contains("district"))
        let value = completer.complete("from facts | where district ~ thanh x")
        #expect(value.candidates == ["\"Thanh Xuân\""])
        #expect(value.replaceFrom == "from facts | where district ~ ".unicodeScalars.count)
        #expect(completer.complete("from facts | where province == \"ha").candidates == ["\"Hà Nội\""])
        #expect(completer.complete(".mo").candidates == [".mode"])
        #expect(completer.complete(".mode j").candidates == ["json", "jsonl"])
        #expect(completer.complete("from facts | select ro").candidates.contains("round("))
    }

    @Test func fileNamesWithSpacesAreCompletedInQuotes() throws {
        let folder = "/tmp/ansinh-complete-\(getpid())"
        mkdir(folder, 0o755)
        mkdir("\(folder)/số liệu", 0o755)
        defer { _ = Subprocess.run("/bin/rm", ["-rf", folder]) }
        try AtomicFileWriter.write("a\n1\n", to: "\(folder)/Hộ nghèo 2024.csv", overwrite: false)
        try AtomicFileWriter.write("a\n1\n", to: "\(folder)/plain.csv", overwrite: false)
        let completer = Completer(session: try Session())
        let spaced = completer.complete(".import \(folder)/H")
        #expect(spaced.candidates == ["\"\(folder)/Hộ nghèo 2024.csv\""])
        #expect(spaced.replaceFrom == ".import ".unicodeScalars.count)
        #expect(completer.complete(".import \(folder)/p").candidates == ["\(folder)/plain.csv"])
        // A quote the user opened is continued; a folder keeps it open for the next part.
        let opened = completer.complete(".import \"\(folder)/s")
        #expect(opened.candidates == ["\"\(folder)/số liệu/"])
        #expect(opened.replaceFrom == ".import ".unicodeScalars.count)
        // What the completion writes is read back as one argument.
        #expect(Shell.splitArguments("\"\(folder)/Hộ nghèo 2024.csv\" AS h") == ["\(folder)/Hộ nghèo 2024.csv", "AS", "h"])
    }

    @Test func explainCountsRows() throws {
        let (shell, capture) = try makeShell()
        shell.session.settings.mode = .table
        shell.runScript("explain from districts | where district_type == \"quận\" | take 2", fileName: nil, keepGoing: false)
        #expect(capture.out.contains("→ 4 rows"))
        #expect(capture.out.contains("→ 3 rows"))
        #expect(capture.out.contains("→ 2 rows"))
    }
}
