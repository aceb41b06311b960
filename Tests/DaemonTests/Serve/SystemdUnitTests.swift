import EventStore
import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `deploy/ledger.service` (#19 item 7): systemd accepts it, and `ledger serve` tells systemd it is
/// ready (sd_notify `READY=1`, the unit's `Type=notify`) once it serves.
@Suite("systemd unit and readiness notification")
struct SystemdUnitTests {
    static let unit = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("deploy/ledger.service")

    @Test("systemd-analyze verify accepts deploy/ledger.service (ExecStart pointed at the built binary)")
    func verify() async throws {
        let text = try String(contentsOf: Self.unit, encoding: .utf8)
        #expect(text.contains("ExecStart=/usr/local/bin/ledger serve"))
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-\(UUID().uuidString).service")
        defer { try? FileManager.default.removeItem(at: copy) }
        try text.replacingOccurrences(of: "ExecStart=/usr/local/bin/ledger", with: "ExecStart=\(LedgerExecutable.path)")
            .write(to: copy, atomically: true, encoding: .utf8)
        let result = try await ChildProcess.run(
            "/usr/bin/systemd-analyze", ["verify", copy.path], within: .seconds(120))
        #expect(result.status == 0, "\(result.output) \(result.errorOutput)")
        #expect(result.errorOutput.isEmpty && result.output.isEmpty, "no warnings: \(result.errorOutput)")
    }

    @Test("serve sends READY=1 to NOTIFY_SOCKET once it serves")
    func ready() async throws {
        let test = try await TestDatabase.freshStore()
        let path = "/tmp/ledger-notify-\(UUID().uuidString.prefix(8)).sock"
        let socket = try Self.datagramSocket(path)
        defer {
            close(socket)
            unlink(path)
        }
        let port = Int.random(in: 20_000...60_000)
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "LEDGER_DATABASE_URL")
        environment["NOTIFY_SOCKET"] = path
        let serve = try ChildProcess.start(
            LedgerExecutable.path, ["serve", "--database-url", test.conninfo, "--http-port", String(port)],
            environment: environment)
        defer {
            serve.kill(SIGKILL)
            _ = serve.wait()
        }
        let message = await Self.receive(socket, within: 30)
        #expect(message?.hasPrefix("READY=1") == true, "got \(message ?? "nothing within 30 s")")
        let ready = await Reliability.call(port, "GET", "/health/ready", timeout: 5)
        #expect(ready.status == 200, "ready when it said so: \(ready.body)")
    }

    static func datagramSocket(_ path: String) throws -> Int32 {
        let socket = Glibc.socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in path.utf8.enumerated() { buffer[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socket, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard socket >= 0, bound == 0 else { throw TestDatabaseError("cannot bind \(path): \(errno)") }
        return socket
    }

    /// One datagram, or nil after `seconds` (on a thread of its own: recv blocks).
    static func receive(_ socket: Int32, within seconds: Int) async -> String? {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                var timeout = timeval(tv_sec: seconds, tv_usec: 0)
                setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
                var buffer = [UInt8](repeating: 0, count: 4096)
                let count = recv(socket, &buffer, buffer.count, 0)
                continuation.resume(returning: count > 0 ? String(decoding: buffer[0..<count], as: UTF8.self) : nil)
            }
        }
    }
}
