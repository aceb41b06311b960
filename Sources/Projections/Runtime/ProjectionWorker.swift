import EventStore
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Runs one projection: reads batches after its checkpoint (gap-free), applies each batch and
/// moves the checkpoint by compare-and-set in the same transaction, so every event takes effect
/// exactly once whatever crashes. Leadership is a session advisory lock on the worker's own
/// connection (`Leadership`, `AdvisoryLock.projectionLeadership`): any number of processes may run
/// workers, each projection runs in one of them, and when that process dies the lock is freed and
/// another takes over. The reads, horizon and wake-ups are the shared `Subscription` runtime.
///
/// A batch that fails is retried one event at a time to find the failing event; the events before
/// it are applied, the checkpoint stops before it, the error, position and time are recorded
/// (`failing`), and the worker retries with exponential backoff. Other projections are unaffected.
/// As a `Service` it runs until graceful shutdown, finishing the batch in flight; failures are
/// logged on its `logger`.
public struct ProjectionWorker: Service, Sendable {
    /// Limits and intervals.
    public struct Configuration: Sendable {
        /// Most events applied in one transaction.
        public var batchSize: Int = 1_000
        /// Longest wait for new events when no notification comes.
        public var pollInterval: Duration = .milliseconds(500)
        /// First retry delay after a failure; doubles up to `maximumBackoff`.
        public var initialBackoff: Duration = .milliseconds(100)
        public var maximumBackoff: Duration = .seconds(30)
        /// Schema holding the tables (`projections`, or a replay schema).
        public var schema: String = "projections"
        /// Told about every committed batch (for readers waiting on their own writes).
        public var progress: ProjectionProgress?

        public init() {}
    }

    /// What one step did.
    public enum Step: Sendable, Equatable {
        case applied(Int)
        case idle
        case failed(ProjectionFailure)
        case notLeader
    }

    public let projection: any Projection
    public let store: PostgresEventStore
    public let conninfo: String
    public let configuration: Configuration
    public let logger: Logger
    /// The position of the event the worker fails at (0: none), so that it is logged once at
    /// error however often the worker retries it, and its end once.
    let failingAt: FailingPosition

    public init(
        projection: any Projection, store: PostgresEventStore, conninfo: String,
        configuration: Configuration = Configuration(), logger: Logger = Logger(label: "ledger.projections")
    ) {
        self.projection = projection
        self.store = store
        self.conninfo = conninfo
        self.configuration = configuration
        var logger = logger
        logger[metadataKey: "projection"] = "\(projection.name)"
        self.logger = logger
        self.failingAt = FailingPosition()
    }

    /// The projection's gap-free subscription: its event types, in batches of `batchSize`.
    var subscription: Subscription {
        Subscription(
            store: store, filter: .eventTypes(projection.eventTypes), batchSize: configuration.batchSize,
            pollInterval: configuration.pollInterval)
    }

    /// Catches up with every event committed before the call and returns the number applied;
    /// throws when a failing event stops it, or when another process holds the projection.
    /// ("Before the call" is exact: see `Subscription.catchUp(on:_:)`.)
    public func catchUp() async throws -> Int {
        try await ProjectionSession.with(self) { session in
            guard try await session.lead() else { throw ProjectionError.heldElsewhere(projection.name) }
            return try await Subscription.catchUp(on: session.connection) {
                switch try await session.step() {
                case .applied(let count): return count
                case .idle: return 0
                case .failed(let failure):
                    throw ProjectionError.failing(
                        projection.name, position: failure.position, message: failure.message)
                case .notLeader: throw ProjectionError.heldElsewhere(projection.name)
                }
            }
        }
    }

    static let firstRecheck = Duration.milliseconds(1)

    /// Runs until the task is cancelled or graceful shutdown: leads when it can, applies batches as
    /// they come, waits on NOTIFY or the poll interval, backs off after failures (`SubscriberLoop`).
    /// Finishes the batch in flight.
    public func run() async {
        let loop = SubscriberLoop(
            pollInterval: configuration.pollInterval, initialBackoff: configuration.initialBackoff,
            maximumBackoff: configuration.maximumBackoff, firstRecheck: Self.firstRecheck, logger: logger)
        await cancelWhenGracefulShutdown {
            await loop.run(
                listener: NotificationListener(conninfo: conninfo, logger: logger),
                open: { try await ProjectionSession.open(self) },
                close: { await $0.close() },
                step: { session in try await step(session) })
        }
    }

    private func step(_ session: ProjectionSession) async throws -> SubscriberLoop.Outcome {
        guard try await session.lead() else { return .notLeader }
        switch try await session.step() {
        case .applied:
            if let position = failingAt.clear() {
                logger.notice(
                    "the projection applies events again after failing", metadata: ["position": "\(position)"])
            }
            await configuration.progress?.advanced(projection.name)
            return .progressed
        case .idle:
            // Events may be committed but not yet below the horizon (another transaction was still
            // open): then the loop re-checks soon, and less and less often.
            return .idle(unsettled: try await session.hasUnsettledEvents())
        case .failed(let failure):
            logger.log(
                level: failingAt.set(failure.position) ? .error : .debug,
                "the projection fails at an event; retrying after a backoff", metadata: failure.logMetadata)
            return .failed
        case .notLeader:
            return .notLeader
        }
    }
}

/// Why a projection could not run.
public enum ProjectionError: Error, Sendable, CustomStringConvertible {
    case heldElsewhere(String)
    case failing(String, position: Int64, message: String)
    case lostCursor(String)

