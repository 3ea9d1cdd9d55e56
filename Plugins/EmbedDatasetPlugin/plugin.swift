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
        let datasets = ["facts", "indicators", "districts", "sources"].map { root.appending(path: "datasets/\($0).csv") }
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
