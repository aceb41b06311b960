import Commands
import EventStore
import Foundation
import TestSupport
import Testing

/// Goal: the CLI's time options and the bank files' dates are as strict as the envelope's `at`:
/// an impossible value is refused naming the option or field, never rolled over.
@Suite("impossible times on the command line and in import files")
struct ImpossibleTimeOptionTests {
    @Test("events --since/--until and replay --as-of refuse impossible times; deposits import refuses impossible dates")
    func refused() async throws {
        let ledger = try await LedgerFixture.make()
        try await ledger.setUp()
        let url = ledger.test.conninfo
        for (arguments, option) in [
            (["events", "--since", "2025-02-30T10:00:00+09:00"], "--since"),
            (["events", "--until", "2025-03-17T24:00:00+09:00"], "--until"),
            (["replay", "--as-of", "2025-02-30T10:00:00+09:00", "--into", "audit_never"], "--as-of"),
        ] {
            let run = try await LedgerExecutable.run(arguments + ["--database-url", url])
            #expect(run.status == 2, "\(arguments)")
            #expect(run.errorOutput.contains(option), "\(run.errorOutput)")
        }
        let deposits = try LedgerExecutable.writeLines([
            "deposit_id,bank_code,branch_code,account_number,amount_yen,credited_on,payer_name",
            "D-30,0310,502,6818564,1210,2026-02-30,x",
            "D-31,0310,502,6818564,1210,2026-02-28,x",
        ])
        let imported = try await LedgerExecutable.run(["deposits", "import", "--database-url", url, deposits])
        #expect(imported.status == 1)
        #expect(imported.output.contains("line 2: refused: depositedOn"), "\(imported.output)")
        #expect(imported.output.contains("line 3: accepted"), "\(imported.output)")
    }
}
