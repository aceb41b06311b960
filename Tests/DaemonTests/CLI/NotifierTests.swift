import EventStore
import Foundation
import TestSupport
import Testing

@testable import Commands
@testable import Domain
@testable import Projections

@Suite("notifier outbox")
struct NotifierTests {
    @Test("an opted-in bank order gets its transfer details and its issuance notice, each sent once")
    func outbox() async throws {
        let ledger = try await LedgerFixture.make()
        try await ledger.setUp()
        try await ledger.loadAccounts()
        var fields = LedgerFixture.order("bankTransfer", [("P10", 4)])
        fields["emailOptIn"] = true
        fields["email"] = "jiro@example.jp"
        let placed = await ledger.run("PlaceCouponOrder", LedgerFixture.jiro, at: "2024-01-19T10:00:00+09:00", fields)
        #expect(placed.status == .ok)
        // Cancelled after its transfer details were due: that mail still goes.
        _ = await ledger.run(
            "CancelCouponOrder", LedgerFixture.jiro, at: "2024-01-19T10:05:00+09:00",
            ["orderNo": try #require(placed.result?["orderNo"])])
        var second = LedgerFixture.order("bankTransfer", [("P10", 4)])
        second["emailOptIn"] = true
        second["email"] = "jiro@example.jp"
        let order = await ledger.run("PlaceCouponOrder", LedgerFixture.jiro, at: "2024-01-19T11:00:00+09:00", second)
        _ = await ledger.deposit(id: "D1", amount: 13200, on: "2024-01-22", account: "6818565")
        _ = await ledger.nightly("2024-01-22")
        _ = await ledger.run(
            "IssueScheduledCoupons", LedgerFixture.daemon, at: "2024-01-23T06:00:00+09:00", ["date": "2024-01-23"])
        // A buyer who did not opt in gets nothing.
        let silent = await ledger.run(
            "PlaceCouponOrder", LedgerFixture.jiro, at: "2024-01-24T10:00:00+09:00",
            LedgerFixture.order("bankTransfer", [("P10", 1)]))
        #expect(silent.status == .ok)
        let url = ledger.test.conninfo
        #expect(try LedgerExecutable.run(["project", "--once", "--database-url", url]).status == 0)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("outbox-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let sent = try LedgerExecutable.run(["notify", "--database-url", url, "--mail-dir", directory.path])
        #expect(sent.status == 0, "\(sent.errorOutput)")
        #expect(sent.output.contains("sent 3 mail(s)"), "two transfer notices and one issuance: \(sent.output)")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        #expect(files.count == 3)
        let texts = try files.map { try String(contentsOf: directory.appendingPathComponent($0), encoding: .utf8) }
        #expect(texts.allSatisfy { $0.contains("To: jiro@example.jp") })
        #expect(texts.contains { $0.contains("クーポン40枚を発行しました") })
        let orderNo = try #require(order.result?["orderNo"]?.text)
        #expect(texts.contains { $0.contains("振込先のご案内 (注文番号 \(orderNo))") && $0.contains("6818565") })
        let again = try LedgerExecutable.run(["notify", "--database-url", url, "--mail-dir", directory.path])
        #expect(again.output.contains("sent 0 mail(s)"), "each mail exactly once")
    }
}
