import EventStore
import Foundation
import TestSupport
import Testing

@testable import Commands
@testable import Domain

@Suite("applications and the coupon account, through the handler and PostgreSQL")
struct ApplicationCommandTests {
    @Test("EX-10 continuation: use, return on hold, use again on resubmission, approve → 交付済")
    func couponCycle() async throws {
        let ledger = try await LedgerFixture.make()
        try await ledger.setUp()
        try await ledger.grant(17)
        let used = await ledger.run("SubmitApplication", LedgerFixture.ichiro, LedgerFixture.application("000099991"))
        #expect(used.status == .ok)
        #expect(used.result?["balanceAfter"] == 16)
        #expect(used.events.map(\.eventType) == ["ApplicationSubmitted", "CouponUsed"])
        let held = await ledger.run(
            "PutApplicationOnHold", LedgerFixture.staff,
            ["receptionNo": "000099991", "reason": "不備"])
        #expect(held.result?["balanceAfter"] == 17)
        #expect(held.events.map(\.eventType) == ["ApplicationPutOnHold", "CouponReturned"])
        let again = await ledger.run("ResubmitApplication", LedgerFixture.ichiro, ["receptionNo": "000099991"])
        #expect(again.result?["balanceAfter"] == 16)
        let approved = await ledger.run("ApproveApplication", LedgerFixture.staff, ["receptionNo": "000099991"])
        #expect(approved.status == .ok)
        #expect(approved.events.map(\.eventType) == ["ApplicationApproved", "ApplicationIssued"])
        #expect(approved.result?["state"] == "issued")
        let company = try await ledger.company()
        #expect(company.available == 16)
        // Paid at most once (I5): no further payment transitions.
        let twice = await ledger.run("ApproveApplication", LedgerFixture.staff, ["receptionNo": "000099991"])
        #expect(twice.error?.code == .wrongState)
        #expect(twice.error?.details["state"] == "issued")
    }

    @Test("R7/Q5: the fee comes from the tariff in force on the application date and the membership then")
    func feeFromTariffOnApplicationDate() async throws {
        let ledger = try await LedgerFixture.make()
        try await ledger.setUp()
        for (reception, date, fee) in [("000000101", "2025-03-17", Int64(1100)), ("000000102", "2026-04-01", 1210)] {
            let submitted = await ledger.run(
                "SubmitApplication", LedgerFixture.ichiro,
                LedgerFixture.application(reception, method: "card", date: date))
            #expect(submitted.status == .ok, "\(submitted.jsonLine)")
            let approved = await ledger.run(
                "ApproveApplication", LedgerFixture.staff, ["receptionNo": .string(reception)])
            #expect(approved.result?["feeYen"] == .int(fee))
            #expect(approved.result?["state"] == "awaitingPayment")
        }
        let changed = await ledger.run(
            "ChangeMembership", LedgerFixture.staff,
            ["tradeRegNo": "8888000004", "membership": "nonMember", "effectiveFrom": "2026-05-01"])
        #expect(changed.status == .ok)
        _ = await ledger.run(
            "SubmitApplication", LedgerFixture.ichiro,
            LedgerFixture.application("000000103", method: "card", date: "2026-05-02"))
        let nonMember = await ledger.run("ApproveApplication", LedgerFixture.staff, ["receptionNo": "000000103"])
        #expect(nonMember.result?["feeYen"] == 3630)
    }

    @Test("EX-15: manual adjustment limits")
    func adjustmentLimits() async throws {
        let ledger = try await LedgerFixture.make()
        try await ledger.setUp()
        try await ledger.grant(1)
        let before = try await ledger.eventCount()
        let tooMany = await ledger.run(
            "AdjustCoupons", LedgerFixture.staff,
            ["tradeRegNo": "8888000004", "delta": -2, "reason": "誤発行の取消"])
        #expect(tooMany.error?.code == .insufficientCoupons)
        #expect(try await ledger.eventCount() == before)
        let one = await ledger.run(
            "AdjustCoupons", LedgerFixture.staff,
            ["tradeRegNo": "8888000004", "delta": -1, "reason": "誤発行の取消"])
        #expect(one.result?["balanceAfter"] == 0)
        let noReason = await ledger.run(
            "AdjustCoupons", LedgerFixture.staff,
            ["tradeRegNo": "8888000004", "delta": 3, "reason": ""])
        #expect(noReason.error?.code == .invalidCommand)
        let zero = await ledger.run(
            "AdjustCoupons", LedgerFixture.staff,
            ["tradeRegNo": "8888000004", "delta": 0, "reason": "x"])
        #expect(zero.error?.code == .invalidCommand)
        #expect(try await ledger.company().available == 0)
    }

