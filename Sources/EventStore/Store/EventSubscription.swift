/// A gap-free subscription: batches of events after a cursor, in `(transaction_id,
/// global_position)` order, never skipping one whatever the commit order or rollbacks.
///
/// Correctness comes from the cursor and the horizon (`read(after:)`); `NOTIFY ledger_events`
/// only wakes the subscriber early. When nothing is readable it waits for a notification or
/// `pollInterval`, whichever comes first, so a rolled-back or long-running transaction (which
/// sends no notification when it ends) delays delivery by at most one interval. After a
/// notification that finds nothing readable yet, it re-checks with a short, doubling backoff.
public struct EventSubscription: AsyncSequence, Sendable {
    public typealias Element = [RecordedEvent]

    public let store: PostgresEventStore
    public let filter: EventFilter
    public let start: SubscriptionCursor
    public let batchSize: Int
    public let pollInterval: Duration

    public init(
        store: PostgresEventStore, filter: EventFilter = .all, after start: SubscriptionCursor = .start,
        batchSize: Int = 1_000, pollInterval: Duration = .milliseconds(500)
    ) {
        self.store = store
        self.filter = filter
        self.start = start
        self.batchSize = batchSize
        self.pollInterval = pollInterval
    }

    public func makeAsyncIterator() -> Iterator {
        Iterator(subscription: self, cursor: start)
    }

    /// Yields the next non-empty batch; ends (nil) when the task is cancelled.
    public struct Iterator: AsyncIteratorProtocol {
        let subscription: EventSubscription
        /// The position after the last delivered event.
        public private(set) var cursor: SubscriptionCursor
        private var listener: PGConnection?
        /// After a notification, how soon to look again when nothing was readable yet.
        private var recheck: Duration?
        private static let firstRecheck = Duration.milliseconds(5)

        init(subscription: EventSubscription, cursor: SubscriptionCursor) {
            self.subscription = subscription
            self.cursor = cursor
        }

        public mutating func next() async throws -> [RecordedEvent]? {
            while !Task.isCancelled {
                // Listen before reading, so a commit between the read and the wait still wakes us.
                if listener == nil { listener = try? await Self.openListener(subscription.store.pool) }
                let batch = try await subscription.store.read(
                    after: cursor, filter: subscription.filter, limit: subscription.batchSize)
                if let last = batch.last {
                    cursor = last.cursor
                    recheck = nil
                    return batch
                }
                // A notification means something committed, but it may still sit above the horizon
                // (an older transaction, perhaps in another database of the cluster, is open).
                // Re-check soon, backing off towards the poll interval, instead of waiting it out.
                let wait = recheck.map { Swift.min($0, subscription.pollInterval) } ?? subscription.pollInterval
                if let listener {
                    do {
                        let woken = try await listener.waitForNotifications(timeout: wait)
                        if !woken.isEmpty {
                            recheck = Self.firstRecheck
                        } else if let previous = recheck {
                            recheck = previous < subscription.pollInterval ? previous * 2 : nil
                        }
                    } catch {
                        await listener.close()
                        self.listener = nil
                    }
                } else {
                    try? await Task.sleep(for: subscription.pollInterval)
                }
            }
            if let listener { await listener.close() }
            return nil
        }

        private static func openListener(_ pool: ConnectionPool) async throws -> PGConnection {
            let connection = try await PGConnection.connect(pool.configuration.conninfo)
            try await connection.listen("ledger_events")
            return connection
        }
    }
}

extension PostgresEventStore {
    /// A gap-free subscription to events after `cursor` that match `filter`.
    public func subscribe(
        filter: EventFilter = .all, after cursor: SubscriptionCursor = .start, batchSize: Int = 1_000,
        pollInterval: Duration = .milliseconds(500)
    ) -> EventSubscription {
        EventSubscription(store: self, filter: filter, after: cursor, batchSize: batchSize, pollInterval: pollInterval)
    }
}
