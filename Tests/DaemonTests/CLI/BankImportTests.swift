import Commands
import EventStore
import Foundation
import TestSupport
import Testing

@Suite("ledger accounts import and ledger deposits import")
struct BankImportTests {
    @Test("CSV imports report each line, refuse bad lines, and are idempotent")
    func imports() async throws {
        let ledger = try await LedgerFixture.make()
        try await ledger.setUp()
        let url = ledger.test.conninfo
        let accounts = try LedgerExecutable.writeLines([
            "bank_code,bank_name,branch_code,branch_name,account_type,account_number,account_holder",
            "0310,ＧＭＯあおぞらネット銀行,502,法人第二営業部,ordinary,6818564,\"ﾆﾂﾎﾟﾝ ｼﾖｳｺｳｶｲｷﾞｼﾖ\"",
            "0310,ＧＭＯあおぞらネット銀行,502,法人第二営業部,ordinary,6818565,\"ﾆﾂﾎﾟﾝ, ｼﾖｳｺｳ\"",
            "0310,ＧＭＯあおぞらネット銀行,502,法人第二営業部,ordinary,12AB,x",
        ])
        let first = try await LedgerExecutable.run(["accounts", "import", "--database-url", url, accounts])
        #expect(first.status == 1, "one line is refused")
        #expect(first.output.contains("line 2: accepted") && first.output.contains("line 3: accepted"))
        #expect(first.output.contains("line 4: refused"))
        let again = try await LedgerExecutable.run(["accounts", "import", "--database-url", url, accounts])
        #expect(again.output.contains("line 2: already recorded") && again.output.contains("line 3: already recorded"))
        let order = await ledger.run(
            "PlaceCouponOrder", LedgerFixture.jiro, at: "2026-04-02T10:00:00+09:00",
            LedgerFixture.order("bankTransfer", [("M1", 1)]))
        #expect(order.result?["virtualAccount"]?["accountNumber"] == "6818564")

        let deposits = try LedgerExecutable.writeLines([
            "deposit_id,bank_code,branch_code,account_number,amount_yen,credited_on,payer_name",
            "D-1,0310,502,6818564,1210,2026-04-02,ﾆﾂｼﾖｳ ｼﾞﾛｳ",
            "D-2,0310,502,6818564,twelve,2026-04-02,x",
            "D-3,0310,502,6818565,5000,2026-04-02,ﾆﾂｼﾖｳ ｼﾞﾛｳ",
            "D-4,0310,502,1234567,7000,2026-04-02,ﾌﾒｲ",
            "",
        ])
        let recorded = try await LedgerExecutable.run(["deposits", "import", "--database-url", url, deposits])
        #expect(recorded.status == 1)
        #expect(recorded.output.contains("line 2: accepted"))
        #expect(recorded.output.contains("line 3: refused"))
        // Money into no order's account is recorded, never refused (issue #13).
        #expect(recorded.output.contains("line 4: accepted, unresolved: accountNeverAssigned"), "\(recorded.output)")
        #expect(recorded.output.contains("line 5: accepted, unresolved: unknownAccount"))
        let redelivered = try await LedgerExecutable.run(["deposits", "import", "--database-url", url, deposits])
        #expect(redelivered.output.contains("line 2: already recorded"))
        #expect(redelivered.output.contains("line 4: already recorded"))
        let feed = try await ledger.test.store.readWholeStream(StreamName("bankAccount-0310_502_6818564")!)
        #expect(feed.count == 1, "a deposit is recorded once (I20)")
        let missing = try await LedgerExecutable.run(["deposits", "import", "--database-url", url, "/nonexistent.csv"])
        #expect(missing.status == 2)
        let wrongHeader = try LedgerExecutable.writeLines(["id,amount", "D-9,1"])
        let header = try await LedgerExecutable.run(["deposits", "import", "--database-url", url, wrongHeader])
        #expect(header.status == 2)
        #expect(header.errorOutput.contains("header lacks"))
    }
}
