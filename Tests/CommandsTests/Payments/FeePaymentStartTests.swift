import Foundation
import Testing

@testable import Commands
@testable import Domain

/// Goal: StartCardPayment turns the whole cart into one attempt with the right amount, label
/// and 5-minute deadline, links every application and empties the cart in one decision (A9,
/// P1, R14, R19), and refuses the whole command when any item cannot be paid (I6, I16, EX-20).
@Suite("Fee payment: StartCardPayment (A9, P1, EX-1, EX-18, EX-20)")
struct FeePaymentStartTests {
    typealias F = FeeFixture
    static let day = FeeFixture.date(2025, 3, 17)
    static let s1 = FeeFixture.settlementNo("20250317-8888000004-00001")

    @Test("EX-1: 2 × 1,100 → one attempt of 2,200, 「2申請分手数料」, deadline +300 s")
    func ex1Start() throws {
        var world = FeeWorld(applications: F.ex1Applications())
        try world.add(F.ichiro, "000004172")
        try world.add(F.ichiro, "000012641")
        let now = F.at(Self.day, 10, 0)
        let decision = try world.start(F.ichiro, Self.s1, at: now)

        guard case .started(let started)? = decision.payment.first, decision.payment.count == 1 else {
            Issue.record("expected exactly PaymentAttemptStarted, got \(decision.payment)")
            return
        }
        #expect(started.settlementNo == Self.s1)
        #expect(started.purpose == .applicationFees)
        #expect(started.payerUserId == F.ichiro)
        #expect(started.tradeRegNo == F.tradeRegNo)
        #expect(started.amountYen == 2_200)
        #expect(started.itemCount == 2)
        #expect(started.productLabel == "貿易関係証明発給システム 2申請分手数料")
        #expect(started.startedAt == now)
        #expect(started.deadlineAt == F.at(Self.day, 10, 5))
        #expect(started.orderNo == nil)
        let items = try #require(started.items)
        #expect(items.map(\.receptionNo.stringValue) == ["000004172", "000012641"])
        #expect(items.map(\.certificateKindLabel) == ["原産地証明書(外国産)", "原産地証明書(日本産)"])
        #expect(items.map(\.invoiceNumber) == ["inv00024680", "inv00013569"])
        #expect(
            items.allSatisfy { $0.feeYen == 1_100 && $0.applicationDate == Self.day && $0.applicantName == "日商 一郎" })

