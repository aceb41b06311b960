import ArgumentParser
import Commands
import EventStore
import Foundation
import Hummingbird
import Logging
import Metrics
import Projections
import Prometheus
import ServiceLifecycle

/// `ledger serve`: the daemon. One composition root starts, in order, the database pool, the
/// schema check, the projection workers and the journal sequencer, the scheduler (deadline sweeps,
/// the nightly deposit check, scheduled issuance), and the HTTP server. SIGTERM/SIGINT stop it
/// gracefully: the HTTP server stops taking requests, workers finish the batch in flight, exit 0.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Run the daemon: projection workers, journal, deadline sweeps, deposit checks, HTTP API, /health, /metrics.",
        discussion: """
            Needs a database: --database-url, LEDGER_DATABASE_URL or database.url in the --config file (exit 2 \
            otherwise), or --embedded for a private \
            cluster in ./.ledger/ (development). Refuses (exit 2) a database whose migrations are not exactly the \
            ones built into this binary, naming the pending or unknown ones: run `ledger migrate` first. \
            \(EnvironmentHelp.text(EnvironmentHelp.database, Self.environment, EnvironmentHelp.mail, EnvironmentHelp.logging))
            """
    )

    static let environment = EnvironmentHelp.variables(
        .apiToken, .httpHost, .httpPort, .readyMaxLagSeconds, .chamberNames, .gatewayURL, .gatewayTimeout,
        .gatewayRetryHours)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var domain: DomainOptions
    @OptionGroup var mail: MailOptions

    @Flag(help: "With no database configured, run on a private embedded cluster in ./.ledger/ (development only)")
    var embedded = false
    @OptionGroup var gatewayOptions: GatewayOptions
    @OptionGroup var serveOptions: ServeOptions

    @Option(
        help: ArgumentHelp(
            "Read the current time from this file (RFC 3339) instead of the system clock: for tests and drills",
            visibility: .hidden))
    var clockFile: String?

    @Option(help: ArgumentHelp("Milliseconds between scheduler runs (default 60000)", visibility: .hidden))
    var schedulerIntervalMs: Int = 60_000

    func run() async throws {
        let logger = Logger(label: "ledger.serve")
        try mail.validateRemoved()
        try domain.validateCalendar()
        let settings = try database.settings(domain, mail, gatewayOptions, serveOptions)
        if let file = settings.file {
            logger.info("configuration file read", metadata: ["file": "\(file.path)"])
        }
        if embedded && settings.hasExplicitDatabase {
            throw fail(
                "--embedded and a database URL contradict each other", error: .configuration,
                hint: "drop --embedded, or unset LEDGER_DATABASE_URL, --database-url and database.url in the file")
        }
        if !settings.hasExplicitDatabase {
            guard embedded else {
                throw fail(
                    "no database configured: serve does not start on an implicit private database",
                    error: .configuration,
                    hint:
                        "set LEDGER_DATABASE_URL or pass --database-url (or database.url in the --config file); "
                        + "--embedded runs on a private cluster in ./.ledger/"
                )
            }
            let root = FileManager.default.currentDirectoryPath + "/.ledger/"
            logger.warning(
                "running on a private embedded PostgreSQL cluster (--embedded): not for production",
                metadata: ["folder": "\(root)"])
        }
        let token = settings.apiToken
        let address = try settings.listenAddress()
        var host = address.host
        let port = address.port
        let readyMaximumLag = try settings.readyMaximumLagSeconds()
        let mailSettings = try settings.mail()
        if token == nil && !["127.0.0.1", "localhost", "::1"].contains(host) {
            logger.warning(
                "no LEDGER_API_TOKEN is configured: listening on loopback only", metadata: ["asked": "\(host)"])
            host = "127.0.0.1"
        } else if token == nil {
            logger.notice("no LEDGER_API_TOKEN is configured: the API is open to local processes only (loopback)")
        }
        let chamberNames = try settings.chambers()
        if chamberNames.isEmpty {
            logger.warning(
                "no chamber name is configured (--chamber-name, LEDGER_CHAMBER_NAMES, domain.chamberNames in the file): credit statements will store no issuingChamberName (/health/ready lists the chambers concerned)"
            )
        }
        let gateway = try settings.gateway()
        let inquiry = try settings.inquiry()
        if let url = try settings.gatewayBaseURL() {
            let timeout = try settings.gatewayTimeoutSeconds()
            logger.info(
                "card gateway status query configured",
                metadata: [
                    "url": "\(Redaction.display(url.absoluteString, for: .gatewayURL))",
                    "timeoutSeconds": "\(timeout)",
                ])
        } else {
            logger.warning(
                """
                no card gateway configured (--gateway-url / LEDGER_GATEWAY_URL): attempts past their deadline are \
                timed out as gatewayStatus unreachable without asking, and asked once a gateway is configured \
                (within --gateway-retry-hours of their deadline)
                """)
        }
        try await withDatabase(settings) { open in
            try await requireCurrentMigrations(open)
            let registry = PrometheusCollectorRegistry()
            var factory = PrometheusMetricsFactory(registry: registry)
            factory.defaultDurationHistogramBuckets = MetricCatalog.durationBuckets
            MetricsSystem.bootstrap(factory)
            let services = LedgerServices(conninfo: open.conninfo, poolSize: 16, logger: logger)
            let store = services.store
            let clock = Self.clock(file: clockFile)
            let handler = CommandHandler(store: store, chamberNames: chamberNames, clock: clock)
            let progress = ProjectionProgress()
            let api = LedgerAPI(
                store: store, handler: handler, conninfo: open.conninfo, token: token, registry: registry,
                progress: progress, readyMaximumLagSeconds: readyMaximumLag,
                namedChambers: Set(chamberNames.keys.map(\.stringValue)), logger: Logger(label: "ledger.http"))
            let app = Application(
                router: api.router(),
                configuration: .init(address: .hostname(host, port: port), serverName: "ledger"),
                onServerRunning: { [host] _ in
                    // systemd (Type=notify): started once the database checks passed and HTTP listens.
                    if SystemdNotifier.notify("READY=1\nSTATUS=serving HTTP on \(host):\(port)") {
                        logger.info("told systemd the daemon is ready")
                    }
                },
                logger: Logger(label: "ledger.http"))
            var extra: [any Service] = [
                SchedulerService(
                    handler: handler, logger: Logger(label: "ledger.scheduler"),
                    sweep: GatewaySweep(
                        handler: handler, gateway: gateway, inquiry: inquiry, daemon: SchedulerService.daemon),
                    interval: .milliseconds(max(10, schedulerIntervalMs))),
                app,
            ]
            if let sender = mailSettings.sender {
                logger.info("mail transport", metadata: ["transport": "\(sender.transportDescription)"])
                extra.insert(
                    NotifierService(
                        dispatcher: NotificationDispatcher(
                            pool: services.pool, sender: sender, from: mailSettings.from, retry: mailSettings.retry,
                            logger: Logger(label: "ledger.notifier")),
                        logger: Logger(label: "ledger.notifier")), at: 0)
            } else {
                logger.warning(
                    "no mail transport (--smtp-url, --sendmail): notification mails stay due in the outbox, unsent")
            }
            logger.info("ledger serve listening", metadata: ["host": "\(host)", "port": .stringConvertible(port)])
            try await services.run(progress: progress, extra: extra)
            logger.info("ledger serve stopped")
        }
    }
}

extension Serve {
    /// The system clock, or the time written in `file` (RFC 3339) when one is given.
    static func clock(file: String?) -> @Sendable () -> Date {
        guard let file else { return { Date() } }
        return {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8),
                let date = RFC3339.parse(text.trimmingCharacters(in: .whitespacesAndNewlines))
            else { return Date() }
            return date
        }
    }
}
