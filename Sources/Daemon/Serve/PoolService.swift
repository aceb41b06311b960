import ArgumentParser
import Commands
import EventStore
import Foundation
import Hummingbird
import Logging
import Metrics
import Projections
import Prometheus
import ServiceLifecycle

/// Keeps the pool open while the daemon runs; closes it last.
struct PoolService: Service {
    let pool: ConnectionPool
    func run() async throws {
        try? await gracefulShutdown()
        await pool.close()
    }
}
