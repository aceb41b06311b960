import Commands

// The configuration model of every `ledger` subcommand (issue #19 item 2, docs/cli.md
// "Configuration"): each setting once, here, with its flag, its LEDGER_* variable and its key in
// the `--config` JSON file; `Settings.resolve` applies the precedence flag > environment > file >
// default in one place; `ConfigurationFile` reads and checks the file; `Redaction` masks secrets.
//
// Why not apple/swift-configuration (1.4.0, mirrored; already compiled into this binary through
// Hummingbird's ConfigurationSupport trait, so it would cost next to no build time — on its own it
// builds in about 37 CPU seconds, 1:12 wall on the loaded 2 cores, with swift-system and
// DequeModule): it does not fit what this model must guarantee. Its JSON provider takes any keys
// (a typo such as `serve.htpPort` would be silently ignored, which we must refuse naming the key)
// and reports JSONSerialization's errors without a line; its environment provider derives names
// from keys (`mail.smtpUrl` → `MAIL_SMTPURL`) while ours are fixed and irregular
// (`LEDGER_SMTP_URL`, `LEDGER_API_TOKEN`), so every key would need a mapping anyway; its
// command-line provider parses argv a second time beside ArgumentParser; its non-throwing getters
// fall back to the default when a value does not convert (a malformed LEDGER_HTTP_PORT would start
// on 8080); and its secrets are whole values shown as <REDACTED>, while a database URL must be shown
// with only its password masked. What would remain of it is the three-line precedence loop below.

/// One setting of the configuration: its file key (`section.name`), command-line flag, environment
/// variable, value kind and default. The file key is the flag's name without its section word,
/// camel-cased, under the section: `--gateway-retry-hours` ↔ `gateway.retryHours`.
enum Setting: String, CaseIterable, Sendable, Comparable {
    case databaseURL = "database.url"
    case httpHost = "serve.httpHost"
    case httpPort = "serve.httpPort"
    case apiToken = "serve.apiToken"
    case readyMaxLagSeconds = "serve.readyMaxLagSeconds"
    case chamberNames = "domain.chamberNames"
    case gatewayURL = "gateway.url"
    case gatewayTimeout = "gateway.timeout"
    case gatewayRetryHours = "gateway.retryHours"
    case smtpURL = "mail.smtpUrl"
    case sendmail = "mail.sendmail"
    case mailFrom = "mail.from"
    case mailTimeout = "mail.timeout"
    case mailRetrySeconds = "mail.retrySeconds"

    /// What a value is: in the file a JSON string, a whole number, a number, or an object of
    /// chamber id → printed name; on the command line and in the environment always text.
    enum Kind: Sendable {
        case text, integer, number, names
    }

    /// The key in the configuration file, `section.name`.
    var key: String { rawValue }
    var section: String { String(rawValue.prefix { $0 != "." }) }
    var name: String { String(rawValue.drop { $0 != "." }.dropFirst()) }

    /// The long flag, without the dashes; nil for the API token, which is never given on a
    /// command line (other users' `ps` would show it).
    var flag: String? {
        switch self {
        case .databaseURL: "database-url"
        case .httpHost: "http-host"
        case .httpPort: "http-port"
        case .apiToken: nil
        case .readyMaxLagSeconds: "ready-max-lag-seconds"
        case .chamberNames: "chamber-name"
        case .gatewayURL: "gateway-url"
        case .gatewayTimeout: "gateway-timeout"
        case .gatewayRetryHours: "gateway-retry-hours"
        case .smtpURL: "smtp-url"
        case .sendmail: "sendmail"
        case .mailFrom: "mail-from"
        case .mailTimeout: "mail-timeout"
        case .mailRetrySeconds: "mail-retry-seconds"
        }
    }

