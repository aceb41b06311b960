/// The environment variables a subcommand reads, for its `--help` (docs/cli.md lists them all).
enum EnvironmentHelp {
    static let database = [
        ("LEDGER_DATABASE_URL", "libpq connection string or URI, when --database-url is not given")
    ]
    static let logging = [
        ("LEDGER_LOG_FORMAT", "text (default) or json: one JSON object per line"),
        ("LEDGER_LOG_LEVEL", "trace, debug, info (default), notice, warning, error or critical"),
    ]
    static let mail = [
        ("LEDGER_SMTP_URL", "SMTP relay smtp://host[:port], when --smtp-url is not given"),
        ("LEDGER_SENDMAIL", "sendmail-interface command, when --sendmail is not given"),
        ("LEDGER_MAIL_FROM", "the From of every mail"),
        ("LEDGER_MAIL_TIMEOUT", "seconds one transfer may take"),
        ("LEDGER_MAIL_RETRY_SECONDS", "seconds before the first retry"),
    ]

    /// "Environment: NAME (what), …" for a command's discussion.
    static func text(_ variables: [(String, String)]...) -> String {
        "Environment: " + variables.flatMap { $0 }.map { "\($0.0) (\($0.1))" }.joined(separator: "; ") + "."
    }
}
