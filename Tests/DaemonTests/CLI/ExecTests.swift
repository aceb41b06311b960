import EventStore
import Foundation
import TestSupport
import Testing

@testable import Commands
@testable import Domain

@Suite("ledger exec")
struct ExecTests {
    func line(
        _ command: String, _ actor: JSONValue, _ fields: [String: JSONValue], at: String = "2026-04-02T10:00:00+09:00"
    ) -> String {
        var object = fields
        object["command"] = .string(command)
        object["commandId"] = .string(UUID().uuidString.lowercased())
        object["actor"] = actor
        object["at"] = .string(at)
        return JSONValue.object(object).jsonText
    }

    /// Quick: 6 processes × 10 applications against 20 coupons. Long (LEDGER_RELIABILITY_LONG=1,
    /// issue #8 item 5): 12 processes × 60 against 250.
    @Test("60 coupon applications from 6 concurrent processes against a balance of 20: exactly 20 ok")
    func concurrentSpenders() async throws {
        let processes = LongRun.scale(6, long: 12)
        let perProcess = LongRun.scale(10, long: 60)
        let balance = LongRun.scale(20, long: 250)
        let ledger = try await LedgerFixture.make()
        try await ledger.setUp()
        try await ledger.grant(Int64(balance))
        let started = ContinuousClock.now
        let files = try (0..<processes).map { process in
            try LedgerExecutable.writeLines(
                (0..<perProcess).map { n in
                    line(
                        "SubmitApplication", LedgerFixture.ichiro,
                        LedgerFixture.application(String(format: "%09d", 700_000 + process * 100 + n)))
                })
        }
        let results = try await withThrowingTaskGroup(of: ChildProcess.Result.self) { group in
            for file in files {
                group.addTask {
                    try await LedgerExecutable.runConcurrently(
                        ["exec", "--clock", "input", "--database-url", ledger.test.conninfo, file])
                }
            }
            return try await group.reduce(into: [ChildProcess.Result]()) { $0.append($1) }
        }
        let outcomes = try results.flatMap { result in
            try result.output.split(separator: "\n").map {
                try JSONCoding.decoder.decode(JSONValue.self, from: Data($0.utf8))
            }
        }
        #expect(outcomes.count == processes * perProcess)
        let ok = outcomes.filter { $0["status"] == "ok" }
        let refused = outcomes.filter { $0["error"]?["code"] == "insufficientCoupons" }
        #expect(
            ok.count == balance,
            "\(outcomes.filter { $0["status"] != "ok" && $0["error"]?["code"] != "insufficientCoupons" })")
        #expect(refused.count == processes * perProcess - balance)
        for result in results {
            // Exit 0 exactly when every one of the process's commands was ok.
            let allOk = !result.output.contains("\"status\":\"rejected\"")
            #expect(result.status == (allOk ? 0 : 1), "\(result.errorOutput)")
        }
        let company = try await ledger.company()
        #expect(company.available == 0)
        let balances = ok.compactMap { $0["result"]?["balanceAfter"] }
        #expect(Set(balances).count == balance, "each ok took a distinct coupon")
        // No accepted command lost: each ok command id is recorded in the store.
        let connection = try await ledger.test.connect()
        let recorded = Set(
            try await connection.query("SELECT command_id::text FROM ledger.commands").rows
                .map { try $0.decode(String.self, 0) })
        await connection.close()
        #expect(
            ok.allSatisfy {
                if case .string(let id) = $0["commandId"] ?? .null { recorded.contains(id) } else { false }
            })
        print(
            "concurrent spenders: \(processes) processes × \(perProcess) applications against \(balance) coupons: "
                + "\(ok.count) ok, \(refused.count) insufficientCoupons, balance 0, in \(ContinuousClock.now - started)"
        )
    }

    @Test("400 malformed or hostile lines: one rejected line each, no crash, nothing written")
    func hostileLines() async throws {
        let ledger = try await LedgerFixture.make()
        try await ledger.setUp()
        let before = try await ledger.eventCount()
        var random = SplitMix64(seed: 20_261_127)
        let huge = String(repeating: "長", count: 100_000)
        let base: [String: JSONValue] = LedgerFixture.application("000000777")
        var lines: [String] = []
        while lines.count < 400 {
            switch lines.count % 20 {
            case 0: lines.append("not json at all \(random.next())")
            case 1: lines.append("{\"command\": \"SubmitApplication\", \"commandId\": ")
            case 2: lines.append("[1, 2, 3]")
            case 3: lines.append(line("NoSuchCommand\(random.next() % 1000)", LedgerFixture.staff, [:]))
            case 4:
                lines.append(
                    line(
                        "AdjustCoupons", LedgerFixture.staff,
                        ["tradeRegNo": "8888000004", "delta": "many", "reason": "x"]))
            case 5:
                lines.append(
                    line(
                        "AdjustCoupons", LedgerFixture.staff,
                        ["tradeRegNo": "8888000004", "delta": .int(Int64(Int32.max) + 5), "reason": "x"]))
            case 6:
                lines.append(
                    line(
                        "AdjustCoupons", LedgerFixture.staff,
                        ["tradeRegNo": "8888000004", "delta": 1, "reason": "bad\u{0}nul"]))
            case 7:
                lines.append(
                    line(
                        "AdjustCoupons", LedgerFixture.staff,
                        ["tradeRegNo": "8888000004", "delta": 1, "reason": .string(huge)]))
            case 8:
                lines.append(
                    line(
                        "AdjustCoupons", LedgerFixture.staff,
                        ["tradeRegNo": "8888000004", "delta": 1, "reason": "card 4111-1111-1111-1111"]))
            case 9:
                lines.append(
                    line(
                        "SubmitApplication", LedgerFixture.ichiro,
                        base.merging(["invoiceNumber": "5555 5555 5555 4444"]) { $1 }))
            case 10:
                lines.append(
                    line(
                        "SubmitApplication", LedgerFixture.ichiro,
                        base.merging(["applicationDate": "2026-02-30"]) { $1 }))
            case 11:
                lines.append(
                    line(
                        "SubmitApplication", LedgerFixture.ichiro,
                        base.merging(["paymentMethod": "cash"]) { $1 }))
            case 12:
                lines.append(
                    line("SubmitApplication", LedgerFixture.ichiro, base.merging(["receptionNo": 4172]) { $1 }))
            case 13:
                lines.append(
                    line(
                        "AdjustCoupons", ["kind": "gateway", "id": "gw"],
                        ["tradeRegNo": "8888000004", "delta": 1, "reason": "x"]))
            case 14:
                lines.append(
                    "{\"command\":\"AdjustCoupons\",\"commandId\":\"\(UUID())\",\"actor\":{\"kind\":\"chamberStaff\",\"id\":\"s\",\"chamberId\":\"k\"},\"at\":\"2026-04-02T10:00:00+09:00\",\"tradeRegNo\":\"8888000004\",\"delta\":1.5,\"reason\":\"x\"}"
                )
            case 15:
                lines.append(
                    line("SubmitApplication", ["kind": "companyUser", "id": "", "tradeRegNo": "8888000004"], base))
            case 16:
                lines.append(
                    line(
                        "SubmitApplication", LedgerFixture.ichiro,
                        base.merging(["expiry": "12/29", "cvc": "123"]) { $1 }))
            case 17:
                lines.append(
                    line(
                        "AdjustCoupons", LedgerFixture.staff,
                        ["tradeRegNo": "88880000041234", "delta": 1, "reason": "x"]))
            case 18: lines.append(String(repeating: "{", count: 5000))
            default:
                var bytes = (0..<Int(random.next() % 200)).map { _ in UInt8(truncatingIfNeeded: random.next() % 256) }
                bytes.removeAll { $0 == 0x0A }
                lines.append(String(decoding: bytes, as: UTF8.self))
            }
        }
        let file = try LedgerExecutable.writeLines(lines)
        let result = try await LedgerExecutable.run([
            "exec", "--clock", "input", "--database-url", ledger.test.conninfo, file,
        ])
        #expect(result.status == 1, "\(result.errorOutput)")
        let outputs = result.output.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        // Blank lines are skipped; every other line gets exactly one answer.
        let expected = lines.filter { !$0.allSatisfy { $0 == " " || $0 == "\t" || $0 == "\r" } }.count
        #expect(outputs.count == expected)
        for output in outputs {
            let value = try JSONCoding.decoder.decode(JSONValue.self, from: Data(output.utf8))
            #expect(value["status"] == "rejected", "\(output.prefix(300))")
        }
        #expect(try await ledger.eventCount() == before)
        #expect(
            !result.output.contains("4111-1111-1111-1111") && !result.output.contains("5555 5555 5555 4444"),
            "a refusal must not echo the card number")
    }
}

