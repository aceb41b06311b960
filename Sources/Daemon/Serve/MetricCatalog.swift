/// What `/metrics` exports: each metric's HELP text (one place for every name), and the duration
/// buckets. The metrics are recorded through swift-metrics, which carries no help text, so the
/// exposition gets its `# HELP` lines here, before each `# TYPE` line.
enum MetricCatalog {
    static let help: [String: String] = [
        "ledger_events_appended_total": "Events appended by commands this process ran.",
        "ledger_commands_total": "Commands this process ran, by command name (known names, else unknown) and status.",
        "ledger_command_duration_seconds": "Time to run one command over HTTP, by command name.",
        "ledger_projection_lag_events": "Events of a projection's types after its cursor.",
        "ledger_projection_lag_seconds":
            "Seconds between the newest event of a projection's types and the last it applied.",
        "ledger_horizon_age_seconds": "Age of the oldest open transaction that holds back the gap-free horizon.",
        "ledger_global_position": "The highest global position in the store.",
        "ledger_db_connections": "Database connections this process holds, by purpose.",
        "ledger_pool_size": "The connection pool's limit.",
        "ledger_pool_open": "Connections the pool has open.",
        "ledger_pool_in_use": "Pool connections lent out now.",
        "ledger_pool_waiting": "Callers waiting for a pool connection.",
        "ledger_schedule_last_period_due_timestamp_seconds":
            "When the last completed period of a scheduled job fell due (Unix time; 0 before the first).",
        "ledger_schedule_periods_behind": "Due periods of a scheduled job not completed yet.",
        "ledger_schedule_behind_seconds": "Seconds since the first uncompleted due period of a job fell due.",
        "ledger_calendar_published_days_ahead": "Days from today the published holiday calendar covers.",
        "ledger_calendar_coverage_warning": "1 when the published holiday calendar covers fewer than 90 days ahead.",
        "ledger_gateway_queries_total": "Card gateway status queries, by answer.",
        poolAcquire: "Time to get a pool connection: waiting in line and, for a new one, connecting.",
        httpRequests: "HTTP requests answered, by route template (unmatched for none), method and status code.",
        httpDuration: "Time to answer one HTTP request, by route template and method.",
        outboxMails: "Mails of the notification outbox by state: due now, scheduled later, sent, failed.",
        databaseUp: "1 when this scrape could read the database; 0 while it is down (its gauges are then absent).",
    ]

    static let poolAcquire = "ledger_pool_acquire_seconds"
    static let httpRequests = "ledger_http_requests_total"
    static let httpDuration = "ledger_http_request_duration_seconds"
    static let outboxMails = "ledger_outbox_mails"
    static let databaseUp = "ledger_database_up"

    /// Command durations: 0.1 ms to 10 s (a command takes about 1 ms; a stalled database, seconds).
    static let durationBuckets: [Duration] = [
        .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2),
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
    ]

    /// The exposition with a `# HELP` line before each `# TYPE` line that lacks one.
    static func annotated(_ text: String) -> String {
        var out: [Substring] = []
        var previous: Substring = ""
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("# TYPE "), !previous.hasPrefix("# HELP ") {
                let name = line.dropFirst("# TYPE ".count).prefix { $0 != " " }
                if let help = help[String(name)] { out.append("# HELP \(name) \(help)") }
            }
            out.append(line)
            previous = line
        }
        return out.joined(separator: "\n")
    }
}
