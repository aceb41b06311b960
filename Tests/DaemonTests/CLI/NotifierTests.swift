import EventStore
import Foundation
import TestSupport
import Testing

@testable import Commands
@testable import Domain
@testable import Projections

/// `ledger notify` against a real SMTP server (aiosmtpd) and a real sendmail-interface mailer
/// (Debian's msmtp): what arrives is decoded by Python's email package.
@Suite("notifier outbox and mail")
struct NotifierTests {
    static let transferSubject = "【貿易関係証明発給システム】振込先のご案内 (注文番号 "

    /// Two opted-in bank orders (one cancelled), one issued, one not opted in: three mails due.
    static func threeMailsDue() async throws -> (ledger: LedgerFixture, orderNo: String) {
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
        let order = await ledger.run("PlaceCouponOrder", LedgerFixture.jiro, at: "2024-01-19T11:00:00+09:00", fields)
        _ = await ledger.deposit(id: "D1", amount: 13200, on: "2024-01-22", account: "6818565")
        _ = await ledger.nightly("2024-01-22")
        _ = await ledger.run(
            "IssueScheduledCoupons", LedgerFixture.daemon, at: "2024-01-23T06:00:00+09:00", ["date": "2024-01-23"])
        // A buyer who did not opt in gets nothing.
        let silent = await ledger.run(
            "PlaceCouponOrder", LedgerFixture.jiro, at: "2024-01-24T10:00:00+09:00",
            LedgerFixture.order("bankTransfer", [("P10", 1)]))
        #expect(silent.status == .ok)
        #expect(
            try await LedgerExecutable.run(["project", "--once", "--database-url", ledger.test.conninfo]).status == 0)
        return (ledger, try #require(order.result?["orderNo"]?.text))
    }

    static func notify(_ ledger: LedgerFixture, _ arguments: [String]) async throws -> ChildProcess.Result {
        try await LedgerExecutable.run(
            ["notify", "--database-url", ledger.test.conninfo, "--mail-from", "日本商工会議所 <noreply@jcci.example.jp>"]
                + arguments)
    }

