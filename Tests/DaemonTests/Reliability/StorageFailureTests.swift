import Commands
import EventStore
import Foundation
import Synchronization
import TestSupport
import Testing

/// Issue #8 item 4: the database turns read-only, or its disk fills up, under `ledger serve` and
/// `ledger exec`: commands get a clear `error`/`unavailable` naming the problem, nothing
/// acknowledged is lost, and commands succeed again once the database is writable.
@Suite("Reliability: read-only database and full disk")
struct StorageFailureTests {
    /// Acknowledged commands (id, delta) of one scenario.
    final class Ledger: Sendable {
        let acknowledged = Mutex<[(id: String, delta: Int)]>([])
        var sum: Int { acknowledged.withLock { $0.reduce(0) { $0 + $1.delta } } }
        var ids: [String] { acknowledged.withLock { $0.map(\.id) } }

        /// Sends one adjustment; records it when acknowledged.
        func adjust(_ port: Int, delta: Int = 1, id: UUID = UUID()) async -> Reliability.Reply {
            let reply = await Reliability.post(port, Reliability.adjust(id: id, delta: delta))
            if reply.status == 200, reply.json?["status"] == "ok" {
                acknowledged.withLock { $0.append((id.uuidString.lowercased(), delta)) }
            }
            return reply
        }
    }

    /// The message of a 503 `error`/`unavailable` answer, or nil for any other answer.
    static func unavailableMessage(_ reply: Reliability.Reply) -> String? {
        guard reply.status == 503, reply.json?["status"] == "error", reply.json?["error"]?["code"] == "unavailable",
            case .string(let message) = reply.json?["error"]?["message"] ?? .null
        else { return nil }
        return message
    }

    /// After the failure: every acknowledged command is stored and the balance read model equals
    /// their sum (the projection recovered by itself).
    static func expectNothingLost(_ ledger: Ledger, conninfo: String, port: Int) async throws {
        let recorded = try await Reliability.recordedCommandIds(conninfo)
        let missing = ledger.ids.filter { !recorded.contains($0) }
        #expect(missing.isEmpty, "acknowledged but not stored: \(missing.prefix(5))")
        var last = ""
        let converged = try await eventually(within: .seconds(60)) {
            let balance = await Reliability.call(port, "GET", "/v1/companies/8888000004/coupon-balance", timeout: 5)
            last = balance.body
            return balance.json?["available"] == .int(Int64(ledger.sum))
        }
        #expect(converged, "read model \(last) ≠ sum of acknowledged commands \(ledger.sum)")
    }

    /// Runs `ledger exec` with `count` adjustments of 1; records the acknowledged ones in `ledger`
    /// and returns the exit status and the result lines.
    static func exec(_ conninfo: String, _ ledger: Ledger, count: Int = 1) async throws -> (
        status: Int32, lines: [JSONValue]
    ) {
        let (status, lines, _) = try await execWithErrors(conninfo, ledger, count: count)
        return (status, lines)
    }

    /// `exec`, with what it printed on stderr.
    static func execWithErrors(_ conninfo: String, _ ledger: Ledger, count: Int = 1) async throws -> (
        status: Int32, lines: [JSONValue], errors: String
    ) {
        let file = try LedgerExecutable.writeLines((0..<count).map { _ in Reliability.adjust(id: UUID(), delta: 1) })
        defer { try? FileManager.default.removeItem(atPath: file) }
        let result = try await LedgerExecutable.runConcurrently(["exec", "--database-url", conninfo, file])
        let lines = result.output.split(separator: "\n")
            .compactMap { try? JSONCoding.decoder.decode(JSONValue.self, from: Data($0.utf8)) }
        for line in lines where line["status"] == "ok" {
            if case .string(let id) = line["commandId"] ?? .null { ledger.acknowledged.withLock { $0.append((id, 1)) } }
        }
        return (result.status, lines, result.errorOutput)
    }

    /// The `error.message` of a result line that is `error`/`unavailable`, else nil.
    static func unavailableMessage(_ line: JSONValue) -> String? {
        guard line["status"] == "error", line["error"]?["code"] == "unavailable",
            case .string(let message) = line["error"]?["message"] ?? .null
        else { return nil }
        return message
    }