    @Test("EX-16: with no coupon available, a coupon application is refused and a card one accepted")
    func noCouponNoCouponApplication() async throws {
        let ledger = try await LedgerFixture.make()
        try await ledger.setUp()
        let refused = await ledger.run(
            "SubmitApplication", LedgerFixture.ichiro, LedgerFixture.application("000000201"))
        #expect(refused.error?.code == .insufficientCoupons)
        #expect(refused.error?.details["available"] == 0)
        let card = await ledger.run(
            "SubmitApplication", LedgerFixture.ichiro,
            LedgerFixture.application("000000201", method: "card"))
        #expect(card.status == .ok)
    }

    @Test("R5/EX-18: a counter-issuance application cannot be paid by card")
    func counterNotCardPayable() async throws {
        let ledger = try await LedgerFixture.make()
        try await ledger.setUp()
        let refused = await ledger.run(
            "SubmitApplication", LedgerFixture.ichiro,
            LedgerFixture.application("000000301", method: "card", channel: "counter"))
        #expect(refused.error?.code == .notCardPayable)
        try await ledger.grant(1)
        let coupon = await ledger.run(
            "SubmitApplication", LedgerFixture.ichiro,
            LedgerFixture.application("000000301", method: "coupon", channel: "counter"))
        #expect(coupon.status == .ok)
    }

    /// Each row breaks one rule and must be refused with its code, writing nothing.
    @Test(
        "refusals in their documented codes",
        arguments: [
            ("SubmitApplication by chamber staff", RejectionCode.forbidden),
            ("SubmitApplication for an unregistered company", .unknownCompany),
            ("a second SubmitApplication of one reception number", .wrongState),
            ("PutApplicationOnHold of an unknown application", .unknownApplication),
            ("ResubmitApplication of a submitted application", .wrongState),
            ("WithdrawApplication by another company", .forbidden),
            ("RegisterCompany twice", .alreadyRegistered),
            ("ApproveApplication with no tariff in force", .unknownTariff),
            ("a reception number of 8 digits", .invalidCommand),
            ("an unknown command", .invalidCommand),
            ("an unknown actor kind", .invalidCommand),
            ("a field named cardNumber", .cardDataRejected),
            ("`at` with the server clock", .clockNotAllowed),
        ])
    func refusals(_ rule: String, _ code: RejectionCode) async throws {
        let ledger = try await LedgerFixture.make()
        try await ledger.setUp()
        try await ledger.grant(3)
        _ = await ledger.run("SubmitApplication", LedgerFixture.ichiro, LedgerFixture.application("000000401"))
        let before = try await ledger.eventCount()
        let app = LedgerFixture.application("000000402")
        let outcome: CommandOutcome =
            switch rule {
            case "SubmitApplication by chamber staff": await ledger.run("SubmitApplication", LedgerFixture.staff, app)
            case "SubmitApplication for an unregistered company":
                await ledger.run("SubmitApplication", LedgerFixture.otherCompanyUser, app)
            case "a second SubmitApplication of one reception number":
                await ledger.run("SubmitApplication", LedgerFixture.ichiro, LedgerFixture.application("000000401"))
            case "PutApplicationOnHold of an unknown application":
                await ledger.run("PutApplicationOnHold", LedgerFixture.staff, ["receptionNo": "000000999"])
            case "ResubmitApplication of a submitted application":
                await ledger.run("ResubmitApplication", LedgerFixture.ichiro, ["receptionNo": "000000401"])
            case "WithdrawApplication by another company":
                await ledger.run(
                    "WithdrawApplication", LedgerFixture.otherCompanyUser,
                    ["receptionNo": "000000401", "reason": "x"])
            case "RegisterCompany twice":
                await ledger.run(
                    "RegisterCompany", LedgerFixture.staff,
                    [
                        "tradeRegNo": "8888000004", "companyName": "x", "chamberId": "kamikochi",
                        "membership": "member",
                        "paymentMethods": [],
                    ])
            case "ApproveApplication with no tariff in force":
                await ledger.run(
                    "SubmitApplication", LedgerFixture.ichiro,
                    LedgerFixture.application("000000403", method: "card", date: "2019-06-01")
                ).status == .ok
                    ? await ledger.run("ApproveApplication", LedgerFixture.staff, ["receptionNo": "000000403"])
                    : CommandOutcome(commandId: nil, status: .ok)
            case "a reception number of 8 digits":
                await ledger.run("SubmitApplication", LedgerFixture.ichiro, LedgerFixture.application("00000040"))
            case "an unknown command": await ledger.run("MintCoupons", LedgerFixture.staff)
            case "an unknown actor kind":
                await ledger.run(
                    "AdjustCoupons", ["kind": "robot", "id": "r2"], ["tradeRegNo": "8888000004", "delta": 1])
            case "a field named cardNumber":
                await ledger.run(
                    "AdjustCoupons", LedgerFixture.staff,
                    ["tradeRegNo": "8888000004", "delta": 1, "reason": "x", "cardNumber": "0000"])
            default:
                await CommandHandler(store: ledger.test.store, clockMode: .server).execute(
                    line: Data(
                        #"{"command":"AdjustCoupons","commandId":"\#(UUID())","actor":{"kind":"chamberStaff","id":"s","chamberId":"k"},"at":"2026-04-02T10:00:00+09:00","tradeRegNo":"8888000004","delta":1,"reason":"x"}"#
                            .utf8))
            }
        #expect(outcome.status == .rejected, "\(rule): \(outcome.jsonLine)")
        #expect(outcome.error?.code == code, "\(rule): \(outcome.jsonLine)")
        // The ApproveApplication row wrote its SubmitApplication first; the refusal itself wrote nothing.
        let expected = rule == "ApproveApplication with no tariff in force" ? before + 1 : before
        #expect(try await ledger.eventCount() == expected)
    }

