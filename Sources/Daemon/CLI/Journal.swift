import ArgumentParser
import Commands
import EventStore
import Foundation

/// `ledger journal export`: the journal's head as a checkpoint to keep outside the database;
/// `ledger journal keygen` and `ledger journal checkpoint --sign`: signed checkpoints.
struct Journal: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Journal commands.", subcommands: [Export.self, Keygen.self, Checkpoint.self])

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Print the journal's latest entry (sequence, chain hash, time) as JSON, to keep outside the database.",
            discussion: EnvironmentHelp.text(EnvironmentHelp.database))

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let line = try await withDatabase(database) { open in
                try await requireSchema(open)
                let connection = try await PGConnection.connect(open.conninfo, purpose: .cli)
                let result = try await connection.query(
                    "SELECT ledger_seq, chain_hash FROM ledger.journal ORDER BY ledger_seq DESC LIMIT 1")
                await connection.close()
                guard let row = result.rows.first else {
                    throw fail("the journal is empty: run `ledger project --once` first")
                }
                let checkpoint = Verifier.Checkpoint(
                    ledgerSeq: try row.decode(Int64.self, 0),
                    chainHash: try row.decode(String.self, 1),
                    exportedAt: RFC3339.format(Date(), offsetSeconds: 0))
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                return String(decoding: try encoder.encode(checkpoint), as: UTF8.self)
            }
            print(line)
        }
    }
}
