import ArgumentParser
import Commands
import EventStore
import Foundation

/// `ledger events`: events as JSON lines, filtered, streamed in bounded batches.
struct Events: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print events as JSON lines (by stream, category, type, position range or time range).",
        discussion: "Events come in global position order, read in batches of 1,000, so memory stays bounded. "
            + EnvironmentHelp.text(EnvironmentHelp.database)
    )

    @OptionGroup var database: DatabaseOptions

    @Option(help: "Only this stream (category-id)") var stream: String?
    @Option(help: "Only streams of this category") var category: String?
    @Option(name: .customLong("type"), help: "Only this event type (repeatable)") var types: [String] = []
    @Option(help: "Only events with a global position ≥ this") var fromPosition: Int64?
    @Option(help: "Only events with a global position ≤ this") var toPosition: Int64?
    @Option(help: "Only events that occurred at or after this RFC 3339 time") var since: String?
    @Option(help: "Only events that occurred at or before this RFC 3339 time") var until: String?

    func run() async throws {
        guard stream.map({ StreamName($0) != nil }) ?? true else {
            throw fail("--stream must be category-id, not \(stream!)")
        }
        var parsedSince: Date?
        var parsedUntil: Date?
        if let since {
            guard let date = RFC3339.parse(since) else { throw fail("--since is not an RFC 3339 time: \(since)") }
            parsedSince = date
        }
        if let until {
            guard let date = RFC3339.parse(until) else { throw fail("--until is not an RFC 3339 time: \(until)") }
            parsedUntil = date
        }
        try await withDatabase(database) { open in
            try await requireSchema(open)
            let connection = try await PGConnection.connect(open.conninfo, purpose: .cli)
            var after = (fromPosition ?? 1) - 1
            let output = FileHandle.standardOutput
            while true {
                let batch = try await connection.query(
                    EventsSQL.page,
                    [
                        after, toPosition ?? Int64.max, stream, category, types.isEmpty ? nil : PGTextArray(types),
                        parsedSince, parsedUntil, 1_000,
                    ])
                guard batch.rowCount > 0 else { break }
                var text = ""
                for row in batch.rows {
                    after = try row.decode(Int64.self, 0)
                    text += try row.decode(String.self, 1) + "\n"
                }
                output.write(Data(text.utf8))
            }
            await connection.close()
        }
    }
}
