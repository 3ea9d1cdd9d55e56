import Foundation
import PackagePlugin

/// Embeds `datasets/*.csv` and `lessons/*.lesson` into AnSinhCore at build time.
///
/// The binary must carry its data: a copy moved to another folder or machine still starts on the
/// embedded dataset and tutorial. SwiftPM resources would live in a bundle folder beside the
/// binary, so instead this plugin runs the `EmbedDataset` tool, which writes the files as Swift
/// string literals.
@main
struct EmbedDatasetPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
        let root = context.package.directoryURL
        // The one list of built-in tables: datasets/tables.csv (its first column), with the
        // columns' types and meanings in datasets/columns.csv.
        let list = root.appending(path: "datasets/tables.csv")
        let listText = (try? String(contentsOf: list, encoding: .utf8)) ?? ""
        let names = listText.split(whereSeparator: \.isNewline).dropFirst().compactMap { line in
            line.split(separator: ",", maxSplits: 1).first.map { String($0) }
        }.filter { !$0.isEmpty }
        let datasets = [list, root.appending(path: "datasets/columns.csv")] + names.map { root.appending(path: "datasets/\($0).csv") }
        let lessonFolder = root.appending(path: "lessons")
        let lessonNames = (try? FileManager.default.contentsOfDirectory(atPath: lessonFolder.path())) ?? []
        let lessons = lessonNames.filter { $0.hasSuffix(".lesson") }.sorted().map { lessonFolder.appending(path: $0) }
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedDataset.swift")
        let inputs = datasets + lessons
        return [
            .buildCommand(
                displayName: "Embedding datasets/*.csv and lessons/*.lesson",
                executable: try context.tool(named: "EmbedDataset").url,
                arguments: [output.path()] + inputs.map { $0.path() },
                inputFiles: inputs + [lessonFolder],
                outputFiles: [output]
            )
        ]
    }
}
