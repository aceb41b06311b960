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

/// What an import reports with `--json`: each line's outcome, then the counts.
struct ImportReport: Encodable {
    struct Line: Encodable {
        var line: Int
        /// accepted, exists (already recorded) or refused.
        var status: String
        /// The rejection's code (COMMANDS.md) when refused.
        var code: String?
        var message: String?
        /// When accepted into the suspense account: its reason code and item id.
        var unresolved: String? = nil
    }
    var lines: [Line] = []
    var accepted = 0
    var alreadyRecorded = 0
    var refused = 0
}

/// Runs import commands one per line and reports each: accepted, already recorded, or refused
/// (one JSON object with `json`). Shows progress on a terminal (stderr).
func runImport<C: LedgerCommand>(
    _ database: DatabaseOptions, json: Bool = false, actor: Result<CommandActor, Rejection>,
    _ lines: [ImportLine<C>], label: (Int) -> String = { "line \($0)" }
) async throws {
    let report = try await withDatabase(database) { open in
        try await requireSchema(open)
        let pool = ConnectionPool(.init(conninfo: open.conninfo, maximumConnections: 2))
        let handler = CommandHandler(store: PostgresEventStore(pool: pool))
        let meter = ProgressMeter(label: "import", unit: "lines")
        var report = ImportReport()
        func record(_ line: ImportReport.Line) {
            report.lines.append(line)
            meter.update(done: report.lines.count, total: lines.count)
            switch line.status {
            case "accepted": report.accepted += 1
            case "exists": report.alreadyRecorded += 1
            default: report.refused += 1
            }
            guard !json else { return }
            meter.clear()
            switch line.status {
            case "accepted":
                print("\(label(line.line)): accepted" + (line.unresolved.map { ", unresolved: \($0)" } ?? ""))
            case "exists": print("\(label(line.line)): already recorded")
            default: print("\(label(line.line)): refused: \(line.message ?? "unknown")")
            }
        }
        for line in lines {
            let command: C
            switch (actor, line.command) {
            case (.failure(let rejection), _), (.success, .failure(let rejection)):
                record(
                    .init(line: line.line, status: "refused", code: rejection.code.rawValue, message: rejection.message)
                )
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
                    record(.init(line: line.line, status: "accepted", unresolved: "\(reason) (item \(item))"))
                } else {
                    record(.init(line: line.line, status: "accepted"))
                }
            case .exists: record(.init(line: line.line, status: "exists"))
            case .rejected, .error:
                record(
                    .init(
                        line: line.line, status: "refused", code: outcome.error?.code.rawValue ?? "error",
                        message: outcome.error?.message ?? outcome.failure ?? "unknown"))
            }
        }
        meter.finish()
        await pool.close()
        return report
    }
    if json {
        try printJSON(report)
    } else {
        print("\(report.accepted + report.alreadyRecorded) accepted or already recorded, \(report.refused) refused")
    }
    if report.refused > 0 { throw ExitStatus.rejected }
}

/// A command id derived from a stable key, so importing the same file again is idempotent.
func derivedId(_ kind: String, _ key: String) -> UUID {
    UUID.derived(from: "ledger-import-\(kind)-\(key)")
}
