import Commands
import Foundation

/// The coupon-order steps the worked examples (DOMAIN.md §10) and the CLI tests share.
extension LedgerFixture {
    /// A deposit from the bank feed into the seed's account (or `account`), at 15:00 JST on `date`.
    public func deposit(id: String, amount: Int64, on date: String, account: String = "6818564") async
        -> CommandOutcome
    {
        await run(
            "RecordBankDeposit", Self.bank, at: "\(date)T15:00:00+09:00",
            [
                "depositId": .string(id), "bankCode": "0310", "branchCode": "502", "accountNumber": .string(account),
                "amountYen": .int(amount), "depositedOn": .string(date), "payerName": "ﾆﾂｼﾖｳ ｼﾞﾛｳ",
            ])
    }

    /// The nightly deposit check for `date`, at 23:30 JST.
    public func nightly(_ date: String) async -> CommandOutcome {
        await run(
            "RunNightlyDepositCheck", Self.daemon, at: "\(date)T23:30:00+09:00", ["businessDate": .string(date)])
    }

    /// EX-9: the fixture set up, and jiro's bank order of 4 × 10-coupon packs (13,200 yen).
    public func placeEX9() async throws -> CommandOutcome {
        try await setUp()
        try await loadAccounts()
        return await run(
            "PlaceCouponOrder", Self.jiro, at: "2024-01-19T10:00:00+09:00", Self.order("bankTransfer", [("P10", 4)]))
    }
}
