import Foundation
import Logging
import Synchronization
import TestSupport
import Testing

@testable import EventStore

/// What a tailing reader has seen so far.
final class Seen: Sendable {
    let events = Mutex<[RecordedEvent]>([])
    var count: Int { events.withLock { $0.count } }
}

/// Tails `store` into `seen` until cancelled.
func tail(_ store: PostgresEventStore, into seen: Seen) async throws {
    for try await batch in store.subscribe(batchSize: 97, pollInterval: .milliseconds(50)) {
        seen.events.withLock { $0 += batch }
    }
}

/// Which reader tails the race.
enum Reader: String, Sendable, CaseIterable, CustomTestStringConvertible {
    /// `EventSubscription`, the `AsyncSequence`.
    case eventSubscription
    /// `Subscription` stepped by `SubscriberLoop` (as workers and the sequencer are), its cursor in memory.
    case subscriberLoop
    var testDescription: String { rawValue }
}

/// Tails `store` into `seen` with `reader` until cancelled.
func tail(_ store: PostgresEventStore, into seen: Seen, with reader: Reader) async throws {
    switch reader {
    case .eventSubscription:
        try await tail(store, into: seen)
    case .subscriberLoop:
        let subscription = Subscription(store: store, batchSize: 97, pollInterval: .milliseconds(50))
        let cursor = Mutex(SubscriptionCursor.start)
        let logger = Logger(label: "test.subscription")
        await SubscriberLoop(pollInterval: .milliseconds(50), logger: logger).run(
            listener: NotificationListener(conninfo: subscription.conninfo, logger: logger),
            open: {},
            close: { _ in },
            step: { _ in
                let batch = try await subscription.read(after: cursor.withLock { $0 })
                guard let last = batch.last else { return .idle(unsettled: nil) }
                cursor.withLock { $0 = last.cursor }
                seen.events.withLock { $0 += batch }
                return .progressed
            })
    }
}

@Suite("gap-free subscription")
struct SubscriptionTests {
    /// Goal: a reader tailing the subscription never skips, repeats or reorders an event, whatever
    /// the commit order. Method: 8 writers hold each transaction open a random few milliseconds
    /// after inserting (so later positions often commit first) and roll some back, while a reader
    /// tails; afterwards the reader's sequence must be exactly the committed events. Run with both
    /// readers over the one `Subscription` runtime: the `AsyncSequence` and the `SubscriberLoop`.
    @Test("8 writers with delayed commits and rollbacks race a tailing reader", arguments: Reader.allCases)
    func raceWithTailingReader(reader kind: Reader) async throws {
        let seed = UInt64(20_261_127)
        let test = try await TestDatabase.freshStore(maximumConnections: 4)
        let seen = Seen()
        let reader = Task { try await tail(test.store, into: seen, with: kind) }
        struct Rollback: Error {}

        let rolledBack = try await withThrowingTaskGroup(of: [UUID].self) { group in
            for writer in 0..<8 {
                group.addTask {
                    var random = SplitMix64(state: seed &+ UInt64(writer) &* 7919)
                    let connection = try await test.connect()
                    var discarded: [UUID] = []
                    for _ in 0..<380 {
                        let target = stream("race-w\(writer)s\(Int.random(in: 0..<4, using: &random))")
                        let events = (0..<Int.random(in: 1...3, using: &random)).map { _ in event("Raced") }
                        let delay = UInt32.random(in: 0...3000, using: &random)
                        let rollback = Int.random(in: 0..<10, using: &random) == 0
                        let (command, streams, payload) = try PostgresEventStore.encode(
                            [StreamAppend(stream: target, expected: .any, events: events)], command: nil)
                        do {
                            try await connection.transaction { connection in
                                try connection.query(Statements.append, [command, streams, payload])
                                usleep(delay)  // hold the transaction open after inserting
                                if rollback { throw Rollback() }
                            }
                        } catch is Rollback {
                            discarded += events.map(\.eventId)
                        }
                    }
                    await connection.close()
                    return discarded
                }
            }
            return try await group.reduce(into: Set<UUID>()) { $0.formUnion($1) }
        }

        let admin = try await test.connect()
        let committed = try await admin.query(
            "SELECT event_id FROM ledger.events ORDER BY transaction_id, global_position"
        ).rows.map { try $0.decode(UUID.self, 0) }
        await admin.close()
        #expect(committed.count >= 5000, "the race must cover at least 5,000 events")
        #expect(!rolledBack.isEmpty, "some transactions must roll back")

        let caughtUp = try await eventually { seen.count >= committed.count }
        reader.cancel()
        _ = try? await reader.value
        #expect(caughtUp, "the reader saw \(seen.count) of \(committed.count) events")

        let delivered = seen.events.withLock { $0 }
        #expect(delivered.map(\.eventId) == committed, "exactly the committed events, once each, in cursor order")
        #expect(Set(delivered.map(\.eventId)).isDisjoint(with: rolledBack))
        var lastVersion: [StreamName: Int64] = [:]
        for event in delivered {
            #expect(event.streamVersion == (lastVersion[event.stream] ?? 0) + 1, "\(event.stream) out of order")
            lastVersion[event.stream] = event.streamVersion
        }
    }

    @Test("a long-running writing transaction holds the reader back; it resumes when that commits")
    func readerWaitsForLongTransaction() async throws {
        let test = try await TestDatabase.freshStore()
        let slow = try await test.connect()
        try await slow.execute("BEGIN")
        let (command, streams, payload) = try PostgresEventStore.encode(
            [StreamAppend(stream: stream("slow-1"), expected: .any, events: [event("Slow")])], command: nil)
        try await slow.query(Statements.append, [command, streams, payload])

        // A later transaction commits while the first is still open.
        try await test.store.append([event("Fast")], to: stream("fast-1"), expected: .any)
        let seen = Seen()
        let reader = Task { try await tail(test.store, into: seen) }

        // While the slow transaction is open nothing is readable: delivering "Fast" now would let
        // the cursor pass "Slow", which would then be skipped forever.
        for _ in 0..<5 {
            #expect(try await test.store.read(after: .start).isEmpty)
            try await Task.sleep(for: .milliseconds(60))
        }
        #expect(seen.count == 0, "the reader must wait, not skip")

        try await slow.execute("COMMIT")
        let resumed = try await eventually { seen.count >= 2 }
        reader.cancel()
        _ = try? await reader.value
        #expect(resumed)
        #expect(seen.events.withLock { $0.map(\.eventType) } == ["Slow", "Fast"])
        await slow.close()
    }

    @Test("a subscription wakes on NOTIFY well before its poll interval")
    func notifyWakesSubscriber() async throws {
        let test = try await TestDatabase.freshStore()
        let seen = Seen()
        let reader = Task {
            for try await batch in test.store.subscribe(pollInterval: .seconds(30)) {
                seen.events.withLock { $0 += batch }
            }
        }
        try await Task.sleep(for: .milliseconds(200))  // let it listen and go idle
        try await test.store.append([event("Ping")], to: stream("ping-1"), expected: .any)
        // Within 20 s: still well short of the 30 s poll, with room for a loaded CI machine (a run
        // with the whole suite in parallel once missed 10 s).
        let woke = try await eventually(within: .seconds(20)) { seen.count == 1 }
        reader.cancel()
        #expect(woke, "a 30 s poll interval was not cut short by the notification")
    }
}
