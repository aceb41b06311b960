import ArgumentParser
import Foundation
import Projections

/// How `notify` and `serve` transfer the outbox's mails: SMTP to a relay, or the system's sendmail
/// interface. The values are resolved with the other sources in `Settings` (flags win over
/// `LEDGER_*` variables, which win over the file); with none, `/usr/sbin/sendmail` is used when it
/// exists (as cron and most daemons do), else there is no transport.
struct MailOptions: ParsableArguments, SettingFlags {
    @Option(name: .customLong(Setting.smtpURL.flag!), help: ArgumentHelp(Setting.smtpURL.help))
    var smtpUrl: String?

    @Option(name: .customLong(Setting.sendmail.flag!), help: ArgumentHelp(Setting.sendmail.help))
    var sendmail: String?

    @Option(name: .customLong(Setting.mailFrom.flag!), help: ArgumentHelp(Setting.mailFrom.help))
    var mailFrom: String?

    @Option(name: .customLong(Setting.mailTimeout.flag!), help: ArgumentHelp(Setting.mailTimeout.help))
    var mailTimeout: Int?

    @Option(name: .customLong(Setting.mailRetrySeconds.flag!), help: ArgumentHelp(Setting.mailRetrySeconds.help))
    var mailRetrySeconds: Int?

    @Option(help: ArgumentHelp("Removed: mails are transferred by SMTP or sendmail", visibility: .hidden))
    var mailDir: String?

    var flagValues: [Setting: [String]] {
        [
            .smtpURL: smtpUrl.map { [$0] } ?? [], .sendmail: sendmail.map { [$0] } ?? [],
            .mailFrom: mailFrom.map { [$0] } ?? [], .mailTimeout: mailTimeout.map { [String($0)] } ?? [],
            .mailRetrySeconds: mailRetrySeconds.map { [String($0)] } ?? [],
        ]
    }

    /// Refuses the removed --mail-dir / LEDGER_MAIL_DIR.
    func validateRemoved(environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        if mailDir != nil || !(environment["LEDGER_MAIL_DIR"] ?? "").isEmpty {
            throw fail(
                "--mail-dir / LEDGER_MAIL_DIR are gone: mails are now transferred, by SMTP (--smtp-url) or "
                    + "the sendmail interface (--sendmail); see docs/serve.md, Mail")
        }
    }
}

extension Settings {
    /// The transport, the From and the retry policy; nil sender when none is configured or found.
    /// `systemDefault`: fall back to /usr/sbin/sendmail when nothing is configured (not for the demo,
    /// whose addresses are examples).
    func mail(systemDefault: Bool = true) throws -> (
        sender: (any MailSender)?, from: MailAddress, retry: MailRetryPolicy
    ) {
        let timeout = try integer(.mailTimeout, in: 1...Int.max, "a whole number of seconds")
        let retrySeconds = try integer(.mailRetrySeconds, in: 1...Int.max, "a whole number of seconds")
        let fromText = text(.mailFrom) ?? "ledger@\(ProcessInfo.processInfo.hostName)"
        guard let from = MailAddress(fromText) else {
            throw invalid(self[.mailFrom], "addr@domain or 'Name <addr@domain>'")
        }
        let retry = MailRetryPolicy(base: .seconds(retrySeconds))
        if let url = text(.smtpURL) {
            guard let sender = SMTPMailSender(url: url, timeout: .seconds(timeout)) else {
                throw invalid(self[.smtpURL], "smtp://host[:port]")
            }
            return (sender, from, retry)
        }
        if let command = text(.sendmail) {
            return (SendmailMailSender(commandLine: command, timeout: .seconds(timeout)), from, retry)
        }
        if systemDefault, FileManager.default.isExecutableFile(atPath: SendmailMailSender.defaultPath) {
            return (SendmailMailSender(timeout: .seconds(timeout)), from, retry)
        }
        return (nil, from, retry)
    }
}
