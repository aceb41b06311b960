import ArgumentParser
import EventStore
import Foundation
import Projections
import Synchronization

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
            let pool = ConnectionPool(.init(conninfo: open.conninfo, maximumConnections: 4))
            let store = PostgresEventStore(pool: pool)
            if let rebuild {
                guard let projection = ProjectionCatalog.named(rebuild) else {
                    throw fail(
                        "no projection named \(rebuild); known: \(ProjectionCatalog.all.map(\.name).joined(separator: ", "))"
                    )
                }
                let meter = ProgressMeter(label: "rebuild \(rebuild)")
                let applied = try await ProjectionRebuild(
                    projection: projection, store: store, conninfo: open.conninfo,
                    progress: { done, total in meter.update(done: done, total: total) }
                ).run()
                meter.finish()
                print("\(rebuild): rebuilt from \(applied) events and switched")
                await pool.close()
                return
            }
            let workers = ProjectionCatalog.all.map {
                ProjectionWorker(projection: $0, store: store, conninfo: open.conninfo)
            }
            let sequencer = JournalSequencer(store: store, conninfo: open.conninfo)
            if once {
                var failed = false
                do {
                    print("journal: added \(try await sequencer.catchUp()) entries")
                } catch {
                    failed = true
                    FileHandle.standardError.write(Data("ledger: \(error)\n".utf8))
                }
                for worker in workers {
                    do {
                        let applied = try await worker.catchUp()
                        print("\(worker.projection.name): applied \(applied) events")
                    } catch {
                        failed = true
                        FileHandle.standardError.write(Data("ledger: \(error)\n".utf8))
                    }
                }
                await pool.close()
                if failed { throw ExitStatus.rejected }
                return
            }
            await withTaskGroup(of: Void.self) { group in
                for worker in workers { group.addTask { await worker.run() } }
                group.addTask { await sequencer.run() }
                group.addTask {
                    await waitForTermination()
                }
                await group.next()
                group.cancelAll()
            }
            await pool.close()
        }
    }
}

/// Returns when the process receives SIGINT or SIGTERM.
func waitForTermination() async {
    signal(SIGINT, SIG_IGN)
    signal(SIGTERM, SIG_IGN)
    let signals = [SIGINT, SIGTERM].map { DispatchSource.makeSignalSource(signal: $0, queue: .global()) }
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
        let once = OnceFlag()
        for source in signals {
            source.setEventHandler { if once.claim() { continuation.resume() } }
            source.resume()
        }
    }
    for source in signals { source.cancel() }
}
