import EventStore
import Foundation
import TestSupport
import Testing

@testable import Commands
@testable import Domain

@Suite("auditors' tools: ledger events, replay and compare")
struct AuditToolTests {
    /// EX-10 up to the bank order; returns the position of the card payment's last event.
    func ex10(_ ledger: LedgerFixture) async throws -> Int64 {
        try await ledger.setUp()
        try await ledger.loadAccounts()
        _ = await ledger.run(
            "AdjustCoupons", LedgerFixture.staff, at: "2025-05-22T09:58:00+09:00",
            ["tradeRegNo": "8888000004", "delta": 1, "reason": "お試し"])
        let card = await ledger.run(
            "PlaceCouponOrder", LedgerFixture.jiro, at: "2025-05-22T10:01:00+09:00",
            LedgerFixture.order("card", [("P1", 5)]))
        let paid = await ledger.run(
            "RecordGatewayResult", ["kind": "gateway", "id": "gmo"], at: "2025-05-22T10:01:30+09:00",
            [
                "settlementNo": try #require(card.result?["settlementNo"]), "outcome": "succeeded",
                "gatewayTransactionId": "tx-10", "capturedAmountYen": 5000,
            ])
        _ = await ledger.run(
            "PlaceCouponOrder", LedgerFixture.jiro, at: "2025-05-22T10:02:00+09:00",
            LedgerFixture.order("bankTransfer", [("P11", 1)]))
        return try #require(paid.events.map(\.position).max())
    }

    @Test("ledger events filters by category, type, position and time, one JSON object per line")
    func events() async throws {
        let ledger = try await LedgerFixture.make()
        _ = try await ex10(ledger)
        let url = ledger.test.conninfo
        let issued = try await LedgerExecutable.run([
            "events", "--database-url", url, "--category", "company", "--type", "CouponsIssued",
        ])
        #expect(issued.status == 0, "\(issued.errorOutput)")
        let lines = issued.output.split(separator: "\n")
        #expect(lines.count == 1)
        let event = try JSONCoding.decoder.decode(JSONValue.self, from: Data(lines[0].utf8))
        #expect(event["streamId"] == "company-8888000004")
        #expect(event["data"]?["balanceAfter"] == 6)
        let morning = try await LedgerExecutable.run([
            "events", "--database-url", url, "--until", "2025-05-22T09:59:00+09:00",
            "--since", "2025-05-22T09:00:00+09:00",
        ])
        #expect(morning.output.split(separator: "\n").count == 1, "only the 09:58 adjustment")
        let window = try await LedgerExecutable.run([
            "events", "--database-url", url, "--from-position", "3", "--to-position", "5",
        ])
        #expect(window.output.split(separator: "\n").count == 3)
        let bad = try await LedgerExecutable.run(["events", "--database-url", url, "--since", "yesterday"])
        #expect(bad.status == 2)
    }

    @Test(
        "ledger replay --to-position builds the models as they stood; compare finds the live ones equal to a full replay"
    )
    func replayAndCompare() async throws {
        let ledger = try await LedgerFixture.make()
        let beforeBankOrder = try await ex10(ledger)
        let url = ledger.test.conninfo
        #expect(try await LedgerExecutable.run(["project", "--once", "--database-url", url]).status == 0)
        let past = try await LedgerExecutable.run([
            "replay", "--database-url", url, "--to-position", String(beforeBankOrder),
            "--into", "audit_then",
        ])
        #expect(past.status == 0, "\(past.errorOutput)")
        let connection = try await ledger.test.connect()
        let then = try await connection.query(
            "SELECT available, pending_purchase FROM audit_then.coupon_balance WHERE trade_reg_no = '8888000004'"
        ).singleRow()
        #expect(try then.decode(Int.self, 0) == 6)
        #expect(try then.decode(Int.self, 1) == 0, "the bank order came later")
        let asOf = try await LedgerExecutable.run([
            "replay", "--database-url", url, "--as-of", "2025-05-22T09:59:00+09:00",
            "--into", "audit_morning",
        ])
        #expect(asOf.status == 0)
        let morning = try await connection.query(
            "SELECT available FROM audit_morning.coupon_balance WHERE trade_reg_no = '8888000004'"
        ).singleRow()
        #expect(try morning.decode(Int.self, 0) == 1)
        // Inside EX-10: after the bank order at 10:02, balance 6 and pending 11.
        #expect(
            try await LedgerExecutable.run([
                "replay", "--database-url", url, "--as-of", "2025-05-22T10:03:00+09:00",
                "--into", "audit_1003",
            ]).status == 0)
        let at1003 = try await connection.query(
            "SELECT available, pending_purchase FROM audit_1003.coupon_balance WHERE trade_reg_no = '8888000004'"
        ).singleRow()
        #expect(try at1003.decode(Int.self, 0) == 6)
        #expect(try at1003.decode(Int.self, 1) == 11)
        await connection.close()
        #expect(try await LedgerExecutable.run(["replay", "--database-url", url, "--into", "audit_now"]).status == 0)
        let same = try await LedgerExecutable.run(["compare", "--database-url", url, "audit_now"])
        #expect(same.status == 0, "\(same.output)")
        let differs = try await LedgerExecutable.run(["compare", "--database-url", url, "audit_then"])
        #expect(differs.status == 1)
        #expect(differs.output.contains("coupon_balance") && differs.output.contains("rows differ"))
        #expect(try await LedgerExecutable.run(["replay", "--database-url", url, "--into", "projections"]).status == 2)
        let publicSchema = try await LedgerExecutable.run(["replay", "--database-url", url, "--into", "public"])
        #expect(publicSchema.status == 2, "a schema replay did not make is never replaced")
        #expect(publicSchema.errorOutput.contains("was not made by ledger replay"))
    }
}

