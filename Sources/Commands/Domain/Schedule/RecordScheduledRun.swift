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

    /// Refuses a period that is not one of the job's (`invalidCommand`) or not yet due. A period
    /// at or before the last completed one decides nothing (already recorded); otherwise
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
        return [
            .completed(
                ScheduledRunCompleted(
                    job: job, period: period, dueAt: due, completedAt: now, runCommandId: runCommandId))
        ]
    }
}
