import ArgumentParser
import EventStore
import Foundation
import Projections

/// `ledger replay --as-of TIME | --to-position N --into SCHEMA`: read models as they stood, for audits.
struct Replay: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build every read model as it stood at a business time or position into a new schema.",
        discussion: "Then `ledger compare SCHEMA` reports rows that differ from the live read models."
    )

    @OptionGroup var database: DatabaseOptions
    @Option(help: "Business time (RFC 3339): include events that occurred at or before it") var asOf: String?
    @Option(help: "Include events up to this global position") var toPosition: Int64?
    @Option(help: "Schema to create (replaced if it exists); not `projections`") var into: String

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
            let pool = ConnectionPool(.init(conninfo: open.conninfo, maximumConnections: 2))
            defer { Task { await pool.close() } }
            do {
                return try await ProjectionReplay(store: PostgresEventStore(pool: pool), conninfo: open.conninfo)
                    .build(into: into, bound: bound)
            } catch let refused as ProjectionReplay.ReplayError {
                throw fail(refused.description)
            }
        }
        print("replayed \(applied) events into schema \(into)")
    }
}

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
            print("\(table.padding(toLength: 22, withPad: " ", startingAt: 0)) \(count == 0 ? "same" : "\(count) rows differ")")
        }
        if differences.values.contains(where: { $0 > 0 }) { throw ExitStatus.rejected }
    }
}

/// `ledger audit`: DOMAIN.md's invariants, checked by folding the whole store.
struct Audit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fold the whole store and check the invariants I1–I22 that events can show; exit 1 if one fails.")

    @OptionGroup var database: DatabaseOptions
    @Flag(help: "Print one JSON array") var json = false

    func run() async throws {
        let findings = try await withDatabase(database) { open in
            try await requireSchema(open)
            let pool = ConnectionPool(.init(conninfo: open.conninfo, maximumConnections: 1))
            defer { Task { await pool.close() } }
            return try await InvariantAudit(store: PostgresEventStore(pool: pool)).run()
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(findings), as: UTF8.self))
        } else {
            for finding in findings {
                let status = switch finding.status { case .pass: "pass"; case .fail: "FAIL"; case .notCheckable: "n/a " }
                print("\(status)  \(finding.invariant.padding(toLength: 4, withPad: " ", startingAt: 0)) \(finding.rule)"
                      + (finding.counterexample.map { "\n        first counterexample: \($0)" } ?? ""))
            }
        }
        if findings.contains(where: { $0.status == .fail }) { throw ExitStatus.rejected }
    }
}
