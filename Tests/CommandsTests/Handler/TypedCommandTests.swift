import Commands
import EventStore
import Foundation
import TestSupport
import Testing

/// Goal: a command built in process as a typed value is the same command as its JSON line:
/// same canonical body and fingerprint, so either form retried answers `exists`; and it is
/// screened exactly as a line is.
@Suite("Typed commands")
struct TypedCommandTests {
    static let daemon = CommandActor(kind: .daemon, id: "ledger-serve")

    static func fingerprint(_ line: String) throws -> String {
        try CommandEnvelope.parse(Data(line.utf8)).get().fingerprint
    }

    @Test("the scheduler's and imports' commands fingerprint as the JSON lines they used to send")
    func sameFingerprints() throws {
        let id = UUID()
        let lower = id.uuidString.lowercased()
        let date = try JSTDate(parsing: "2026-04-06")
        let nightly = try CommandEnvelope.make(RunNightlyDepositCheck(businessDate: date), id: id, actor: Self.daemon)
            .get()
        #expect(
            nightly.fingerprint
                == (try Self.fingerprint(
                    #"{"command":"RunNightlyDepositCheck","commandId":"\#(lower)","actor":{"kind":"daemon","id":"ledger-serve"},"businessDate":"2026-04-06"}"#
                )))
        let issue = try CommandEnvelope.make(IssueScheduledCoupons(date: date), id: id, actor: Self.daemon).get()
        #expect(
            issue.fingerprint
                == (try Self.fingerprint(
                    #"{"command":"IssueScheduledCoupons","commandId":"\#(lower)","actor":{"kind":"daemon","id":"ledger-serve"},"date":"2026-04-06"}"#
                )))
        let sweep = try CommandEnvelope.make(SweepDeadlines(), id: id, actor: Self.daemon).get()
        #expect(
            sweep.fingerprint
                == (try Self.fingerprint(
                    #"{"command":"SweepDeadlines","commandId":"\#(lower)","actor":{"kind":"daemon","id":"ledger-serve"}}"#
                )))

        for payer in [nil, "ﾆﾂｼﾖｳ ｼﾞﾛｳ", ""] as [String?] {
            let deposit = RecordBankDeposit(
                depositId: try DepositId(parsing: "D-1"), bankCode: try BankCode(parsing: "0310"),
                branchCode: try BranchCode(parsing: "502"), accountNumber: try BankAccountNumber(parsing: "6818564"),
                amountYen: 1210, depositedOn: date, payerName: payer)
            let typed = try CommandEnvelope.make(deposit, id: id, actor: CommandActor(kind: .bankFeed, id: "import"))
                .get()
            let payerJSON = payer.map { JSONValue.string($0).jsonText } ?? "null"
            #expect(
                typed.fingerprint
                    == (try Self.fingerprint(
                        #"{"command":"RecordBankDeposit","commandId":"\#(lower)","actor":{"kind":"bankFeed","id":"import"},"depositId":"D-1","bankCode":"0310","branchCode":"502","accountNumber":"6818564","amountYen":1210,"depositedOn":"2026-04-06","payerName":\#(payerJSON)}"#
                    )))
        }

        let account = VirtualAccount(
            bankCode: try BankCode(parsing: "0310"), bankName: "ＧＭＯあおぞらネット銀行",
            branchCode: try BranchCode(parsing: "502"),
            branchName: "法人第二営業部", accountType: .ordinary, accountNumber: try BankAccountNumber(parsing: "6818564"),
            accountHolder: "ﾆﾂﾎﾟﾝ ｼﾖｳｺｳｶｲｷﾞｼﾖ")
        let staff = CommandActor(kind: .chamberStaff, id: "bank-import", chamberId: try ChamberId(parsing: "jcci"))
        let load = try CommandEnvelope.make(LoadVirtualAccounts(accounts: [account]), id: id, actor: staff).get()
        #expect(
            load.fingerprint
                == (try Self.fingerprint(
                    #"{"command":"LoadVirtualAccounts","commandId":"\#(lower)","actor":{"kind":"chamberStaff","id":"bank-import","chamberId":"jcci"},"accounts":[{"bankCode":"0310","bankName":"ＧＭＯあおぞらネット銀行","branchCode":"502","branchName":"法人第二営業部","accountType":"ordinary","accountNumber":"6818564","accountHolder":"ﾆﾂﾎﾟﾝ ｼﾖｳｺｳｶｲｷﾞｼﾖ"}]}"#
                )))
    }

    @Test("a typed `at` is written as JSTTimestamp prints it, so it matches the usual JSON form")
    func typedAt() throws {
        let id = UUID()
        let at = try #require(RFC3339.parse("2026-04-02T10:00:00+09:00"))
        let typed = try CommandEnvelope.make(SweepDeadlines(), id: id, actor: Self.daemon, at: at).get()
        #expect(typed.at == at)
        #expect(
            typed.fingerprint
                == (try Self.fingerprint(
                    #"{"command":"SweepDeadlines","commandId":"\#(id.uuidString.lowercased())","actor":{"kind":"daemon","id":"ledger-serve"},"at":"2026-04-02T10:00:00+09:00"}"#
                )))
    }

    @Test("a retried command answers exists whichever form sent it first; a different body is refused")
    func retries() async throws {
        let ledger = try await LedgerFixture.make()
        try await ledger.setUp()
        let staff = CommandActor(kind: .chamberStaff, id: "staff1", chamberId: try ChamberId(parsing: "kamikochi"))
        let at = try #require(RFC3339.parse("2026-04-02T10:00:00+09:00"))
        let adjust = AdjustCoupons(
            tradeRegNo: try TradeRegNo(parsing: "8888000004"), delta: SignedCount(exactly: 2)!,
            reason: "opening balance")
        let fields: [String: JSONValue] = ["tradeRegNo": "8888000004", "delta": 2, "reason": "opening balance"]

        let jsonFirst = UUID()
        #expect(await ledger.run("AdjustCoupons", LedgerFixture.staff, id: jsonFirst, fields).status == .ok)
        let typedRetry = await ledger.handler.execute(adjust, id: jsonFirst, actor: staff, at: at)
        #expect(typedRetry.status == .exists, "\(typedRetry.jsonLine)")

        let typedFirst = UUID()
        let first = await ledger.handler.execute(adjust, id: typedFirst, actor: staff, at: at)
        #expect(first.status == .ok, "\(first.jsonLine)")
        let jsonRetry = await ledger.run("AdjustCoupons", LedgerFixture.staff, id: typedFirst, fields)
        #expect(jsonRetry.status == .exists, "\(jsonRetry.jsonLine)")
        #expect(jsonRetry.result == first.result)
        #expect(jsonRetry.events.map(\.position) == first.events.map(\.position))

        var other = adjust
        other.reason = "another reason"
        let reused = await ledger.handler.execute(other, id: typedFirst, actor: staff, at: at)
        #expect(reused.error?.code == .existsWithDifferentPayload)
        #expect(try await ledger.company().available == 4)
    }

    @Test("a typed command is screened as a line is: card data in free text is refused")
    func screened() async throws {
        let ledger = try await LedgerFixture.make()
        try await ledger.setUp()
        let before = try await ledger.eventCount()
        let staff = CommandActor(kind: .chamberStaff, id: "staff1", chamberId: try ChamberId(parsing: "kamikochi"))
        let adjust = AdjustCoupons(
            tradeRegNo: try TradeRegNo(parsing: "8888000004"), delta: SignedCount(exactly: 1)!,
            reason: "card 4111 1111 1111 1111")
        let outcome = await ledger.handler.execute(
            adjust, id: UUID(), actor: staff, at: RFC3339.parse("2026-04-02T10:00:00+09:00"))
        #expect(outcome.error?.code == .cardDataRejected)
        #expect(outcome.error?.details["field"] == "reason")
        let unclocked = await ledger.handler.execute(SweepDeadlines(), id: UUID(), actor: Self.daemon)
        #expect(unclocked.error?.details["field"] == "at", "the input clock needs `at`, typed or not")
        #expect(try await ledger.eventCount() == before)
    }
}
