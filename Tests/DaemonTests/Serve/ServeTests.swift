import Commands
import EventStore
import Foundation
import Projections
import TestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `ledger serve` as a real process: the HTTP API, authentication, read-your-writes, health,
/// metrics, and a graceful stop on SIGTERM.
@Suite("ledger serve")
struct ServeTests {
    struct Reply {
        var status: Int
        var body: String
        var json: JSONValue? { try? JSONCoding.decoder.decode(JSONValue.self, from: Data(body.utf8)) }
    }

    func call(
        _ port: Int, _ method: String, _ path: String, body: String? = nil, token: String? = "secret",
        headers: [String: String] = [:]
    ) async throws -> Reply {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = method
        if let body { request.httpBody = Data(body.utf8) }
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await URLSession.shared.data(for: request)
        return Reply(
            status: (response as? HTTPURLResponse)?.statusCode ?? 0, body: String(decoding: data, as: UTF8.self))
    }

    /// Starts `ledger serve` on a free port (with `added` in its environment) and waits until
    /// /health answers.
    func start(
        _ conninfo: String, extra: [String] = [], environment added: [String: String] = [:]
    ) async throws -> (ChildProcess.Running, Int) {
        for attempt in 0..<5 {
            let port = Int.random(in: 20_000...60_000) + attempt
            var environment = ProcessInfo.processInfo.environment
            environment.removeValue(forKey: "LEDGER_DATABASE_URL")
            environment["LEDGER_API_TOKEN"] = "secret"
            environment.merge(added) { _, new in new }
            let server = try ChildProcess.start(
                LedgerExecutable.path,
                [
                    "serve", "--database-url", conninfo, "--http-port", String(port),
                ] + extra, environment: environment)
            let deadline = ContinuousClock.now + .seconds(20)
            while ContinuousClock.now < deadline {
                if let health = try? await call(port, "GET", "/health"), health.status == 200 { return (server, port) }
                if kill(server.pid, 0) != 0 { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            server.kill(SIGKILL)
            _ = await server.wait(within: .seconds(60))
        }
        throw TestDatabaseError("ledger serve did not come up")
    }

    static let staff = #"{"kind":"chamberStaff","id":"s1","chamberId":"kamikochi"}"#

    @Test("commands in, read models out, with read-your-writes; health, metrics; graceful stop")
    func api() async throws {
        let test = try await TestDatabase.freshStore()
        let (server, port) = try await start(test.conninfo)
        let register =
            #"{"command":"RegisterCompany","commandId":"\#(UUID())","actor":\#(Self.staff),"tradeRegNo":"8888000004","companyName":"日商テスト商事株式会社","chamberId":"kamikochi","membership":"member","paymentMethods":["card"]}"#
        #expect(try await call(port, "POST", "/v1/commands", body: register, token: nil).status == 401)
        #expect(try await call(port, "POST", "/v1/commands", body: register, token: "wrong").status == 401)
        let registered = try await call(port, "POST", "/v1/commands", body: register)
        #expect(registered.status == 200, "\(registered.body)")
        let adjust =
            #"{"command":"AdjustCoupons","commandId":"\#(UUID())","actor":\#(Self.staff),"tradeRegNo":"8888000004","delta":7,"reason":"r"}"#
        let adjusted = try await call(port, "POST", "/v1/commands", body: adjust)
        let position = try #require(adjusted.json?["position"])
        guard case .int(let at) = position else {
            Issue.record("no position")
            return
        }
        let read = "/v1/companies/8888000004/coupon-balance?atLeastPosition=\(at)"
        var balance = try await call(port, "GET", read)
        // The horizon is cluster-wide: other suites' deliberately open transactions on the shared
        // test server can hold the worker back past the API's 5 s wait, which then answers 503
        // "retry". Retry as a client would; an answer of 200 must never be stale.
        let deadline = ContinuousClock.now + .seconds(60)
        while balance.status == 503, ContinuousClock.now < deadline {
            balance = try await call(port, "GET", read)
        }
        #expect(balance.status == 200)
        #expect(balance.json?["available"] == 7, "read-your-writes: \(balance.body)")
        // The same error body as ledger exec for bad JSON; domain refusals are 422.
        let bad = try await call(port, "POST", "/v1/commands", body: "{not json")
        #expect(bad.status == 400)
        #expect(bad.json?["error"]?["code"] == "invalidCommand")
        let tooMany =
            #"{"command":"AdjustCoupons","commandId":"\#(UUID())","actor":\#(Self.staff),"tradeRegNo":"8888000004","delta":-99,"reason":"r"}"#
        let refused = try await call(port, "POST", "/v1/commands", body: tooMany)
        #expect(refused.status == 422)
        #expect(refused.json?["error"]?["code"] == "insufficientCoupons")
        #expect(try await call(port, "GET", "/v1/orders/202401198888000004000001").status == 404)
        // R27: statements only for the user named by the front end.
        #expect(try await call(port, "GET", "/v1/users/taro/credit-statements?month=2025-04").status == 403)
        let own = try await call(
            port, "GET", "/v1/users/taro/credit-statements?month=2025-04", headers: ["X-Ledger-User": "taro"])
        #expect(own.status == 200 && own.body == "[]")
        let metrics = try await call(port, "GET", "/metrics")
        for name in [
            "ledger_events_appended_total", "ledger_projection_lag_events", "ledger_projection_lag_seconds",
            "ledger_horizon_age_seconds", "ledger_commands_total", "ledger_command_duration_seconds",
            "ledger_pool_size", "ledger_pool_open", "ledger_pool_in_use", "ledger_pool_waiting",
        ] {
            #expect(metrics.body.contains(name), "/metrics lacks \(name)")
        }
        // Every connection the daemon holds is counted by purpose: the pool's, a leadership
        // connection and a listener per worker and for the journal sequencer.
        let lines = metrics.body.split(separator: "\n")
        func gauge(_ prefix: String) -> Double? {
            lines.first { $0.hasPrefix(prefix + " ") }.flatMap { Double($0.split(separator: " ").last ?? "") }
        }
        for purpose in ConnectionPurpose.allCases {
            #expect(gauge("ledger_db_connections{purpose=\"\(purpose.rawValue)\"}") != nil, "/metrics lacks \(purpose)")
        }
        #expect(gauge("ledger_pool_size") == 16)
        #expect((gauge(#"ledger_db_connections{purpose="leadership"}"#) ?? 0) > Double(ProjectionCatalog.all.count))
        #expect((gauge(#"ledger_db_connections{purpose="listener"}"#) ?? 0) >= 1)
        server.kill(SIGTERM)
        let clock = ContinuousClock()
        let begun = clock.now
        let exit: ChildProcess.Result? = await server.wait(within: .seconds(60))
        let took = clock.now - begun
        #expect(exit?.status == 0, "\(exit?.errorOutput ?? "")")
        #expect(took < .seconds(10))
        // Every accepted command is durable: 3 registration events and 1 adjustment.
        #expect(try await test.store.read(stream: StreamName("company-8888000004")!).count == 4)
    }
}
