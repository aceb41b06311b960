import Commands
import Testing

extension LedgerFixture {
    /// The settlement number of `startedCardAttempt()`'s attempt.
    public static let ex1SettlementNo = "20250317-8888000004-00001"

    /// EX-1's two applications in ichiro's cart, and attempt …-00001 started at 10:00 JST on
    /// 2025-03-17 (deadline 10:05): the overdue attempt the gateway tests ask about.
    public static func startedCardAttempt() async throws -> LedgerFixture {
        let ledger = try await LedgerFixture.make()
        try await ledger.setUp()
        for receptionNo in ["000004172", "000012641"] {
            let submitted = await ledger.run(
                "SubmitApplication", LedgerFixture.ichiro, at: "2025-03-17T09:00:00+09:00",
                LedgerFixture.application(receptionNo, method: "card", date: "2025-03-17"))
            #expect(submitted.status == .ok, "\(submitted.jsonLine)")
            _ = await ledger.run(
                "ApproveApplication", LedgerFixture.staff, at: "2025-03-17T09:30:00+09:00",
                ["receptionNo": .string(receptionNo)])
            _ = await ledger.run(
                "AddToCart", LedgerFixture.ichiro, at: "2025-03-17T09:59:00+09:00",
                ["receptionNo": .string(receptionNo)])
        }
        let started = await ledger.run("StartCardPayment", LedgerFixture.ichiro, at: "2025-03-17T10:00:00+09:00")
        #expect(started.result?["settlementNo"] == .string(ex1SettlementNo), "\(started.jsonLine)")
        return ledger
    }
}
