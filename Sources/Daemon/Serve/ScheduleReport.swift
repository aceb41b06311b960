import Commands
import EventStore
import Foundation

/// Each scheduled job's last completed period and how far behind it is, and how far ahead the
/// published calendar reaches: what `ledger status` prints and `/metrics` exports.
struct ScheduleReport: Codable, Sendable {
    struct Job: Codable, Sendable {
        var job: String
        /// `YYYY-MM-DD` (or `YYYY-MM-DDTHH` for the sweep); nil before the first run.
        var lastCompletedPeriod: String?
        /// When that period fell due (RFC 3339).
        var lastCompletedDueAt: String?
        var lastCompletedDueAtEpoch: Double?
        var periodsBehind: Int
        var behindSeconds: Double
    }

    struct Coverage: Codable, Sendable {
        /// The end of the published range holding today, nil when today is not covered.
        var publishedThrough: String?
        var publishedDaysAhead: Int
        /// Set when fewer than 90 days ahead are published.
        var warning: String?
    }

    var jobs: [Job]
    var calendar: Coverage

    static func load(_ store: PostgresEventStore, now: Date) async throws -> ScheduleReport {
        let calendar = try await store.businessCalendar()
        var jobs: [Job] = []
        for job in ScheduledJob.allCases {
            let state = try await store.schedule(job)
            let lag = job.lag(after: state.lastCompleted, now: now, calendar: calendar)
            let due = state.lastCompleted.map(job.dueAt)
            jobs.append(
                Job(
                    job: job.rawValue, lastCompletedPeriod: state.lastCompleted?.stringValue,
                    lastCompletedDueAt: due.map(JSTTimestamp.rfc3339),
                    lastCompletedDueAtEpoch: due?.timeIntervalSince1970,
                    periodsBehind: lag.periods, behindSeconds: lag.seconds.rounded()))
        }
        let today = JSTDate(instant: now)
        let ahead = calendar.publishedDaysAhead(from: today)
        let warning =
            ahead < SchedulerService.calendarWarningDays
            ? "the published holiday calendar covers \(ahead) days ahead (fewer than "
                + "\(SchedulerService.calendarWarningDays)); later dates are decided by the holiday law's rules: "
                + "publish the next list (ledger calendar import FILE)"
            : nil
        return ScheduleReport(
            jobs: jobs,
            calendar: Coverage(
                publishedThrough: calendar.published.range(containing: today)?.upperBound.stringValue,
                publishedDaysAhead: ahead, warning: warning))
    }

    /// The text lines of `ledger status`.
    var lines: [String] {
        var lines = ["job                   last period     behind(periods)  behind(s)"]
        for job in jobs {
            lines.append(
                job.job.padding(toLength: 21, withPad: " ", startingAt: 0) + " "
                    + (job.lastCompletedPeriod ?? "never").padding(toLength: 15, withPad: " ", startingAt: 0)
                    + String(format: " %15d %10.0f", job.periodsBehind, job.behindSeconds))
        }
        lines.append(
            "calendar: published through \(calendar.publishedThrough ?? "-") (\(calendar.publishedDaysAhead) days ahead)"
        )
        if let warning = calendar.warning { lines.append("WARNING: " + warning) }
        return lines
    }
}
