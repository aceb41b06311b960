import Foundation
import Testing

@testable import Commands
@testable import Domain

/// Goal: PlaceCouponOrder (O1, O2) prices lines from the tariff in force for the company's
/// membership (R9, R44, I8), splits the tax once per order (R65, I10), takes the purchase lock
/// (R39, I4), respects the chamber's methods (R41) and hands back what the caller needs.
@Suite("PlaceCouponOrder (O1, O2; EX-8, EX-9, EX-11, EX-13, EX-14, EX-17)")
struct PlaceCouponOrderTests {
    typealias F = OrderFixture

    /// EX-8: (membership, lines, amount, coupons, tax, taxable).
    static let ex8: [(String, Membership, [(String, Int32)], Int64, Int32, Int64, Int64)] = [
        ("member 1 × 1枚", .member, [("member-1", 1)], 1_210, 1, 110, 1_100),
        ("member 1 × 30枚", .member, [("member-30", 1)], 35_090, 30, 3_190, 31_900),
        ("member 1 × 30枚 + 2 × 1枚", .member, [("member-30", 1), ("member-1", 2)], 37_510, 32, 3_410, 34_100),
        ("non-member 3 × 1枚", .nonMember, [("nonMember-1", 3)], 10_890, 3, 990, 9_900),
    ]

    @Test("EX-8 tariff combinations", arguments: ex8)
    func ex8Combination(_ row: (String, Membership, [(String, Int32)], Int64, Int32, Int64, Int64)) throws {
        var world = OrderWorld(company: F.company(membership: row.1), tariffs: F.tariff2026)
        let decision = try world.place(
            F.place(.bankTransfer, row.2.map { F.line($0.0, $0.1) }), at: F.at("2026-04-01 10:00:00"))
        let placed = try #require(decision.placed, "\(row.0)")
        #expect(placed.amountYen.value == row.3, "\(row.0)")
        #expect(placed.totalCoupons.value == row.4, "\(row.0)")
        #expect(placed.consumptionTaxYen.value == row.5, "\(row.0)")
        #expect(placed.taxableAmountYen.value == row.6, "\(row.0)")
        #expect(placed.membership == row.1)
        // I8: each line's amount is unit price × quantity and the order sums its lines.
        for line in placed.lines {
            #expect(line.lineAmountYen.value == line.unitPriceYen.value * Int64(line.quantity.value))
        }
        #expect(placed.lines.reduce(0) { $0 + $1.lineAmountYen.value } == row.3)
        #expect(F.int(decision.result["amountYen"]) == row.3)
        #expect(F.int(decision.result["totalCoupons"]) == Int64(row.4))
    }

