import Commands
import EventStore
import Foundation
import Synchronization
import TestSupport
import Testing

/// Issue #8 item 3: PostgreSQL restarts under `ledger serve` while clients send commands. On a
/// private cluster (the shared test server must never be restarted). Issue #19 item 4: serve logs
/// JSON meanwhile (`LEDGER_LOG_FORMAT=json`), and every line it wrote is checked afterwards
/// (`checkLog`).
@Suite("Reliability: database restart")
struct DatabaseRestartTests {
    /// What one client saw: acknowledged commands (id and delta), refusals while the database was
    /// away, and the slowest answer.
    struct ClientLog: Sendable {
        var acknowledged: [(id: String, delta: Int)] = []
        var unavailable = 0
        var unexpected: [String] = []
        var slowest: Duration = .zero
    }

    /// What the clients and the test share: acknowledged commands so far, and the stop flag.
    final class Shared: Sendable {
        let progress = Atomic<Int>(0)
        let stop = Atomic<Bool>(false)
    }

    /// Sends AdjustCoupons until `stop`; each command is retried with the same id until `ok` or
    /// `exists`, so every command it started ends acknowledged exactly once.
    static func client(port: Int, seed: UInt64, shared: Shared) async -> ClientLog {
        var random = SplitMix64(seed: seed)
        var log = ClientLog()
        while !shared.stop.load(ordering: .relaxed) {
            let id = UUID()
            let delta = Int(1 + random.next() % 3)
            let deadline = ContinuousClock.now + .seconds(60)
            while true {
                let reply = await Reliability.post(port, Reliability.adjust(id: id, delta: delta), timeout: 10)
                log.slowest = max(log.slowest, reply.elapsed)
                if reply.status == 200, reply.json?["status"] == "ok" || reply.json?["status"] == "exists" {
                    log.acknowledged.append((id.uuidString.lowercased(), delta))
                    shared.progress.add(1, ordering: .relaxed)
                    break
                }
                if reply.status == 503, reply.json?["status"] == "error", reply.json?["error"]?["code"] == "unavailable"
                {
                    log.unavailable += 1
                } else {
                    log.unexpected.append("\(reply.status) \(reply.failure ?? reply.body.prefix(300).description)")
                }
                if ContinuousClock.now > deadline {
                    log.unexpected.append("command \(id) not acknowledged within 60 s")
                    break
                }
                try? await Task.sleep(for: .milliseconds(20))  // a client's retry pause, not synchronisation
            }
        }
        return log
    }

