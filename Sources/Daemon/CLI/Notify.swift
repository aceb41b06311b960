import ArgumentParser
import EventStore
import Foundation
import Projections

/// `ledger notify`: transfer the outbox's due mails once (the daemon does it continuously).
struct Notify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Send the e-mails due in the notification outbox, by SMTP or the sendmail interface.",
        discussion: """
            Run `ledger project --once` first so that the outbox is up to date. A mail is marked sent \
            only when the mail system took it; a temporary failure is retried later with backoff, a \
            permanent one is marked failed. Exit 0 when every due mail was sent, 1 when some were not.
            \(EnvironmentHelp.text(EnvironmentHelp.database, EnvironmentHelp.mail))
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var mail: MailOptions
    @Flag(help: "Print the outcome as JSON") var json = false

    /// The `--json` answer (`firstError` only when something failed).
    struct Report: Encodable {
        var sent, retrying, failed: Int
        var transport: String
        var firstError: String?
    }

    func run() async throws {
        try mail.validateRemoved()
        let configuration = try database.settings(mail)
        let settings = try configuration.mail()
        guard let sender = settings.sender else {
            throw fail(
                "no mail transport: give --smtp-url or --sendmail (or LEDGER_SMTP_URL / LEDGER_SENDMAIL, or "
                    + "mail.smtpUrl / mail.sendmail in the --config file), or install a sendmail at "
                    + SendmailMailSender.defaultPath)
        }
        let total = try await withDatabase(configuration) { open in
            try await requireSchema(open)
            return try await ConnectionPool.with(.init(conninfo: open.conninfo, maximumConnections: 1)) { pool in
                let dispatcher = NotificationDispatcher(
                    pool: pool, sender: sender, from: settings.from, retry: settings.retry)
                var total = NotificationDispatcher.Round()
                while true {
                    let round = try await dispatcher.dispatch()
                    total.sent += round.sent
                    total.retrying += round.retrying
                    total.failed += round.failed
                    total.firstError = total.firstError ?? round.firstError
                    if round.attempted == 0 { return total }
                }
            }
        }
        if json {
            try printJSON(
                Report(
                    sent: total.sent, retrying: total.retrying, failed: total.failed,
                    transport: sender.transportDescription, firstError: total.firstError))
        } else {
            print(
                "sent \(total.sent) mail(s) via \(sender.transportDescription); \(total.retrying) to retry, "
                    + "\(total.failed) failed")
            if let error = total.firstError { FileHandle.standardError.write(Data("ledger: \(error)\n".utf8)) }
        }
        if total.retrying + total.failed > 0 { throw ExitStatus.rejected }
    }
}