    @Test("the due mails arrive over SMTP as RFC 5322 messages with Japanese subjects, each once")
    func smtp() async throws {
        let (ledger, orderNo) = try await Self.threeMailsDue()
        let sink = try await SMTPSink.start()
        defer { sink.stop() }
        let sent = try await Self.notify(ledger, ["--smtp-url", sink.url])
        #expect(sent.status == 0, "\(sent.errorOutput)")
        #expect(sent.output.contains("sent 3 mail(s)"), "two transfer notices and one issuance: \(sent.output)")
        let messages = try sink.messages()
        #expect(messages.count == 3)
        for message in messages {
            #expect(message.rcptTos == ["jiro@example.jp"])
            #expect(message.mailFrom == "noreply@jcci.example.jp")
            #expect(message.headers["From"] == "日本商工会議所 <noreply@jcci.example.jp>")
            #expect(message.headers["To"] == "jiro@example.jp")
            #expect(message.headers["MIME-Version"] == "1.0")
            #expect(message.contentType == "text/plain" && message.charset?.lowercased() == "utf-8")
            #expect(message.headers["Message-ID"]?.hasSuffix("@jcci.example.jp>") == true)
            #expect(message.headers["Date"].map { $0.hasSuffix("+0900") } == true)
            #expect(message.defects.isEmpty, "\(message.defects)")
        }
        #expect(messages.contains { $0.subject.hasPrefix("【貿易関係証明発給システム】クーポン発行のお知らせ") })
        #expect(messages.contains { $0.body?.contains("クーポン40枚を発行しました") == true })
        #expect(
            messages.contains {
                $0.subject == Self.transferSubject + "\(orderNo))" && $0.body?.contains("6818565") == true
            })
        #expect(Set(messages.compactMap { $0.headers["Message-ID"] }).count == 3)
        let again = try await Self.notify(ledger, ["--smtp-url", sink.url])
        #expect(again.output.contains("sent 0 mail(s)"), "each mail exactly once: \(again.output)")
        #expect(try sink.messages().count == 3)
    }

    @Test("a server that refuses the first attempt gets that mail on a retry, once")
    func retry() async throws {
        let (ledger, _) = try await Self.threeMailsDue()
        let sink = try await SMTPSink.start(refuseFirst: 1)
        defer { sink.stop() }
        // A retry 10 s later: the first run must end before the refused mail is due again, or it
        // would be retried inside that run (a run of three mails took over a second under load).
        let first = try await Self.notify(ledger, ["--smtp-url", sink.url, "--mail-retry-seconds", "10"])
        #expect(first.status == 1, "a mail not sent is exit 1: \(first.output) \(first.errorOutput)")
        #expect(first.output.contains("sent 2 mail(s)") && first.output.contains("1 to retry"), "\(first.output)")
        #expect(first.errorOutput.contains("451"), "the server's answer is reported: \(first.errorOutput)")
        let connection = try await ledger.test.connect()
        let pending = try await connection.query(
            "SELECT attempts, last_error FROM projections.notification_outbox WHERE sent_at IS NULL")
        #expect(pending.rows.count == 1)
        #expect(try pending.rows.first?.decode(Int.self, 0) == 1)
        #expect(try pending.rows.first?.decode(String.self, 1).contains("451") == true)
        // The backoff holds it back for 10 s; then it goes.
        let delivered = try await eventually(within: .seconds(60)) {
            try await Self.notify(ledger, ["--smtp-url", sink.url, "--mail-retry-seconds", "1"]).output
                .contains("sent 1 mail(s)")
        }
        #expect(delivered)
        #expect(try sink.messages().count == 3)
        #expect(try sink.refusals() == 1)
        let rows = try await connection.query(
            "SELECT count(*) FILTER (WHERE sent_at IS NOT NULL), max(attempts), count(last_error) FROM projections.notification_outbox"
        )
        #expect(try rows.rows[0].decode(Int.self, 0) == 3)
        #expect(try rows.rows[0].decode(Int.self, 1) == 2)
        #expect(try rows.rows[0].decode(Int.self, 2) == 0)
        await connection.close()
        let again = try await Self.notify(ledger, ["--smtp-url", sink.url])
        #expect(again.output.contains("sent 0 mail(s)"))
        #expect(try sink.messages().count == 3, "the retried mail arrived once")
    }

    @Test("a permanent refusal marks the mail failed and it is not tried again")
    func permanent() async throws {
        let (ledger, _) = try await Self.threeMailsDue()
        let sink = try await SMTPSink.start(rejecting: ["jiro@example.jp"])
        defer { sink.stop() }
        let result = try await Self.notify(ledger, ["--smtp-url", sink.url, "--json"])
        #expect(result.status == 1)
        let object = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any]
        #expect(object?["sent"] as? Int == 0 && object?["failed"] as? Int == 3, "\(result.output)")
        #expect((object?["firstError"] as? String)?.contains("550") == true)
        let connection = try await ledger.test.connect()
        let failed = try await connection.query(
            "SELECT count(*) FROM projections.notification_outbox WHERE failed_at IS NOT NULL AND sent_at IS NULL AND last_error LIKE 'permanent: %550%'"
        )
        #expect(try failed.rows[0].decode(Int.self, 0) == 3)
        await connection.close()
        let again = try await Self.notify(ledger, ["--smtp-url", sink.url])
        #expect(again.status == 0 && again.output.contains("sent 0 mail(s)"), "\(again.output)")
        #expect(try sink.messages().isEmpty)
    }

    @Test("the sendmail interface: msmtp -t -i relays the mails to the SMTP server")
    func sendmail() async throws {
        let (ledger, orderNo) = try await Self.threeMailsDue()
        let sink = try await SMTPSink.start()
        defer { sink.stop() }
        let msmtp = "/usr/bin/msmtp --host=127.0.0.1 --port=\(sink.port) --from=noreply@jcci.example.jp"
        let sent = try await Self.notify(ledger, ["--sendmail", msmtp])
        #expect(sent.status == 0, "\(sent.output) \(sent.errorOutput)")
        let messages = try sink.messages()
        #expect(messages.count == 3)
        #expect(messages.contains { $0.subject == Self.transferSubject + "\(orderNo))" })
        #expect(messages.allSatisfy { $0.rcptTos == ["jiro@example.jp"] && $0.defects.isEmpty })
    }

    @Test("without a transport notify says how to configure one, exit 2, and sends nothing")
    func noTransport() async throws {
        let (ledger, _) = try await Self.threeMailsDue()
        let result = try await LedgerExecutable.run(
            ["notify", "--database-url", ledger.test.conninfo, "--mail-dir", "/tmp/x"])
        #expect(result.status != 0)
        #expect(result.errorOutput.contains("--smtp-url"), "\(result.errorOutput)")
    }
}
