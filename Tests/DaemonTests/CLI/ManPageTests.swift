import EventStore
import Foundation
import TestSupport
import Testing

/// The man pages in deploy/man/ (scripts/generate-man-pages, ArgumentParser's generate-manual)
/// against the binary's own definitions (`--experimental-dump-help`, what the plugin reads): a
/// page per subcommand, each long flag on it, and each page formats without a warning.
@Suite("man pages")
struct ManPageTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("deploy/man")

    /// Each command's page name (`ledger.calendar.import.1`) and its long flags.
    static func commands(_ command: [String: Any], path: [String] = []) -> [(page: String, flags: [String])] {
        let name = command["commandName"] as? String ?? "?"
        guard name != "help" else { return [] }
        let here = path + [name]
        let flags = (command["arguments"] as? [[String: Any]] ?? []).filter { $0["shouldDisplay"] as? Bool != false }
            .flatMap { ($0["names"] as? [[String: Any]] ?? []).filter { $0["kind"] as? String == "long" } }
            .compactMap { $0["name"] as? String }
        let children = (command["subcommands"] as? [[String: Any]] ?? []).flatMap { commands($0, path: here) }
        return [(here.joined(separator: ".") + ".1", flags)] + children
    }

    @Test("every subcommand has a current page in deploy/man that lists its flags and formats cleanly")
    func pages() async throws {
        let dump = try await LedgerExecutable.run(["--experimental-dump-help"])
        #expect(dump.status == 0, "\(dump.errorOutput)")
        let root = try #require(
            (try JSONSerialization.jsonObject(with: Data(dump.output.utf8)) as? [String: Any])?["command"]
                as? [String: Any])
        let expected = Self.commands(root)
        #expect(expected.count > 20, "the dump lists the subcommands: \(expected.map(\.page))")
        let present = Set(try FileManager.default.contentsOfDirectory(atPath: Self.folder.path))
        #expect(
            present == Set(expected.map(\.page)),
            "run scripts/generate-man-pages: \(present.symmetricDifference(expected.map(\.page)))")
        for (page, flags) in expected where present.contains(page) {
            let path = Self.folder.appendingPathComponent(page).path
            let text = try String(contentsOfFile: path, encoding: .utf8)
            for flag in flags {
                #expect(text.contains("Fl -\(flag)"), "\(page) lacks --\(flag): run scripts/generate-man-pages")
            }
            // groff (Debian's groff-base) with every warning on, to text.
            let formatted = try await ChildProcess.run(
                "/usr/bin/groff", ["-mdoc", "-Tutf8", "-ww", "-P-cbou", path], within: .seconds(60))
            #expect(formatted.status == 0 && formatted.errorOutput.isEmpty, "\(page): \(formatted.errorOutput)")
            #expect(formatted.output.contains("NAME"), "\(page) renders")
        }
    }
}
