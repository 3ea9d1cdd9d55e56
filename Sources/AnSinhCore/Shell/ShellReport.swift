/// `.report FILE` / `--report FILE`: collecting results into a report and writing it.
extension Shell {
    public var isCollectingReport: Bool { report != nil }

    /// Starts collecting every result shown from now on into a report written to `path`.
    /// Whether an existing file may be replaced is asked now, not when the report is written.
    public func startReport(_ path: String, force: Bool, scriptName: String? = nil, scriptText: String? = nil, commandLine: String? = nil) throws(Diagnostic) {
        if safeMode { throw Diagnostic(.usage, .safeModeBlocked, [".report"]) }
        if let report { throw Diagnostic(.usage, .reportAlreadyCollecting, [report.path]) }
        guard ReportCollector.format(of: path) != nil else { throw Diagnostic(.usage, .reportUnknownExtension, [path]) }
        guard let overwrite = try mayOverwrite(path, force: force) else {
            message(.nothingWritten, [path])
            return
        }
        let collector = ReportCollector(path: path, overwrite: overwrite, scriptName: scriptName, scriptText: scriptText)
        collector.commandLine = commandLine
        report = collector
        if interactive { message(.reportCollecting, [path]) }
    }

    /// Writes the report being collected (each file whole or not at all) and stops collecting.
    public func writeReport() throws(Diagnostic) {
        guard let collector = report else { throw Diagnostic(.usage, .reportNothingToWrite) }
        guard collector.count > 0 else { throw Diagnostic(.usage, .reportNoResults, [collector.path]) }
        report = nil
        let renderer = ReportRenderer(collector: collector, settings: session.settings, parameters: session.parameters,
                                      fingerprint: DataFingerprint.of(session.catalog), created: Clock.isoNow())
        switch ReportCollector.format(of: collector.path) {
        case .markdown:
            let (folder, file) = Shell.splitPath(collector.path)
            let base = file.split(separator: ".").dropLast().joined(separator: ".")
            let (text, charts) = renderer.markdown(baseName: base.isEmpty ? file : base)
            // The charts first: a Markdown file never points at an SVG that is not there.
            for chart in charts {
                try AtomicFileWriter.write(chart.svg, to: folder + chart.name, overwrite: true)
            }
            try AtomicFileWriter.write(text, to: collector.path, overwrite: collector.overwrite)
            if !charts.isEmpty { message(.reportSVGWritten, [charts.map { folder + $0.name }.joined(separator: ", ")]) }
        case .html, nil:
            try AtomicFileWriter.write(renderer.html(), to: collector.path, overwrite: collector.overwrite)
        }
        message(.reportWritten, [String(collector.count), collector.path])
    }

    /// Stops collecting without writing (a script that failed leaves no report behind).
    public func abandonReport() {
        if let report {
            self.report = nil
            message(.reportNotWritten, [report.path])
        }
    }

    /// `a/b/c.md` → (`a/b/`, `c.md`).
    static func splitPath(_ path: String) -> (folder: String, file: String) {
        guard let slash = path.lastIndex(of: "/") else { return ("", path) }
        return (String(path[...slash]), String(path[path.index(after: slash)...]))
    }
}
