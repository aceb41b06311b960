import ArgumentParser
import EventStore
import Foundation
import Projections

/// `ledger project [--once]`: run the projection workers.
struct Project: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the projection workers (continuously, or with --once until caught up).",
        discussion: "Any number of processes may run this; each projection runs in one of them at a time."
    )

    @OptionGroup var database: DatabaseOptions

    @Flag(help: "Catch up to the head and exit")
    var once = false

    @Option(
        help:
            "Rebuild this projection from position zero into shadow tables, then switch (readers never see a half-built model)"
    )
    var rebuild: String?

    func run() async throws {
        try await withDatabase(database) { open in
            try await requireSchema(open)
            let services = LedgerServices(conninfo: open.conninfo, poolSize: 4, logger: LedgerServices.logger())
            if let rebuild {
                guard let projection = ProjectionCatalog.named(rebuild) else {
                    throw fail(
                        "no projection named \(rebuild); known: \(ProjectionCatalog.all.map(\.name).joined(separator: ", "))"
                    )
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
                print("\(rebuild): rebuilt from \(applied) events and switched")
                await services.pool.close()
                return
            }
            if once {
                var failed = false
                do {
                    print("journal: added \(try await services.sequencer().catchUp()) entries")
                } catch {
                    failed = true
                    FileHandle.standardError.write(Data("ledger: \(error)\n".utf8))
                }
                for worker in services.workers() {
                    do {
                        let applied = try await worker.catchUp()
                        print("\(worker.projection.name): applied \(applied) events")
                    } catch {
                        failed = true
                        FileHandle.standardError.write(Data("ledger: \(error)\n".utf8))
                    }
                }
                await services.pool.close()
                if failed { throw ExitStatus.rejected }
                return
            }
            try await services.run()
        }
    }
}
