@testable import Commands
import EventStore
import Foundation
import TestSupport

/// A fresh database with a command handler on the input clock, and the shared fixture of
/// DOMAIN.md §10: company 8888000004 (日商テスト商事株式会社, member, chamber kamikochi), users
/// taro, ichiro and the sub-ID jiro.
struct LedgerFixture {
    let test: TestStore
    let handler: CommandHandler

    static let staff: JSONValue = .object(["kind": "chamberStaff", "id": "staff1", "chamberId": "kamikochi"])
    static let ichiro: JSONValue = .object(["kind": "companyUser", "id": "ichiro", "tradeRegNo": "8888000004",
                                            "name": "日商 一郎"])
    static let taro: JSONValue = .object(["kind": "companyUser", "id": "taro", "tradeRegNo": "8888000004"])
    static let jiro: JSONValue = .object(["kind": "subUser", "id": "jiro", "tradeRegNo": "8888000004",
                                          "issuedBy": "taro"])
    static let otherCompanyUser: JSONValue = .object(["kind": "companyUser", "id": "hanako", "tradeRegNo": "1234567890"])

    static func make() async throws -> LedgerFixture {
        let test = try await TestDatabase.freshStore()
        return LedgerFixture(test: test, handler: CommandHandler(store: test.store, clockMode: .input))
    }

    /// Runs one command built from its fields; `at` is JST.
    @discardableResult
    func run(_ command: String, _ actor: JSONValue, at: String = "2026-04-02T10:00:00+09:00",
             id: UUID = UUID(), _ fields: [String: JSONValue] = [:]) async -> CommandOutcome {
        var object = fields
        object["command"] = .string(command)
        object["commandId"] = .string(id.uuidString.lowercased())
        object["actor"] = actor
        object["at"] = .string(at)
        return await handler.execute(line: Data(JSONValue.object(object).jsonText.utf8))
    }

    /// Publishes the 2026-04-01 tariff and the 2025 one (1,100 per application), and registers
    /// the fixture company.
    func setUp(membership: String = "member", methods: [JSONValue] = ["bankTransfer", "card"]) async throws {
        for (from, member, nonMember) in [("2025-01-01", Int64(1100), Int64(3300)), ("2026-04-01", 1210, 3630)] {
            let published = await run("PublishTariff", Self.staff, at: "2024-12-01T09:00:00+09:00", [
                "chamberId": "kamikochi", "effectiveFrom": .string(from),
                "applicationFeeYen": .object(["member": .int(member), "nonMember": .int(nonMember)]),
                "couponProducts": .array([
                    .object(["productCode": "M1", "label": "1枚", "membership": "member", "packSize": 1,
                             "priceYen": .int(member), "faceValueYen": .int(member)]),
                ]),
            ])
            guard published.status == .ok else { throw TestDatabaseError("tariff: \(published.jsonLine)") }
        }
        let registered = await run("RegisterCompany", Self.staff, at: "2024-12-01T09:00:00+09:00", [
            "tradeRegNo": "8888000004", "companyName": "日商テスト商事株式会社", "chamberId": "kamikochi",
            "membership": .string(membership), "paymentMethods": .array(methods), "effectiveFrom": "2024-12-01",
        ])
        guard registered.status == .ok else { throw TestDatabaseError("register: \(registered.jsonLine)") }
    }

    /// Gives the company `count` coupons by a chamber adjustment.
    func grant(_ count: Int64, at: String = "2026-04-01T09:00:00+09:00") async throws {
        let outcome = await run("AdjustCoupons", Self.staff, at: at,
                                ["tradeRegNo": "8888000004", "delta": .int(count), "reason": "opening balance"])
        guard outcome.status == .ok else { throw TestDatabaseError("grant: \(outcome.jsonLine)") }
    }

    /// Fields of a SubmitApplication.
    static func application(_ receptionNo: String, method: String = "coupon", channel: String = "online",
                            date: String = "2026-04-02") -> [String: JSONValue] {
        ["receptionNo": .string(receptionNo), "certificateKind": "originJapan", "invoiceNumber": "inv00024680",
         "applicantName": "日商 一郎", "applicationDate": .string(date), "issuanceChannel": .string(channel),
         "paymentMethod": .string(method)]
    }

    /// The company's folded state, read from the store.
    func company() async throws -> CompanyState {
        let session = CommandSession(
            envelope: try CommandEnvelope.parse(Data(#"{"command":"x","commandId":"\#(UUID())","actor":{"kind":"daemon","id":"t"}}"#.utf8)).get(),
            now: Date(), store: test.store, calendar: .japan)
        return try await CommandCatalog.loadCompany(session, try TradeRegNo(parsing: "8888000004")).state
    }

    func eventCount() async throws -> Int64 {
        let connection = try await test.connect()
        let count = try await connection.query("SELECT count(*) FROM ledger.events").singleRow().decode(Int64.self, 0)
        await connection.close()
        return count
    }
}