        // One link per application (I6), same settlement, payer and fee.
        #expect(decision.applications.count == 2)
        for (receptionNo, events) in decision.applications {
            #expect(
                events == [
                    .paymentLinked(
                        ApplicationPaymentLinked(
                            receptionNo: receptionNo, settlementNo: Self.s1, payerUserId: F.ichiro, feeYen: 1_100))
                ])
        }
        // The cart is checked out as a whole.
        #expect(
            decision.carts == [
                F.ichiro: [
                    .checkedOut(
                        CartCheckedOut(
                            userId: F.ichiro, settlementNo: Self.s1,
                            receptionNos: [F.receptionNo("000004172"), F.receptionNo("000012641")], amountYen: 2_200))
                ]
            ])
        #expect(world.carts[F.ichiro]?.isEmpty == true)
        #expect(world.status("000004172") == .paymentPending)
        #expect(world.status("000012641") == .paymentPending)
        #expect(world.payments[Self.s1]?.status == .open)

        // What the caller gets (COMMANDS.md).
        #expect(decision.result["settlementNo"] == .string("20250317-8888000004-00001"))
        #expect(decision.result["amountYen"] == .int(2_200))
        #expect(decision.result["itemCount"] == .int(2))
        #expect(decision.result["productLabel"] == .string("貿易関係証明発給システム 2申請分手数料"))
        #expect(decision.result["deadlineAt"] == .string("2025-03-17T10:05:00+09:00"))
    }

    @Test("EX-8: a member's cart of three 1,210-yen fees is 3,630")
    func tariff2026() throws {
        let numbers = ["000007081", "000007071", "000007061"]
        var world = FeeWorld(
            applications: Dictionary(
                uniqueKeysWithValues: numbers.map {
                    (F.receptionNo($0), F.application($0, fee: 1_210))
                }))
        for number in numbers { try world.add(F.taro, number) }
        let day = F.date(2026, 4, 1)
        let decision = try world.start(F.taro, F.settlementNo("20260401-8888000004-00001"), at: F.at(day, 9, 0))
        #expect(decision.result["amountYen"] == .int(3_630))
        #expect(decision.result["productLabel"] == .string("貿易関係証明発給システム 3申請分手数料"))
    }

    @Test(
        "EX-20: the second user's StartCardPayment is refused as a whole while the first attempt holds the application")
    func ex20Race() throws {
        var world = FeeWorld(applications: F.ex1Applications())
        // Both carts hold 000004172: the soft check lost a race (Q4).
        try world.add(F.taro, "000004172")
        try world.add(F.taro, "000012641")
        try world.add(F.ichiro, "000004172")
        let now = F.at(Self.day, 10, 0)
        try world.start(F.ichiro, Self.s1, at: now)
        #expect(world.status("000004172") == .paymentPending)

        let taroCart = world.carts[F.taro]!
        let rejection = F.rejection {
            try StartCardPayment().decide(
                taroCart, applications: world.applications, payer: F.taro, tradeRegNo: F.tradeRegNo,
                settlementNo: F.settlementNo("20250317-8888000004-00002"), now: now.addingTimeInterval(1))
        }
        #expect(rejection?.code == .wrongState)
        #expect(rejection?.message.contains("この申請は他の決済で処理中です") == true)
        #expect(rejection?.details["receptionNo"] == .string("000004172"))
        // Nothing of taro's is changed: his cart still has both items (the command failed as a whole).
        #expect(world.carts[F.taro]?.receptionNos.count == 2)
        #expect(world.status("000012641") == .awaitingPayment)
    }

    /// StartCardPayment refusals: (name, cart, applications, settlementNo, code).
    struct StartCase: CustomTestStringConvertible, Sendable {
        var name: String
        var cart: CartState
        var applications: [ReceptionNo: ApplicationState]
        var settlementNo = FeePaymentStartTests.s1
        var code: RejectionCode
        var testDescription: String { "\(name) → \(code.rawValue)" }
    }

    static let startRefusals: [StartCase] = {
        let n = "000004172"
        let one = [F.receptionNo(n): F.application(n)]
        return [
            StartCase(name: "empty cart", cart: CartState(), applications: one, code: .cartEmpty),
            StartCase(
                name: "settlement number of another company", cart: F.rawCart(F.ichiro, [(n, 1_100)]),
                applications: one,
                settlementNo: F.settlementNo("20250317-0000000004-00001"), code: .invalidCommand),
            StartCase(
                name: "settlement number of another day", cart: F.rawCart(F.ichiro, [(n, 1_100)]), applications: one,
                settlementNo: F.settlementNo("20250316-8888000004-00001"), code: .invalidCommand),
            StartCase(
                name: "application not loaded / unknown", cart: F.rawCart(F.ichiro, [(n, 1_100)]), applications: [:],
                code: .unknownApplication),
            StartCase(
                name: "another company's application in the cart", cart: F.rawCart(F.ichiro, [(n, 1_100)]),
                applications: [F.receptionNo(n): F.application(n, company: F.otherTradeRegNo)], code: .forbidden),
            StartCase(
                name: "EX-18 counter issuance in the cart", cart: F.rawCart(F.ichiro, [(n, 1_100)]),
                applications: [F.receptionNo(n): F.application(n, channel: .counter)], code: .notCardPayable),
            StartCase(
                name: "coupon method in the cart", cart: F.rawCart(F.ichiro, [(n, 1_100)]),
                applications: [F.receptionNo(n): F.application(n, method: .coupon)], code: .notCardPayable),
            StartCase(
                name: "put on hold after it was added (stale cart)", cart: F.rawCart(F.ichiro, [(n, 1_100)]),
                applications: [
                    F.receptionNo(n): ApplicationState.evolve(
                        F.application(n, stage: .submitted),
                        .putOnHold(
                            ApplicationPutOnHold(
                                receptionNo: F.receptionNo(n), staffId: F.staff, reason: nil,
                                couponReturned: false)))
                ],
                code: .wrongState),
            StartCase(
                name: "fee changed since it was added (A9 fee unchanged)", cart: F.rawCart(F.ichiro, [(n, 1_100)]),
                applications: [F.receptionNo(n): F.application(n, fee: 1_210)], code: .amountMismatch),
        ]
    }()

    @Test("StartCardPayment refusals", arguments: startRefusals)
    func startRefused(_ row: StartCase) {
        let rejection = F.rejection {
            try StartCardPayment().decide(
                row.cart, applications: row.applications, payer: F.ichiro, tradeRegNo: F.tradeRegNo,
                settlementNo: row.settlementNo, now: F.at(Self.day, 10, 0))
        }
        #expect(rejection?.code == row.code)
    }

    @Test("a refusal of the second item refuses the whole cart: no partial attempt")
    func wholeCartOrNothing() {
        let cart = F.rawCart(F.ichiro, [("000004172", 1_100), ("000012641", 1_100)])
        var applications = F.ex1Applications()
        applications[F.receptionNo("000012641")] = F.application("000012641", stage: .submitted)
        let rejection = F.rejection {
            try StartCardPayment().decide(
                cart, applications: applications, payer: F.ichiro, tradeRegNo: F.tradeRegNo,
                settlementNo: Self.s1, now: F.at(Self.day, 10, 0))
        }
        #expect(rejection?.code == .wrongState)
        #expect(rejection?.details["receptionNo"] == .string("000012641"))
    }

    @Test(
        "deadlineAt printed as RFC 3339 with +09:00",
        arguments: [
            (0, "1970-01-01T09:00:00+09:00"),
            (1_742_173_500, "2025-03-17T10:05:00+09:00"),
            (1_742_137_199, "2025-03-16T23:59:59+09:00"),
            (1_742_137_200, "2025-03-17T00:00:00+09:00"),
        ] as [(Int64, String)])
    func timestamps(_ epochSeconds: Int64, _ expected: String) {
        #expect(JSTTimestamp.rfc3339(Date(timeIntervalSince1970: TimeInterval(epochSeconds))) == expected)
    }

    @Test("fractional seconds are kept to the microsecond")
    func fractionalTimestamp() {
        let instant = F.at(Self.day, 10, 5).addingTimeInterval(0.25)
        #expect(JSTTimestamp.rfc3339(instant) == "2025-03-17T10:05:00.250000+09:00")
    }
}
