import ArgumentParser
import EventStore
import Foundation
import Projections

/// `ledger status`: each projection's cursor, lag and failing state, and the horizon age.
struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show projection cursors, lag, failures and the horizon.",
        discussion: EnvironmentHelp.text(EnvironmentHelp.database))

    @OptionGroup var database: DatabaseOptions

    @Flag(help: "Print one JSON object")
    var json = false

    func run() async throws {
        let anyFailing = try await withDatabase(database) { open in
            try await requireSchema(open)
            let pool = ConnectionPool(.init(conninfo: open.conninfo, maximumConnections: 1))
            let store = PostgresEventStore(pool: pool)
            let connection = try await PGConnection.connect(open.conninfo, purpose: .cli)
            let statuses = try await ProjectionStatus.all(connection)
            let horizon = try await store.horizon()
            await connection.close()
            await pool.close()
            if json {
                struct Report: Codable {
                    var projections: [ProjectionStatus]
                    var horizonAgeSeconds: Double
                }
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                let data = try encoder.encode(
                    Report(projections: statuses, horizonAgeSeconds: horizon.oldestOpenSeconds))
                print(String(decoding: data, as: UTF8.self))
            } else {
                print("projection            position   applied   lag(events)  lag(s)  state")
                for status in statuses {
                    let state =
                        status.failing
                        ? "FAILING at \(status.errorPosition ?? 0): \(status.errorMessage ?? "")" : "ok"
                    print(
                        status.projection.padding(toLength: 20, withPad: " ", startingAt: 0),
                        String(
                            format: "%10lld %9lld %13lld %7.1f", status.globalPosition, status.eventsApplied,
                            status.lagEvents, status.lagSeconds), " ", state)
                }
                print(String(format: "horizon: oldest open writing transaction %.1f s", horizon.oldestOpenSeconds))
            }
            return statuses.contains { $0.failing }
        }
        if anyFailing { throw ExitStatus.rejected }
    }
}
