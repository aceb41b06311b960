import ArgumentParser
import EventStore
import Foundation
import Projections

/// `ledger compare SCHEMA`: rows that differ between a replay schema and the live read models.
struct Compare: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Report rows that differ between a replay schema and the live read models (exit 1 if any).")

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The schema a `ledger replay` built") var schema: String

    func run() async throws {
        let differences = try await withDatabase(database) { open in
            try await requireSchema(open)
            let pool = ConnectionPool(.init(conninfo: open.conninfo, maximumConnections: 1))
            defer { Task { await pool.close() } }
            return try await ProjectionReplay(store: PostgresEventStore(pool: pool), conninfo: open.conninfo)
                .differences(from: schema)
        }
        for (table, count) in differences.sorted(by: { $0.key < $1.key }) {
            print(
                "\(table.padding(toLength: 22, withPad: " ", startingAt: 0)) \(count == 0 ? "same" : "\(count) rows differ")"
            )
        }
        if differences.values.contains(where: { $0 > 0 }) { throw ExitStatus.rejected }
    }
}
