import ArgumentParser
import EventStore
import Foundation
import Synchronization
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

    @Option(help: "Rebuild this projection from position zero into shadow tables, then switch (readers never see a half-built model)")
    var rebuild: String?

    func run() async throws {
        try await withDatabase(database) { open in
            try await requireSchema(open)
            let pool = ConnectionPool(.init(conninfo: open.conninfo, maximumConnections: 4))
            let store = PostgresEventStore(pool: pool)
            if let rebuild {
                guard let projection = ProjectionCatalog.named(rebuild) else {
                    throw fail("no projection named \(rebuild); known: \(ProjectionCatalog.all.map(\.name).joined(separator: ", "))")
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
            let workers = ProjectionCatalog.all.map { ProjectionWorker(projection: $0, store: store, conninfo: open.conninfo) }
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

/// `ledger status`: each projection's cursor, lag and failing state, and the horizon age.
struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show projection cursors, lag, failures and the horizon.")

    @OptionGroup var database: DatabaseOptions

    @Flag(help: "Print one JSON object")
    var json = false

    func run() async throws {
        let anyFailing = try await withDatabase(database) { open in
            try await requireSchema(open)
            let pool = ConnectionPool(.init(conninfo: open.conninfo, maximumConnections: 1))
            let store = PostgresEventStore(pool: pool)
            let connection = try await PGConnection.connect(open.conninfo)
            let statuses = try await ProjectionStatus.all(connection)
            let horizon = try await store.horizon()
            await connection.close()
            await pool.close()
            if json {
                struct Report: Codable { var projections: [ProjectionStatus]; var horizonAgeSeconds: Double }
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                let data = try encoder.encode(Report(projections: statuses, horizonAgeSeconds: horizon.oldestOpenSeconds))
                print(String(decoding: data, as: UTF8.self))
            } else {
                print("projection            position   applied   lag(events)  lag(s)  state")
                for status in statuses {
                    let state = status.failing
                        ? "FAILING at \(status.errorPosition ?? 0): \(status.errorMessage ?? "")" : "ok"
                    print(status.projection.padding(toLength: 20, withPad: " ", startingAt: 0),
                          String(format: "%10lld %9lld %13lld %7.1f", status.globalPosition, status.eventsApplied,
                                 status.lagEvents, status.lagSeconds), " ", state)
                }
                print(String(format: "horizon: oldest open writing transaction %.1f s", horizon.oldestOpenSeconds))
            }
            return statuses.contains { $0.failing }
        }
        if anyFailing { throw ExitStatus.rejected }
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

/// True for the first caller only.
final class OnceFlag: Sendable {
    private let flag = Mutex(false)
    func claim() -> Bool { flag.withLock { claimed in defer { claimed = true }; return !claimed } }
}

/// Progress on a terminal (stderr): events done, rate, ETA. Silent when stderr is not a terminal.
final class ProgressMeter: Sendable {
    let label: String
    let started = ContinuousClock.now
    let enabled = isatty(STDERR_FILENO) != 0

    init(label: String) { self.label = label }

    func update(done: Int, total: Int) {
        guard enabled else { return }
        let elapsed = Double((ContinuousClock.now - started).components.seconds)
            + Double((ContinuousClock.now - started).components.attoseconds) / 1e18
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        let eta = rate > 0 ? Double(total - done) / rate : 0
        let line = String(format: "\r%@: %d/%d events, %.0f events/s, ETA %.0f s   ", label, done, total, rate, eta)
        FileHandle.standardError.write(Data(line.utf8))
    }

    func finish() {
        if enabled { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
