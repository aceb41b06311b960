/// The environment variables a subcommand reads, for its `--help` (docs/cli.md lists them all).
enum EnvironmentHelp {
    static let database = [
        ("LEDGER_DATABASE_URL", "libpq connection string or URI, when --database-url is not given")
    ]
    static let logging = [("LOG_LEVEL", "trace, debug, info (default), notice, warning, error or critical")]
    static let mail = [("LEDGER_MAIL_DIR", "folder for the mail files (default ./.ledger/outbox)")]

    /// "Environment: NAME (what), …" for a command's discussion.
    static func text(_ variables: [(String, String)]...) -> String {
        "Environment: " + variables.flatMap { $0 }.map { "\($0.0) (\($0.1))" }.joined(separator: "; ") + "."
    }
}
