import Commands
import EventStore
import Foundation
import Projections
import TestSupport

/// A fresh database with a command handler on the input clock, and the shared fixture of
/// DOMAIN.md §10: company 8888000004 (日商テスト商事株式会社, member, chamber kamikochi), users
/// taro, ichiro and the sub-ID jiro.
public struct LedgerFixture: Sendable {
    public let test: TestStore
    public let handler: CommandHandler

    public static let staff: JSONValue = .object(["kind": "chamberStaff", "id": "staff1", "chamberId": "kamikochi"])
    public static let ichiro: JSONValue = .object([
        "kind": "companyUser", "id": "ichiro", "tradeRegNo": "8888000004",
        "name": "日商 一郎",
    ])
    public static let taro: JSONValue = .object(["kind": "companyUser", "id": "taro", "tradeRegNo": "8888000004"])
    public static let jiro: JSONValue = .object([
        "kind": "subUser", "id": "jiro", "tradeRegNo": "8888000004",
        "issuedBy": "taro",
    ])
    public static let otherCompanyUser: JSONValue = .object([
        "kind": "companyUser", "id": "hanako", "tradeRegNo": "1234567890",
    ])

    public static let gateway: JSONValue = ["kind": "gateway", "id": "gmo"]
    public static let daemon: JSONValue = ["kind": "daemon", "id": "nightly"]
    public static let bank: JSONValue = ["kind": "bankFeed", "id": "bank"]

    /// Fields of a PlaceCouponOrder: `lines` are (product code, quantity).
    public static func order(
        _ method: String, _ lines: [(String, Int64)], buyer: String = "日商 次郎"
    ) -> [String: JSONValue] {
        [
            "paymentMethod": .string(method), "buyerName": .string(buyer), "emailOptIn": false,
            "lines": .array(lines.map { ["productCode": .string($0.0), "quantity": .int($0.1)] }),
        ]
    }

    public static func make() async throws -> LedgerFixture {
        let test = try await TestDatabase.freshStore()
        return LedgerFixture(
            test: test,
            handler: CommandHandler(
                store: test.store, clockMode: .input, chamberNames: [try ChamberId(parsing: "kamikochi"): "上高地商工会議所"]))
    }

    /// Runs one command built from its fields; `at` is JST.
    @discardableResult
    public func run(
        _ command: String, _ actor: JSONValue, at: String = "2026-04-02T10:00:00+09:00",
        id: UUID = UUID(), _ fields: [String: JSONValue] = [:]
    ) async -> CommandOutcome {
        var object = fields
        object["command"] = .string(command)
        object["commandId"] = .string(id.uuidString.lowercased())
        object["actor"] = actor
        object["at"] = .string(at)
        return await handler.execute(line: Data(JSONValue.object(object).jsonText.utf8))
    }

    /// Publishes the 2026-04-01 tariff and the 2025 one (1,100 per application), and registers
    /// the fixture company.
    public func setUp(membership: String = "member", methods: [JSONValue] = ["bankTransfer", "card"]) async throws {
        for tariff in Self.tariffs {
            let published = await run("PublishTariff", Self.staff, at: "2019-12-01T09:00:00+09:00", tariff)
            guard published.status == .ok else { throw TestDatabaseError("tariff: \(published.jsonLine)") }
        }
        let registered = await run(
            "RegisterCompany", Self.staff, at: "2024-12-01T09:00:00+09:00",
            [
                "tradeRegNo": "8888000004", "companyName": "日商テスト商事株式会社", "chamberId": "kamikochi",
                "membership": .string(membership), "paymentMethods": .array(methods), "effectiveFrom": "2024-12-01",
            ])
        guard registered.status == .ok else { throw TestDatabaseError("register: \(registered.jsonLine)") }
    }

    public static func product(_ code: String, _ label: String, _ membership: String, pack: Int64, price: Int64)
        -> JSONValue
    {
        [
            "productCode": .string(code), "label": .string(label), "membership": .string(membership),
            "packSize": .int(pack),
            "priceYen": .int(price), "faceValueYen": .int(price),
        ]
    }

