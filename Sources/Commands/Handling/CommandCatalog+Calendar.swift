import EventStore
import Foundation

/// The glue of the shared business calendar (`calendar-japan`) and the scheduler's bookkeeping
/// (`schedule-<job>`).
extension CommandCatalog {
    static let calendarDefinitions: [String: Definition] = [
        "PublishHolidayCalendar": Definition(actors: staff, decide: publishHolidayCalendar),
        "RecordScheduledRun": Definition(actors: [.daemon], decide: recordScheduledRun),
    ]

    static let holidayCalendar = StreamName(.holidayCalendar)

    static func schedule(_ job: ScheduledJob) -> StreamName { StreamName(.schedule(job)) }

    static func publishHolidayCalendar(_ session: CommandSession) async throws -> Decision {
        let command = try session.envelope.decode(PublishHolidayCalendar.self)
        let (staffId, chamberId) = try session.actingStaff()
        let loaded = try await session.loadCalendar()
        let events = try command.decide(loaded.state, staff: staffId, chamber: chamberId, now: session.now)
        let range = try command.range()
        var decision = Decision()
        decision.add(loaded, events.map(\.pending))
        decision.result = .object([
            "from": .string(range.lowerBound.stringValue), "through": .string(range.upperBound.stringValue),
            "holidays": .int(Int64(command.dates.count)), "changed": .bool(!events.isEmpty),
        ])
        return decision
    }

    static func recordScheduledRun(_ session: CommandSession) async throws -> Decision {
        let command = try session.envelope.decode(RecordScheduledRun.self)
        let calendar = try await session.loadCalendar()
        let loaded = try await session.loadSchedule(command.job)
        let events = try command.decide(loaded.state, calendar: calendar.state.calendar, now: session.now)
        var decision = Decision()
        decision.add(loaded, events.map(\.pending))
        decision.result = .object([
            "job": .string(command.job.rawValue), "period": .string(command.period.stringValue),
            "recorded": .bool(!events.isEmpty),
        ])
        return decision
    }
}

extension CommandSession {
    /// The shared business calendar, folded from `calendar-japan`. A command that decides by
    /// business day adds the loaded stream to its decision (no events), so a calendar published
    /// while it decided makes it decide again.
    public func loadCalendar() async throws -> LoadedStream<HolidayCalendarState> {
        try await load(CommandCatalog.holidayCalendar, HolidayCalendarState(), HolidayCalendarState.evolve)
    }
}

extension CommandSession {
    /// A job's schedule from the last event of `schedule-<job>` alone: periods are recorded in
    /// order, so the last one is the latest (the stream grows by one event per period).
    func loadSchedule(_ job: ScheduledJob) async throws -> LoadedStream<ScheduleState> {
        let (state, version) = try await store.lastSchedule(job)
        return LoadedStream(name: CommandCatalog.schedule(job), state: state, version: version)
    }
}

extension PostgresEventStore {
    /// The shared business calendar as the events say now (for the scheduler, status and metrics).
    public func businessCalendar() async throws -> BusinessCalendar {
        try await foldStream(CommandCatalog.holidayCalendar, HolidayCalendarState(), HolidayCalendarState.evolve)
            .calendar
    }

    /// The schedule of one job as the events say now.
    public func schedule(_ job: ScheduledJob) async throws -> ScheduleState {
        try await lastSchedule(job).state
    }

    func lastSchedule(_ job: ScheduledJob) async throws -> (state: ScheduleState, version: Int64) {
        let stream = CommandCatalog.schedule(job)
        guard let last = try await read(stream: stream, from: .max, direction: .backward, limit: 1).first else {
            return (ScheduleState(), 0)
        }
        guard let event = try ScheduleEvent.decode(eventType: last.eventType, data: Data(last.data.utf8)) else {
            throw DatabaseError(
                kind: .decoding, message: "stream \(stream) holds an event of unknown type \(last.eventType)")
        }
        return (ScheduleState.evolve(ScheduleState(), event), last.streamVersion)
    }

    func foldStream<E: StreamEventSet, S>(_ stream: StreamName, _ initial: S, _ evolve: (S, E) -> S) async throws -> S {
        var state = initial
        for event in try await readWholeStream(stream) {
            guard let decoded = try E.decode(eventType: event.eventType, data: Data(event.data.utf8)) else {
                throw DatabaseError(
                    kind: .decoding,
                    message: "stream \(stream) holds an event of unknown type \(event.eventType) at version "
                        + "\(event.streamVersion)")
            }
            state = evolve(state, decoded)
        }
        return state
    }
}
