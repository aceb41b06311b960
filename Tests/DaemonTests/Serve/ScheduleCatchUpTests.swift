import Commands
import EventStore
import Foundation
import TestSupport
import Testing

/// Goal (#13 item 5): a period no daemon ran is still run, in order, when a daemon starts again.
/// Real `ledger serve` processes on an injected clock (`--clock-file`) are killed before 23:00
/// and started the next morning, after a weekend, and after Silver Week's holidays; the missed
/// nightly checks run for their dates and the coupons are issued on the day R49 says.
@Suite("scheduler catch-up across stopped daemons")
struct ScheduleCatchUpTests {
    static let staff = #"{"kind":"chamberStaff","id":"s1","chamberId":"kamikochi"}"#
    static let bank = #"{"kind":"bankFeed","id":"bank"}"#
    static let buyer = #"{"kind":"companyUser","id":"u02","tradeRegNo":"8888000002"}"#

    /// A store, a clock file, and the daemons started on them.
    struct World {
        let test: TestStore
        let clock: String

        static func make(at time: String) async throws -> World {
            World(test: try await TestDatabase.freshStore(), clock: try LedgerExecutable.writeLines([time]))
        }

        func set(_ time: String) throws { try (time + "\n").write(toFile: clock, atomically: true, encoding: .utf8) }

        func start() async throws -> (ChildProcess.Running, Int) {
            try await ServeTests().start(
                test.conninfo, extra: ["--clock-file", clock, "--scheduler-interval-ms", "100"])
        }

        func post(_ port: Int, _ body: String) async throws {
            let reply = try await ServeTests().call(port, "POST", "/v1/commands", body: body)
            #expect(reply.status == 200, "\(reply.body)")
        }

        func setUp(_ port: Int) async throws {
            for command in [
                #"{"command":"PublishTariff","commandId":"\#(UUID())","actor":\#(staff),"chamberId":"kamikochi","effectiveFrom":"2026-01-01","applicationFeeYen":{"member":1210,"nonMember":3630},"couponProducts":[{"productCode":"M1","label":"1枚","membership":"member","packSize":1,"priceYen":1210,"faceValueYen":1210}]}"#,
                #"{"command":"LoadVirtualAccounts","commandId":"\#(UUID())","actor":\#(staff),"accounts":[{"bankCode":"0310","bankName":"b","branchCode":"502","branchName":"br","accountType":"ordinary","accountNumber":"6818564","accountHolder":"h"},{"bankCode":"0310","bankName":"b","branchCode":"502","branchName":"br","accountType":"ordinary","accountNumber":"6818565","accountHolder":"h"}]}"#,
                #"{"command":"RegisterCompany","commandId":"\#(UUID())","actor":\#(staff),"tradeRegNo":"8888000002","companyName":"x","chamberId":"kamikochi","membership":"member","paymentMethods":["bankTransfer"],"effectiveFrom":"2026-01-01"}"#,
            ] {
                try await post(port, command)
            }
        }

        func order(_ port: Int) async throws {
            try await post(
                port,
                #"{"command":"PlaceCouponOrder","commandId":"\#(UUID())","actor":\#(buyer),"paymentMethod":"bankTransfer","lines":[{"productCode":"M1","quantity":1}],"buyerName":"b","emailOptIn":false}"#
            )
        }

        func deposit(_ port: Int, id: String, account: String, on date: String) async throws {
            try await post(
                port,
                #"{"command":"RecordBankDeposit","commandId":"\#(UUID())","actor":\#(bank),"depositId":"\#(id)","bankCode":"0310","branchCode":"502","accountNumber":"\#(account)","amountYen":1210,"depositedOn":"\#(date)","payerName":null}"#
            )
        }

        /// The payloads of every event of `type`, in order.
        func payloads(_ type: String) async throws -> [JSONValue] {
            let connection = try await test.connect()
            defer { Task { await connection.close() } }
            let rows = try await connection.query(
                "SELECT data::text FROM ledger.events WHERE event_type = $1 ORDER BY global_position", [type])
            return try rows.rows.map {
                try JSONCoding.decoder.decode(JSONValue.self, from: Data(try $0.decode(String.self, 0).utf8))
            }
        }

