import ArgumentParser
import Crypto
import EventStore
import Foundation

/// `ledger verify [--checkpoint FILE] [--public-key FILE] [--json]`: prove the history is complete,
/// unaltered, in order; with a public key, that nothing before its latest signed checkpoint was
/// rewritten.
struct Verify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Recompute every event hash and the journal's chain; check versions and the journal have no holes.",
        discussion:
            "Exit 0 when all holds; 1 naming the first bad event. Journal new events first (ledger project --once). "
            + "Shows progress on a terminal (stderr). " + EnvironmentHelp.text(EnvironmentHelp.database)
    )

    @OptionGroup var database: DatabaseOptions

    @Option(help: "A checkpoint exported earlier by `ledger journal export`, to compare with")
    var checkpoint: String?

    @Option(
        help: """
            A public key file (`ledger journal keygen`): check every checkpoint it signed \
            (`ledger journal checkpoint --sign`) and that the chain still passes through each
            """)
    var publicKey: String?

    @Flag(help: "Print the report as one JSON object")
    var json = false

    func run() async throws {
        var expected: Verifier.Checkpoint?
        if let checkpoint {
            guard let data = FileManager.default.contents(atPath: checkpoint),
                let parsed = try? JSONDecoder().decode(Verifier.Checkpoint.self, from: data)
            else {
                throw fail(
                    "cannot read the checkpoint file \(checkpoint) (expected the JSON of `ledger journal export`)")
            }
            expected = parsed
        }
        var key: Curve25519.Signing.PublicKey?
        if let publicKey {
            do { key = try SignedCheckpoint.publicKey(file: publicKey) } catch { throw fail(error.description) }
        }
        let report = try await withDatabase(database) { open in
            try await requireSchema(open)
            let meter = ProgressMeter(label: "verify")
            let report = try await Verifier(conninfo: open.conninfo).run(
                checkpoint: expected, signedBy: key,
                progress: { done, total in meter.update(done: Int(done), total: Int(total)) })
            meter.finish()
            return report
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print(
                String(
                    format:
                        "verified %lld events in %lld journal entries in %.2f s (%.0f events/s); %lld not yet journaled",
                    report.eventsVerified, report.journalEntries, report.seconds, report.eventsPerSecond,
                    report.notYetJournaled))
            if let signed = report.signedCheckpoints {
                print(
                    "\(signed) checkpoint(s) signed by the key, the latest at journal entry "
                        + (report.latestSignedSeq.map(String.init) ?? "none"))
            }
            if let first = report.problems.first {
                print("FAILED: \(report.problems.count) problem(s); the first: \(first)")
                for problem in report.problems.dropFirst().prefix(20) { print("  also: \(problem)") }
            } else {
                print("OK: the journal is dense, every hash and the chain recompute, versions are contiguous")
            }
        }
        if !report.ok { throw ExitStatus.rejected }
    }
}
