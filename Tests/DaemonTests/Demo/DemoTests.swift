import Foundation
import TestSupport
import Testing

@Suite("ledger demo")
struct DemoTests {
    @Test("with nothing configured it runs the examples on the embedded server, twice in a row")
    func demoTwice() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "ledger-demo-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for _ in 0..<2 {
            let result = try await LedgerExecutable.run(
                ["demo", "--schema-dir", TestDatabase.schemaDirectory.path],
                directory: directory.path)
            #expect(result.status == 0, "\(result.errorOutput)")
            #expect(result.output.contains("現在のクーポン残高: 6枚    クーポン購入手続中: 11枚"))
            #expect(result.output.contains("クーポン履歴一覧 (検索件数: 5)"))
            #expect(result.output.contains("決済金額: 1,210円 (内課税対象額 1,100円)"))
            #expect(result.output.contains("支払金額: 13,310 円 (内課税対象額: 12,100円、内消費税額(10%): 1,210円)"))
            #expect(result.output.contains("振込口座有効期限: 2026年05月07日"))
        }
        // The embedded server was stopped again.
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/.ledger/data/postmaster.pid"))
    }
}

@Suite("ledger demo mail")
struct DemoMailTests {
    @Test("the demo's notification mail arrives at a real SMTP server, in Japanese")
    func demoMail() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "ledger-demo-mail-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let sink = try await SMTPSink.start()
        defer { sink.stop() }
        let result = try await LedgerExecutable.run(
            ["demo", "--schema-dir", TestDatabase.schemaDirectory.path, "--smtp-url", sink.url],
            directory: directory.path)
        #expect(result.status == 0, "\(result.errorOutput)")
        // The bank order's transfer details, and the card order's coupons issued.
        #expect(result.output.contains("■ 通知メール: 2通 送信"), "\(result.output.suffix(200))")
        let messages = try sink.messages()
        #expect(messages.count == 2)
        #expect(messages.contains { $0.subject.hasPrefix("【貿易関係証明発給システム】クーポン発行のお知らせ") })
        let mail = try #require(messages.first { $0.subject.contains("振込先のご案内") })
        #expect(mail.rcptTos == ["jiro@example.jp"])
        #expect(mail.subject == "【貿易関係証明発給システム】振込先のご案内 (注文番号 202604078888000004000002)")
        #expect(mail.body?.contains("日商 次郎 様") == true, "\(mail.body ?? "")")
        #expect(mail.body?.contains("6818564") == true)
        #expect(mail.defects.isEmpty)
    }
}
