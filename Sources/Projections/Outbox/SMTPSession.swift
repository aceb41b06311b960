import NIOCore

/// One SMTP conversation's replies and commands (RFC 5321 §4.2): reads multi-line replies
/// (`250-…` … `250 …`) and turns a reply other than the one expected into a `MailDeliveryError`,
/// temporary for 4xx, permanent for 5xx.
struct SMTPSession {
    /// A server reply: its code and its text lines.
    struct Reply {
        var code: Int
        var lines: [String]
        var text: String { "\(code) " + lines.joined(separator: " / ") }
    }

    var replies: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    private var pending: [UInt8] = []

    init(
        replies: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator,
        outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    ) {
        self.replies = replies
        self.outbound = outbound
    }

    /// Sends `line` and CRLF, returns the reply, and checks it against `expected` when given
    /// (`step` names the command in the error: `MAIL FROM`, `the message`).
    @discardableResult
    mutating func command(_ line: String, _ step: String, expect expected: Int...) async throws -> Reply {
        try await outbound.write(ByteBuffer(string: line + "\r\n"))
        let reply = try await reply()
        if !expected.isEmpty { try Self.check(reply, expected, after: step) }
        return reply
    }

    mutating func expect(_ code: Int, after step: String) async throws {
        try Self.check(try await reply(), [code], after: step)
    }

    mutating func reply() async throws -> Reply {
        var lines: [String] = []
        while true {
            if let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                var bytes = Array(pending[..<newline])
                pending.removeFirst(newline + 1)
                if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
                let line = String(decoding: bytes, as: UTF8.self)
                guard line.utf8.count >= 3, let code = Int(line.prefix(3)) else {
                    throw MailDeliveryError(.temporary, "the SMTP server answered \(line.debugDescription)")
                }
                lines.append(String(line.dropFirst(4)))
                let separator =
                    line.utf8.count > 3 ? line.utf8[line.utf8.index(line.utf8.startIndex, offsetBy: 3)] : 0x20
                if separator != UInt8(ascii: "-") { return Reply(code: code, lines: lines) }
                continue
            }
            guard let chunk = try await replies.next() else {
                throw MailDeliveryError(.temporary, "the SMTP server closed the connection")
            }
            pending += chunk.readableBytesView
        }
    }

    static func check(_ reply: Reply, _ expected: [Int], after step: String) throws {
        guard !expected.contains(reply.code) else { return }
        let kind: MailDeliveryError.Kind = (500..<600).contains(reply.code) ? .permanent : .temporary
        throw MailDeliveryError(kind, "the SMTP server answered \(step) with \(reply.text)")
    }
}