extension ExecTests {
    @Test("A calendar published with `ledger calendar import` moves the issue date for every process (Q27)")
    func publishedHolidays() async throws {
        let ledger = try await LedgerFixture.make()
        _ = try await ledger.placeEX9()
        let holidays = try LedgerExecutable.writeLines(["# test calendar", "2024-01-23 臨時休業"])
        let publish = try await LedgerExecutable.run([
            "calendar", "import", holidays, "--from", "2024-01-20", "--through", "2024-01-31",
            "--database-url", ledger.test.conninfo,
        ])
        #expect(publish.status == 0, "\(publish.output) \(publish.errorOutput)")
        #expect(publish.output.contains("2024-01-20..2024-01-31: accepted"), "\(publish.output)")
        let again = try await LedgerExecutable.run([
            "calendar", "import", holidays, "--from", "2024-01-20", "--through", "2024-01-31",
            "--database-url", ledger.test.conninfo,
        ])
        #expect(
            again.output.contains("already recorded"), "importing the same file again is idempotent: \(again.output)")
        let lines = try LedgerExecutable.writeLines([
            line(
                "RecordBankDeposit", ["kind": "bankFeed", "id": "bank"],
                [
                    "depositId": "D1", "bankCode": "0310", "branchCode": "502", "accountNumber": "6818564",
                    "amountYen": 13200, "depositedOn": "2024-01-22",
                ], at: "2024-01-22T15:00:00+09:00"),
            line(
                "RunNightlyDepositCheck", ["kind": "daemon", "id": "d"], ["businessDate": "2024-01-22"],
                at: "2024-01-22T23:30:00+09:00"),
        ])
        let result = try await LedgerExecutable.run([
            "exec", "--clock", "input", "--database-url", ledger.test.conninfo, lines,
        ])
        #expect(result.status == 0, "\(result.output) \(result.errorOutput)")
        let events = try await ledger.test.store.readWholeStream(StreamName("couponOrder-202401198888000004000001")!)
        let received = try JSONCoding.decoder.decode(
            BankDepositReceived.self,
            from: Data(try #require(events.first { $0.eventType == "BankDepositReceived" }).data.utf8))
        #expect(received.scheduledIssueDate?.stringValue == "2024-01-24")
        let show = try await LedgerExecutable.run([
            "calendar", "show", "--from", "2024-01-01", "--through", "2024-01-31", "--database-url",
            ledger.test.conninfo,
        ])
        #expect(show.output.contains("2024-01-08 月 成人の日 (computed)"), "\(show.output)")
        #expect(show.output.contains("2024-01-23 火 臨時休業 (published)"), "\(show.output)")
        let bad = try await LedgerExecutable.run([
            "exec", "--holidays", holidays, "--database-url", ledger.test.conninfo, lines,
        ])
        #expect(bad.status == 2)
        #expect(bad.errorOutput.contains("ledger calendar import"))
    }

    @Test("`ledger calendar import` reads the Cabinet Office CSV in Shift_JIS; refusals name the problem")
    func cabinetOfficeImport() async throws {
        let ledger = try await LedgerFixture.make()
        let csv = "国民の祝日・休日月日,国民の祝日・休日名称\r\n2026/1/1,元日\r\n2026/9/22,休日\r\n2027/1/1,元日\r\n"
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("syukujitsu-\(UUID()).csv").path
        try #require(csv.data(using: .shiftJIS)).write(to: URL(fileURLWithPath: path))
        let result = try await LedgerExecutable.run([
            "calendar", "import", path, "--database-url", ledger.test.conninfo,
        ])
        #expect(result.status == 0, "\(result.output) \(result.errorOutput)")
        #expect(result.output.contains("Cabinet Office CSV, Shift_JIS, 3 dates"), "\(result.output)")
        #expect(result.output.contains("2026: accepted") && result.output.contains("2027: accepted"))
        let events = try await ledger.test.store.readWholeStream(StreamName("calendar-japan")!)
        #expect(events.map(\.eventType) == ["HolidayCalendarPublished", "HolidayCalendarPublished"])
        let calendar = try await ledger.test.store.businessCalendar()
        #expect(calendar.day(try JSTDate(parsing: "2026-09-22")).source == .published)
        #expect(calendar.isBusinessDay(try JSTDate(parsing: "2026-09-21")), "the file said 2026 has two holidays only")
        let broken = try LedgerExecutable.writeLines(["国民の祝日月日,国民の祝日名称", "2026/2/30,x"])
        let refused = try await LedgerExecutable.run([
            "calendar", "import", broken, "--database-url", ledger.test.conninfo,
        ])
        #expect(refused.status == 2 && refused.errorOutput.contains("line 2"), "\(refused.errorOutput)")
    }
}

extension ExecTests {
    @Test(
        "ledger exec: a deposit into an unknown account is ok with result.unresolved; staff resolve it by its item id")
    func unresolvedMoneyThroughExec() async throws {
        let ledger = try await LedgerFixture.make()
        try await ledger.setUp()
        let deposit: [String: JSONValue] = [
            "depositId": "D9", "bankCode": "0310", "branchCode": "502", "accountNumber": "1234567",
            "amountYen": 4_000, "depositedOn": "2026-04-02", "payerName": .null,
        ]
        let itemId = CommandCatalog.unresolvedItemId("unresolved-bankDeposit-D9").uuidString.lowercased()
        let file = try LedgerExecutable.writeLines([
            line("RecordBankDeposit", LedgerFixture.bank, deposit),
            line("RecordBankDeposit", LedgerFixture.bank, deposit, at: "2026-04-02T10:05:00+09:00"),
            line(
                "ResolveUnresolvedMoney", LedgerFixture.staff,
                ["itemId": .string(itemId), "resolution": "writeOff", "reason": "test transfer by the bank"],
                at: "2026-04-02T11:00:00+09:00"),
            line(
                "ResolveUnresolvedMoney", LedgerFixture.staff, ["itemId": .string(itemId), "resolution": "refund"],
                at: "2026-04-02T11:01:00+09:00"),
        ])
        let run = try await LedgerExecutable.run([
            "exec", "--clock", "input", "--database-url", ledger.test.conninfo, file,
        ])
        let results = try run.output.split(separator: "\n").map {
            try JSONCoding.decoder.decode(JSONValue.self, from: Data($0.utf8))
        }
        #expect(results.count == 4, "\(run.output)")
        #expect(results.first?["status"] == "ok")
        #expect(results.first?["result"]?["unresolved"]?["reason"] == "unknownAccount")
        #expect(results.first?["result"]?["unresolved"]?["itemId"] == .string(itemId))
        #expect(results.dropFirst().first?["status"] == "exists")
        #expect(results.dropFirst(2).first?["status"] == "ok")
        #expect(results.last?["error"]?["code"] == "alreadyResolved")
        #expect(run.status == 1, "one line was rejected")
    }
}
