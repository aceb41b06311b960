import EventStore
import Foundation
import TestSupport

/// A small event with a counter in its data.
func event(_ type: String = "Tested", _ n: Int = 0) -> NewEvent {
    NewEvent(eventType: type, data: "{\"n\":\(n)}", metadata: "{\"actor\":\"test\"}")
}

func stream(_ raw: String) -> StreamName {
    StreamName(raw)!
}

/// Counts rows in ledger.events.
func eventCount(_ test: TestStoreLike) async throws -> Int64 {
    let connection = try await test.connect()
    defer { Task { await connection.close() } }
    return try await connection.query("SELECT count(*) FROM ledger.events").singleRow().decode(Int64.self, 0)
}

protocol TestStoreLike { func connect() async throws -> PGConnection }
extension TestStore: TestStoreLike {}

/// The `DatabaseError` that `body` throws, or nil when it succeeds or throws something else.
func databaseError(_ body: () async throws -> Void) async -> DatabaseError? {
    do {
        try await body()
        return nil
    } catch let error as DatabaseError {
        return error
    } catch let error as EventStoreError {
        if case .database(let inner) = error { return inner }
        return nil
    } catch {
        return nil
    }
}

/// The `EventStoreError` that `body` throws, or nil.
func storeError(_ body: () async throws -> Void) async -> EventStoreError? {
    do {
        try await body()
        return nil
    } catch let error as EventStoreError {
        return error
    } catch {
        return nil
    }
}

/// Reads after the start until `count` events are readable (the horizon may lag behind other
/// sessions' transactions for a moment), with a deadline.
func readSettled(_ store: PostgresEventStore, filter: EventFilter, count: Int) async throws -> [RecordedEvent] {
    let deadline = ContinuousClock.now + .seconds(30)
    while true {
        let events = try await store.read(after: .start, filter: filter)
        if events.count >= count || ContinuousClock.now > deadline { return events }
        try await Task.sleep(for: .milliseconds(20))
    }
}
