import Commands
import Foundation
import TestSupport
import Testing

/// Goal: each scheduled job's periods, when they fall due, which are missed after a gap, and how
/// far behind a job is, decided purely from the last completed period, the time and the calendar;
/// and RecordScheduledRun through the handler refuses what is not a due period of the job.
@Suite("Scheduled jobs and their periods")
struct ScheduledJobTests {
    static func date(_ text: String) -> JSTDate { try! JSTDate(parsing: text) }
    static func at(_ text: String) -> Date { RFC3339.parse(text)! }
    static func day(_ text: String) -> SchedulePeriod { SchedulePeriod(date: date(text)) }
    let calendar = BusinessCalendar.japan

    @Test(
        "Due times: nightly at 23:00 JST of its date, issuance at 00:00 of a business day, a sweep when its hour ends")
    func dueTimes() throws {
        #expect(ScheduledJob.nightlyDepositCheck.dueAt(Self.day("2026-04-06")) == Self.at("2026-04-06T23:00:00+09:00"))
        #expect(ScheduledJob.scheduledIssuance.dueAt(Self.day("2026-04-07")) == Self.at("2026-04-07T00:00:00+09:00"))
        let hour = SchedulePeriod(date: Self.date("2026-04-06"), hour: 23)!
        #expect(ScheduledJob.deadlineSweep.dueAt(hour) == Self.at("2026-04-07T00:00:00+09:00"))
        #expect(hour.next == SchedulePeriod(date: Self.date("2026-04-07"), hour: 0))
        #expect(try SchedulePeriod(parsing: "2026-04-06T23") == hour)
        #expect(try SchedulePeriod(parsing: "2026-04-06") == Self.day("2026-04-06"))
        #expect(throws: FieldFormatError.self) { try SchedulePeriod(parsing: "2026-04-06T24") }
        #expect(throws: FieldFormatError.self) { try SchedulePeriod(parsing: "2026-04-06 23") }
    }

    @Test("After Silver Week: six nights missed, no issuance until Thursday; before 23:00 the night is not due")
    func missedPeriods() {
        let now = Self.at("2026-09-24T08:00:00+09:00")
        #expect(
            ScheduledJob.nightlyDepositCheck.duePeriods(after: Self.day("2026-09-17"), now: now, calendar: calendar)
                .map(\.stringValue)
                == ["2026-09-18", "2026-09-19", "2026-09-20", "2026-09-21", "2026-09-22", "2026-09-23"])
        #expect(
            ScheduledJob.scheduledIssuance.duePeriods(after: Self.day("2026-09-18"), now: now, calendar: calendar)
                .map(\.stringValue) == ["2026-09-24"])
        let evening = Self.at("2026-09-18T22:59:59+09:00")
        #expect(
            ScheduledJob.nightlyDepositCheck.duePeriods(after: Self.day("2026-09-17"), now: evening, calendar: calendar)
                .isEmpty)
        #expect(
            ScheduledJob.nightlyDepositCheck.duePeriods(after: nil, now: evening, calendar: calendar) == [
                Self.day("2026-09-17")
            ], "a new store starts from the latest due period")
        #expect(
            ScheduledJob.nightlyDepositCheck.duePeriods(
                after: Self.day("2026-01-01"), now: now, calendar: calendar, limit: 3
            ).count == 3)
        let sweeps = ScheduledJob.deadlineSweep.duePeriods(
            after: SchedulePeriod(date: Self.date("2026-09-18"), hour: 22), now: now, calendar: calendar)
        #expect(sweeps == [SchedulePeriod(date: Self.date("2026-09-24"), hour: 7)!], "one sweep covers every hour")
    }

    @Test("Lag: periods due and not completed, and seconds since the first fell due")
    func lag() {
        let now = Self.at("2026-04-07T08:00:00+09:00")
        let nightly = ScheduledJob.nightlyDepositCheck.lag(after: Self.day("2026-04-05"), now: now, calendar: calendar)
        #expect(nightly == ScheduleLag(periods: 1, seconds: 9 * 3600))
        #expect(
            ScheduledJob.nightlyDepositCheck.lag(after: Self.day("2026-04-06"), now: now, calendar: calendar)
                == ScheduleLag(periods: 0, seconds: 0))
        let sweep = ScheduledJob.deadlineSweep.lag(
            after: SchedulePeriod(date: Self.date("2026-04-06"), hour: 22), now: now, calendar: calendar)
        #expect(sweep.periods == 9 && sweep.seconds == 8 * 3600, "hours 23..07 pending since 04-07 00:00")
    }

    @Test(
        "RecordScheduledRun: refuses a holiday's issuance, a period not yet due, a skipped period; an older one records nothing"
    )
    func recordThroughHandler() async throws {
        let ledger = try await LedgerFixture.make()
        func record(_ job: String, _ period: String, at: String) async -> CommandOutcome {
            await ledger.run(
                "RecordScheduledRun", LedgerFixture.daemon, at: at, ["job": .string(job), "period": .string(period)])
        }
        let holiday = await record("scheduledIssuance", "2026-09-22", at: "2026-09-24T08:00:00+09:00")
        #expect(holiday.error?.details["field"] == "period", "\(holiday.jsonLine)")
        let early = await record("nightlyDepositCheck", "2026-09-23", at: "2026-09-23T22:00:00+09:00")
        #expect(early.error?.details["field"] == "period")
        let staff = await ledger.run(
            "RecordScheduledRun", LedgerFixture.staff, at: "2026-09-24T08:00:00+09:00",
            ["job": "nightlyDepositCheck", "period": "2026-09-22"])
        #expect(staff.error?.code == .forbidden)
        #expect(await record("nightlyDepositCheck", "2026-09-23", at: "2026-09-24T08:00:00+09:00").events.count == 1)
        let skipping = await record("nightlyDepositCheck", "2026-09-25", at: "2026-09-26T08:00:00+09:00")
        #expect(skipping.error?.details["field"] == "period", "09-24 comes first: \(skipping.jsonLine)")
        #expect(await record("scheduledIssuance", "2026-09-18", at: "2026-09-24T08:00:00+09:00").events.count == 1)
        let overHoliday = await record("scheduledIssuance", "2026-09-24", at: "2026-09-24T08:00:00+09:00")
        #expect(overHoliday.events.count == 1, "the holidays between are no periods of the issuance")
        let older = await record("nightlyDepositCheck", "2026-09-22", at: "2026-09-24T08:00:00+09:00")
        #expect(older.status == .ok && older.events.isEmpty && older.result?["recorded"] == false)
        let state = try await ledger.test.store.schedule(.nightlyDepositCheck)
        #expect(state.lastCompleted == Self.day("2026-09-23"))
    }
}