    @Test("read-only database: 503 unavailable naming SQLSTATE 25006, /health says readOnly, writes resume after")
    func readOnlyDatabase() async throws {
        let test = try await TestDatabase.freshStore()
        let (serve, port) = try await ServeTests().start(test.conninfo)
        defer {
            serve.kill(SIGKILL)
            _ = serve.wait()
        }
        let ledger = Ledger()
        #expect(await Reliability.post(port, Reliability.register()).status == 200)
        for _ in 0..<10 { #expect(await ledger.adjust(port, delta: 2).status == 200) }

        // The operator makes the database read-only and ends its sessions (as a failover would).
        let admin = try await test.connect()
        let name = try await admin.query("SELECT current_database()").singleRow().decode(String.self, 0)
        try await admin.execute("ALTER DATABASE \(quoteIdentifier(name)) SET default_transaction_read_only = on")
        try await admin.query(
            """
            SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()
            """, [name])
        let eventsBefore = try await Reliability.scalar(test.conninfo, "SELECT count(*) FROM ledger.events", Int.self)

        // The first answers may come from pooled sessions that were just ended (a lost connection);
        // then every command is refused with the read-only reason.
        var message = ""
        let named = try await eventually(within: .seconds(20)) {
            let reply = await ledger.adjust(port)
            #expect(reply.status != 200, "nothing is acknowledged by a read-only database: \(reply.body)")
            message = Self.unavailableMessage(reply) ?? "not a 503 unavailable: \(reply.status) \(reply.body)"
            return message.contains("25006") && message.contains("read-only")
        }
        #expect(named, "the refusal names the read-only database: \(message)")
        let health = await Reliability.call(port, "GET", "/health", timeout: 5)
        #expect(health.status == 503 && health.json?["database"] == "readOnly", "\(health.status) \(health.body)")
        let (status, lines) = try await Self.exec(test.conninfo, ledger)
        #expect(status == 1)
        let text = lines.first.flatMap(Self.unavailableMessage) ?? "no error/unavailable line: \(lines)"
        #expect(text.contains("25006") && text.contains("read-only"), "ledger exec names the problem: \(text)")
        #expect(
            try await Reliability.scalar(test.conninfo, "SELECT count(*) FROM ledger.events", Int.self) == eventsBefore)

        // Writable again, without ending sessions: serve's pool dropped the read-only ones.
        try await admin.execute("ALTER DATABASE \(quoteIdentifier(name)) RESET default_transaction_read_only")
        await admin.close()
        let resumed = try await eventually(within: .seconds(20)) { await ledger.adjust(port, delta: 3).status == 200 }
        #expect(resumed, "commands succeed once the database is writable")
        #expect(try await Self.exec(test.conninfo, ledger).status == 0)
        try await Self.expectNothingLost(ledger, conninfo: test.conninfo, port: port)
        #expect(await Reliability.call(port, "GET", "/health", timeout: 5).status == 200)
    }
}

/// A small tmpfs to fill up: only where this process may mount one (root with CAP_SYS_ADMIN, as
/// in the development container); elsewhere the disk-full test is skipped, as its trait says.
enum SmallDisk {
    /// Whether a tmpfs can be mounted here; probed once.
    static let canMount: Bool = {
        guard geteuid() == 0, let path = try? mount(size: "1m") else { return false }
        unmount(path)
        return true
    }()

    /// Mounts a tmpfs of `size` on a fresh folder, owned by the server's user, and returns the folder.
    static func mount(size: String) throws -> String {
        let path = "/tmp/ledger-disk-" + UUID().uuidString.prefix(8).lowercased()
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let mounted = try ChildProcess.run(
            "/usr/bin/mount", ["-t", "tmpfs", "-o", "size=\(size),mode=0700", "tmpfs", path],
            mergeOutput: true)
        guard mounted.status == 0 else {
            try? FileManager.default.removeItem(atPath: path)
            throw TestDatabaseError("mount failed: \(mounted.output)")
        }
        if getpwnam("postgres") != nil { _ = try ChildProcess.run("/usr/bin/chown", ["postgres", path]) }
        return path
    }

