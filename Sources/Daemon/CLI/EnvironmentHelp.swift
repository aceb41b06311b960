/// The environment variables a subcommand reads, for its `--help` (docs/cli.md lists them all);
/// the settings' variables come from the catalog (`Setting`).
enum EnvironmentHelp {
    static let database =
        variables(.databaseURL) + [
            (Settings.fileVariable, "the JSON configuration file, when --config is not given")
        ]
    static let logging = [
        ("LEDGER_LOG_FORMAT", "text (default) or json: one JSON object per line"),
        ("LEDGER_LOG_LEVEL", "trace, debug, info (default), notice, warning, error or critical"),
    ]
    static let mail = variables(.smtpURL, .sendmail, .mailFrom, .mailTimeout, .mailRetrySeconds)

    /// Each setting's variable and what it is.
    static func variables(_ settings: Setting...) -> [(String, String)] {
        settings.map { ($0.environment, $0.summary) }
    }

    /// "Environment: NAME (what), …" for a command's discussion.
    static func text(_ variables: [(String, String)]...) -> String {
        "Environment: " + variables.flatMap { $0 }.map { "\($0.0) (\($0.1))" }.joined(separator: "; ") + "."
    }
}
