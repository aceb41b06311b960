import ArgumentParser
import Commands
import Crypto
import EventStore
import Foundation

/// Runs import commands one per line and reports each: accepted, already recorded, or refused.
func runImport(_ database: DatabaseOptions, _ lines: [(Int, String)]) async throws {
    let refused = try await withDatabase(database) { open in
        try await requireSchema(open)
        let pool = ConnectionPool(.init(conninfo: open.conninfo, maximumConnections: 2))
        let handler = CommandHandler(store: PostgresEventStore(pool: pool))
        var refused = 0
        for (line, command) in lines {
            let outcome = await handler.execute(line: Data(command.utf8))
            switch outcome.status {
            case .ok: print("line \(line): accepted")
            case .exists: print("line \(line): already recorded")
            case .rejected, .error:
                refused += 1
                print("line \(line): refused: \(outcome.error?.message ?? outcome.failure ?? "unknown")")
            }
        }
        await pool.close()
        return refused
    }
    print("\(lines.count - refused) accepted or already recorded, \(refused) refused")
    if refused > 0 { throw ExitStatus.rejected }
}

/// A JSON string literal, or null.
func quote(_ text: String?) -> String {
    guard let text else { return "null" }
    return JSONValue.string(text).jsonText
}

/// A command id derived from a stable key, so importing the same file again is idempotent.
func derivedId(_ kind: String, _ key: String) -> String {
    var bytes = Array(SHA256.hash(data: Data("ledger-import-\(kind)-\(key)".utf8)).prefix(16))
    bytes[6] = (bytes[6] & 0x0F) | 0x40
    bytes[8] = (bytes[8] & 0x3F) | 0x80
    return UUID(
        uuid: (
            bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
            bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
        )
    )
    .uuidString.lowercased()
}
