import ArgumentParser
import Commands
import EventStore
import Foundation
import Projections

/// `ledger status`: each projection's cursor, lag and failing state, the horizon age, each
/// scheduled job's last completed period and lag, and the published calendar's reach.
struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show projection cursors, lag, failures, the horizon, the schedule and the calendar's reach.",
        discussion: EnvironmentHelp.text(EnvironmentHelp.database))

    @OptionGroup var database: DatabaseOptions

    @Option(
        help: ArgumentHelp("The present time (RFC 3339) instead of the system clock: for tests", visibility: .hidden))
    var now: String?

    @Flag(help: "Print one JSON object")
    var json = false

    func run() async throws {
        let present: Date
        if let now {
            guard let parsed = RFC3339.parse(now) else { throw fail("--now must be RFC 3339, not \(now)") }
            present = parsed
        } else {
            present = Date()
        }
        let anyFailing = try await withDatabase(database) { open in
            try await requireSchema(open)
            let pool = ConnectionPool(.init(conninfo: open.conninfo, maximumConnections: 1))
            let store = PostgresEventStore(pool: pool)
            let connection = try await PGConnection.connect(open.conninfo, purpose: .cli)
            let statuses = try await ProjectionStatus.all(connection)
            let horizon = try await store.horizon()
            let schedule = try await ScheduleReport.load(store, now: present)
            await connection.close()
            await pool.close()
            if json {
                struct Report: Codable {
                    var projections: [ProjectionStatus]
                    var horizonAgeSeconds: Double
                    var schedule: [ScheduleReport.Job]
                    var calendar: ScheduleReport.Coverage
                }
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                let data = try encoder.encode(
                    Report(
                        projections: statuses, horizonAgeSeconds: horizon.oldestOpenSeconds, schedule: schedule.jobs,
                        calendar: schedule.calendar))
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
                for line in schedule.lines { print(line) }
            }
            return statuses.contains { $0.failing }
        }
        if anyFailing { throw ExitStatus.rejected }
    }
}