    /// The chamber's tariffs: the seed's test prices by era (R10), then the 2026-04-01 tariff.
    public static let tariffs: [[String: JSONValue]] = [
        [
            "chamberId": "kamikochi", "effectiveFrom": "2020-01-01",
            "applicationFeeYen": ["member": 1100, "nonMember": 3300], "couponProducts": [],
        ],
        [
            "chamberId": "kamikochi", "effectiveFrom": "2024-01-01",
            "applicationFeeYen": ["member": 1100, "nonMember": 3300],
            "couponProducts": [product("P10", "10枚綴りクーポン", "member", pack: 10, price: 3300)],
        ],
        [
            "chamberId": "kamikochi", "effectiveFrom": "2025-01-01",
            "applicationFeeYen": ["member": 1100, "nonMember": 3300],
            "couponProducts": [
                product("P1", "1枚綴りクーポン", "member", pack: 1, price: 1000),
                product("P11", "11枚綴りクーポン", "member", pack: 11, price: 10000),
                product("P10S", "10枚綴りクーポン", "member", pack: 10, price: 45),
            ],
        ],
        [
            "chamberId": "kamikochi", "effectiveFrom": "2026-04-01",
            "applicationFeeYen": ["member": 1210, "nonMember": 3630],
            "couponProducts": [
                product("M1", "クーポン1枚", "member", pack: 1, price: 1210),
                [
                    "productCode": "M30", "label": "クーポン30枚", "membership": "member", "packSize": 30,
                    "priceYen": 35090, "faceValueYen": 36300,
                ],
                product("N1", "クーポン1枚", "nonMember", pack: 1, price: 3630),
            ],
        ],
    ]

    /// Loads virtual accounts into the pool, the seed's 0310/502/6818564 first.
    public func loadAccounts(_ count: Int = 5) async throws {
        let accounts: [JSONValue] = (0..<count).map { n in
            [
                "bankCode": "0310", "bankName": "ＧＭＯあおぞらネット銀行", "branchCode": "502", "branchName": "法人営業部",
                "accountType": "ordinary", "accountNumber": .string(String(6_818_564 + n)),
                "accountHolder": "ﾆﾂｼﾖｳ ｸｰﾎﾟﾝ",
            ]
        }
        let loaded = await run(
            "LoadVirtualAccounts", Self.staff, at: "2019-12-01T09:00:00+09:00",
            ["accounts": .array(accounts)])
        guard loaded.status == .ok else { throw TestDatabaseError("accounts: \(loaded.jsonLine)") }
    }

    /// Gives the company `count` coupons by a chamber adjustment.
    public func grant(_ count: Int64, at: String = "2026-04-01T09:00:00+09:00") async throws {
        let outcome = await run(
            "AdjustCoupons", Self.staff, at: at,
            ["tradeRegNo": "8888000004", "delta": .int(count), "reason": "opening balance"])
        guard outcome.status == .ok else { throw TestDatabaseError("grant: \(outcome.jsonLine)") }
    }

    /// Fields of a SubmitApplication.
    public static func application(
        _ receptionNo: String, method: String = "coupon", channel: String = "online",
        date: String = "2026-04-02"
    ) -> [String: JSONValue] {
        [
            "receptionNo": .string(receptionNo), "certificateKind": "originJapan", "invoiceNumber": "inv00024680",
            "applicantName": "日商 一郎", "applicationDate": .string(date), "issuanceChannel": .string(channel),
            "paymentMethod": .string(method),
        ]
    }

    /// The company's folded state, read from the store.
    public func company() async throws -> CompanyState {
        let session = CommandSession(
            envelope: try CommandEnvelope.parse(
                Data(#"{"command":"x","commandId":"\#(UUID())","actor":{"kind":"daemon","id":"t"}}"#.utf8)
            ).get(),
            now: Date(), store: test.store)
        return try await CommandCatalog.loadCompany(session, try TradeRegNo(parsing: "8888000004")).state
    }

    /// Every invariant `ledger audit` checks holds on this store (InvariantAudit, in-process).
    public func auditFailures() async throws -> [String] {
        try await InvariantAudit(store: test.store).run().filter { $0.status == .fail }
            .map { "\($0.invariant): \($0.counterexample ?? "")" }
    }

    public func eventCount() async throws -> Int64 {
        let connection = try await test.connect()
        let count = try await connection.query("SELECT count(*) FROM ledger.events").singleRow().decode(Int64.self, 0)
        await connection.close()
        return count
    }
}
