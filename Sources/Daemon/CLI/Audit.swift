import ArgumentParser
import EventStore
import Foundation
import Projections

/// `ledger audit`: DOMAIN.md's invariants, checked by folding the whole store.
struct Audit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fold the whole store and check the invariants I1–I22 that events can show; exit 1 if one fails.",
        discussion: "Shows progress on a terminal (stderr). \(EnvironmentHelp.text(EnvironmentHelp.database))")

    @OptionGroup var database: DatabaseOptions
    @Flag(help: "Print one JSON array") var json = false

    func run() async throws {
        let findings = try await withDatabase(database) { open in
            try await requireSchema(open)
            let connection = try await connectOrFail(open.conninfo)
            let head = try await connection.query(EventsSQL.head).singleRow().decode(Int64.self, 0)
            await connection.close()
            let meter = ProgressMeter(label: "audit", unit: "positions")
            let findings = try await ConnectionPool.with(.init(conninfo: open.conninfo, maximumConnections: 1)) {
                pool in
                try await InvariantAudit(store: PostgresEventStore(pool: pool)).run { position in
                    meter.update(done: Int(position), total: Int(max(head, position)))
                }
            }
            meter.finish()
            return findings
        }
        if json {
            try printJSON(findings)
        } else {
            for finding in findings {
                let status =
                    switch finding.status {
                    case .pass: "pass"
                    case .fail: "FAIL"
                    case .notCheckable: "n/a "
                    }
                print(
                    "\(status)  \(finding.invariant.padding(toLength: 4, withPad: " ", startingAt: 0)) \(finding.rule)"
                        + (finding.counterexample.map { "\n        first counterexample: \($0)" } ?? ""))
                for day in finding.money ?? [] where day.day == "total" || day.differenceYen != 0 {
                    print("        \(day.day): \(day.equation)")
                }
            }
        }
        if findings.contains(where: { $0.status == .fail }) { throw ExitStatus.rejected }
    }
}
