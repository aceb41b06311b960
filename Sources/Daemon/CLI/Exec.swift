import ArgumentParser
import Commands
import EventStore
import Foundation

/// `ledger exec [FILE] [--clock input]`: commands as JSON lines in, one result line out per
/// command, in order (COMMANDS.md).
struct Exec: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run commands given as JSON lines (a file or stdin); print one JSON result per line.",
        discussion: "Exit 0 when every command was ok or exists, 1 when any was rejected or failed. "
            + EnvironmentHelp.text(EnvironmentHelp.database, EnvironmentHelp.variables(.chamberNames))
    )

    @OptionGroup var database: DatabaseOptions

    @Argument(help: "File of JSON lines (default: standard input)")
    var file: String?

    @Option(help: "server (default): the server's clock; input: each command's `at` (imports, tests)")
    var clock: String = "server"

    @OptionGroup var domain: DomainOptions

    func run() async throws {
        let mode: CommandHandler.ClockMode
        switch clock {
        case "server": mode = .server
        case "input": mode = .input
        default: throw fail("--clock must be server or input, not \(clock)")
        }
        try domain.validateCalendar()
        let settings = try database.settings(domain)
        let chamberNames = try settings.chambers()
        let input: FileHandle
        if let file {
            guard let handle = FileHandle(forReadingAtPath: file) else { throw fail("cannot read \(file)") }
            input = handle
        } else {
            input = FileHandle.standardInput
        }
        let allSucceeded = try await withDatabase(settings) { open in
            try await requireSchema(open)
            let pool = ConnectionPool(.init(conninfo: open.conninfo, maximumConnections: 2))
            let handler = CommandHandler(
                store: PostgresEventStore(pool: pool), clockMode: mode, chamberNames: chamberNames)
            var allSucceeded = true
            for line in LineReader(input) {
                if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
                let outcome = await handler.execute(line: line)
                allSucceeded = allSucceeded && outcome.succeeded
                FileHandle.standardOutput.write(Data((outcome.jsonLine + "\n").utf8))
            }
            await pool.close()
            return allSucceeded
        }
        if !allSucceeded { throw ExitStatus.rejected }
    }
}
