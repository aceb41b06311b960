import Commands
import EventStore
import Foundation
import TestSupport
import Testing

@testable import Daemon
@testable import Projections

/// `/health/live` and `/health/ready` on a real `ledger serve` (#19 item 5): the readiness probe
/// only reads, so it answers on a read-only database, and it names what keeps it from ready.
@Suite("serve: liveness and readiness probes")
struct HealthProbeTests {
    @Test("live and ready on a current database; /health is the readiness probe")
    func readyAndLive() async throws {
        let test = try await TestDatabase.freshStore()
        let (serve, port) = try await ServeTests().start(test.conninfo)
        defer {
            serve.kill(SIGKILL)
            _ = serve.wait()
        }
        let live = await Reliability.call(port, "GET", "/health/live", timeout: 5)
        #expect(live.status == 200 && live.json?["status"] == "live", "\(live.body)")
        let ready = await Reliability.call(port, "GET", "/health/ready", timeout: 5)
        #expect(ready.status == 200 && ready.json?["status"] == "ready", "\(ready.body)")
        #expect(ready.json?["migrations"]?["current"] == .bool(true))
        #expect(ready.json?["database"] == "up")
        let old = await Reliability.call(port, "GET", "/health", timeout: 5)
        #expect(old.status == 200 && old.json?["status"] == "ready")
    }

    @Test("a registered company's chamber without --chamber-name is a readiness warning, not unready")
    func unnamedChamber() async throws {
        for named in [false, true] {
            let test = try await TestDatabase.freshStore()
            let (serve, port) = try await ServeTests().start(
                test.conninfo, extra: named ? ["--chamber-name", "kamikochi=上高地商工会議所"] : [])
            defer {
                serve.kill(SIGKILL)
                _ = serve.wait()
            }
            #expect(await Reliability.post(port, Reliability.register()).status == 200)
            var last = Reliability.Reply(status: 0, body: "", elapsed: .zero, failure: nil)
            let projected = try await eventually(within: .seconds(20)) {
                last = await Reliability.call(port, "GET", "/health/ready", timeout: 5)
                let balance = await Reliability.call(
                    port, "GET", "/v1/companies/8888000004/coupon-balance", timeout: 5)
                return balance.status == 200 && last.status == 200
            }
            #expect(projected, "\(last.body)")
            let ready = await Reliability.call(port, "GET", "/health/ready", timeout: 5)
            #expect(ready.status == 200)
            guard case .array(let warnings)? = ready.json?["warnings"] else {
                Issue.record("no warnings array: \(ready.body)")
                continue
            }
            if named {
                #expect(warnings.isEmpty, "\(warnings)")
            } else {
                #expect(warnings.count == 1, "\(warnings)")
                #expect(warnings.first?.text?.contains("kamikochi") == true, "\(warnings)")
            }
        }
    }

    @Test("a read-only database: ready reads it all and says readOnly, 503; live stays 200")
    func readOnly() async throws {
        let test = try await TestDatabase.freshStore()
        let (serve, port) = try await ServeTests().start(test.conninfo)
        defer {
            serve.kill(SIGKILL)
            _ = serve.wait()
        }
        let admin = try await test.connect()
        let name = try await admin.query("SELECT current_database()").singleRow().decode(String.self, 0)
        try await admin.execute("ALTER DATABASE \(quoteIdentifier(name)) SET default_transaction_read_only = on")
        try await admin.query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
            [name])
        // Pooled sessions that were just ended answer once as lost; then the probe reads read-only.
        var last = Reliability.Reply(status: 0, body: "", elapsed: .zero, failure: nil)
        let answered = try await eventually(within: .seconds(20)) {
            last = await Reliability.call(port, "GET", "/health/ready", timeout: 5)
            return last.json?["migrations"]?["current"] == .bool(true)
        }
        #expect(answered, "the probe reads migrations and projections without writing: \(last.body)")
        #expect(last.status == 503 && last.json?["database"] == "readOnly" && last.json?["status"] == "notReady")
        #expect(await Reliability.call(port, "GET", "/health/live", timeout: 5).status == 200)
        try await admin.execute("ALTER DATABASE \(quoteIdentifier(name)) RESET default_transaction_read_only")
        await admin.close()
        let back = try await eventually(within: .seconds(20)) {
            await Reliability.call(port, "GET", "/health/ready", timeout: 5).status == 200
        }
        #expect(back)
    }

    @Test("a migration this binary does not know makes ready 503, naming it")
    func unknownMigration() async throws {
        let test = try await TestDatabase.freshStore()
        let (serve, port) = try await ServeTests().start(test.conninfo)
        defer {
            serve.kill(SIGKILL)
            _ = serve.wait()
        }
        let admin = try await test.connect()
        try await admin.execute(
            "INSERT INTO ledger.schema_migrations (version, name, checksum) VALUES (9001, '9001_from_the_future.sql', 'x')"
        )
        await admin.close()
        let ready = await Reliability.call(port, "GET", "/health/ready", timeout: 5)
        #expect(ready.status == 503, "\(ready.body)")
        #expect(ready.json?["migrations"]?["unknown"] == .array(["9001_from_the_future.sql"]), "\(ready.body)")
    }

    @Test("failing or lagging projections keep ready at notReady, with their names")
    func projections() throws {
        func status(_ name: String, lag: Double, failing: Bool) throws -> ProjectionStatus {
            try JSONDecoder().decode(
                ProjectionStatus.self,
                from: Data(
                    #"{"projection":"\#(name)","globalPosition":1,"eventsApplied":1,"lagEvents":3,"lagSeconds":\#(lag),"failing":\#(failing)}"#
                        .utf8))
        }
        let current = try JSONDecoder().decode(
            MigrationStatus.self, from: Data(#"{"applied":[],"pending":[],"unknown":[],"changed":[]}"#.utf8))
        let fine = Readiness(
            statuses: [try status("a", lag: 5, failing: false)], readOnly: false, migrations: current,
            maximumLagSeconds: 60)
        #expect(fine.isReady)
        let slow = Readiness(
            statuses: [try status("a", lag: 61, failing: false), try status("b", lag: 0, failing: true)],
            readOnly: false, migrations: current, maximumLagSeconds: 60)
        #expect(!slow.isReady)
        func names(_ key: String) -> [JSONValue?] {
            guard case .array(let items)? = slow.body[key] else { return [] }
            return items.map { $0["projection"] }
        }
        #expect(names("laggingProjections") == ["a"])
        #expect(names("failingProjections") == ["b"])
    }
}
