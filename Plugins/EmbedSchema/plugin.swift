import Foundation
import PackagePlugin

/// Builds the SQL migrations of the package's `schema/` folder into the target that applies this
/// plugin (EventStore), as a generated Swift source. `schema/` stays the one place migrations
/// live: every `NNNN_*.sql` file there is an input, so a file added later is picked up by the next
/// build with no change here.
@main
struct EmbedSchema: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
        // The target sees schema/ through a symlink (Sources/EventStore/Migrations/schema), so SwiftPM
        // lists its files among the target's and plans again when one is added, renamed or removed.
        let files = target.sourceModule.map { Array($0.sourceFiles) } ?? []
        let inputs = files.map(\.url).filter { $0.pathExtension == "sql" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        let output = context.pluginWorkDirectoryURL.appendingPathComponent("EmbeddedSchemaFiles.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(inputs.count) migrations of schema/",
                executable: try context.tool(named: "SchemaEmbedder").url,
                arguments: [output.path] + inputs.map(\.path),
                inputFiles: inputs,
                outputFiles: [output])
        ]
    }
}