        /// The periods recorded for `job`, in order.
        func periods(_ job: ScheduledJob) async throws -> [String] {
            try await test.store.readWholeStream(StreamName(.schedule(job))).map {
                try JSONCoding.decoder.decode(ScheduledRunCompleted.self, from: Data($0.data.utf8)).period.stringValue
            }
        }

        func waitFor(_ what: String, _ condition: @escaping @Sendable () async throws -> Bool) async throws {
            #expect(try await eventually(within: .seconds(30), condition), "\(what)")
        }

        /// `ledger status --json` at `now` (JSONSerialization: the horizon age is a fraction).
        func status(now: String) async throws -> [String: Any] {
            let result = try await LedgerExecutable.run([
                "status", "--json", "--now", now, "--database-url", test.conninfo,
            ])
            return try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        }
    }

    static func job(_ status: [String: Any], _ name: String) -> [String: Any]? {
        (status["schedule"] as? [[String: Any]])?.first { $0["job"] as? String == name }
    }

    @Test("killed before 23:00 on a business day, started next morning; stopped on Friday evening, started Monday")
    func overnightAndWeekend() async throws {
        let world = try await World.make(at: "2026-04-06T10:00:00+09:00")  // Monday
        let (a, portA) = try await world.start()
        try await world.waitFor("the first run records the latest due periods, before any order exists") {
            let nights = try await world.periods(.nightlyDepositCheck)
            let issues = try await world.periods(.scheduledIssuance)
            return nights == ["2026-04-05"] && issues == ["2026-04-06"]
        }
        try await world.setUp(portA)
        try await world.order(portA)
        try await world.deposit(portA, id: "D1", account: "6818564", on: "2026-04-06")
        try world.set("2026-04-06T22:30:00+09:00")
        try await Task.sleep(for: .milliseconds(300))  // let a few ticks see 22:30 (nothing is due)
        a.kill(SIGKILL)
        let outputA = await a.wait(within: .seconds(60))
        #expect(
            (outputA.output + outputA.errorOutput).contains("published holiday calendar covers fewer than 90 days"),
            "nothing is published: the daemon warns")
        #expect(try await world.payloads("BankDepositChecked").isEmpty, "no nightly check ran for 04-06")

        let behind = try await world.status(now: "2026-04-07T08:00:00+09:00")
        let nightly = try #require(Self.job(behind, "nightlyDepositCheck"))
        #expect(nightly["lastCompletedPeriod"] as? String == "2026-04-05")
        #expect(nightly["periodsBehind"] as? Int == 1)
        #expect(nightly["behindSeconds"] as? Double == 32_400, "04-06 23:00 to 04-07 08:00")
        #expect(Self.job(behind, "scheduledIssuance")?["periodsBehind"] as? Int == 1)
        #expect((behind["calendar"] as? [String: Any])?["warning"] is String, "nothing is published: status warns")
        let text = try await LedgerExecutable.run([
            "status", "--now", "2026-04-07T08:00:00+09:00", "--database-url", world.test.conninfo,
        ])
        #expect(text.output.contains("nightlyDepositCheck   2026-04-05"), "\(text.output)")
        #expect(text.output.contains("WARNING: the published holiday calendar covers 0 days ahead"), "\(text.output)")

        try world.set("2026-04-07T08:00:00+09:00")  // Tuesday morning
        let (b, portB) = try await world.start()
        try await world.waitFor("the missed nightly check runs and the coupons are issued on Tuesday") {
            try await world.payloads("CouponsIssued").count == 1
        }
        let checked = try await world.payloads("BankDepositChecked")
        #expect(checked.map { $0["businessDate"] } == ["2026-04-06"], "the missed night, for its own date")
        #expect(try await world.payloads("BankDepositReceived").first?["scheduledIssueDate"] == "2026-04-07")
        #expect(try await world.payloads("CouponsIssued").first?["issueDate"] == "2026-04-07")
        #expect(try await world.periods(.nightlyDepositCheck) == ["2026-04-05", "2026-04-06"])
        #expect(try await world.periods(.scheduledIssuance) == ["2026-04-06", "2026-04-07"])