    @Test("two PostgreSQL restarts under load: acknowledged commands kept, 503 unavailable meanwhile, serve reconnects")
    func restartsUnderLoad() async throws {
        let seed: UInt64 = 0x8_0003
        print("database restart: seed \(seed)")
        let cluster = try PrivateCluster.start()
        defer { cluster.destroy() }
        let conninfo = try await cluster.migratedDatabase()
        let (serve, port) = try await ServeTests().start(conninfo, environment: ["LEDGER_LOG_FORMAT": "json"])
        let stopped = Shared()  // its stop flag: serve already waited for
        defer {
            if !stopped.stop.load(ordering: .relaxed) {
                serve.kill(SIGKILL)
                _ = serve.wait()
            }
        }
        #expect(await Reliability.post(port, Reliability.register()).status == 200)

        let shared = Shared()
        let clients = (0..<4).map { n in
            Task { await Self.client(port: port, seed: seed &+ UInt64(n), shared: shared) }
        }
        func waitForProgress(_ more: Int) async throws -> Bool {
            let target = shared.progress.load(ordering: .relaxed) + more
            return try await eventually(within: .seconds(60)) { shared.progress.load(ordering: .relaxed) >= target }
        }
        #expect(try await waitForProgress(30))

        // 1. pg_ctl restart -m fast in the middle of the load.
        let restartTook = try cluster.restart()
        #expect(try await waitForProgress(30), "commands succeed again after the restart: serve reconnected")

        // 2. A restart with the server held down until /health and the clients have seen the outage.
        let downAt = ContinuousClock.now
        cluster.stop()
        var healthWhileDown: Reliability.Reply?
        let sawOutage = try await eventually(within: .seconds(15)) {
            let health = await Reliability.call(port, "GET", "/health", timeout: 5)
            if health.status != 200 { healthWhileDown = health }
            return health.status == 503 && health.json?["database"] == "down"
        }
        #expect(sawOutage, "/health reports the outage: \(healthWhileDown?.body ?? "never non-200")")
        #expect((healthWhileDown?.elapsed ?? .zero) < .seconds(3), "/health answers quickly while the database is down")
        let acknowledgedWhenDown = shared.progress.load(ordering: .relaxed)
        // A command sent now gets a clear, retryable refusal within its deadline, not a hang.
        let refused = await Reliability.post(port, Reliability.adjust(id: UUID(), delta: 1), timeout: 10)
        #expect(refused.status == 503, "\(refused.failure ?? refused.body)")
        #expect(
            refused.json?["status"] == "error" && refused.json?["error"]?["code"] == "unavailable", "\(refused.body)")
        #expect(refused.elapsed < .seconds(5))
        #expect(
            shared.progress.load(ordering: .relaxed) == acknowledgedWhenDown,
            "nothing is acknowledged while the database is down")
        try cluster.resume()
        let outage = ContinuousClock.now - downAt
        let recovered = try await eventually(within: .seconds(60)) {
            await Reliability.call(port, "GET", "/health", timeout: 5).status == 200
        }
        let recoveredAfter = ContinuousClock.now - downAt
        #expect(recovered, "/health recovers after the restart")
        #expect(try await waitForProgress(30), "commands succeed again after the second restart")

        shared.stop.store(true, ordering: .relaxed)
        var logs: [ClientLog] = []
        for client in clients { logs.append(await client.value) }
        let acknowledged = logs.flatMap(\.acknowledged)
        let unexpected = logs.flatMap(\.unexpected)
        let slowest = logs.map(\.slowest).max() ?? .zero
        #expect(unexpected.isEmpty, "every answer is ok/exists or 503 unavailable, none hangs: \(unexpected.prefix(5))")
        #expect(slowest < .seconds(10), "no request hung: slowest \(slowest)")

        // Every acknowledged command is in the store, exactly once.
        let recorded = try await Reliability.recordedCommandIds(conninfo)
        let missing = acknowledged.filter { !recorded.contains($0.id) }
        #expect(missing.isEmpty, "acknowledged but not stored: \(missing.prefix(5))")
        let adjustments = try await Reliability.scalar(
            conninfo, "SELECT count(*) FROM ledger.events WHERE metadata->>'command' = 'AdjustCoupons'", Int.self)
        #expect(adjustments == acknowledged.count, "one event per acknowledged command, no duplicates")

        // The projection caught up by itself: the balance is the sum of the acknowledged deltas.
        let expected = acknowledged.reduce(0) { $0 + $1.delta }
        var lastBalance = ""
        let converged = try await eventually(within: .seconds(60)) {
            let balance = await Reliability.call(port, "GET", "/v1/companies/8888000004/coupon-balance", timeout: 5)
            lastBalance = balance.body
            return balance.json?["available"] == .int(Int64(expected))
        }
        #expect(converged, "read model \(lastBalance) ≠ sum of acknowledged commands \(expected)")
        print(
            "database restart: \(acknowledged.count) commands acknowledged (sum \(expected)), "
                + "\(logs.map(\.unavailable).reduce(0, +)) answers 503 unavailable, slowest answer \(slowest); "
                + "pg_ctl restart took \(restartTook); held outage \(outage), /health 200 again \(recoveredAfter) after the stop"
        )

        serve.kill(SIGTERM)
        let exit = await serve.wait(within: .seconds(60))
        stopped.stop.store(true, ordering: .relaxed)
        #expect(exit.status == 0, "serve survived both restarts and stops cleanly: \(exit.errorOutput.suffix(500))")
        Self.checkLog(ServeLog(exit.errorOutput), stderr: exit.errorOutput)
    }

    /// Every line is JSON with the documented keys; each outage is logged once when it starts
    /// (`database unavailable`, with the cause) and once when it ends (`database reachable
    /// again`), two restarts so at least two of each, alternating; and the access log has the
    /// test's requests by route template, with the 503s of the outage, and no secret.
    static func checkLog(_ log: ServeLog, stderr: String) {
        #expect(log.problems.isEmpty, "every line is a JSON object with the documented keys: \(log.problems.prefix(5))")
        #expect(log.lines.count > 10, "serve logged: \(stderr.prefix(500))")

        let transitions = log.lines.filter {
            $0.component == "ledger.database"
                && ($0.message == "database unavailable" || $0.message == "database reachable again")
                && $0.level != "debug"
        }
        let down = transitions.filter { $0.message == "database unavailable" }
        let up = transitions.filter { $0.message == "database reachable again" }
        #expect(down.count >= 2 && up.count >= 2, "both restarts logged: \(transitions.map(\.text))")
        #expect(
            transitions.map(\.message).enumerated().allSatisfy { index, message in
                message == (index % 2 == 0 ? "database unavailable" : "database reachable again")
            } && transitions.last?.message == "database reachable again",
            "once per transition, not once per retry: \(transitions.map(\.text).prefix(10))")
        for line in down {
            #expect(line.level == "error" && !(line.string("error") ?? "").isEmpty, "with its cause: \(line.text)")
        }
        for line in up {
            #expect(line.level == "notice" && (line.number("failedSeconds") ?? -1) >= 0, "\(line.text)")
        }

        let requests = log.requests
        for line in requests {
            #expect(
                line.string("method") != nil && line.number("status") != nil && (line.number("durationMs") ?? -1) >= 0,
                "an access-log line has method, route, status and duration: \(line.text)")
        }
        let commands = requests.filter { $0.string("method") == "POST" && $0.string("route") == "/v1/commands" }
        #expect(commands.contains { $0.number("status") == 200 }, "acknowledged commands are in the access log")
        #expect(commands.contains { $0.number("status") == 503 }, "the 503s of the outage are in the access log")
        #expect(
            commands.allSatisfy { $0.string("credential") == "api-token" }, "the credential's name, never the token")
        let health = requests.filter { $0.string("route") == "/health" }
        #expect(health.contains { $0.number("status") == 503 } && health.contains { $0.number("status") == 200 })
        #expect(
            requests.contains { $0.string("route") == "/v1/companies/{tradeRegNo}/coupon-balance" },
            "reads are logged by route template")
        #expect(requests.allSatisfy { !$0.text.contains("8888000004") }, "no raw path with ids, no body")
        #expect(!stderr.contains("secret"), "the API token never appears in the log")
    }
}
