import Foundation

/// Hands each mail to the system's mailer through the sendmail interface every MTA provides
/// (Postfix, Exim, msmtp, …): `<command> -t -i` with the message on standard input, recipients
/// taken from its headers. Exit 0 means the mailer took the message; EX_TEMPFAIL (75) and other
/// failures are temporary, EX_DATAERR (65) and EX_NOUSER (67) permanent (sysexits.h).
public struct SendmailMailSender: MailSender {
    /// The program and any arguments of its own, e.g. `["/usr/sbin/sendmail"]` or
    /// `["/usr/bin/msmtp", "--host=relay.example.jp"]`; `-t -i` are added.
    public var command: [String]
    public var timeout: Duration

    public static let defaultPath = "/usr/sbin/sendmail"

    public init(command: [String] = [Self.defaultPath], timeout: Duration = .seconds(60)) {
        self.command = command.isEmpty ? [Self.defaultPath] : command
        self.timeout = timeout
    }

    /// A command line as operators write it (`/usr/bin/msmtp --host=relay`), split at spaces.
    public init(commandLine: String, timeout: Duration = .seconds(60)) {
        self.init(command: commandLine.split(separator: " ").map(String.init), timeout: timeout)
    }

    public var transportDescription: String { "sendmail (\(command.joined(separator: " ")) -t -i)" }

    public func send(_ message: MailMessage) async throws(MailDeliveryError) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst()) + ["-t", "-i"]
        let input = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        let finished = AsyncStream<Int32>.makeStream()
        process.terminationHandler = { finished.continuation.yield($0.terminationStatus) }
        do {
            try process.run()
        } catch {
            throw MailDeliveryError(.temporary, "cannot run \(command[0]): \(error.localizedDescription)")
        }
        // The sendmail interface takes the local line ends.
        let text = message.rendered.replacingOccurrences(of: "\r\n", with: "\n")
        input.fileHandleForWriting.write(Data(text.utf8))
        try? input.fileHandleForWriting.close()
        let status = await Self.status(of: finished.stream, orKill: process, after: timeout)
        let stderr = String(decoding: errors.fileHandleForReading.availableData.prefix(500), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        guard let status else {
            throw MailDeliveryError(.temporary, "\(command[0]) did not finish within \(timeout)")
        }
        switch status {
        case 0: return
        case 65, 67: throw MailDeliveryError(.permanent, "\(command[0]) exited \(status): \(stderr)")
        default: throw MailDeliveryError(.temporary, "\(command[0]) exited \(status): \(stderr)")
        }
    }

    /// The exit status, or nil (and the process killed) when it takes longer than `timeout`.
    private static func status(of statuses: AsyncStream<Int32>, orKill process: Process, after timeout: Duration)
        async -> Int32?
    {
        await withTaskGroup(of: Int32?.self) { group in
            group.addTask { await statuses.first { _ in true } }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            if first == nil, process.isRunning { process.terminate() }
            return first
        }
    }
}