        // The weekend: a second order on Thursday, its deposit on Friday, the daemon stopped at 22:00.
        try world.set("2026-04-09T10:00:00+09:00")
        try await world.waitFor("the running daemon catches up the days the clock skipped") {
            try await world.periods(.scheduledIssuance).last == "2026-04-09"
        }
        try await world.order(portB)
        try world.set("2026-04-10T10:00:00+09:00")  // Friday
        try await world.deposit(portB, id: "D2", account: "6818565", on: "2026-04-10")
        try await world.waitFor("Friday's issuance ran") {
            try await world.periods(.scheduledIssuance).last == "2026-04-10"
        }
        try world.set("2026-04-10T22:00:00+09:00")
        try await Task.sleep(for: .milliseconds(300))
        b.kill(SIGTERM)
        #expect(await b.wait(within: .seconds(60)).status == 0)
        try world.set("2026-04-13T08:30:00+09:00")  // Monday
        let (c, portC) = try await world.start()
        try await world.waitFor("Monday issues the order paid on Friday") {
            try await world.payloads("CouponsIssued").count == 2
        }
        #expect(try await world.payloads("CouponsIssued").last?["issueDate"] == "2026-04-13")
        #expect(try await world.payloads("BankDepositReceived").last?["scheduledIssueDate"] == "2026-04-13")
        let found = try await world.payloads("BankDepositChecked").filter { $0["found"] == true }
        #expect(found.last?["businessDate"] == "2026-04-10", "Friday's own night found Friday's deposit")
        let nights = try await world.periods(.nightlyDepositCheck)
        #expect(Array(nights.suffix(3)) == ["2026-04-10", "2026-04-11", "2026-04-12"])
        let issuances = try await world.periods(.scheduledIssuance)
        #expect(!issuances.contains("2026-04-11"), "no issuance on Saturday")
        try await world.waitFor("the sweep records the last hour it covered") {
            try await world.periods(.deadlineSweep).last == "2026-04-13T07"
        }
        let caughtUp = try await world.status(now: "2026-04-13T08:30:00+09:00")
        for name in ["nightlyDepositCheck", "scheduledIssuance", "deadlineSweep"] {
            #expect(Self.job(caughtUp, name)?["periodsBehind"] as? Int == 0, "\(name)")
        }
        let metrics = try await ServeTests().call(portC, "GET", "/metrics")
        let lines = metrics.body.split(separator: "\n")
        func gauge(_ name: String) -> Double? {
            lines.first { $0.hasPrefix(name + " ") }.flatMap { Double($0.split(separator: " ").last ?? "") }
        }
        #expect(gauge(#"ledger_schedule_periods_behind{job="nightlyDepositCheck"}"#) == 0, "\(metrics.body)")
        #expect(gauge(#"ledger_schedule_behind_seconds{job="scheduledIssuance"}"#) == 0)
        #expect(
            gauge(#"ledger_schedule_last_period_due_timestamp_seconds{job="nightlyDepositCheck"}"#)
                == (try JSTDate(parsing: "2026-04-12")).startInstant.timeIntervalSince1970 + 23 * 3600)
        #expect(gauge("ledger_calendar_coverage_warning") == 1)
        #expect(gauge("ledger_calendar_published_days_ahead") == 0)
        c.kill(SIGTERM)
        #expect(await c.wait(within: .seconds(60)).status == 0)
        #expect(try await world.payloads("CouponsIssued").count == 2, "nothing ran twice")
    }

    struct Holidays: Sendable, CustomTestStringConvertible {
        var label: String
        var publish: Bool
        var orderAt: String
        var stopAt: String
        var startAt: String
        var depositedOn: String
        var issueDate: String
        var skippedIssuance: [String]
        var testDescription: String { label }
    }

    @Test(
        "down over a weekend and holidays: issuance waits for the next business day of the shared calendar",
        arguments: [
            Holidays(
                label: "Silver Week 2026, published (敬老の日, 国民の休日 09-22, 秋分の日)", publish: true,
                orderAt: "2026-09-18T10:00:00+09:00", stopAt: "2026-09-18T22:50:00+09:00",
                startAt: "2026-09-24T08:00:00+09:00", depositedOn: "2026-09-18", issueDate: "2026-09-24",
                skippedIssuance: ["2026-09-21", "2026-09-22", "2026-09-23"]),
            Holidays(
                label: "成人の日 2028-01-10, computed by the law (nothing published)", publish: false,
                orderAt: "2028-01-07T10:00:00+09:00", stopAt: "2028-01-07T21:00:00+09:00",
                startAt: "2028-01-11T07:00:00+09:00", depositedOn: "2028-01-07", issueDate: "2028-01-11",
                skippedIssuance: ["2028-01-10"]),
        ])
    func overHolidays(_ row: Holidays) async throws {
        let world = try await World.make(at: row.orderAt)
        if row.publish {
            let csv = try LedgerExecutable.writeLines([
                "国民の祝日・休日月日,国民の祝日・休日名称", "2026/1/1,元日", "2026/1/12,成人の日", "2026/2/11,建国記念の日",
                "2026/2/23,天皇誕生日", "2026/3/20,春分の日", "2026/4/29,昭和の日", "2026/5/3,憲法記念日", "2026/5/4,みどりの日",
                "2026/5/5,こどもの日", "2026/5/6,休日", "2026/7/20,海の日", "2026/8/11,山の日", "2026/9/21,敬老の日",
                "2026/9/22,休日", "2026/9/23,秋分の日", "2026/10/12,スポーツの日", "2026/11/3,文化の日", "2026/11/23,勤労感謝の日",
            ])
            let imported = try await LedgerExecutable.run([
                "calendar", "import", csv, "--database-url", world.test.conninfo,
            ])
            #expect(imported.status == 0, "\(imported.output) \(imported.errorOutput)")
        }
        let (a, portA) = try await world.start()
        let orderDay = String(row.orderAt.prefix(10))
        try await world.waitFor("the first run records the order day's issuance and the night before") {
            let nights = try await world.periods(.nightlyDepositCheck)
            let issues = try await world.periods(.scheduledIssuance)
            return nights.count == 1 && issues == [orderDay]
        }
        try await world.setUp(portA)
        try await world.order(portA)
        try await world.deposit(portA, id: "D1", account: "6818564", on: row.depositedOn)
        try world.set(row.stopAt)
        try await Task.sleep(for: .milliseconds(300))
        a.kill(SIGKILL)
        _ = await a.wait(within: .seconds(60))
        try world.set(row.startAt)
        let (b, _) = try await world.start()
        try await world.waitFor("the coupons are issued after the holidays") {
            try await world.payloads("CouponsIssued").count == 1
        }
        #expect(try await world.payloads("CouponsIssued").first?["issueDate"] == .string(row.issueDate))
        #expect(try await world.payloads("BankDepositChecked").first?["businessDate"] == .string(row.depositedOn))
        let issuance = try await world.periods(.scheduledIssuance)
        #expect(issuance == [orderDay, row.issueDate], "no issuance on the weekend or a holiday")
        for day in row.skippedIssuance { #expect(!issuance.contains(day)) }
        let nights = try await world.periods(.nightlyDepositCheck)
        let start = try JSTDate(parsing: orderDay)
        let last = try JSTDate(parsing: row.issueDate).adding(days: -1)
        #expect(nights.suffix(start.days(until: last) + 1) == ArraySlice((start...last).map(\.stringValue)))
        b.kill(SIGTERM)
        #expect(await b.wait(within: .seconds(60)).status == 0)
    }
}
