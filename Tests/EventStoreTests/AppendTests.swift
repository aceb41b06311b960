import EventStore
import Foundation
import TestSupport
import Testing

@Suite("append and read")
struct AppendTests {
    @Test("versions start at 1 and are contiguous; events read back as written")
    func appendAndReadStream() async throws {
        let test = try await TestDatabase.freshStore()
        let cart = stream("cart-ichiro")
        let at = Date(timeIntervalSince1970: 1_742_173_200)
        var first = event("CartItemAdded", 1)
        first.occurredAt = at
        let outcome = try await test.store.append([first, event("CartItemAdded", 2)], to: cart, expected: .noStream)
        guard case .appended(let events, _) = outcome else {
            Issue.record("not appended")
            return
        }
        #expect(events.map(\.version) == [1, 2])
        #expect(events[0].position < events[1].position)
        try await test.store.append([event("CartItemRemoved", 3)], to: cart, expected: .exact(2))
        #expect(try await test.store.version(of: cart) == 3)
        #expect(try await test.store.version(of: stream("cart-nobody")) == 0)

        let forward = try await test.store.read(stream: cart)
        #expect(forward.map(\.streamVersion) == [1, 2, 3])
        #expect(forward.map(\.eventType) == ["CartItemAdded", "CartItemAdded", "CartItemRemoved"])
        #expect(forward[0].data == "{\"n\": 1}")
        #expect(forward[0].metadata == "{\"actor\": \"test\"}")
        #expect(forward[0].occurredAt == at)
        #expect(forward[0].eventId == first.eventId)
        let backward = try await test.store.read(stream: cart, from: .max, direction: .backward, limit: 2)
        #expect(backward.map(\.streamVersion) == [3, 2])
        let fromTwo = try await test.store.read(stream: cart, from: 2)
        #expect(fromTwo.map(\.streamVersion) == [2, 3])
    }

    @Test(
        "each expected-version rule accepts and refuses as documented",
        arguments: [
            // (existing events, expected, accepted, actual reported on refusal)
            (0, ExpectedVersion.any, true, Int64(0)),
            (2, .any, true, 2),
            (0, .noStream, true, 0),
            (2, .noStream, false, 2),
            (0, .streamExists, false, 0),
            (2, .streamExists, true, 2),
            (2, .exact(2), true, 2),
            (2, .exact(1), false, 2),
            (0, .exact(1), false, 0),
            (2, .exact(3), false, 2),
        ])
    func expectedVersions(existing: Int, expected: ExpectedVersion, accepted: Bool, actual: Int64) async throws {
        let test = try await TestDatabase.freshStore()
        let target = stream("company-8888000004")
        if existing > 0 {
            try await test.store.append((0..<existing).map { event("Seeded", $0) }, to: target, expected: .noStream)
        }
        let error = await storeError { try await test.store.append([event()], to: target, expected: expected) }
        if accepted {
            #expect(error == nil)
            #expect(try await test.store.version(of: target) == Int64(existing) + 1)
        } else {
            guard case .wrongExpectedVersion(let name, let reportedExpected, let reportedActual) = error else {
                Issue.record("expected wrongExpectedVersion, got \(String(describing: error))")
                return
            }
            #expect(name == target)
            #expect(reportedExpected == expected)
            #expect(reportedActual == actual)
            #expect(try await test.store.version(of: target) == Int64(existing))
        }
    }

    @Test("a multi-stream append with one wrong version writes nothing")
    func multiStreamAtomic() async throws {
        let test = try await TestDatabase.freshStore()
        let payment = stream("payment-20250317-8888000004-00001")
        let application = stream("application-000004172")
        try await test.store.append([event("ApplicationSubmitted")], to: application, expected: .noStream)
        let before = try await eventCount(test)
        let error = await storeError {
            try await test.store.append([
                StreamAppend(stream: payment, expected: .noStream, events: [event("PaymentAttemptStarted")]),
                StreamAppend(stream: application, expected: .exact(7), events: [event("ApplicationPaymentLinked")]),
            ])
        }
        guard case .wrongExpectedVersion(let name, _, let actual) = error else {
            Issue.record("expected a conflict, got \(String(describing: error))")
            return
        }
        #expect(name == application)
        #expect(actual == 1)
        #expect(try await eventCount(test) == before)
        #expect(try await test.store.version(of: payment) == 0)

        let outcome = try await test.store.append([
            StreamAppend(stream: payment, expected: .noStream, events: [event("PaymentAttemptStarted")]),
            StreamAppend(stream: application, expected: .exact(1), events: [event("ApplicationPaymentLinked")]),
        ])
        #expect(outcome.events.map(\.stream) == [payment, application])
        #expect(Set(outcome.events.map(\.position)).count == 2)
    }

