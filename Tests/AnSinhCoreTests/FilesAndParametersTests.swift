import Glibc
import Testing
@testable import AnSinhCore

/// `.once FILE` and `--param` checks, through the built binary (issue 16 §4).
@Suite struct FilesAndParametersTests {
    @Test func onceSendsOnlyTheNextResultToTheFile() throws {
        let path = "/tmp/ansinh-once-\(getpid()).csv"
        defer { unlink(path) }
        let run = Subprocess.run(Subprocess.ansinh, ["--no-rc", "--mode", "csv", "-c", ".once \(path)", "-c", "from districts | select district",
                                                     "-c", "from sources | take 1 | select source"])
        #expect(run.status == 0, "\(run.err)")
        let file = try TextFile.read(path)
        #expect(file.hasPrefix("district\n") && file.contains("Tân Hưng"), "\(file)")
        #expect(!file.contains("source"), "the second result belongs on the screen: \(file)")
        #expect(run.out == "source\nhnm-tx\n", "\(run.out)")
    }

    @Test func anUnusedParameterIsAnErrorWithTheNearestName() {
        let script = Subprocess.packageRoot + "/scripts/district_over_years.asq"
        let typo = Subprocess.run(Subprocess.ansinh, ["--no-rc", script, "--param", "distric=Quận 11"])
        #expect(typo.status == 1)
        #expect(typo.err.contains("--param distric: no statement uses `$distric`") && typo.err.contains("did you mean `district`?"), "\(typo.err)")
        #expect(typo.out.isEmpty)
        let twice = Subprocess.run(Subprocess.ansinh, ["--no-rc", script, "--param", "district=Quận 11", "--param", "district=Tân Hưng"])
        #expect(twice.status == 0)
        #expect(twice.err.contains("--param district is given 2 times; the last one is used: Tân Hưng"), "\(twice.err)")
        #expect(twice.out.contains("Tân Hưng") && !twice.out.contains("Quận 11"))
    }
}