    static func unmount(_ path: String) {
        _ = try? ChildProcess.run("/usr/bin/umount", ["-l", path])
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Bytes free on the file system holding `path`.
    static func free(_ path: String) -> Int {
        var stats = statvfs()
        guard statvfs(path, &stats) == 0 else { return 0 }
        return Int(stats.f_bavail) * Int(stats.f_frsize)
    }
}

extension StorageFailureTests {
    @Test(
        "full disk: 503 unavailable naming SQLSTATE 53100, nothing acknowledged lost, writes resume when space returns",
        .enabled(if: SmallDisk.canMount, "needs root with permission to mount a tmpfs"))
    func diskFull() async throws {
        let disk = try SmallDisk.mount(size: "48m")
        defer { SmallDisk.unmount(disk) }
        let cluster = try PrivateCluster.start()
        defer { cluster.destroy() }
        try await cluster.execute("CREATE TABLESPACE small LOCATION '\(disk)'")
        let conninfo = try await cluster.migratedDatabase(tablespace: "small")
        let (serve, port) = try await ServeTests().start(conninfo)
        defer {
            serve.kill(SIGKILL)
            _ = serve.wait()
        }
        let ledger = Ledger()
        #expect(await Reliability.post(port, Reliability.register()).status == 200)
        for _ in 0..<10 { #expect(await ledger.adjust(port).status == 200) }

        // Leave about 300 kB free: the tables then fill it within a few hundred commands.
        let ballast = disk + "/ballast"
        let size = max(0, SmallDisk.free(disk) - 300_000)
        #expect(FileManager.default.createFile(atPath: ballast, contents: Data(count: size)))
        var sent = 0
        var message = ""
        let started = ContinuousClock.now
        while sent < 5_000 {
            sent += 1
            let reply = await ledger.adjust(port, delta: 1)
            if reply.status == 200 { continue }
            message = Self.unavailableMessage(reply) ?? "not a 503 unavailable: \(reply.status) \(reply.body)"
            break
        }
        let filledAfter = ContinuousClock.now - started
        #expect(message.contains("53100"), "the refusal names the full disk: \(message)")
        let health = await Reliability.call(port, "GET", "/health", timeout: 5)
        #expect(health.status != 0 && health.elapsed < .seconds(3), "/health still answers: \(health.failure ?? "")")
        // The disk stays nearly full (a failed extension may leave a little room): some of exec's
        // commands may still fit; the others must name the full disk.
        let (status, lines, errors) = try await Self.execWithErrors(conninfo, ledger, count: 50)
        let refusals = lines.filter { $0["status"] != "ok" }
        // On a loaded machine the disk can be so full that exec cannot even start its session
        // (PostgreSQL needs a little room for that too): then it runs nothing and says why, in
        // PostgreSQL's words for a full disk (a new session's relation cache file is one of them).
        let fullDisk = ["53100", "No space left", "could not write init file"]
        let refusedWhole = lines.isEmpty && status != 0 && fullDisk.contains { errors.contains($0) }
        #expect((status == 1 && !refusals.isEmpty) || refusedWhole, "exit \(status): \(lines.suffix(2)) \(errors)")
        for refusal in refusals {
            let text = Self.unavailableMessage(refusal) ?? "not error/unavailable: \(refusal)"
            #expect(text.contains("53100"), "ledger exec names the problem: \(text)")
        }

        try FileManager.default.removeItem(atPath: ballast)
        let resumed = try await eventually(within: .seconds(30)) { await ledger.adjust(port).status == 200 }
        #expect(resumed, "commands succeed once there is space again")
        try await Self.expectNothingLost(ledger, conninfo: conninfo, port: port)
        print(
            "disk full: \(sent) commands sent before the disk filled after \(filledAfter); "
                + "\(ledger.ids.count) acknowledged, all stored; refusal: \(message.prefix(160))")
    }
}
