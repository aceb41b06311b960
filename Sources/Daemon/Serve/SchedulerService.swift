import Commands
import EventStore
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// The daemon's clockwork. On start and every tick it runs the deadline sweep (`GatewaySweep`: the gateway
/// is asked, then `SweepDeadlines`), then looks up, from
/// the events (`schedule-<job>`), the last period each dated job completed and runs every period
/// due since, oldest first across jobs: `RunNightlyDepositCheck` for each date from 23:00 JST,
/// `IssueScheduledCoupons` for each business day from 00:00 JST (the shared calendar decides
/// which), so a night or a day when no daemon ran is still run, in order. After a period's
/// command is `ok` or `exists`, `RecordScheduledRun` records it. Commands carry ids derived from
/// job and period, so another daemon or a restart gets `exists` and nothing happens twice. A
/// failing period stops the catch-up until the next tick (later periods wait for it). Failures
/// are logged once per run (`FailureLogs`, one per command and per read), with the command id
/// and the cause, and the recovery once.
struct SchedulerService: Service {
    let handler: CommandHandler
    let logger: Logger
    /// The deadline sweep, with the gateway it asks (docs/gateway.md).
    let sweep: GatewaySweep
    var interval: Duration = .seconds(60)
    /// The most periods of one job run in one tick (the rest in the next ones).
    var periodsPerTick = 400
    let warnings = CalendarWarnings()
    /// Runs of failures, by activity (a command's name, a read).
    let failures: FailureLogs

    init(handler: CommandHandler, logger: Logger, sweep: GatewaySweep, interval: Duration = .seconds(60)) {
        self.handler = handler
        self.logger = logger
        self.sweep = sweep
        self.interval = interval
        self.failures = FailureLogs(logger: logger, level: .error, recoveryLevel: .notice)
    }

