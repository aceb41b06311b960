import ArgumentParser
import EventStore
import Foundation
import Logging
import Projections

/// `ledger project [--once]`: run the projection workers.
struct Project: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the projection workers (continuously, or with --once until caught up).",
        discussion: """
            Any number of processes may run this; each projection runs in one of them at a time. --rebuild shows \
            progress on a terminal (stderr). \(EnvironmentHelp.text(EnvironmentHelp.database, EnvironmentHelp.logging))
            """
    )

    @OptionGroup var database: DatabaseOptions

    @Flag(help: "Catch up to the head and exit")
    var once = false

    @Option(
        help:
            "Rebuild this projection from position zero into shadow tables, then switch (readers never see a half-built model)"
    )
    var rebuild: String?

    @Flag(help: "With --once or --rebuild: print one JSON object")
    var json = false

    struct OnceReport: Encodable {
        struct Applied: Encodable {
            var projection: String
            var eventsApplied: Int
        }
        struct Failure: Encodable {
            var component: String
            var message: String
        }
        var journalEntriesAdded: Int?
        var projections: [Applied] = []
        var failures: [Failure] = []
    }

    struct RebuildReport: Encodable {
        var projection: String
        var eventsApplied: Int
        var switched: Bool
    }

    func validate() throws {
        if json && !once && rebuild == nil { throw ValidationError("--json needs --once or --rebuild") }
    }

    func run() async throws {
        try await withDatabase(database) { open in
            try await requireSchema(open)
            let services = LedgerServices(conninfo: open.conninfo, poolSize: 4, logger: Logger(label: "ledger.project"))
            if let rebuild {
                guard let projection = ProjectionCatalog.named(rebuild) else {
                    await services.pool.close()
                    throw fail(
                        "no projection named \(rebuild)",
                        hint: "known: \(ProjectionCatalog.all.map(\.name).joined(separator: ", "))")
                }
                let meter = ProgressMeter(label: "rebuild \(rebuild)")
                let applied: Int
                do {
                    applied = try await ProjectionRebuild(
                        projection: projection, store: services.store, conninfo: open.conninfo,
                        progress: { done, total in meter.update(done: done, total: total) }
                    ).run()
                } catch {
                    await services.pool.close()
                    throw error
                }
                meter.finish()
                if json {
                    try printJSON(RebuildReport(projection: rebuild, eventsApplied: applied, switched: true))
                } else {
                    print("\(rebuild): rebuilt from \(applied) events and switched")
                }
                await services.pool.close()
                return
            }
            if once {
                var report = OnceReport()
                do {
                    let added = try await services.sequencer().catchUp()
                    report.journalEntriesAdded = added
                    if !json { print("journal: added \(added) entries") }
                } catch {
                    report.failures.append(.init(component: "journal", message: "\(error)"))
                    reportError("journal: \(error)", code: .failed, hint: nil)
                }
                for worker in services.workers() {
                    do {
                        let applied = try await worker.catchUp()
                        report.projections.append(.init(projection: worker.projection.name, eventsApplied: applied))
                        if !json { print("\(worker.projection.name): applied \(applied) events") }
                    } catch {
                        report.failures.append(.init(component: worker.projection.name, message: "\(error)"))
                        reportError("\(worker.projection.name): \(error)", code: .failed, hint: nil)
                    }
                }
                await services.pool.close()
                if json { try printJSON(report) }
                if !report.failures.isEmpty { throw ExitStatus.rejected }
                return
            }

            try await services.run()
        }
    }
}
