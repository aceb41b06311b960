import EventStore
import Foundation
import Logging
import Metrics
import Projections
import ServiceLifecycle

/// The long-running services of `ledger project` and `ledger serve`, built in one place: the
/// connection pool (first, so it closes last), the projection workers and the journal sequencer,
/// then whatever the command adds; run under one `ServiceGroup` that shuts down gracefully on
/// SIGTERM/SIGINT (workers finish the batch in flight; they stop together, `ConcurrentServices`).
struct LedgerServices: Sendable {
    let conninfo: String
    let pool: ConnectionPool
    let store: PostgresEventStore
    let logger: Logger

    /// - Parameters:
    ///   - poolSize: the pool's bound (`ledger project` 4, `ledger serve` 16).
    ///   - logger: the command's own (`ledger.serve`, `ledger.project`), for the service group; the
    ///     pool logs as `ledger.database`, workers as `ledger.projections`, the sequencer as
    ///     `ledger.journal` (the components of docs/operations.md).
    init(conninfo: String, poolSize: Int, logger: Logger) {
        self.conninfo = conninfo
        var configuration = ConnectionPool.Configuration(conninfo: conninfo, maximumConnections: poolSize)
        configuration.acquired = { Timer(label: MetricCatalog.poolAcquire).record(duration: $0) }
        self.pool = ConnectionPool(configuration)
        self.store = PostgresEventStore(pool: pool)
        self.logger = logger
    }

    /// One worker per projection of the catalogue.
    func workers(progress: ProjectionProgress? = nil) -> [ProjectionWorker] {
        var configuration = ProjectionWorker.Configuration()
        configuration.progress = progress
        return ProjectionCatalog.all.map {
            ProjectionWorker(
                projection: $0, store: store, conninfo: conninfo, configuration: configuration,
                logger: Logger(label: "ledger.projections"))
        }
    }

    /// The journal sequencer.
    func sequencer() -> JournalSequencer {
        JournalSequencer(store: store, conninfo: conninfo, logger: Logger(label: "ledger.journal"))
    }

    /// Runs the pool, the workers (telling `progress` of their batches) and the sequencer, then
    /// `extra` in order, until SIGTERM/SIGINT; they stop in reverse order.
    func run(progress: ProjectionProgress? = nil, extra: [any Service] = []) async throws {
        let subscribers = ConcurrentServices(services: workers(progress: progress) + [sequencer()])
        let services: [any Service] = [pool, subscribers] + extra
        let group = ServiceGroup(
            configuration: .init(
                services: services.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) },
                gracefulShutdownSignals: [.sigterm, .sigint],
                cancellationSignals: [],
                logger: logger))
        try await group.run()
    }
}
