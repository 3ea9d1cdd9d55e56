import Testing
import Glibc
@testable import AnSinhCore

/// Exports keep the caveats: a figure's qualifier and unit go beside it, notes go with JSON and
/// under Markdown/text tables, and tables with nothing to say are written exactly as before.
@Suite(.serialized) struct ExportTests {
    static let lending = "from facts | where indicator == \"policy_credit_lending\" | summarize total = sum(value) by district"

    func shell(mode: OutputMode = .box) throws -> (Shell, Capture) {
        let capture = Capture()
        let session = try Session()
        session.settings.mode = mode
        session.language = .en
        return (Shell(session: session, writeOut: { capture.out += $0 }, writeErr: { capture.err += $0 }), capture)
    }

    func exported(_ script: String, to name: String) throws -> String {
        let path = "/tmp/ansinh-export-test-\(getpid())-\(name)"
        defer { unlink(path); unlink(DataPackageWriter.companionPath(for: path)) }
        let (shell, capture) = try shell()
        #expect(shell.runScript(script + "\n.export \(path) --force", fileName: nil, keepGoing: false), "\(capture.err)")
        return try TextFile.read(path)
    }

    @Test func theIssuesReproKeepsAboutAndTheUnitBesideTheTotal() throws {
        let csv = try exported(Self.lending, to: "lend.csv")
        #expect(csv.hasPrefix("district,total,total_qualifier,total_unit\n"), "\(csv)")
        #expect(csv.contains("Thanh Xuân,1600000000000,about,VND\n"), "\(csv)")
        let tsv = try exported(Self.lending, to: "lend.tsv")
        #expect(tsv.contains("Thanh Xuân\t1600000000000\tabout\tVND\n"), "\(tsv)")
    }

    @Test func aPlainTableIsWrittenExactlyAsBefore() throws {
        #expect(try exported("from districts | select district, population | take 2", to: "plain.csv")
            == "district,population\nThanh Xuân,293524\nNam Từ Liêm,264246\n")
        // Exact figures of one unit shown beside them: nothing to add either.
        #expect(try exported("from facts | where id == \"hnm-tx-01\" | select value, unit, qualifier", to: "shown.csv")
            == "value,unit,qualifier\n800000000000,VND,about\n")
    }

    @Test func jsonCarriesTheNotesAndJsonlAddsOneLinePerNote() throws {
        let json = try exported(Self.lending, to: "lend.json")
        #expect(json.hasPrefix("{\"rows\":[{\"district\":\"Quận 11\",\"total\":60807000000,\"total_qualifier\":\"exact\",\"total_unit\":\"VND\"}"), "\(json)")
        #expect(json.contains("\"id\":\"warnDoubleCounted\""), "\(json)")
        let lines = try exported(Self.lending, to: "lend.jsonl").split(separator: "\n")
        #expect(lines.count == 6, "\(lines)")
        #expect(lines.last?.hasPrefix("{\"note\":\"approximate values") == true, "\(lines)")
        // Without notes JSON stays an array of rows.
        #expect(try exported("from districts | select district | take 1", to: "plain.json") == "[{\"district\":\"Thanh Xuân\"}]\n")
    }

    @Test func markdownAndTextKeepTheNotesUnderTheTable() throws {
        let markdown = try exported(Self.lending, to: "lend.md")
        #expect(markdown.contains("| Thanh Xuân | ≈1.600 tỷ đồng |"), "\(markdown)")
        #expect(markdown.contains("\n> **note:** sum(value) counts one figure twice"), "\(markdown)")
        let text = try exported(Self.lending, to: "lend.txt")
        #expect(text.contains("note: sum(value) counts one figure twice"), "\(text)")
    }

    @Test func modeCsvOnStdoutAddsTheColumnsOnlyWhenThereIsACaveat() throws {
        let (shell, capture) = try shell(mode: .csv)
        shell.runScript(Self.lending + "\nfrom districts | select district | take 1", fileName: nil, keepGoing: false)
        #expect(capture.out == "district,total,total_qualifier,total_unit\nQuận 11,60807000000,exact,VND\nTân Hưng,41967000000,more_than,VND\nThanh Xuân,1600000000000,about,VND\ndistrict\nThanh Xuân\n")
        // The notes still go to stderr in csv, so the file stays a table.
        #expect(capture.err.contains("counts one figure twice"))
    }

    @Test func aDataPackageBesideTheCsvNamesColumnsNotesSourcesAndQuotes() throws {
        let path = "/tmp/ansinh-export-test-\(getpid())-package.csv"
        let companion = DataPackageWriter.companionPath(for: path)
        defer { unlink(path); unlink(companion) }
        let (shell, capture) = try shell()
        #expect(shell.runScript(Self.lending + "\n.export \(path) --force", fileName: nil, keepGoing: false), "\(capture.err)")
        #expect(companion.hasSuffix("-package.datapackage.json"))
        let package = try TextFile.read(companion)
        #expect(package.contains("\"profile\": \"tabular-data-package\""))
        #expect(package.contains("\"path\": \"ansinh-export-test-\(getpid())-package.csv\""), "\(package)")
        #expect(package.contains("\"name\": \"total_qualifier\",\n") && package.contains("\"type\": \"string\""), "\(package)")
        #expect(package.contains("\"unit\": \"VND\""))
        #expect(package.contains("\"id\": \"warnDoubleCounted\""))
        #expect(package.contains("\"statement\": \"from facts | where indicator == \\\"policy_credit_lending\\\" | summarize total = sum(value) by district\""), "\(package)")
        #expect(package.contains("\"version\": \"\(Help.version)\""))
        // The verbatim quote behind Thanh Xuân's 800 tỷ, and its article with publisher.
        #expect(package.contains("doanh số cho vay khoảng 800 tỷ đồng"))
        #expect(package.contains("\"publisher\": \"Báo Hànộimới\""))
        // A plain table gets a package too, with nothing invented.
        let plain = "/tmp/ansinh-export-test-\(getpid())-plain.tsv"
        defer { unlink(plain); unlink(DataPackageWriter.companionPath(for: plain)) }
        shell.runScript("from districts | select district\n.export \(plain) --force", fileName: nil, keepGoing: false)
        let plainPackage = try TextFile.read(DataPackageWriter.companionPath(for: plain))
        #expect(plainPackage.contains("\"delimiter\": \"\\t\""))
        #expect(!plainPackage.contains("facts-behind-rows"))
    }

    @Test func companionPaths() {
        #expect(DataPackageWriter.companionPath(for: "out/lend.csv") == "out/lend.datapackage.json")
        #expect(DataPackageWriter.companionPath(for: "a.b/lend") == "a.b/lend.datapackage.json")
        #expect(DataPackageWriter.packageName("Hộ nghèo 2024") == "ho-ngheo-2024")
    }
}
