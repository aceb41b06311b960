import Commands
import EventStore
import Foundation
import TestSupport
import Testing

/// Goal: the business calendar is events (PublishHolidayCalendar → `calendar-japan`), and the
/// commands that count business days decide with it through the real handler and PostgreSQL:
/// staff only, refusals name the field, publishing the same list twice records nothing, a
/// revision replaces only its range, and 翌営業日 follows what was published.
@Suite("PublishHolidayCalendar (through the handler)")
struct HolidayCalendarCommandTests {
    typealias F = LedgerFixture

    func publish(
        _ ledger: LedgerFixture, _ fields: [String: JSONValue], actor: JSONValue = F.staff,
        at: String = "2023-12-01T09:00:00+09:00"
    ) async -> CommandOutcome {
        await ledger.run("PublishHolidayCalendar", actor, at: at, fields)
    }

    static func dates(_ pairs: [(String, String)]) -> JSONValue {
        .array(pairs.map { ["date": .string($0.0), "name": .string($0.1)] })
    }

    @Test("Staff publish a year; the nightly check schedules issuance by it; re-publishing the same list is a no-op")
    func publishedYearDecides() async throws {
        let ledger = try await F.make()
        let year = Self.dates([("2024-01-01", "元日"), ("2024-01-08", "成人の日"), ("2024-01-23", "臨時休業")])
        let first = await publish(ledger, ["year": 2024, "dates": year, "source": "test list"])
        #expect(first.status == .ok, "\(first.jsonLine)")
        #expect(first.events.map(\.stream.rawValue) == ["calendar-japan"])
        #expect(first.result?["changed"] == true)
        let same = await publish(ledger, ["year": 2024, "dates": year, "source": "test list again"])
        #expect(same.status == .ok && same.events.isEmpty && same.result?["changed"] == false)

        let calendar = try await ledger.test.store.businessCalendar()
        #expect(calendar.day(try JSTDate(parsing: "2024-01-23")).holiday == "臨時休業")
        #expect(calendar.isBusinessDay(try JSTDate(parsing: "2024-02-12")), "2024 published without 振替休日 02-12")
        #expect(calendar.day(try JSTDate(parsing: "2025-01-13")).source == .computed)

        _ = try await ledger.placeEX9()
        #expect(await ledger.deposit(id: "D1", amount: 13_200, on: "2024-01-22").status == .ok)
        #expect(await ledger.nightly("2024-01-22").status == .ok)
        let events = try await ledger.test.store.readWholeStream(StreamName("couponOrder-202401198888000004000001")!)
        let received = try JSONCoding.decoder.decode(
            BankDepositReceived.self,
            from: Data(try #require(events.first { $0.eventType == "BankDepositReceived" }).data.utf8))
        #expect(received.scheduledIssueDate?.stringValue == "2024-01-24", "01-23 is closed by the published list")
        let early = await ledger.run(
            "IssueScheduledCoupons", F.daemon, at: "2024-01-23T09:00:00+09:00", ["date": "2024-01-23"])
        #expect(early.status == .ok && early.events.isEmpty, "no issuance on the published holiday")
        let due = await ledger.run(
            "IssueScheduledCoupons", F.daemon, at: "2024-01-24T09:00:00+09:00", ["date": "2024-01-24"])
        #expect(due.events.contains { $0.eventType == "CouponsIssued" }, "\(due.jsonLine)")
    }

    @Test("A range revises only its dates; a later nightly check reads the revision")
    func revisionReplacesRange() async throws {
        let ledger = try await F.make()
        #expect(
            await publish(ledger, ["year": 2024, "dates": Self.dates([("2024-01-01", "元日")]), "source": "s"]).status
                == .ok)
        let revised = await publish(
            ledger,
            [
                "from": "2024-01-20", "through": "2024-01-31", "dates": Self.dates([("2024-01-25", "臨時休業")]),
                "source": "revision",
            ])
        #expect(revised.status == .ok && revised.result?["from"] == "2024-01-20")
        let calendar = try await ledger.test.store.businessCalendar()
        #expect(!calendar.isBusinessDay(try JSTDate(parsing: "2024-01-25")))
        #expect(!calendar.isBusinessDay(try JSTDate(parsing: "2024-01-01")), "outside the range the year stands")
        #expect(calendar.published.ranges.count == 1)
        _ = try await ledger.placeEX9()
        #expect(await ledger.deposit(id: "D1", amount: 13_200, on: "2024-01-24").status == .ok)
        #expect(await ledger.nightly("2024-01-24").status == .ok)
        let events = try await ledger.test.store.readWholeStream(StreamName("couponOrder-202401198888000004000001")!)
        let received = try JSONCoding.decoder.decode(
            BankDepositReceived.self,
            from: Data(try #require(events.first { $0.eventType == "BankDepositReceived" }).data.utf8))
        #expect(received.scheduledIssueDate?.stringValue == "2024-01-26")
    }

    @Test("Refusals: not staff, both year and range, a date outside the range, a date twice, an empty name")
    func refusals() async throws {
        let ledger = try await F.make()
        let one = Self.dates([("2024-01-01", "元日")])
        let user = await publish(ledger, ["year": 2024, "dates": one, "source": "s"], actor: F.ichiro)
        #expect(user.error?.code == .forbidden)
        let both = await publish(
            ledger, ["year": 2024, "from": "2024-01-01", "through": "2024-12-31", "dates": one, "source": "s"])
        #expect(both.error?.details["field"] == "year")
        let outside = await publish(ledger, ["year": 2025, "dates": one, "source": "s"])
        #expect(outside.error?.details["field"] == "dates[0].date", "\(outside.jsonLine)")
        let twice = await publish(
            ledger, ["year": 2024, "dates": Self.dates([("2024-01-01", "元日"), ("2024-01-01", "元日")]), "source": "s"])
        #expect(twice.error?.details["field"] == "dates[1].date")
        let unnamed = await publish(ledger, ["year": 2024, "dates": Self.dates([("2024-01-01", " ")]), "source": "s"])
        #expect(unnamed.error?.details["field"] == "dates[0].name")
        let backwards = await publish(
            ledger, ["from": "2024-02-01", "through": "2024-01-01", "dates": .array([]), "source": "s"])
        #expect(backwards.error?.details["field"] == "through")
        #expect(try await ledger.eventCount() == 0)
    }
}
