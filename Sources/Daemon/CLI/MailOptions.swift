import ArgumentParser
import Foundation
import Projections

/// How `notify` and `serve` transfer the outbox's mails: SMTP to a relay, or the system's sendmail
/// interface. Flags win over `LEDGER_*` variables; with neither, `/usr/sbin/sendmail` is used when
/// it exists (as cron and most daemons do), else there is no transport.
struct MailOptions: ParsableArguments {
    @Option(help: "SMTP relay, smtp://host[:port] (default LEDGER_SMTP_URL)")
    var smtpUrl: String?

    @Option(
        help:
            "Mailer command taking the sendmail interface; -t -i are added (default LEDGER_SENDMAIL, else /usr/sbin/sendmail if present)"
    )
    var sendmail: String?

    @Option(help: "The From of every mail, addr or 'Name <addr>' (default LEDGER_MAIL_FROM, else ledger@<hostname>)")
    var mailFrom: String?

    @Option(help: "Seconds one transfer may take (default LEDGER_MAIL_TIMEOUT or 30)")
    var mailTimeout: Int?

    @Option(
        help:
            "Seconds before the first retry of a temporary failure, doubling to 1 h (default LEDGER_MAIL_RETRY_SECONDS or 60)"
    )
    var mailRetrySeconds: Int?

    @Option(help: ArgumentHelp("Removed: mails are transferred by SMTP or sendmail", visibility: .hidden))
    var mailDir: String?

    /// The transport, the From and the retry policy; nil sender when none is configured or found.
    /// `systemDefault`: fall back to /usr/sbin/sendmail when nothing is configured (not for the demo,
    /// whose addresses are examples).
    func configuration(
        environment: [String: String] = ProcessInfo.processInfo.environment, systemDefault: Bool = true
    ) throws -> (
        sender: (any MailSender)?, from: MailAddress, retry: MailRetryPolicy
    ) {
        func setting(_ flag: String?, _ variable: String) -> String? {
            (flag ?? environment[variable]).flatMap { $0.isEmpty ? nil : $0 }
        }
        if mailDir != nil || setting(nil, "LEDGER_MAIL_DIR") != nil {
            throw fail(
                "--mail-dir / LEDGER_MAIL_DIR are gone: mails are now transferred, by SMTP (--smtp-url) or "
                    + "the sendmail interface (--sendmail); see docs/serve.md, Mail")
        }
        let timeout = try positive(setting(mailTimeout.map(String.init), "LEDGER_MAIL_TIMEOUT"), "--mail-timeout") ?? 30
        let retrySeconds =
            try positive(
                setting(mailRetrySeconds.map(String.init), "LEDGER_MAIL_RETRY_SECONDS"), "--mail-retry-seconds")
            ?? 60
        let fromText = setting(mailFrom, "LEDGER_MAIL_FROM") ?? "ledger@\(ProcessInfo.processInfo.hostName)"
        guard let from = MailAddress(fromText) else {
            throw fail("--mail-from must be addr@domain or 'Name <addr@domain>', not \(fromText.debugDescription)")
        }
        let retry = MailRetryPolicy(base: .seconds(retrySeconds))
        if let url = setting(smtpUrl, "LEDGER_SMTP_URL") {
            guard let sender = SMTPMailSender(url: url, timeout: .seconds(timeout)) else {
                throw fail("--smtp-url must be smtp://host[:port], not \(url.debugDescription)")
            }
            return (sender, from, retry)
        }
        if let command = setting(sendmail, "LEDGER_SENDMAIL") {
            return (SendmailMailSender(commandLine: command, timeout: .seconds(timeout)), from, retry)
        }
        if systemDefault, FileManager.default.isExecutableFile(atPath: SendmailMailSender.defaultPath) {
            return (SendmailMailSender(timeout: .seconds(timeout)), from, retry)
        }
        return (nil, from, retry)
    }

    private func positive(_ text: String?, _ flag: String) throws -> Int? {
        guard let text else { return nil }
        guard let value = Int(text), value > 0 else {
            throw fail("\(flag) must be a whole number of seconds > 0, not \(text)")
        }
        return value
    }
}
