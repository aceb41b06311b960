// SMTP client (RFC 5321) for the notifier's mail, on SwiftNIO's async channels: there is no
// well-kept SMTP library among the packages this build can use, and the conversation the outbox
// needs (EHLO, MAIL, RCPT, DATA, QUIT, one recipient, an all-ASCII message) is small. No TLS and
// no AUTH: it talks to a relay the operator trusts (the host's MTA on localhost, or a smarthost
// on the private network); for TLS or authenticated relays use the sendmail transport with
// msmtp or the MTA (docs/serve.md, "Mail").
import Foundation
import NIOCore
import NIOPosix

/// Sends each mail over one SMTP conversation to `host:port`, bounded by `timeout` as a whole.
public struct SMTPMailSender: MailSender {
    public var host: String
    public var port: Int
    public var timeout: Duration
    /// The name this client gives in `EHLO`.
    public var heloName: String

    public init(host: String, port: Int = 25, timeout: Duration = .seconds(30), heloName: String? = nil) {
        self.host = host
        self.port = port
        self.timeout = timeout
        self.heloName = heloName ?? ProcessInfo.processInfo.hostName
    }

    /// `smtp://host[:port]`, or nil when `url` is not of that form.
    public init?(url: String, timeout: Duration = .seconds(30)) {
        guard let parsed = URLComponents(string: url), parsed.scheme?.lowercased() == "smtp",
            let host = parsed.host, !host.isEmpty, parsed.path.isEmpty || parsed.path == "/", parsed.user == nil
        else { return nil }
        self.init(host: host, port: parsed.port ?? 25, timeout: timeout)
    }

    public var transportDescription: String { "smtp://\(host):\(port)" }

    public func send(_ message: MailMessage) async throws(MailDeliveryError) {
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await self.converse(message) }
                group.addTask {
                    try await Task.sleep(for: self.timeout)
                    throw MailDeliveryError(
                        .temporary, "no answer from \(self.transportDescription) within \(self.timeout)")
                }
                try await group.next()
                group.cancelAll()
            }
        } catch let error as MailDeliveryError {
            throw error
        } catch {
            throw MailDeliveryError(.temporary, "\(transportDescription): \(error)")
        }
    }

    private func converse(_ message: MailMessage) async throws {
        let seconds = Int64(timeout.components.seconds)
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(max(1, seconds)))
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        try await channel.executeThenClose { inbound, outbound in
            var session = SMTPSession(replies: inbound.makeAsyncIterator(), outbound: outbound)
            try await session.expect(220, after: "connecting")
            if try await session.command("EHLO \(heloName)", "EHLO").code != 250 {
                try await session.command("HELO \(heloName)", "HELO", expect: 250)
            }
            try await session.command("MAIL FROM:<\(message.from.address)>", "MAIL FROM", expect: 250)
            try await session.command("RCPT TO:<\(message.to.address)>", "RCPT TO", expect: 250, 251)
            try await session.command("DATA", "DATA", expect: 354)
            try await session.command(Self.dotStuffed(message.rendered) + ".", "the message", expect: 250)
            // The relay has the message; a failed QUIT changes nothing.
            _ = try? await session.command("QUIT", "QUIT")
        }
    }

    /// The message with every line that starts with "." given another (RFC 5321 §4.5.2).
    static func dotStuffed(_ rendered: String) -> String {
        rendered.split(separator: "\r\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix(".") ? "." + $0 : String($0) }
            .joined(separator: "\r\n")
    }
}
