import Commands
import EventStore
import Foundation
import HTTPTypes
import Hummingbird
import Metrics
import Projections
import Prometheus

/// `/metrics`: the process's own counters and gauges, and the gauges read from the database at
/// each scrape. While the database cannot be read those are removed, not left at their last
/// values, and `ledger_database_up` is 0.
extension LedgerAPI {
    func metrics() async throws -> Response {
        await recordConnectionGauges()
        let up = await recordDatabaseGauges()
        Gauge(label: MetricCatalog.databaseUp).record(up ? 1 : 0)
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; version=0.0.4"
        let text = MetricCatalog.annotated(String(decoding: buffer, as: UTF8.self))
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// The process's open connections by purpose, and the pool's state.
    func recordConnectionGauges() async {
        for (purpose, count) in ConnectionRegistry.shared.snapshot {
            Gauge(label: "ledger_db_connections", dimensions: [("purpose", purpose.rawValue)]).record(Double(count))
        }
        let pool = await store.pool.statistics
        Gauge(label: "ledger_pool_size").record(Double(pool.size))
        Gauge(label: "ledger_pool_open").record(Double(pool.open))
        Gauge(label: "ledger_pool_in_use").record(Double(pool.inUse))
        Gauge(label: "ledger_pool_waiting").record(Double(pool.waiting))
    }

    /// Reads the database's gauges and records them; false (and the gauges removed) when it cannot.
    func recordDatabaseGauges() async -> Bool {
        let read: ([ProjectionStatus], Int64, NotificationDispatcher.Counts, Double, ScheduleReport)
        do {
            // One pooled connection at a time: holding one while asking for another could exhaust the pool.
            let (statuses, total, outbox) = try await store.pool.withConnection { connection in
                (
                    try await ProjectionStatus.all(connection),
                    try await connection.query("SELECT coalesce(max(global_position), 0) FROM ledger.events")
                        .singleRow().decode(Int64.self, 0),
                    try await NotificationDispatcher.counts(connection)
                )
            }
            read = (
                statuses, total, outbox, try await store.horizon().oldestOpenSeconds,
                try await ScheduleReport.load(store, now: handler.clock())
            )
            failures["metrics"].succeeded("metrics: the database's gauges can be read again")
        } catch {
            failures["metrics"].failed("metrics: cannot read the database's gauges", error: error)
            for gauge in databaseGauges { gauge.destroy() }
            return false
        }
        let (statuses, total, outbox, horizon, schedule) = read
        for status in statuses {
            Gauge(label: "ledger_projection_lag_events", dimensions: [("projection", status.projection)])
                .record(Double(status.lagEvents))
            Gauge(label: "ledger_projection_lag_seconds", dimensions: [("projection", status.projection)])
                .record(status.lagSeconds)
        }
        Gauge(label: "ledger_horizon_age_seconds").record(horizon)
        Gauge(label: "ledger_global_position").record(Double(total))
        for (state, count) in [
            ("due", outbox.due), ("scheduled", outbox.scheduled), ("sent", outbox.sent), ("failed", outbox.failed),
        ] {
            Gauge(label: MetricCatalog.outboxMails, dimensions: [("state", state)]).record(Double(count))
        }
        for job in schedule.jobs {
            let dimensions = [("job", job.job)]
            Gauge(label: "ledger_schedule_last_period_due_timestamp_seconds", dimensions: dimensions)
                .record(job.lastCompletedDueAtEpoch ?? 0)
            Gauge(label: "ledger_schedule_periods_behind", dimensions: dimensions).record(Double(job.periodsBehind))
            Gauge(label: "ledger_schedule_behind_seconds", dimensions: dimensions).record(job.behindSeconds)
        }
        Gauge(label: "ledger_calendar_published_days_ahead").record(Double(schedule.calendar.publishedDaysAhead))
        Gauge(label: "ledger_calendar_coverage_warning").record(schedule.calendar.warning == nil ? 0 : 1)
        return true
    }

    /// Every gauge `recordDatabaseGauges` records, with each label value it can have.
    var databaseGauges: [Metrics.Gauge] {
        let projections = ProjectionCatalog.all.map(\.name).flatMap { name in
            ["ledger_projection_lag_events", "ledger_projection_lag_seconds"].map {
                Gauge(label: $0, dimensions: [("projection", name)])
            }
        }
        let jobs = ScheduledJob.allCases.flatMap { job in
            [
                "ledger_schedule_last_period_due_timestamp_seconds", "ledger_schedule_periods_behind",
                "ledger_schedule_behind_seconds",
            ].map { Gauge(label: $0, dimensions: [("job", job.rawValue)]) }
        }
        let outbox = ["due", "scheduled", "sent", "failed"].map {
            Gauge(label: MetricCatalog.outboxMails, dimensions: [("state", $0)])
        }
        let single = [
            "ledger_horizon_age_seconds", "ledger_global_position", "ledger_calendar_published_days_ahead",
            "ledger_calendar_coverage_warning",
        ].map { Gauge(label: $0) }
        return projections + jobs + outbox + single
    }
}
