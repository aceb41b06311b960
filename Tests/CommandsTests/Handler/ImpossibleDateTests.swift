import Commands
import EventStore
import Foundation
import TestSupport
import Testing

/// Goal: a command carrying a time or date no calendar has is `invalidCommand` naming the field,
/// and writes nothing (the defect: `"at": "2025-02-30T10:00:00+09:00"` was stored as 2025-03-02).
@Suite("Impossible dates in commands")
struct ImpossibleDateTests {
    @Test("an impossible `at` is invalidCommand naming at, and writes nothing")
    func impossibleAt() async throws {
        let ledger = try await LedgerFixture.make()
        try await ledger.setUp()
        let before = try await ledger.eventCount()
        for at in [
            "2025-02-30T10:00:00+09:00", "2025-13-01T10:00:00+09:00", "2025-03-17T24:00:00+09:00",
            "2025-03-17T10:60:00+09:00", "2025-03-17T10:00:60+09:00", "2025-03-17T10:00:00+14:01",
            "2025-03-17T10:00:00+09:60", "2025-03-17T10:00:00+09:00x",
        ] {
            let outcome = await ledger.run(
                "AdjustCoupons", LedgerFixture.staff, at: at,
                ["tradeRegNo": "8888000004", "delta": 1, "reason": "x"])
            #expect(outcome.status == .rejected, "\(at)")
            #expect(outcome.error?.code == .invalidCommand, "\(at)")
            #expect(outcome.error?.details["field"] == "at", "\(at)")
            #expect(outcome.error?.message.hasPrefix("at:") == true, "\(at)")
        }
        #expect(try await ledger.eventCount() == before)
    }

    @Test("impossible business dates are invalidCommand naming their field, and write nothing")
    func impossibleBusinessDates() async throws {
        let ledger = try await LedgerFixture.make()
        try await ledger.setUp()
        let before = try await ledger.eventCount()
        let application = LedgerFixture.application("000004172", date: "2025-02-29")
        let cases: [(String, JSONValue, [String: JSONValue], String)] = [
            ("SubmitApplication", LedgerFixture.ichiro, application, "applicationDate"),
            (
                "RecordBankDeposit", LedgerFixture.bank,
                [
                    "depositId": "D-1", "bankCode": "0310", "branchCode": "502", "accountNumber": "6818564",
                    "amountYen": 1210, "depositedOn": "2026-02-30",
                ], "depositedOn"
            ),
            ("RunNightlyDepositCheck", LedgerFixture.daemon, ["businessDate": "2026-13-01"], "businessDate"),
            ("IssueScheduledCoupons", LedgerFixture.daemon, ["date": "2026-04-31"], "date"),
            (
                "ChangeMembership", LedgerFixture.staff,
                [
                    "tradeRegNo": "8888000004", "membership": "nonMember", "effectiveFrom": "2026-00-10",
                ], "effectiveFrom"
            ),
            (
                "ApproveApplication", LedgerFixture.staff, ["receptionNo": "000004172", "approvalDate": "2026-04-32"],
                "approvalDate"
            ),
        ]
        for (command, actor, fields, field) in cases {
            let outcome = await ledger.run(command, actor, fields)
            #expect(outcome.error?.code == .invalidCommand, "\(command): \(outcome.jsonLine)")
            #expect(outcome.error?.details["field"] == .string(field), "\(command): \(outcome.jsonLine)")
        }
        #expect(try await ledger.eventCount() == before)
    }
}