    /// The environment variable (the names of before the file existed are kept).
    var environment: String {
        switch self {
        case .databaseURL: "LEDGER_DATABASE_URL"
        case .httpHost: "LEDGER_HTTP_HOST"
        case .httpPort: "LEDGER_HTTP_PORT"
        case .apiToken: "LEDGER_API_TOKEN"
        case .readyMaxLagSeconds: "LEDGER_READY_MAX_LAG_SECONDS"
        case .chamberNames: "LEDGER_CHAMBER_NAMES"
        case .gatewayURL: "LEDGER_GATEWAY_URL"
        case .gatewayTimeout: "LEDGER_GATEWAY_TIMEOUT"
        case .gatewayRetryHours: "LEDGER_GATEWAY_RETRY_HOURS"
        case .smtpURL: "LEDGER_SMTP_URL"
        case .sendmail: "LEDGER_SENDMAIL"
        case .mailFrom: "LEDGER_MAIL_FROM"
        case .mailTimeout: "LEDGER_MAIL_TIMEOUT"
        case .mailRetrySeconds: "LEDGER_MAIL_RETRY_SECONDS"
        }
    }

    var kind: Kind {
        switch self {
        case .httpPort, .readyMaxLagSeconds, .mailTimeout, .mailRetrySeconds: .integer
        case .gatewayTimeout, .gatewayRetryHours: .number
        case .chamberNames: .names
        default: .text
        }
    }

    /// The value used when no source gives one; nil when there is none (or it is decided at run
    /// time, see `defaultNote`).
    var defaultValue: String? {
        switch self {
        case .httpHost: "127.0.0.1"
        case .httpPort: "8080"
        case .readyMaxLagSeconds: "60"
        case .gatewayTimeout: "5"
        case .gatewayRetryHours: Settings.plain(GatewayInquiry.defaultRetryWindow / 3600)
        case .mailTimeout: "30"
        case .mailRetrySeconds: "60"
        default: nil
        }
    }

    /// What happens without a value, where that is not a plain default.
    var defaultNote: String? {
        switch self {
        case .databaseURL: "none: the embedded cluster in ./.ledger/; serve refuses without --embedded"
        case .apiToken: "none: the API is served on loopback only"
        case .chamberNames: "none: statements store no issuingChamberName"
        case .gatewayURL: "none: overdue attempts are recorded unreachable"
        case .smtpURL: "none"
        case .sendmail: "none: /usr/sbin/sendmail when present (not for demo)"
        case .mailFrom: "none: ledger@<hostname>"
        default: nil
        }
    }

    /// What the setting is, for `--help`, `config show` and the docs.
    var summary: String {
        switch self {
        case .databaseURL: "a libpq connection string or URI"
        case .httpHost: "address serve listens on"
        case .httpPort: "port serve listens on"
        case .apiToken: "bearer token the API requires; without it only loopback is served"
        case .readyMaxLagSeconds: "most seconds a projection may lag for /health/ready to say ready"
        case .chamberNames: "a chamber's printed name, as id=name; repeatable, comma-separated in the variable"
        case .gatewayURL: "base URL of the card gateway's status query, GET {url}/settlements/{settlementNo}"
        case .gatewayTimeout: "seconds one gateway status query may take before the attempt counts as unreachable"
        case .gatewayRetryHours: "hours after an attempt's deadline during which an unanswered attempt is asked again"
        case .smtpURL: "SMTP relay, smtp://host[:port]"
        case .sendmail: "mailer command taking the sendmail interface; -t -i are added"
        case .mailFrom: "the From of every mail, addr or 'Name <addr>'"
        case .mailTimeout: "seconds one mail transfer may take"
        case .mailRetrySeconds: "seconds before the first retry of a temporary mail failure, doubling to 1 h"
        }
    }

    /// A flag's `--help` text: what it is, then where else it can be set and its default.
    var help: String {
        let otherwise =
            defaultValue.map { "; default \($0)" }
            ?? defaultNote.flatMap { $0.hasPrefix("none: ") ? "; without one: " + $0.dropFirst(6) : nil } ?? ""
        return "\(summary.prefix(1).uppercased() + summary.dropFirst()) (else \(environment), else \(key) in the "
            + "--config file\(otherwise))"
    }

    /// Whether the whole value is a secret: anything named secret, password or token.
    var isSecret: Bool {
        let lowered = name.lowercased()
        return ["secret", "password", "token"].contains { lowered.contains($0) }
    }

    static func < (left: Setting, right: Setting) -> Bool { left.rawValue < right.rawValue }

    /// The setting of a file key, if there is one.
    init?(key: String) { self.init(rawValue: key) }

    /// The sections of the file, in the order of the catalog.
    static var sections: [String] {
        allCases.reduce(into: []) { sections, setting in
            if !sections.contains(setting.section) { sections.append(setting.section) }
        }
    }
}
