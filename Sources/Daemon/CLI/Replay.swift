import ArgumentParser
import Commands
import EventStore
import Foundation
import Projections

/// `ledger replay --as-of TIME | --to-position N --into SCHEMA`: read models as they stood, for audits.
struct Replay: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build every read model as it stood at a business time or position into a new schema.",
        discussion: """
            Then `ledger compare SCHEMA` reports rows that differ from the live read models. Shows progress on a \
            terminal (stderr). \(EnvironmentHelp.text(EnvironmentHelp.database))
            """
    )

    @OptionGroup var database: DatabaseOptions
    @Option(help: "Business time (RFC 3339): include events that occurred at or before it") var asOf: String?
    @Option(help: "Include events up to this global position") var toPosition: Int64?
    @Option(help: "Schema to create (replaced if it exists); not `projections`") var into: String
    @Flag(help: "Print one JSON object") var json = false

    struct Report: Encodable {
        var schema: String
        var eventsApplied: Int
    }

    func run() async throws {
        guard into != "projections", into != "ledger", !into.isEmpty,
            into.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") })
        else { throw fail("--into must be a new schema name of letters, digits and _, not \(into)") }
        let bound: ProjectionReplay.Bound
        switch (asOf, toPosition) {
        case (let time?, nil):
            guard let date = RFC3339.parse(time) else { throw fail("--as-of is not an RFC 3339 time: \(time)") }
            bound = .asOf(date)
        case (nil, let position?): bound = .toPosition(position)
        case (nil, nil): bound = .all
        default: throw fail("give --as-of or --to-position, not both")
        }
        let applied = try await withDatabase(database) { open in
            try await requireSchema(open)
            do {
                let meter = ProgressMeter(label: "replay", unit: "projections")
                let applied = try await ConnectionPool.with(
                    .init(conninfo: open.conninfo, maximumConnections: 2)
                ) { pool in
                    try await ProjectionReplay(store: PostgresEventStore(pool: pool), conninfo: open.conninfo)
                        .build(into: into, bound: bound) { done, total in meter.update(done: done, total: total) }
                }
                meter.finish()
                return applied
            } catch let refused as ProjectionReplay.ReplayError {
                throw fail(refused.description)
            }
        }
        if json {
            try printJSON(Report(schema: into, eventsApplied: applied))
        } else {
            print("replayed \(applied) events into schema \(into)")
        }
    }
}
