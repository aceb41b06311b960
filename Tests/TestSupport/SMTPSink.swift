import EventStore
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A real SMTP server for tests: `Tests/Servers/smtp_sink.py` (aiosmtpd) on 127.0.0.1, a port of
/// its own. What it accepted is read back decoded by Python's email package, not by our code.
/// Python is `LEDGER_TEST_PYTHON` (CI points it at a venv with aiosmtpd) or `python3`.
public final class SMTPSink: Sendable {
    /// One accepted message as a mail client would show it.
    public struct Message: Decodable, Sendable {
        public var mailFrom: String
        public var rcptTos: [String]
        public var headers: [String: String]
        public var subject: String
        public var body: String?
        public var contentType: String
        public var charset: String?
        public var defects: [String]
    }

    public let port: Int
    public let directory: URL
    private let process: ChildProcess.Running

    public var url: String { "smtp://127.0.0.1:\(port)" }

    /// Starts the server; `refuseFirst` DATA commands are answered 451, `RCPT TO` one of
    /// `rejecting` 550. Waits (up to 30 s, without holding a thread) until it listens.
    public static func start(refuseFirst: Int = 0, rejecting: [String] = []) async throws -> SMTPSink {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("smtp-sink-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Servers/smtp_sink.py")
        let python = ProcessInfo.processInfo.environment["LEDGER_TEST_PYTHON"] ?? "/usr/bin/python3"
        // ChildProcess (posix_spawn, waitpid), not Foundation's Process: see its note.
        let process = try ChildProcess.start(
            python,
            [script.path, "--dir", directory.path, "--refuse-first", "\(refuseFirst)"]
                + rejecting.flatMap { ["--reject-rcpt", $0] })
        let portFile = directory.appendingPathComponent("port")
        var port: Int?
        _ = try await eventually(within: .seconds(30)) {
            if let text = try? String(contentsOf: portFile, encoding: .utf8) { port = Int(text) }
            return port != nil || kill(process.pid, 0) != 0
        }
        guard let port else {
            process.kill(SIGKILL)
            let failed = await process.wait(within: .seconds(10))
            throw SinkError(
                "the SMTP sink did not start (it needs Python with aiosmtpd: pip install aiosmtpd, and "
                    + "LEDGER_TEST_PYTHON naming that python): \(failed.errorOutput) \(failed.output)")
        }
        return SMTPSink(port: port, directory: directory, process: process)
    }

    private init(port: Int, directory: URL, process: ChildProcess.Running) {
        self.port = port
        self.directory = directory
        self.process = process
    }

    deinit { stop() }

    public func stop() {
        guard
            !stopped.withLock({
                let was = $0
                $0 = true
                return was
            })
        else { return }
        // SIGKILL: nothing of the sink's state needs a graceful stop.
        process.kill(SIGKILL)
        _ = process.wait()
        try? FileManager.default.removeItem(at: directory)
    }

    private let stopped = Mutex(false)

    /// The messages accepted so far, in order.
    public func messages() throws -> [Message] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return try names.filter { $0.hasSuffix(".json") && $0 != "counts.json" }.sorted().map {
            try JSONDecoder().decode(Message.self, from: Data(contentsOf: directory.appendingPathComponent($0)))
        }
    }

    /// DATA commands answered 451 so far.
    public func refusals() throws -> Int {
        let path = directory.appendingPathComponent("counts.json")
        guard let data = try? Data(contentsOf: path) else { return 0 }
        return (try JSONSerialization.jsonObject(with: data) as? [String: Int])?["refused"] ?? 0
    }

    struct SinkError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