    static let daemon = CommandActor(kind: .daemon, id: "ledger-serve")
    /// The jobs run period by period, in the order they fall due.
    static let datedJobs: [ScheduledJob] = [.nightlyDepositCheck, .scheduledIssuance]
    /// Below this many days of published calendar ahead, the daemon warns.
    static let calendarWarningDays = 90

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await tick(now: handler.clock())
                try? await Task.sleep(for: interval)
            }
        }
    }

    func tick(now: Date) async {
        let calendar: BusinessCalendar?
        do {
            calendar = try await handler.store.businessCalendar()
            failures["calendar"].succeeded("scheduler: the business calendar can be read again")
        } catch {
            failures["calendar"].failed("scheduler: cannot read the business calendar", error: error)
            calendar = nil
        }
        await sweepAndRecord(now: now, calendar: calendar)
        guard let calendar else { return }
        warnIfCalendarShort(calendar, today: JSTDate(instant: now))
        await catchUp(now: now, calendar: calendar)
    }

    /// Sweeps (every tick, as the clock says) and records the hour it covers; without a calendar
    /// (the store did not answer) it sweeps and records nothing.
    func sweepAndRecord(now: Date, calendar: BusinessCalendar?) async {
        let succeeded = await sweepDeadlines(now: now)
        guard let calendar, succeeded,
            let latest = ScheduledJob.deadlineSweep.latestDue(now: now, calendar: calendar)
        else { return }
        let last: SchedulePeriod?
        do { last = try await handler.store.schedule(.deadlineSweep).lastCompleted } catch {
            failures["schedule"].failed(
                "scheduler: cannot read the schedule", error: error, metadata: ["job": "\(ScheduledJob.deadlineSweep)"])
            return
        }
        if let last, latest <= last { return }
        await record(.deadlineSweep, latest, runCommandId: nil)
    }

    /// Every due period of the dated jobs not completed yet, oldest first; stops at a failure.
    func catchUp(now: Date, calendar: BusinessCalendar) async {
        var due: [(at: Date, order: Int, job: ScheduledJob, period: SchedulePeriod)] = []
        // When a job has more periods due than one tick runs, later periods of the other jobs wait
        // too, so that the order across jobs holds.
        var horizon = Date.distantFuture
        for (order, job) in Self.datedJobs.enumerated() {
            let last: SchedulePeriod?
            do { last = try await handler.store.schedule(job).lastCompleted } catch {
                failures["schedule"].failed(
                    "scheduler: cannot read the schedule", error: error, metadata: ["job": "\(job)"])
                return
            }
            failures["schedule"].succeeded("scheduler: the schedule can be read again")
            let periods = job.duePeriods(after: last, now: now, calendar: calendar, limit: periodsPerTick)
            for period in periods { due.append((job.dueAt(period), order, job, period)) }
            if periods.count == periodsPerTick, let lastDue = periods.last.map(job.dueAt) {
                horizon = min(horizon, lastDue)
            }
        }
        for item in due.filter({ $0.at <= horizon }).sorted(by: { ($0.at, $0.order) < ($1.at, $1.order) }) {
            guard await run(item.job, item.period, now: now) else { return }
        }
    }

    /// Runs one period of a dated job and records it; false when it did not complete.
    func run(_ job: ScheduledJob, _ period: SchedulePeriod, now: Date) async -> Bool {
        let id = Self.periodId(job, period)
        let late = now.timeIntervalSince(job.dueAt(period))
        if late > 600 {
            logger.notice(
                "scheduler: running a period no daemon ran when it fell due",
                metadata: ["job": "\(job)", "period": "\(period)", "lateSeconds": .stringConvertible(Int(late))])
        }
        let succeeded: Bool
        switch job {
        case .nightlyDepositCheck:
            succeeded = await send(RunNightlyDepositCheck(businessDate: period.date), id: id).succeeded
        case .scheduledIssuance: succeeded = await send(IssueScheduledCoupons(date: period.date), id: id).succeeded
        case .deadlineSweep: succeeded = await sweepDeadlines(now: now)
        }
        guard succeeded else { return false }
        return await record(job, period, runCommandId: id)
    }

    @discardableResult
    func record(_ job: ScheduledJob, _ period: SchedulePeriod, runCommandId: UUID?) async -> Bool {
        let outcome = await send(
            RecordScheduledRun(job: job, period: period, runCommandId: runCommandId),
            id: UUID.derived(from: "ledger-schedule-\(job.rawValue)-\(period.stringValue)"))
        return outcome.succeeded
    }

    @discardableResult
    func send<C: LedgerCommand>(_ command: C, id: UUID) async -> CommandOutcome {
        let outcome = await handler.execute(command, id: id, actor: Self.daemon)
        if outcome.status == .ok && !outcome.events.isEmpty && C.self != RecordScheduledRun.self {
            logger.info(
                "scheduled command appended events",
                metadata: [
                    "command": "\(C.commandName)", "commandId": "\(id.uuidString.lowercased())",
                    "events": .stringConvertible(outcome.events.count),
                ])
        }
        logOutcome(outcome, command: C.commandName, id: id)
        return outcome
    }

    /// Logs a scheduled command's failure once per run of them (with its id, result and cause), and
    /// its first success after failing.
    func logOutcome(_ outcome: CommandOutcome, command: String, id: UUID) {
        let log = failures["command \(command)"]
        guard let cause = outcome.failureCause else {
            log.succeeded("scheduled command succeeds again", metadata: ["command": "\(command)"])
            return
        }
        log.failed(
            "scheduled command failed", error: cause,
            key: outcome.error.map { "rejected/\($0.code.rawValue)" },
            metadata: [
                "command": "\(command)", "commandId": "\(id.uuidString.lowercased())",
                "correlationId": "\(id.uuidString.lowercased())", "result": "\(outcome.jsonLine)",
            ])
    }

    /// Warns (once per day and shortfall) when the published calendar covers fewer than 90 days ahead.
    func warnIfCalendarShort(_ calendar: BusinessCalendar, today: JSTDate) {
        let ahead = calendar.publishedDaysAhead(from: today)
        guard ahead < Self.calendarWarningDays, warnings.shouldWarn(today: today, daysAhead: ahead) else { return }
        logger.warning(
            """
            the published holiday calendar covers fewer than \(Self.calendarWarningDays) days ahead; later dates are \
            decided by the holiday law's rules until a calendar is published (ledger calendar import FILE)
            """,
            metadata: ["daysAhead": .stringConvertible(ahead), "today": "\(today)"])
    }

    /// The command id of a period's run: derived from its job and period, so every run for that
    /// period (another daemon, a restart) sends the same id. Same ids as the daily commands had.
    static func periodId(_ job: ScheduledJob, _ period: SchedulePeriod) -> UUID {
        switch job {
        case .nightlyDepositCheck: dailyId("nightly", period.date)
        case .scheduledIssuance: dailyId("issue", period.date)
        case .deadlineSweep: UUID.derived(from: "ledger-sweep-\(period.stringValue)")
        }
    }

    static func dailyId(_ name: String, _ date: JSTDate) -> UUID {
        UUID.derived(from: "ledger-\(name)-\(date.stringValue)")
    }
}

/// Remembers the last calendar warning, so the log says it once per day (and again when the
/// shortfall changes), not every tick.
final class CalendarWarnings: Sendable {
    private let last = Mutex<(JSTDate, Int)?>(nil)

    func shouldWarn(today: JSTDate, daysAhead: Int) -> Bool {
        last.withLock { last in
            if let (date, days) = last, date == today, days == daysAhead { return false }
            last = (today, daysAhead)
            return true
        }
    }
}
