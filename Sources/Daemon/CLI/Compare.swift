import ArgumentParser
import EventStore
import Foundation
import Projections

/// `ledger compare SCHEMA`: rows that differ between a replay schema and the live read models.
struct Compare: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Report rows that differ between a replay schema and the live read models (exit 1 if any).",
        discussion: EnvironmentHelp.text(EnvironmentHelp.database))

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The schema a `ledger replay` built") var schema: String
    @Flag(help: "Print one JSON object: table → rows that differ") var json = false

    struct Report: Encodable {
        var schema: String
        var differences: [String: Int]
        var same: Bool
    }

    func run() async throws {
        let differences = try await withDatabase(database) { open in
            try await requireSchema(open)
            return try await ConnectionPool.with(.init(conninfo: open.conninfo, maximumConnections: 1)) { pool in
                try await ProjectionReplay(store: PostgresEventStore(pool: pool), conninfo: open.conninfo)
                    .differences(from: schema)
            }
        }
        if json {
            try printJSON(
                Report(schema: schema, differences: differences, same: !differences.values.contains { $0 > 0 }))
        }
        for (table, count) in differences.sorted(by: { $0.key < $1.key }) where !json {
            print(
                "\(table.padding(toLength: 22, withPad: " ", startingAt: 0)) \(count == 0 ? "same" : "\(count) rows differ")"
            )
        }
        if differences.values.contains(where: { $0 > 0 }) { throw ExitStatus.rejected }
    }
}