    @Test("a retried command answers exists with the first result; another body under its id is refused")
    func idempotentCommands() async throws {
        let ledger = try await LedgerFixture.make()
        try await ledger.setUp()
        try await ledger.grant(2)
        let id = UUID()
        let first = await ledger.run(
            "SubmitApplication", LedgerFixture.ichiro, id: id, LedgerFixture.application("000000501"))
        let before = try await ledger.eventCount()
        let retry = await ledger.run(
            "SubmitApplication", LedgerFixture.ichiro, id: id, LedgerFixture.application("000000501"))
        #expect(retry.status == .exists)
        #expect(retry.events == first.events)
        #expect(retry.result == first.result)
        let other = await ledger.run(
            "SubmitApplication", LedgerFixture.ichiro, id: id, LedgerFixture.application("000000502"))
        #expect(other.error?.code == .existsWithDifferentPayload)
        #expect(try await ledger.eventCount() == before)
        #expect(try await ledger.company().available == 1)
    }

    @Test("every event records who did it and why")
    func metadataAttribution() async throws {
        let ledger = try await LedgerFixture.make()
        try await ledger.setUp()
        try await ledger.grant(1)
        let id = UUID()
        _ = await ledger.run("SubmitApplication", LedgerFixture.jiro, id: id, LedgerFixture.application("000000601"))
        let events = try await ledger.test.store.read(stream: StreamName("application-000000601")!)
        let metadata = try JSONCoding.decoder.decode(JSONValue.self, from: Data(events[0].metadata.utf8))
        #expect(metadata["commandId"] == .string(id.uuidString.lowercased()))
        #expect(metadata["actor"]?["id"] == "jiro")
        #expect(metadata["actor"]?["kind"] == "subUser")
        #expect(metadata["actor"]?["tradeRegNo"] == "8888000004")
        #expect(events[0].occurredAt == RFC3339.parse("2026-04-02T10:00:00+09:00"))
    }
}
