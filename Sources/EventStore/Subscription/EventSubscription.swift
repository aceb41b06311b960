import Logging

/// A gap-free subscription as an `AsyncSequence`: batches of events after a cursor, in
/// `(transaction_id, global_position)` order, never skipping one whatever the commit order or
/// rollbacks (`Subscription`). It keeps its cursor in memory.
///
/// `NOTIFY ledger_events` only wakes it early. When nothing is readable it waits for a
/// notification or `pollInterval`, whichever comes first, so a rolled-back or long-running
/// transaction (which sends no notification when it ends) delays delivery by at most one
/// interval; after a notification that finds nothing readable yet it re-checks soon (`IdleWait`).
public struct EventSubscription: AsyncSequence, Sendable {
    public typealias Element = [RecordedEvent]

    public let subscription: Subscription
    public let start: SubscriptionCursor
    public let logger: Logger

    public init(
        store: PostgresEventStore, filter: EventFilter = .all, after start: SubscriptionCursor = .start,
        batchSize: Int = 1_000, pollInterval: Duration = .milliseconds(500),
        logger: Logger = Logger(label: "ledger.subscription")
    ) {
        self.subscription = Subscription(store: store, filter: filter, batchSize: batchSize, pollInterval: pollInterval)
        self.start = start
        self.logger = logger
    }

    public func makeAsyncIterator() -> Iterator {
        Iterator(
            subscription: subscription, cursor: start,
            listener: NotificationListener(conninfo: subscription.conninfo, logger: logger))
    }

    /// Yields the next non-empty batch; ends (nil) when the task is cancelled.
    public struct Iterator: AsyncIteratorProtocol {
        let subscription: Subscription
        /// The position after the last delivered event.
        public private(set) var cursor: SubscriptionCursor
        private let listener: NotificationListener
        private var idle: IdleWait

        init(subscription: Subscription, cursor: SubscriptionCursor, listener: NotificationListener) {
            self.subscription = subscription
            self.cursor = cursor
            self.listener = listener
            self.idle = IdleWait(pollInterval: subscription.pollInterval, firstRecheck: .milliseconds(5))
        }

        public mutating func next() async throws -> [RecordedEvent]? {
            while !Task.isCancelled {
                // Listen before reading, so a commit between the read and the wait still wakes us.
                await listener.start()
                let batch = try await subscription.read(after: cursor)
                if let last = batch.last {
                    cursor = last.cursor
                    idle.progressed()
                    return batch
                }
                await idle.wait(on: listener, unsettled: nil)
            }
            await listener.close()
            return nil
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
