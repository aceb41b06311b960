// Writes a Swift source holding every NNNN_name.sql file of schema/, byte for byte (base64), so
// that the `ledger` binary carries its migrations and `ledger migrate` needs no folder beside it.
// Run by the EmbedSchema build-tool plugin: `SchemaEmbedder OUTPUT.swift FILE.sql…`.
import Foundation

let arguments = CommandLine.arguments.dropFirst()
guard let output = arguments.first else {
    FileHandle.standardError.write(Data("usage: SchemaEmbedder OUTPUT.swift FILE.sql…\n".utf8))
    exit(2)
}
var entries: [String] = []
for path in arguments.dropFirst().sorted(by: { ($0 as NSString).lastPathComponent < ($1 as NSString).lastPathComponent }
) {
    guard let data = FileManager.default.contents(atPath: path) else {
        FileHandle.standardError.write(Data("SchemaEmbedder: cannot read \(path)\n".utf8))
        exit(1)
    }
    let name = (path as NSString).lastPathComponent
    entries.append("        (name: \"\(name)\", base64: \"\(data.base64EncodedString())\"),")
}
let source = """
    // Generated at build time by SchemaEmbedder from schema/*.sql; do not edit.
    enum EmbeddedSchemaFiles {
        /// The migration files of schema/ (name, bytes as base64), in name order.
        static let all: [(name: String, base64: String)] = [
    \(entries.joined(separator: "\n"))
        ]
    }

    """
do {
    try Data(source.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
} catch {
    FileHandle.standardError.write(Data("SchemaEmbedder: cannot write \(output): \(error)\n".utf8))
    exit(1)
}
