import Foundation

/// The daemon's scheduled jobs and their periods (docs/serve.md, Schedule). Each job runs for
/// every period that is due, in order, including periods when no daemon was running; the last
/// period each job completed is recorded in `schedule-<job>` (`ScheduledRunCompleted`).
public enum ScheduledJob: String, Hashable, Sendable, Codable, CaseIterable {
    /// `RunNightlyDepositCheck` for every date D, due at 23:00 JST on D (R49).
    case nightlyDepositCheck
    /// `IssueScheduledCoupons` for every business day D, due at 00:00 JST on D (O5).
    case scheduledIssuance
    /// `SweepDeadlines` for every JST hour, due when the hour ends. A sweep decides with the
    /// present time, so one run covers every hour before it: missed hours are not run one by one.
    case deadlineSweep

    /// The hour (JST) at which a nightly check for a date falls due.
    public static let nightlyHour = 23

    /// Whether a run for the latest due period covers every earlier one.
    public var isCumulative: Bool { self == .deadlineSweep }

    /// When `period` falls due.
    public func dueAt(_ period: SchedulePeriod) -> Date {
        switch self {
        case .nightlyDepositCheck: period.date.startInstant.addingTimeInterval(TimeInterval(Self.nightlyHour * 3600))
        case .scheduledIssuance: period.date.startInstant
        case .deadlineSweep: period.next.start
        }
    }

    /// Whether `period` is one of this job's periods (a date, a business day, an hour).
    public func isPeriod(_ period: SchedulePeriod, calendar: BusinessCalendar) -> Bool {
        switch self {
        case .nightlyDepositCheck: period.hour == nil
        case .scheduledIssuance: period.hour == nil && calendar.isBusinessDay(period.date)
        case .deadlineSweep: period.hour != nil
        }
    }

    /// The latest period due at `now`, if any within the last year.
    public func latestDue(now: Date, calendar: BusinessCalendar) -> SchedulePeriod? {
        switch self {
        case .deadlineSweep:
            let current = SchedulePeriod(hourOf: now)
            return SchedulePeriod(hourOf: current.start.addingTimeInterval(-1))
        case .nightlyDepositCheck, .scheduledIssuance:
            var date = JSTDate(instant: now)
            for _ in 0..<366 {
                let period = SchedulePeriod(date: date)
                if isPeriod(period, calendar: calendar), dueAt(period) <= now { return period }
                date = date.adding(days: -1)
            }
            return nil
        }
    }

    /// The periods due at `now` that come after `last`, in order, at most `limit`. With no
    /// period completed yet, only the latest due one (a new store does not back-fill history);
    /// for a cumulative job, only the latest due one too.
    public func duePeriods(
        after last: SchedulePeriod?, now: Date, calendar: BusinessCalendar, limit: Int = .max
    ) -> [SchedulePeriod] {
        guard let latest = latestDue(now: now, calendar: calendar) else { return [] }
        guard let last else { return [latest] }
        guard last < latest else { return [] }
        if isCumulative { return [latest] }
        var periods: [SchedulePeriod] = []
        var period = last.next
        while period <= latest && periods.count < limit {
            if isPeriod(period, calendar: calendar) { periods.append(period) }
            period = period.next
        }
        return periods
    }

    /// How far behind the job is at `now`: the due periods not completed (every hour for the
    /// sweep) and the seconds since the first of them fell due (0 when none is pending).
    public func lag(after last: SchedulePeriod?, now: Date, calendar: BusinessCalendar) -> ScheduleLag {
        guard let latest = latestDue(now: now, calendar: calendar) else { return ScheduleLag(periods: 0, seconds: 0) }
        guard let last else {
            return ScheduleLag(periods: 1, seconds: max(0, now.timeIntervalSince(dueAt(latest))))
        }
        guard last < latest else { return ScheduleLag(periods: 0, seconds: 0) }
        var count = 0
        var first: SchedulePeriod?
        var period = last.next
        while period <= latest {
            if isPeriod(period, calendar: calendar) {
                count += 1
                if first == nil { first = period }
            }
            period = period.next
        }
        return ScheduleLag(periods: count, seconds: first.map { max(0, now.timeIntervalSince(dueAt($0))) } ?? 0)
    }
}

/// How far a scheduled job is behind.
public struct ScheduleLag: Hashable, Sendable, Codable {
    /// Due periods not completed.
    public var periods: Int
    /// Seconds since the first of them fell due.
    public var seconds: Double

    public init(periods: Int, seconds: Double) {
        self.periods = periods
        self.seconds = seconds
    }
}
