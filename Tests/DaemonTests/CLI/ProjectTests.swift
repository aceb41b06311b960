import Commands
import EventStore
import Foundation
import Projections
import TestSupport
import Testing

/// `ledger project` (continuous) as a real process: its workers run as services under a
/// `ServiceGroup`, and SIGTERM/SIGINT stop it gracefully with exit 0.
@Suite("ledger project")
struct ProjectTests {
    static let staff = #"{"kind":"chamberStaff","id":"s1","chamberId":"kamikochi"}"#

    @Test(
        "it projects new events while running and stops on SIGTERM or SIGINT with exit 0", arguments: [SIGTERM, SIGINT])
    func gracefulStop(signal: Int32) async throws {
        let test = try await TestDatabase.freshStore()
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "LEDGER_DATABASE_URL")
        let worker = try ChildProcess.start(
            LedgerExecutable.path, ["project", "--database-url", test.conninfo],
            environment: environment)
        let register =
            #"{"command":"RegisterCompany","commandId":"\#(UUID())","actor":\#(Self.staff),"tradeRegNo":"8888000004","companyName":"日商テスト商事株式会社","chamberId":"kamikochi","membership":"member","paymentMethods":["card"]}"#
        #expect(await CommandHandler(store: test.store).execute(line: Data(register.utf8)).succeeded)
        let projected = try await eventually(within: .seconds(60)) {
            try await PGConnection.withConnection(test.conninfo, purpose: .other) { connection in
                try await connection.query(
                    "SELECT coalesce(sum(events_applied), 0)::bigint FROM ledger.projection_checkpoints WHERE projection = 'coupon_balance'"
                ).singleRow().decode(Int64.self, 0) > 0
            }
        }
        #expect(projected, "the running workers applied the new events")
        worker.kill(signal)
        let clock = ContinuousClock()
        let begun = clock.now
        let exit: ChildProcess.Result? = await worker.wait(within: .seconds(60))
        let took = clock.now - begun
        #expect(exit?.status == 0, "\(exit?.errorOutput ?? "")")
        #expect(took < .seconds(10))
        await test.pool.close()
    }
}
