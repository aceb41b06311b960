import Commands
import EventStore
import Foundation
import Projections
import Synchronization
import TestSupport
import Testing

/// Real `ledger project` processes, killed with SIGKILL at random moments or run two at a time
/// while commands stream in; afterwards the read models must equal a from-scratch replay, and each
/// projection must have applied each of its events exactly once.
@Suite("projection workers: crashes and concurrent processes")
struct WorkerCrashTests {
    static let staff = #"{"kind":"chamberStaff","id":"s1","chamberId":"kamikochi"}"#
    static let user = #"{"kind":"companyUser","id":"ichiro","tradeRegNo":"8888000004"}"#

    /// A seeded stream of commands: adjustments, coupon applications, holds and approvals.
    static func commands(count: Int, seed: UInt64) -> [String] {
        var random = SplitMix64(state: seed)
        var lines = [
            #"{"command":"PublishTariff","commandId":"\#(UUID())","actor":\#(staff),"chamberId":"kamikochi","effectiveFrom":"2020-01-01","applicationFeeYen":{"member":1210,"nonMember":3630},"couponProducts":[]}"#,
            #"{"command":"RegisterCompany","commandId":"\#(UUID())","actor":\#(staff),"tradeRegNo":"8888000004","companyName":"日商テスト商事株式会社","chamberId":"kamikochi","membership":"member","paymentMethods":["card"]}"#,
        ]
        for n in 0..<count {
            let reception = String(format: "%09d", 500_000 + Int(random.next() % 300))
            switch random.next() % 4 {
            case 0:
                lines.append(
                    #"{"command":"AdjustCoupons","commandId":"\#(UUID())","actor":\#(staff),"tradeRegNo":"8888000004","delta":\#(1 + random.next() % 3),"reason":"r\#(n)"}"#
                )
            case 1:
                lines.append(
                    #"{"command":"SubmitApplication","commandId":"\#(UUID())","actor":\#(user),"receptionNo":"\#(reception)","certificateKind":"originJapan","invoiceNumber":"inv","applicantName":"一郎","applicationDate":"2026-04-02","issuanceChannel":"online","paymentMethod":"\#(random.next() % 2 == 0 ? "coupon" : "card")"}"#
                )
            case 2:
                lines.append(
                    #"{"command":"PutApplicationOnHold","commandId":"\#(UUID())","actor":\#(staff),"receptionNo":"\#(reception)"}"#
                )
            default:
                lines.append(
                    #"{"command":"ApproveApplication","commandId":"\#(UUID())","actor":\#(staff),"receptionNo":"\#(reception)"}"#
                )
            }
        }
        return lines
    }

    /// Runs the commands in-process through the handler; returns how many took effect.
    static func stream(_ lines: [String], _ store: PostgresEventStore) async -> Int {
        let handler = CommandHandler(store: store)
        var ok = 0
        for line in lines where await handler.execute(line: Data(line.utf8)).succeeded { ok += 1 }
        return ok
    }

    func startWorker(_ conninfo: String) throws -> ChildProcess.Running {
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "LEDGER_DATABASE_URL")
        return try ChildProcess.start(
            LedgerExecutable.path, ["project", "--database-url", conninfo], environment: environment)
    }

    /// After a final `--once`, the live models equal a replay and nothing was applied twice.
    func verifyConverged(_ test: TestStore) async throws {
        let once = try await LedgerExecutable.run(["project", "--once", "--database-url", test.conninfo])
        #expect(once.status == 0, "\(once.errorOutput)")
        let replay = ProjectionReplay(store: test.store, conninfo: test.conninfo)
        try await replay.build(into: "replay_check")
        let differences = try await replay.differences(from: "replay_check")
        #expect(differences.values.allSatisfy { $0 == 0 }, "live ≠ replay: \(differences)")
        let connection = try await test.connect()
        for projection in ProjectionCatalog.all {
            let expected = try await connection.query(
                "SELECT count(*) FROM ledger.events WHERE event_type = ANY ($1::text[])",
                [PGTextArray(projection.eventTypes)]
            ).singleRow().decode(Int.self, 0)
            let applied = try await connection.query(
                "SELECT events_applied FROM ledger.projection_checkpoints WHERE projection = $1", [projection.name]
            ).singleRow().decode(Int.self, 0)
            #expect(applied == expected, "\(projection.name) applied \(applied) of \(expected) events")
        }
        await connection.close()
    }

    /// Set by the producer when its stream is done (the long variant kills until then).
    final class Done: Sendable { let flag = Atomic<Bool>(false) }

    /// Quick: 12 kills during 1,500 commands. Long (LEDGER_RELIABILITY_LONG=1, issue #8 item 2):
    /// 10,000 commands with kills spread over the whole stream, at least 20.
    @Test("SIGKILL at random moments while commands stream in: converges to the replay", arguments: [UInt64(4242)])
    func killedWorkers(seed: UInt64) async throws {
        let count = LongRun.scale(1_500, long: 10_000)
        let minimumKills = LongRun.scale(12, long: 20)
        print("worker crashes: seed \(seed), \(count) commands, at least \(minimumKills) kills")
        let test = try await TestDatabase.freshStore()
        let lines = Self.commands(count: count, seed: seed)
        let done = Done()
        let started = ContinuousClock.now
        let producer = Task {
            let accepted = await Self.stream(lines, test.store)
            done.flag.store(true, ordering: .relaxed)
            return accepted
        }
        var random = SplitMix64(state: seed)
        var kills = 0
        var worker = try startWorker(test.conninfo)
        while kills < minimumKills || (LongRun.enabled && !done.flag.load(ordering: .relaxed)) {
            try await Task.sleep(for: .milliseconds(Int(60 + random.next() % LongRun.scale(250, long: 4_000))))
            worker.kill(SIGKILL)
            _ = await worker.wait(within: .seconds(60))
            kills += 1
            worker = try startWorker(test.conninfo)
        }
        let accepted = await producer.value
        #expect(accepted > count / 4, "most commands of the seeded stream take effect")
        worker.kill(SIGKILL)
        _ = await worker.wait(within: .seconds(60))
        try await verifyConverged(test)
        print(
            "worker crashes: \(kills) SIGKILLs, \(accepted) of \(lines.count) commands accepted, "
                + "\(ContinuousClock.now - started); read models equal the replay")
    }

    @Test("two worker processes at once: each event applied once")
    func twoProcesses() async throws {
        let test = try await TestDatabase.freshStore()
        let workers = [try startWorker(test.conninfo), try startWorker(test.conninfo)]
        _ = await Self.stream(Self.commands(count: 600, seed: 7), test.store)
        for worker in workers { worker.kill(SIGTERM) }
        for worker in workers {
            let result = await worker.wait(within: .seconds(60))
            #expect(result.status == 0, "a worker stops cleanly on SIGTERM: \(result.errorOutput)")
        }
        try await verifyConverged(test)
    }
}