    public var description: String {
        switch self {
        case .heldElsewhere(let name): "projection \(name) is being run by another process"
        case .failing(let name, let position, let message):
            "projection \(name) fails at event \(position): \(message)"
        case .lostCursor(let name): "the checkpoint of \(name) moved under this worker; another worker ran it"
        }
    }
}

/// One worker's connection (holding the leadership lock) and its cursor.
final class ProjectionSession: AsyncClosable {
    let worker: ProjectionWorker
    /// The leadership lock and the connection it is held on, where batches are applied.
    let leadership: Leadership
    var connection: PGConnection { leadership.connection }
    /// The next batch, being read (on a pool connection) while this one is applied, and the cursor
    /// it was read after. Used only if the checkpoint is still at that cursor when the next step
    /// starts; a gap-free read is valid whenever it is made, so an early one just may be shorter.
    private let readAhead = Mutex<(after: SubscriptionCursor, batch: Task<[RecordedEvent], any Error>)?>(nil)

    private init(worker: ProjectionWorker, leadership: Leadership) {
        self.worker = worker
        self.leadership = leadership
    }

    static func open(_ worker: ProjectionWorker) async throws -> ProjectionSession {
        let leadership = try await Leadership.open(worker.conninfo, lock: .projectionLeadership(worker.projection.name))
        do {
            try await leadership.connection.query(CheckpointSQL.ensure, [worker.projection.name])
        } catch {
            await leadership.close()
            throw error
        }
        return ProjectionSession(worker: worker, leadership: leadership)
    }

    /// Opens a session for `body` and closes it on every path.
    static func with<T: Sendable>(_ worker: ProjectionWorker, _ body: (ProjectionSession) async throws -> T)
        async throws -> T
    {
        try await open(worker).closing(after: body)
    }

    /// Stops any read ahead and closes the connection (freeing the lock).
    func close() async {
        readAhead.withLock { value in
            value?.batch.cancel()
            value = nil
        }
        await leadership.close()
    }

    /// Takes the projection's leadership lock on this session if it does not hold it yet.
    func lead() async throws -> Bool {
        try await leadership.acquire()
    }

    func cursor() async throws -> SubscriptionCursor {
        let row = try await connection.query(CheckpointSQL.load, [worker.projection.name]).singleRow()
        return SubscriptionCursor(
            transactionId: try row.decode(UInt64.self, 0), globalPosition: try row.decode(Int64.self, 1))
    }

    /// Whether a step found nothing only because the events after the checkpoint are not yet below
    /// the horizon.
    func hasUnsettledEvents() async throws -> Bool {
        try await connection.query(
            CheckpointSQL.unsettled, [worker.projection.name, PGTextArray(worker.projection.eventTypes)]
        )
        .singleRow().decode(Bool.self, 0)
    }

    /// Reads one batch after the checkpoint and applies it.
    ///
    /// After a full batch (more are likely waiting, as in a catch-up or rebuild) it starts reading
    /// the next batch before applying this one, so reading and decoding overlap the apply
    /// transaction. A live worker's small batches read nothing ahead.
    func step() async throws -> ProjectionWorker.Step {
        let cursor = try await cursor()
        let batch: [RecordedEvent]
        let ahead = readAhead.withLock { value in
            defer { value = nil }
            return value
        }
        if let ahead, ahead.after == cursor {
            batch = try await ahead.batch.value
        } else {
            ahead?.batch.cancel()
            batch = try await read(after: cursor)
        }
        guard let last = batch.last else { return .idle }
        if batch.count >= worker.configuration.batchSize {
            let next = Task { try await self.read(after: last.cursor) }
            readAhead.withLock { $0 = (last.cursor, next) }
        }
        do {
            try await apply(batch, from: cursor)
            return .applied(batch.count)
        } catch let error as ProjectionError {
            throw error
        } catch {
            // Find the failing event: apply one at a time; the good ones before it stay applied.
            var from = cursor
            for event in batch {
                do {
                    try await apply([event], from: from)
                    from = event.cursor
                } catch {
                    let message = String(describing: error).prefix(2000)
                    try await connection.query(
                        CheckpointSQL.recordFailure,
                        [worker.projection.name, String(message), event.globalPosition])
                    return .failed(ProjectionFailure(event: event, message: String(message)))
                }
            }
            return .applied(batch.count)
        }
    }

    private func read(after cursor: SubscriptionCursor) async throws -> [RecordedEvent] {
        try await worker.subscription.read(after: cursor)
    }

    private func apply(_ batch: [RecordedEvent], from old: SubscriptionCursor) async throws {
        let projection = worker.projection
        let schema = worker.configuration.schema
        guard let last = batch.last else { return }
        try await connection.transaction { connection in
            // Shared with other batches, exclusive for a rebuild's switch (ProjectionRebuild).
            try connection.advisoryLock(.projectionBatch(projection.name), .sharedForTransaction)
            try projection.apply(batch, schema: schema, on: connection)
            let moved = try connection.query(
                CheckpointSQL.advance,
                [
                    projection.name, old.transactionId, old.globalPosition, last.transactionId, last.globalPosition,
                    batch.count, last.recordedAt,
                ])
            guard moved.affectedRows == 1 else { throw ProjectionError.lostCursor(projection.name) }
        }
    }
}

/// The event a worker fails at, shared by the copies of the worker.
final class FailingPosition: Sendable {
    private let position = Atomic<Int64>(0)

    /// Records `value`; answers whether it is new (not the position already recorded).
    func set(_ value: Int64) -> Bool { position.exchange(value, ordering: .relaxed) != value }

    /// Forgets the position, answering it if there was one.
    func clear() -> Int64? {
        let old = position.exchange(0, ordering: .relaxed)
        return old == 0 ? nil : old
    }
}