    @Test("EX-8 the 30-pack's face value is 36,300 and its price 35,090")
    func thirtyPackFaceValue() throws {
        var world = OrderWorld(tariffs: F.tariff2026)
        let placed = try #require(
            try world.place(F.place(.card, [F.line("member-30", 1)]), at: F.at("2026-04-01 09:00:00")).placed)
        #expect(placed.lines.map(\.faceValueYen) == [36_300])
        #expect(placed.lines.map(\.unitPriceYen) == [35_090])
        #expect(placed.lines.map(\.label) == ["30枚綴り"])
    }

    /// EX-8 refused rows and R44: a product of the other membership's catalog is unknown.
    static let wrongCatalog: [(String, Membership, String)] = [
        ("non-member 1 × 30枚 (no such product for non-members)", .nonMember, "member-30"),
        ("non-member buys the member 1枚", .nonMember, "member-1"),
        ("member buys the non-member 1枚", .member, "nonMember-1"),
        ("a code no tariff has", .member, "member-10"),
    ]

    @Test("EX-8 products outside the membership's catalog are refused", arguments: wrongCatalog)
    func unknownProduct(_ row: (String, Membership, String)) {
        var world = OrderWorld(company: F.company(membership: row.1), tariffs: F.tariff2026)
        let rejection = F.rejection {
            try world.place(F.place(.bankTransfer, [F.line(row.2, 1)]), at: F.at("2026-04-02 10:00:00"))
        }
        #expect(rejection?.code == .unknownProduct, "\(row.0)")
        #expect(rejection?.details["productCode"] == .string(row.2))
        #expect(rejection?.details["membership"] == .string(row.1.rawValue))
        #expect(world.company.openPurchase == nil, "nothing appended")
    }

    @Test("Q6: the catalog follows the membership on the order date")
    func membershipOnOrderDate() throws {
        var company = F.company(membership: .member)
        company = CompanyState.evolve(
            company,
            .membershipChanged(
                MembershipChanged(
                    membership: .nonMember, effectiveFrom: F.date("2026-05-01"), staffId: F.staff)))
        var world = OrderWorld(company: company, tariffs: F.tariff2026)
        let memberDay = try world.place(F.place(.card, [F.line("member-30", 1)]), at: F.at("2026-04-30 12:00:00"))
        #expect(memberDay.placed?.membership == .member)
        world.company = company  // the lock of the first order aside
        let refused = F.rejection {
            try world.place(F.place(.card, [F.line("member-30", 1)]), at: F.at("2026-05-01 12:00:00"))
        }
        #expect(refused?.code == .unknownProduct)
        let nonMemberDay = try world.place(F.place(.card, [F.line("nonMember-1", 2)]), at: F.at("2026-05-01 12:00:00"))
        #expect(nonMemberDay.placed?.membership == .nonMember)
        #expect(nonMemberDay.placed?.amountYen == 7_260)
    }

    @Test("EX-9 a bank order of 4 × 10-coupon packs: order, account, lock, result")
    func ex9Placement() throws {
        var world = OrderWorld()
        let decision = try world.place(
            F.place(.bankTransfer, [F.line("ten-pack", 4)]), by: F.jiro, at: F.at("2024-01-19 10:00:00"))
        #expect(decision.orderTypes == ["CouponOrderPlaced", "VirtualAccountAssigned"])
        #expect(decision.companyTypes == ["CouponPurchaseOpened"])
        #expect(decision.payment.isEmpty)

        let placed = try #require(decision.placed)
        #expect(placed.orderNo.stringValue == "202401198888000004000001")
        #expect(placed.amountYen == 13_200)
        #expect(placed.totalCoupons == 40)
        #expect(placed.taxableAmountYen == 12_000)
        #expect(placed.consumptionTaxYen == 1_200)
        #expect(
            placed.lines == [
                CouponLine(
                    productCode: "ten-pack", label: "10枚綴りクーポン", packSize: 10,
                    unitPriceYen: 3_300, faceValueYen: 12_100, quantity: 4, lineAmountYen: 13_200)
            ])
        #expect(placed.orderDate == F.date("2024-01-19"))
        #expect(placed.buyerUserId == F.jiro)
        #expect(placed.buyerName == "日商 次郎")
        #expect(placed.chamberId == F.chamber)
        #expect(placed.settlementNo == nil)
        #expect(placed.emailOptIn && placed.email == "test@ccci.or.jp")

        let assigned = try #require(decision.assigned)
        #expect(assigned.account.bankCode.stringValue == "0310")
        #expect(assigned.account.branchCode.stringValue == "502")
        #expect(assigned.account.accountNumber.stringValue == "6818564")
        #expect(assigned.account.accountType == .ordinary)
        #expect(assigned.validUntil == F.date("2024-02-18"))
        #expect(assigned.validUntil.weekday == .sunday)

        #expect(
            decision.opened
                == CouponPurchaseOpened(
                    orderNo: placed.orderNo, buyerUserId: F.jiro, paymentMethod: .bankTransfer, coupons: 40,
                    amountYen: 13_200))
        #expect(world.company.pending == 40)
        #expect(world.company.available == 0)
        #expect(world.order(placed.orderNo).status == .awaitingTransfer)

        #expect(F.string(decision.result["orderNo"]) == "202401198888000004000001")
        #expect(F.string(decision.result["validUntil"]) == "2024-02-18")
        #expect(F.string(decision.result["virtualAccount"]?["accountNumber"]) == "6818564")
        #expect(F.int(decision.result["amountYen"]) == 13_200)
        #expect(F.int(decision.result["totalCoupons"]) == 40)
        #expect(decision.result["settlementNo"] == nil)
    }

    /// EX-14: (lines as on the test screen, amount, coupons, tax, taxable, lines kept).
    static let ex14: [(String, [CouponProduct], [(String, Int32)], Int64, Int32, Int64, Int64, Int)] = [
        (
            "3 × クーポン 10枚綴り at 12円, 1枚綴り × 0",
            [
                F.product("one-100", "クーポン 1枚綴り", .member, pack: 1, price: 100),
                F.product("ten-12", "クーポン 10枚綴り", .member, pack: 10, price: 12),
            ],
            [("one-100", 0), ("ten-12", 3)], 36, 30, 3, 33, 1
        ),
        (
            "2 × クーポン 11枚綴り at 12,000円, 1枚綴り × 0",
            [
                F.product("one-1200", "クーポン 1枚綴り", .member, pack: 1, price: 1_200),
                F.product("eleven-12000", "クーポン 11枚綴り", .member, pack: 11, price: 12_000),
            ],
            [("one-1200", 0), ("eleven-12000", 2)], 24_000, 22, 2_181, 21_819, 1
        ),
    ]

    @Test("EX-14 order arithmetic of the test screens; quantity-0 lines are not stored (Q36)", arguments: ex14)
    func ex14Arithmetic(_ row: (String, [CouponProduct], [(String, Int32)], Int64, Int32, Int64, Int64, Int)) throws {
        var world = OrderWorld(tariffs: F.tariffs(row.1))
        let placed = try #require(
            try world.place(
                F.place(.bankTransfer, row.2.map { F.line($0.0, $0.1) }), at: F.at("2025-01-10 10:00:00")
            ).placed)
        #expect(placed.amountYen.value == row.3, "\(row.0)")
        #expect(placed.totalCoupons.value == row.4, "\(row.0)")
        #expect(placed.consumptionTaxYen.value == row.5, "\(row.0)")
        #expect(placed.taxableAmountYen.value == row.6, "\(row.0)")
        #expect(placed.lines.count == row.7, "\(row.0)")
        #expect(placed.lines.allSatisfy { $0.quantity.value >= 1 })
    }

    /// Field checks: (case, command, field named in the rejection).
    static let invalid: [(String, PlaceCouponOrder, String)] = [
        ("all quantities 0", F.place(.bankTransfer, [F.line("ten-pack", 0)]), "lines"),
        ("no lines", F.place(.bankTransfer, []), "lines"),
        ("1,000 packs on a line", F.place(.bankTransfer, [F.line("ten-pack", 1_000)]), "lines[0].quantity"),
        (
            "a product twice", F.place(.bankTransfer, [F.line("ten-pack", 1), F.line("ten-pack", 2)]),
            "lines[1].productCode"
        ),
        ("empty buyer name", F.place(.bankTransfer, [F.line("ten-pack", 1)], buyerName: "  "), "buyerName"),
        ("opted in without an address", F.place(.bankTransfer, [F.line("ten-pack", 1)], email: nil), "email"),
        ("not an address", F.place(.bankTransfer, [F.line("ten-pack", 1)], email: "test at jcci"), "email"),
    ]

    @Test("Malformed orders are refused with invalidCommand naming the field", arguments: invalid)
    func invalidFields(_ row: (String, PlaceCouponOrder, String)) {
        var world = OrderWorld()
        let rejection = F.rejection { try world.place(row.1, at: F.at("2024-01-19 10:00:00")) }
        #expect(rejection?.code == .invalidCommand, "\(row.0)")
        #expect(rejection?.details["field"] == .string(row.2), "\(row.0)")
        #expect(world.company.openPurchase == nil)
    }

    @Test("999 packs on a line is the limit and is accepted; no email without opt-in is fine")
    func limits() throws {
        var world = OrderWorld()
        let placed = try world.place(
            F.place(.bankTransfer, [F.line("ten-pack", 999)], emailOptIn: false, email: nil),
            at: F.at("2024-01-19 10:00:00")
        ).placed
        #expect(placed?.totalCoupons == 9_990)
        #expect(placed?.amountYen == 3_296_700)
    }

    @Test("EX-11 a second order while one is open is refused, naming the open order and buyer (R39)")
    func ex11PurchaseInProgress() throws {
        var world = OrderWorld(tariffs: F.catalogEX10)
        let open = try world.place(
            F.place(.bankTransfer, [F.line("eleven", 1)]), by: F.jiro, at: F.at("2025-05-22 10:02:00"))
        let before = world.company
        for (user, method) in [(F.taro, CouponPaymentMethod.card), (F.ichiro, .bankTransfer), (F.jiro, .card)] {
            let rejection = F.rejection {
                try world.place(F.place(method, [F.line("one", 2)]), by: user, at: F.at("2025-05-22 10:05:00"))
            }
            #expect(rejection?.code == .purchaseInProgress, "\(user) \(method)")
            #expect(rejection?.details["openOrderNo"] == .string(open.placed!.orderNo.stringValue))
            #expect(rejection?.details["buyerUserId"] == .string("jiro"))
            #expect(rejection?.message.contains(open.placed!.orderNo.stringValue) == true)
        }
        #expect(world.company == before, "nothing appended")
        // Once cancelled, jiro (a sub-ID) pays a card order for 2 × 1枚 = 2,000: coupons go to the company (R40).
        let cancel = try CancelCouponOrder(orderNo: open.placed!.orderNo).decide(
            world.order(open.placed!.orderNo), world.company, payment: nil,
            actor: .companyUser(F.jiro, tradeRegNo: F.tradeRegNo),
            now: F.at("2025-05-22 10:06:00"))
        world.apply(cancel, orderNo: open.placed!.orderNo)
        let card = try world.place(F.place(.card, [F.line("one", 2)]), by: F.jiro, at: F.at("2025-05-22 10:07:00"))
        let orderNo = card.placed!.orderNo
        let now = F.at("2025-05-22 10:08:00")
        let paid = try F.succeeded(card.started!.settlementNo, "tx-ex11", captured: 2_000).decideCouponOrder(
            world.payment(of: orderNo), order: world.order(orderNo), company: world.company,
            issueNumber: world.nextIssueNumber(now), refundId: F.uuid(11), now: now)
        world.apply(paid, orderNo: orderNo)
        #expect(paid.statement?.payerUserId == F.jiro)
        #expect(paid.statement?.tradeRegNoAsPrinted == "8888000004")
        #expect(world.company.available == 2)
    }

    @Test("EX-17 a method the chamber does not allow is refused; an allowed one is accepted (R41)")
    func ex17PaymentMethodNotAllowed() throws {
        var world = OrderWorld(company: F.company(methods: [.bankTransfer]))
        let rejection = F.rejection {
            try world.place(F.place(.card, [F.line("ten-pack", 1)]), at: F.at("2024-01-19 10:00:00"))
        }
        #expect(rejection?.code == .paymentMethodNotAllowed)
        #expect(rejection?.details["allowed"] == .array([.string("bankTransfer")]))
        #expect(world.company.openPurchase == nil)
        let bank = try world.place(F.place(.bankTransfer, [F.line("ten-pack", 1)]), at: F.at("2024-01-19 10:01:00"))
        #expect(bank.placed?.paymentMethod == .bankTransfer)

        var none = OrderWorld(company: F.company(methods: []))
        #expect(
            F.rejection {
                try none.place(F.place(.bankTransfer, [F.line("ten-pack", 1)]), at: F.at("2024-01-19 10:00:00"))
            }?
            .code == .paymentMethodNotAllowed)
    }

    @Test("An empty pool refuses a bank order with noVirtualAccountAvailable; a card order needs no account")
    func noVirtualAccount() throws {
        var world = OrderWorld()
        let rejection = F.rejection {
            try world.place(
                F.place(.bankTransfer, [F.line("ten-pack", 1)]), at: F.at("2024-01-19 10:00:00"), poolEmpty: true)
        }
        #expect(rejection?.code == .noVirtualAccountAvailable)
        #expect(world.company.openPurchase == nil)
        let card = try world.place(
            F.place(.card, [F.line("ten-pack", 1)]), at: F.at("2024-01-19 10:00:00"), poolEmpty: true)
        #expect(card.assigned == nil)
    }

    @Test("Unknown company, no tariff in force, an existing order stream and a misallocated number are refused")
    func otherRefusals() {
        var unregistered = OrderWorld(company: CompanyState())
        #expect(
            F.rejection {
                try unregistered.place(F.place(.card, [F.line("ten-pack", 1)]), at: F.at("2024-01-19 10:00:00"))
            }?
            .code == .unknownCompany)

        var early = OrderWorld(tariffs: F.tariff2026)
        let noTariff = F.rejection {
            try early.place(F.place(.card, [F.line("member-1", 1)]), at: F.at("2026-03-31 23:59:59"))
        }
        #expect(noTariff?.code == .unknownTariff)

        let world = OrderWorld()
        let command = F.place(.card, [F.line("ten-pack", 1)])
        let now = F.at("2024-01-19 10:00:00")
        let yesterday = OrderNo(date: F.date("2024-01-18"), tradeRegNo: F.tradeRegNo, sequence: 1)!
        let misallocated = F.rejection {
            try command.decide(
                CouponOrderState(), world.company, world.tariffs, buyer: F.jiro, tradeRegNo: F.tradeRegNo,
                orderNo: yesterday, virtualAccount: nil,
                settlementNo: F.settlementNo("20240119-8888000004-00001"), now: now)
        }
        #expect(misallocated?.code == .invalidCommand)
        let today = OrderNo(date: F.date("2024-01-19"), tradeRegNo: F.tradeRegNo, sequence: 1)!
        let noSettlement = F.rejection {
            try command.decide(
                CouponOrderState(), world.company, world.tariffs, buyer: F.jiro, tradeRegNo: F.tradeRegNo,
                orderNo: today, virtualAccount: nil, settlementNo: nil, now: now)
        }
        #expect(noSettlement?.details["field"] == .string("settlementNo"))
        let existing = CouponOrderState().applying([
            .placed(
                CouponOrderPlaced(
                    orderNo: today, tradeRegNo: F.tradeRegNo, chamberId: F.chamber, buyerUserId: F.jiro, buyerName: "x",
                    membership: .member, paymentMethod: .bankTransfer, lines: [], totalCoupons: 1, amountYen: 1,
                    taxableAmountYen: 1, consumptionTaxYen: 0, emailOptIn: false, email: nil,
                    orderDate: F.date("2024-01-19"),
                    placedAt: now, settlementNo: nil))
        ])
        let again = F.rejection {
            try command.decide(
                existing, world.company, world.tariffs, buyer: F.jiro, tradeRegNo: F.tradeRegNo,
                orderNo: today, virtualAccount: nil,
                settlementNo: F.settlementNo("20240119-8888000004-00001"), now: now)
        }
        #expect(again?.code == .wrongState)
    }

    @Test("EX-13 a card order of 2 × 45円 ten-packs opens an attempt with a 5-minute deadline")
    func ex13CardPlacement() throws {
        var world = OrderWorld(
            company: F.company(F.otherTradeRegNo, companyName: "日本精工株式会社"),
            tariffs: F.tariffs([F.product("ten-45", "10枚綴りクーポン", .member, pack: 10, price: 45)]))
        world.sequence = 16
        let decision = try world.place(
            F.place(.card, [F.line("ten-45", 2)], email: "nissho_ks_com53@jcci.or.jp"), by: F.jiro,
            at: F.at("2025-05-22 10:00:00"), tradeRegNo: F.otherTradeRegNo)
        let placed = try #require(decision.placed)
        #expect(placed.orderNo.stringValue == "202505228888000094000017")
        #expect(placed.amountYen == 90)
        #expect(placed.totalCoupons == 20)
        #expect(placed.consumptionTaxYen == 8)
        #expect(placed.taxableAmountYen == 82)
        #expect(decision.orderTypes == ["CouponOrderPlaced"])
        #expect(decision.companyTypes == ["CouponPurchaseOpened"])
        let started = try #require(decision.started)
        #expect(started.purpose == .couponOrder)
        #expect(started.orderNo == placed.orderNo)
        #expect(started.items == nil)
        #expect(started.amountYen == 90)
        #expect(started.itemCount == 20)
        #expect(started.payerUserId == F.jiro)
        #expect(started.productLabel == "貿易関係証明発給システムクーポン20枚分")
        #expect(started.deadlineAt.timeIntervalSince(started.startedAt) == 300)
        #expect(placed.settlementNo == started.settlementNo)
        #expect(started.settlementNo.stringValue == "20250522-8888000094-00001")
        #expect(F.string(decision.result["settlementNo"]) == "20250522-8888000094-00001")
        #expect(F.string(decision.result["deadlineAt"]) == "2025-05-22T10:05:00+09:00")
        #expect(decision.result["validUntil"] == nil)
        #expect(world.order(placed.orderNo).status == .awaitingCardAuth)
        #expect(world.company.pending == 20)
    }

    @Test("PlaceCouponOrder decodes from the COMMANDS.md field names")
    func decodesCommand() throws {
        let json =
            #"{"paymentMethod":"bankTransfer","lines":[{"productCode":"ten-pack","quantity":4}],"#
            + #""buyerName":"日商 次郎","emailOptIn":true,"email":"test@ccci.or.jp"}"#
        let command = try JSONCoding.decoder.decode(PlaceCouponOrder.self, from: Data(json.utf8))
        #expect(command == F.place(.bankTransfer, [F.line("ten-pack", 4)]))
        let negative =
            #"{"paymentMethod":"card","lines":[{"productCode":"x","quantity":-1}],"buyerName":"a","emailOptIn":false}"#
        #expect(throws: DecodingError.self) {
            try JSONCoding.decoder.decode(PlaceCouponOrder.self, from: Data(negative.utf8))
        }
    }
}
