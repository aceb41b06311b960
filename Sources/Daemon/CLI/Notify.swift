import ArgumentParser
import EventStore
import Foundation
import Projections
import ServiceLifecycle

/// `ledger notify [--mail-dir DIR]`: send the outbox's due mails once (the daemon does it continuously).
struct Notify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Send the e-mails due in the notification outbox (file sender: one .eml file per mail).",
        discussion: "Run `ledger project --once` first so that the outbox is up to date. "
            + EnvironmentHelp.text(EnvironmentHelp.database, EnvironmentHelp.mail))

    @OptionGroup var database: DatabaseOptions
    @Option(help: "Folder for the mail files (default LEDGER_MAIL_DIR or ./.ledger/outbox)") var mailDir: String?
    @Flag(help: "Print one JSON object") var json = false

    struct Report: Encodable {
        var sent: Int
        var directory: String
    }

    func run() async throws {
        let directory = mailDirectory(mailDir)
        let sent = try await withDatabase(database) { open in
            try await requireSchema(open)
            return try await ConnectionPool.with(.init(conninfo: open.conninfo, maximumConnections: 1)) { pool in
                let dispatcher = NotificationDispatcher(pool: pool, sender: FileMailSender(directory: directory))
                var total = 0
                while true {
                    let sent = try await dispatcher.dispatch()
                    total += sent
                    if sent == 0 { return total }
                }
            }
        }
        if json {
            try printJSON(Report(sent: sent, directory: directory.path))
        } else {
            print("sent \(sent) mail(s) to \(directory.path)")
        }
    }
}

func mailDirectory(_ flag: String?) -> URL {
    if let flag { return URL(fileURLWithPath: flag) }
    if let configured = ProcessInfo.processInfo.environment["LEDGER_MAIL_DIR"], !configured.isEmpty {
        return URL(fileURLWithPath: configured)
    }
    return URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".ledger/outbox")
}
