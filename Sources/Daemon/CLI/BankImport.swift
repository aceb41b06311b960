import Commands
import EventStore
import Foundation

/// One line of an import file as the typed command to send, or why it cannot be one.
struct ImportLine<C: LedgerCommand> {
    var line: Int
    /// Derived from the line's stable key, so importing the same file again is idempotent.
    var commandId: UUID
    var command: Result<C, Rejection>

    /// The line's command read by `read`, refused with its rejection when a field does not parse.
    init(line: Int, commandId: UUID, _ read: () throws(Rejection) -> C) {
        self.line = line
        self.commandId = commandId
        do { command = .success(try read()) } catch { command = .failure(error) }
    }
}

/// Runs import commands one per line and reports each: accepted, already recorded, or refused.
func runImport<C: LedgerCommand>(
    _ database: DatabaseOptions, actor: Result<CommandActor, Rejection>, _ lines: [ImportLine<C>]
) async throws {
    let refused = try await withDatabase(database) { open in
        try await requireSchema(open)
        let pool = ConnectionPool(.init(conninfo: open.conninfo, maximumConnections: 2))
        let handler = CommandHandler(store: PostgresEventStore(pool: pool))
        var refused = 0
        for line in lines {
            let command: C
            switch (actor, line.command) {
            case (.failure(let rejection), _), (.success, .failure(let rejection)):
                refused += 1
                print("line \(line.line): refused: \(rejection.message)")
                continue
            case (.success, .success(let read)): command = read
            }
            let outcome = await handler.execute(command, id: line.commandId, actor: try actor.get())
            switch outcome.status {
            case .ok:
                // Money that fits no order is still recorded, in the suspense account (issue #13).
                if let unresolved = outcome.result?["unresolved"], case .string(let reason)? = unresolved["reason"],
                    case .string(let item)? = unresolved["itemId"]
                {
                    print("line \(line.line): accepted, unresolved: \(reason) (item \(item))")
                } else {
                    print("line \(line.line): accepted")
                }
            case .exists: print("line \(line.line): already recorded")
            case .rejected, .error:
                refused += 1
                print("line \(line.line): refused: \(outcome.error?.message ?? outcome.failure ?? "unknown")")
            }
        }
        await pool.close()
        return refused
    }
    print("\(lines.count - refused) accepted or already recorded, \(refused) refused")
    if refused > 0 { throw ExitStatus.rejected }
}

/// A command id derived from a stable key, so importing the same file again is idempotent.
func derivedId(_ kind: String, _ key: String) -> UUID {
    UUID.derived(from: "ledger-import-\(kind)-\(key)")
}
