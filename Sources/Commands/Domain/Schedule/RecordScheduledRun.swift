import Foundation

/// RecordScheduledRun (daemon): the scheduler records that `job` ran for `period`, after the
/// job's own command for it was `ok` or `exists`. Its command id derives from job and period.
public struct RecordScheduledRun: Sendable, Hashable, Codable {
    public var job: ScheduledJob
    public var period: SchedulePeriod
    public var runCommandId: UUID?

    public init(job: ScheduledJob, period: SchedulePeriod, runCommandId: UUID?) {
        self.job = job
        self.period = period
        self.runCommandId = runCommandId
    }

    /// Refuses (`invalidCommand`, field `period`) a period that is not one of the job's, one not
    /// yet due, and, for a job whose periods run one by one, one that skips a period after the
    /// last completed (no period can be passed over by recording a later one). A period at or
    /// before the last completed one decides nothing (already recorded); otherwise
    /// `ScheduledRunCompleted`.
    public func decide(
        _ state: ScheduleState, calendar: BusinessCalendar, now: Date
    ) throws(Rejection) -> [ScheduleEvent] {
        guard job.isPeriod(period, calendar: calendar) else {
            throw .invalid("period", "\(period) is not a period of \(job.rawValue)")
        }
        let due = job.dueAt(period)
        guard due <= now else {
            throw .invalid("period", "\(period) of \(job.rawValue) falls due at \(JSTTimestamp.rfc3339(due))")
        }
        if let last = state.lastCompleted, period <= last { return [] }
        if !job.isCumulative, let last = state.lastCompleted,
            let next = job.duePeriods(after: last, now: now, calendar: calendar, limit: 1).first, next != period
        {
            throw .invalid("period", "\(period) of \(job.rawValue) would skip \(next), which comes first")
        }
        return [
            .completed(
                ScheduledRunCompleted(
                    job: job, period: period, dueAt: due, completedAt: now, runCommandId: runCommandId))
        ]
    }
}
