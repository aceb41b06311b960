import Foundation
import Testing

@testable import Projections

@Suite("mail messages")
struct MailMessageTests {
    static let from = MailAddress("日本商工会議所 <noreply@jcci.example.jp>")!

    static func message(subject: String, body: String = "本文\n") -> MailMessage {
        MailMessage(
            from: from, to: MailAddress("jiro@example.jp")!, subject: subject, body: body,
            date: Date(timeIntervalSince1970: 1_764_640_800), messageID: "<e1.kind@jcci.example.jp>", eventId: "e1")
    }

    @Test("a Japanese subject becomes encoded words of at most 75 characters on lines of at most 78")
    func encodedSubject() throws {
        let subject = String(repeating: "【貿易関係証明発給システム】振込先のご案内 ", count: 4) + "(注文番号 202604078888000004000002)"
        let rendered = Self.message(subject: subject).rendered
        #expect(rendered.utf8.allSatisfy { $0 < 0x80 }, "the whole message is ASCII")
        let lines = rendered.components(separatedBy: "\r\n")
        #expect(lines.allSatisfy { $0.utf8.count <= 78 }, "\(lines.filter { $0.utf8.count > 78 })")
        #expect(!rendered.replacingOccurrences(of: "\r\n", with: "").contains("\n"), "only CRLF line ends")
        // The words decode, each on its own, to whole characters that make the subject again.
        let start = try #require(lines.firstIndex { $0.hasPrefix("Subject: ") })
        var words: [String] = []
        for line in lines[start...] {
            guard line == lines[start] || line.hasPrefix(" ") else { break }
            words += line.replacingOccurrences(of: "Subject: ", with: "").split(separator: " ").map(String.init)
        }
        var decoded = ""
        for word in words {
            #expect(word.utf8.count <= 75 && word.hasPrefix("=?UTF-8?B?") && word.hasSuffix("?="))
            let payload = String(word.dropFirst(10).dropLast(2))
            let text = try #require(Data(base64Encoded: payload).flatMap { String(data: $0, encoding: .utf8) })
            decoded += text
        }
        #expect(decoded == subject)
    }

    @Test("the headers a mail system expects, and a base64 body in canonical CRLF form")
    func headers() throws {
        let rendered = Self.message(subject: "ASCII subject", body: "line one\nline two").rendered
        #expect(rendered.hasPrefix("From: =?UTF-8?B?"))
        #expect(rendered.contains("\r\nTo: jiro@example.jp\r\n"))
        #expect(rendered.contains("\r\nSubject: ASCII subject\r\n"))
        #expect(rendered.contains("\r\nDate: Tue, 02 Dec 2025 11:00:00 +0900\r\n"))
        #expect(rendered.contains("\r\nMessage-ID: <e1.kind@jcci.example.jp>\r\n"))
        #expect(rendered.contains("\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"))
        let body = try #require(rendered.components(separatedBy: "\r\n\r\n").last)
        let decoded = Data(base64Encoded: body.replacingOccurrences(of: "\r\n", with: ""))
        #expect(decoded.flatMap { String(data: $0, encoding: .utf8) } == "line one\r\nline two\r\n")
    }

    @Test("addresses: display names quoted or encoded, line breaks and non-addresses refused")
    func addresses() {
        #expect(MailAddress("Ledger <a@b.jp>")?.headerValue == "\"Ledger\" <a@b.jp>")
        #expect(MailAddress("a@b.jp")?.headerValue == "a@b.jp")
        #expect(MailAddress("a@b.jp\r\nBcc: x@y.jp") == nil)
        #expect(MailAddress("not an address") == nil)
        #expect(MailAddress("@b.jp") == nil)
        #expect(Self.from.domain == "jcci.example.jp")
        #expect(throws: MailDeliveryError.self) {
            try MailMessage(
                OutgoingMail(eventId: "e", kind: "k", email: "x\ny", subject: "s", body: "b"), from: Self.from,
                date: Date())
        }
    }

    @Test("dot-stuffing doubles a leading dot on every line")
    func dotStuffing() {
        #expect(SMTPMailSender.dotStuffed("a\r\n.b\r\n..c\r\n") == "a\r\n..b\r\n...c\r\n")
    }

    @Test("retries back off from the base, doubling, up to the maximum")
    func backoff() {
        let policy = MailRetryPolicy(base: .seconds(60), maximumDelay: .seconds(3600))
        #expect(policy.delay(afterAttempt: 1) == .seconds(60))
        #expect(policy.delay(afterAttempt: 2) == .seconds(120))
        #expect(policy.delay(afterAttempt: 6) == .seconds(1920))
        #expect(policy.delay(afterAttempt: 7) == .seconds(3600))
        #expect(policy.delay(afterAttempt: 50) == .seconds(3600))
    }
}