    @Test("a retried command id answers exists and writes nothing; another payload is refused")
    func idempotency() async throws {
        let test = try await TestDatabase.freshStore()
        let commandId = UUID()
        let identity = CommandIdentity(commandId: commandId, fingerprint: "sha256:aaaa", result: "{\"orderNo\":\"1\"}")
        let first = try await test.store.append(
            [event("CouponOrderPlaced")], to: stream("couponOrder-1"),
            expected: .noStream, command: identity)
        guard case .appended(let written, let result) = first else {
            Issue.record("not appended")
            return
        }
        #expect(result == "{\"orderNo\": \"1\"}")
        let before = try await eventCount(test)

        // Same id and fingerprint: the first answer, even though the stream has moved on.
        let retry = try await test.store.append(
            [event("CouponOrderPlaced")], to: stream("couponOrder-1"),
            expected: .noStream, command: identity)
        guard case .exists(let again, let againResult) = retry else {
            Issue.record("not exists: \(retry)")
            return
        }
        #expect(again == written)
        #expect(againResult == result)
        #expect(try await eventCount(test) == before)

        // Same id, different body.
        let error = await storeError {
            try await test.store.append(
                [event("CouponOrderPlaced")], to: stream("couponOrder-2"), expected: .noStream,
                command: CommandIdentity(commandId: commandId, fingerprint: "sha256:bbbb"))
        }
        guard case .existsWithDifferentPayload(let reported) = error else {
            Issue.record("expected existsWithDifferentPayload, got \(String(describing: error))")
            return
        }
        #expect(reported == commandId.uuidString.lowercased())
        #expect(try await eventCount(test) == before)
    }

    @Test("malformed appends are refused before anything is written")
    func invalidAppends() async throws {
        let test = try await TestDatabase.freshStore()
        let target = stream("cart-a")
        for attempt in [
            [StreamAppend](),
            [StreamAppend(stream: target, expected: .any, events: [])],
            [
                StreamAppend(stream: target, expected: .any, events: [event()]),
                StreamAppend(stream: target, expected: .any, events: [event()]),
            ],
        ] {
            let error = await storeError { try await test.store.append(attempt) }
            guard case .invalidAppend = error else {
                Issue.record("accepted \(attempt)")
                continue
            }
        }
        var notJSON = event()
        notJSON.data = "{not json"
        let error = await storeError { try await test.store.append([notJSON], to: target, expected: .any) }
        guard case .database(let database) = error else {
            Issue.record("bad JSON accepted")
            return
        }
        #expect(database.sqlState?.hasPrefix("22") == true)
        #expect(try await eventCount(test) == 0)
    }

    @Test("reads by category, by type, by position, and in bounded batches")
    func filteredReads() async throws {
        let test = try await TestDatabase.freshStore()
        for n in 0..<30 {
            let category = n % 3 == 0 ? "company" : "cart"
            try await test.store.append(
                [event(n % 2 == 0 ? "Even" : "Odd", n)],
                to: stream("\(category)-\(n % 5)"), expected: .any)
        }
        // The horizon is cluster-wide: other tests' open transactions may hold it back for a moment.
        let companies = try await readSettled(test.store, filter: .category("company"), count: 10)
        #expect(companies.count == 10)
        #expect(companies.allSatisfy { $0.stream.category == "company" })
        let evens = try await readSettled(test.store, filter: .eventTypes(["Even"]), count: 15)
        #expect(evens.count == 15)
        #expect(evens.allSatisfy { $0.eventType == "Even" })

        _ = try await readSettled(test.store, filter: .all, count: 30)
        var paged: [RecordedEvent] = []
        var cursor = SubscriptionCursor.start
        while true {
            let batch = try await test.store.read(after: cursor, limit: 7)
            #expect(batch.count <= 7)
            guard let last = batch.last else { break }
            paged += batch
            cursor = last.cursor
        }
        try #require(paged.count == 30)
        #expect(paged.map(\.cursor) == paged.map(\.cursor).sorted())
        let byPosition = try await test.store.read(afterPosition: paged[9].globalPosition, limit: 5)
        #expect(byPosition.count == 5)
        #expect(byPosition.first?.globalPosition ?? 0 > paged[9].globalPosition)
    }
}
