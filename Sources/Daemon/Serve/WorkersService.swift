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

/// The projection workers and the journal sequencer; on shutdown they finish the batch in flight.
struct WorkersService: Service {
    let store: PostgresEventStore
    let conninfo: String
    let progress: ProjectionProgress

    func run() async throws {
        var configuration = ProjectionWorker.Configuration()
        configuration.progress = progress
        let workers = ProjectionCatalog.all.map {
            ProjectionWorker(projection: $0, store: store, conninfo: conninfo, configuration: configuration)
        }
        let sequencer = JournalSequencer(store: store, conninfo: conninfo)
        try await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                for worker in workers { group.addTask { await worker.run() } }
                group.addTask { await sequencer.run() }
            }
        }
    }
}
