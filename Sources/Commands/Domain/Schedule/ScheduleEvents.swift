import Foundation

/// ScheduledRunCompleted: a scheduled job ran for `period` (and, for a cumulative job, for every
/// period before it). Periods of a job complete in order.
public struct ScheduledRunCompleted: DomainEvent {
    public static let eventType = "ScheduledRunCompleted"
    public var job: ScheduledJob
    public var period: SchedulePeriod
    /// When the period fell due.
    public var dueAt: Date
    public var completedAt: Date
    /// The command the run sent (its derived id).
    public var runCommandId: UUID?

    public init(job: ScheduledJob, period: SchedulePeriod, dueAt: Date, completedAt: Date, runCommandId: UUID?) {
        self.job = job
        self.period = period
        self.dueAt = dueAt
        self.completedAt = completedAt
        self.runCommandId = runCommandId
    }
}

/// The events of `schedule-<job>`.
public enum ScheduleEvent: StreamEventSet, Hashable {
    case completed(ScheduledRunCompleted)

    public static let eventTable = EventTable<Self>([
        EventCase(ScheduledRunCompleted.self, Self.completed)
    ])
}

/// One job's schedule as folded from `schedule-<job>`.
public struct ScheduleState: Sendable, Hashable {
    /// The last period completed, nil before the first run.
    public var lastCompleted: SchedulePeriod?
    public var lastCompletedAt: Date?

    public init() {}

    public static func evolve(_ state: ScheduleState, _ event: ScheduleEvent) -> ScheduleState {
        var state = state
        switch event {
        case .completed(let run):
            if state.lastCompleted.map({ $0 < run.period }) ?? true {
                state.lastCompleted = run.period
                state.lastCompletedAt = run.completedAt
            }
        }
        return state
    }
}