extension AuditToolTests {
    @Test("ledger audit passes on the worked examples and names the first counterexample of a forged event")
    func audit() async throws {
        let ledger = try await LedgerFixture.make()
        _ = try await ex10(ledger)
        let url = ledger.test.conninfo
        let clean = try await LedgerExecutable.run(["audit", "--database-url", url])
        #expect(clean.status == 0, "\(clean.output)")
        #expect(clean.output.contains("pass  I2"))
        // A forged use whose balanceAfter does not follow, and a card number slipped into a payload.
        let forged = PendingEvent(
            CouponUsed(
                receptionNo: try ReceptionNo(parsing: "000000999"), coupons: 1,
                usedByUserId: try UserId(parsing: "mallory"), balanceAfter: 9))
        let appended = try await ledger.test.store.append(
            [NewEvent(eventType: forged.eventType, data: forged.data)], to: StreamName("company-8888000004")!,
            expected: .any)
        try await ledger.test.store.append(
            [NewEvent(eventType: "Note", data: #"{"text":"4111 1111 1111 1111"}"#)], to: StreamName("note-1")!,
            expected: .any)
        let dirty = try await LedgerExecutable.run(["audit", "--database-url", url])
        #expect(dirty.status == 1)
        #expect(dirty.output.contains("FAIL  I2"))
        #expect(dirty.output.contains("global position \(appended.events[0].position)"))
        #expect(dirty.output.contains("FAIL  I18"))
    }
}

extension AuditToolTests {
    @Test("ledger audit checks the balance equation and names the item and the difference of an event inserted by SQL")
    func moneyConservation() async throws {
        let ledger = try await LedgerFixture.make()
        _ = try await ledger.placeEX9()
        _ = await ledger.deposit(id: "D1", amount: 13_200, on: "2024-01-22")
        let stray = await ledger.deposit(id: "D2", amount: 700, on: "2024-01-22", account: "7777777")
        #expect(stray.result?["unresolved"]?["reason"] == "unknownAccount")
        _ = await ledger.nightly("2024-01-22")
        let url = ledger.test.conninfo
        let clean = try await LedgerExecutable.run(["audit", "--database-url", url])
        #expect(clean.status == 0, "\(clean.output)")
        #expect(clean.output.contains("pass  M1"))
        #expect(clean.output.contains("total: received 13900 vs applied 13200"), "\(clean.output)")
        #expect(clean.output.contains("unresolved 700"))
        // A refund of 500 yen owed from deposit D1, slipped into the order's stream by SQL.
        let connection = try await ledger.test.connect()
        let stream = "couponOrder-202401198888000004000001"
        _ = try await connection.query(
            """
            INSERT INTO ledger.events (stream_id, stream_version, event_id, event_type, data, metadata, occurred_at)
            SELECT $1, max(stream_version) + 1, gen_random_uuid(), 'RefundBecameDue', $2::jsonb, '{}',
                   '2024-01-23T10:00:00+09:00'
              FROM ledger.events WHERE stream_id = $1
            RETURNING global_position
            """,
            [
                stream,
                #"{"refundId":"6e1c8a4e-0d7b-4c1e-9a55-0c3a8c1d2e01","reason":"overpayment","basisYen":500,"#
                    + #""costsDeductible":true,"depositId":"D1","tradeRegNo":"8888000004","refundingChamberId":"kamikochi"}"#,
            ]
        ).singleRow().decode(Int64.self, 0)
        await connection.close()
        let dirty = try await LedgerExecutable.run(["audit", "--database-url", url])
        #expect(dirty.status == 1, "\(dirty.output)")
        #expect(dirty.output.contains("FAIL  M1"))
        #expect(dirty.output.contains("item deposit D1 (day 2024-01-22"), "\(dirty.output)")
        #expect(dirty.output.contains("refunds due 500"))
        #expect(dirty.output.contains("(difference -500)"))
        #expect(dirty.output.contains("2024-01-22: received 13900"), "the business day out of balance is shown")
        let json = try await LedgerExecutable.run(["audit", "--database-url", url, "--json"])
        #expect(json.status == 1)
        let findings = try JSONCoding.decoder.decode(JSONValue.self, from: Data(json.output.utf8))
        guard case .array(let all) = findings, let m1 = all.first(where: { $0["invariant"] == "M1" }),
            case .array(let days)? = m1["money"]
        else {
            Issue.record("no M1 in \(json.output)")
            return
        }
        #expect(m1["status"] == "fail")
        #expect(days.last?["day"] == "total")
        #expect(days.last?["refundsDueYen"] == 500)
    }
}
