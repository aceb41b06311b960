import Foundation
import TestSupport
import Testing

@testable import Commands
@testable import Domain
@testable import EventStore
@testable import Projections

/// The faster catch-up path: read-ahead in the worker, the direct JSON writer of the upserts, and
/// the ASCII fast path of opaque ids.
@Suite("catch-up path")
struct CatchupPathTests {
    @Test("reading ahead across many full batches applies every event once, in order")
    func readAhead() async throws {
        let test = try await TestDatabase.freshStore()
        try await makeCountsTable(test)
        for n in 0..<100 {
            try await test.store.append(
                [NewEvent(eventType: "Counted", data: "{\"n\":\(n)}")],
                to: StreamName("counted-\(n % 4)")!, expected: .any)
        }
        var configuration = ProjectionWorker.Configuration()
        configuration.batchSize = 7
        let worker = ProjectionWorker(
            projection: CountingProjection(), store: test.store, conninfo: test.conninfo,
            configuration: configuration)
        #expect(try await worker.catchUp() == 100)
        #expect(try await counts(test) == Dictionary(uniqueKeysWithValues: (0..<4).map { ("counted-\($0)", 25) }))
        // More events after the catch-up (the read-ahead of the last full batch found nothing).
        for n in 100..<110 {
            try await test.store.append(
                [NewEvent(eventType: "Counted", data: "{\"n\":\(n)}")],
                to: StreamName("counted-\(n % 4)")!, expected: .any)
        }
        #expect(try await worker.catchUp() == 10)
        #expect(try await counts(test).values.reduce(0, +) == 110)
    }

    @Test("a failing event in a read-ahead run still stops the projection right before it")
    func failureWithReadAhead() async throws {
        let test = try await TestDatabase.freshStore()
        try await makeCountsTable(test)
        for n in 0..<40 {
            let data = n == 23 ? "{\"n\":23,\"poison\":true}" : "{\"n\":\(n)}"
            try await test.store.append(
                [NewEvent(eventType: "Counted", data: data)], to: StreamName("counted-1")!,
                expected: .any)
        }
        let poison = try await test.store.read(stream: StreamName("counted-1")!)[23].globalPosition
        var configuration = ProjectionWorker.Configuration()
        configuration.batchSize = 5
        let worker = ProjectionWorker(
            projection: CountingProjection(), store: test.store, conninfo: test.conninfo,
            configuration: configuration)
        await #expect(throws: ProjectionError.self) { try await worker.catchUp() }
        #expect(try await counts(test)["counted-1"] == 23)
        let connection = try await test.connect()
        let row = try await connection.query(
            """
            SELECT failing, error_position, events_applied FROM ledger.projection_checkpoints WHERE projection = 'test_counts'
            """
        ).singleRow()
        #expect(try row.decode(Bool.self, 0))
        #expect(try row.decode(Int64.self, 1) == poison)
        #expect(try row.decode(Int.self, 2) == 23)
        await connection.close()
    }

    @Test("the upsert's JSON is the same document JSONEncoder writes")
    func jsonWriter() throws {
        let rows: [JSONRowTable.Row] = [
            [
                "trade_reg_no": "8888000004", "content": "クーポンを購入 ユーザ: 山田 \"太郎\" \\ / 👩‍👩‍👧",
                "control": .string("a\u{0}b\u{1}c\u{1F}d\n\r\t\u{7F}"), "n": .int(-42), "max": .int(.max),
                "min": .int(.min),
                "confirmed": true, "off": false, "none": .null, "methods": ["card", "bankTransfer"],
                "nested": ["k": [1, ["x": .null]], "": "empty key"], "e\"sc\\ape": "k",
            ],
            [:],
            ["only": []],
        ]
        let written = JSONRowTable.jsonArray(rows)
        let parsed = try JSONCoding.decoder.decode(JSONValue.self, from: Data(written.utf8))
        #expect(parsed == .array(rows.map(JSONValue.object)))
        #expect(parsed.jsonText == JSONValue.array(rows.map(JSONValue.object)).jsonText)
        #expect(JSONRowTable.jsonArray([]) == "[]")
    }

    @Test("the upsert's JSON goes through PostgreSQL unchanged: unicode, escapes, NULLs")
    func jsonWriterThroughPostgres() async throws {
        let test = try await TestDatabase.freshStore()
        let content = "会議所操作 \"引用\" \\ 👩‍👩‍👧 \u{1}\t"
        let rows: [JSONRowTable.Row] = [
            [
                "trade_reg_no": "8888000004", "entry_id": "e1", "occurred_at": "2026-04-01T09:00:00.000000+09:00",
                "operation": "会議所操作", "confirmed": true, "content": .string(content), "purchased": 3,
                "balance_after": 3, "position": 1, "used": .null,
            ]
        ]
        let connection = try await test.connect()
        try await connection.transaction { connection in
            try CouponHistoryProjection.table.upsert(rows, schema: "projections", on: connection)
        }
        let row = try await connection.query(
            "SELECT content, used IS NULL, purchased, occurred_at FROM projections.coupon_history"
        ).singleRow()
        #expect(try row.decode(String.self, 0) == content)
        #expect(try row.decode(Bool.self, 1))
        #expect(try row.decode(Int.self, 2) == 3)
        #expect(try row.decode(Date.self, 3) == RFC3339.parse("2026-04-01T09:00:00+09:00"))
        await connection.close()
    }

    /// The check `requireOpaqueToken` made before its ASCII fast path, kept here as the reference.
    func referenceOpaqueToken(_ text: String, maximumLength: Int) -> String? {
        if text.isEmpty { return "empty" }
        if text.first!.isWhitespace || text.last!.isWhitespace { return "surroundingWhitespace" }
        var count = 0
        for character in text {
            count += 1
            if character.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                return "control \(count)"
            }
        }
        return count > maximumLength ? "tooLong \(count)" : nil
    }

    @Test("opaque ids: the ASCII fast path accepts and refuses exactly what the character check does")
    func opaqueTokens() {
        let cases = [
            "staff1", "a", " a", "a ", "a b", "a\tb", "\ta", "a\u{7F}", "a\u{0}", "~!@#$%^&*()_+{}|:\"<>?`-=[]\\;',./",
            String(repeating: "x", count: 128), String(repeating: "x", count: 129), "日本", "a\u{A0}",
            "\u{A0}a", "a\r\nb", "e\u{301}", String(repeating: "é", count: 129), "a\u{85}",
        ]
        for text in cases {
            let expected = referenceOpaqueToken(text, maximumLength: 128)
            var actual: String?
            do {
                _ = try StaffId(parsing: text)
            } catch {
                actual =
                    switch error.problem {
                    case .empty: "empty"
                    case .surroundingWhitespace: "surroundingWhitespace"
                    case .controlCharacter(let position): "control \(position)"
                    case .tooLong(let count, _): "tooLong \(count)"
                    default: "other \(error)"
                    }
            }
            #expect(actual == expected, "\(text.debugDescription)")
        }
    }
}
