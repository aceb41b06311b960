import Foundation
import Testing

@testable import Commands
@testable import Domain

/// Goal: the cart stream (`cart-<userId>`, §6.4) takes only approved, unpaid, card-payable
/// applications of the user's own company, each in one cart (A7, R12-R16, R5, EX-18), and gives
/// them back on removal (A8, R15, EX-2).
@Suite("Fee cart: AddToCart / RemoveFromCart (A7, A8, EX-2, EX-18)")
struct FeeCartTests {
    typealias F = FeeFixture

    @Test("EX-1/EX-2: two 1,100-yen applications make a 2,200-yen cart; removing one leaves 1,100")
    func addAndRemove() throws {
        let applications = F.ex1Applications()
        var cart = F.cart(F.ichiro, ["000004172", "000012641"], applications)
        #expect(cart.receptionNos.map(\.stringValue) == ["000004172", "000012641"])
        #expect(cart.totalYen == 2_200)
        #expect(cart.items.map(\.feeYen) == [1_100, 1_100])
        #expect(cart.items.first?.certificateKind == .originForeign)
        #expect(cart.items.allSatisfy { $0.userId == F.ichiro && $0.tradeRegNo == F.tradeRegNo })

        let removeOne = try RemoveFromCart(receptionNo: F.receptionNo("000004172")).decide(cart, user: F.ichiro)
        #expect(
            removeOne == [
                .itemRemoved(
                    CartItemRemoved(
                        userId: F.ichiro, receptionNo: F.receptionNo("000004172"), reason: .userRemoved))
            ])
        cart = removeOne.reduce(cart, CartState.evolve)
        #expect(cart.totalYen == 1_100)
        #expect(cart.receptionNos.map(\.stringValue) == ["000012641"])

        // 「全てカートから削除」: every item, reason allRemoved; then the cart is empty.
        cart = F.cart(F.ichiro, ["000004172", "000012641"], applications)
        let removeAll = try RemoveFromCart(all: true).decide(cart, user: F.ichiro)
        #expect(removeAll.count == 2)
        #expect(
            removeAll.allSatisfy {
                if case .itemRemoved(let e) = $0 { e.reason == .allRemoved } else { false }
            })
        cart = removeAll.reduce(cart, CartState.evolve)
        #expect(cart.isEmpty)
        #expect(cart.totalYen == 0)
        // The removed application can be added again (it is back in the payable list, R15).
        let again = try AddToCart(receptionNo: F.receptionNo("000004172")).decide(
            applications[F.receptionNo("000004172")]!, cart, user: F.ichiro, tradeRegNo: F.tradeRegNo,
            inOtherCart: false)
        #expect(again.count == 1)
    }

    /// AddToCart refusals, each with its code (checked in the documented order).
    struct AddCase: CustomTestStringConvertible, Sendable {
        var name: String
        var application: ApplicationState
        var inOwnCart = false
        var inOtherCart = false
        var tradeRegNo = FeeFixture.tradeRegNo
        var code: RejectionCode
        var testDescription: String { "\(name) → \(code.rawValue)" }
    }

    static let addRefusals: [AddCase] = {
        let n = "000004172"
        let approved = F.application(n)
        let linked = ApplicationState.evolve(
            approved,
            .paymentLinked(
                ApplicationPaymentLinked(
                    receptionNo: F.receptionNo(n), settlementNo: F.settlementNo("20250317-8888000004-00001"),
                    payerUserId: F.taro,
                    feeYen: 1_100)))
        let issued = ApplicationState.evolve(
            linked,
            .issued(
                ApplicationIssued(
                    receptionNo: F.receptionNo(n), paidBy: .card,
                    settlementNo: F.settlementNo("20250317-8888000004-00001"),
                    settlementDate: F.date(2025, 3, 17), issuedAt: F.at(F.date(2025, 3, 17), 10, 1),
                    certificateNumber: nil)))
        let onHold = ApplicationState.evolve(
            F.application(n, stage: .submitted),
            .putOnHold(
                ApplicationPutOnHold(
                    receptionNo: F.receptionNo(n), staffId: F.staff, reason: "不備", couponReturned: false)))
        let withdrawn = ApplicationState.evolve(
            approved,
            .withdrawn(
                ApplicationWithdrawn(
                    receptionNo: F.receptionNo(n), reason: "取下げ", couponReturned: false)))
        return [
            AddCase(name: "never submitted", application: ApplicationState(), code: .unknownApplication),
            AddCase(
                name: "another company's application", application: F.application(n, company: F.otherTradeRegNo),
                code: .forbidden),
            AddCase(
                name: "EX-18 counter issuance (approved)", application: F.application(n, channel: .counter),
                code: .notCardPayable),
            AddCase(
                name: "counter issuance, another state too",
                application: F.application(n, channel: .counter, stage: .submitted),
                code: .notCardPayable),
            AddCase(
                name: "coupon method (issued on approval)", application: F.application(n, method: .coupon),
                code: .notCardPayable),
            AddCase(
                name: "submitted, not yet approved", application: F.application(n, stage: .submitted), code: .wrongState
            ),
            AddCase(name: "on hold (保留)", application: onHold, code: .wrongState),
            AddCase(name: "being paid in another attempt (EX-20)", application: linked, code: .wrongState),
            AddCase(name: "already issued (交付済)", application: issued, code: .wrongState),
            AddCase(name: "withdrawn", application: withdrawn, code: .wrongState),
            AddCase(name: "already in my cart", application: approved, inOwnCart: true, code: .alreadyInCart),
            AddCase(
                name: "in another user's cart (Q4, best effort)", application: approved, inOtherCart: true,
                code: .alreadyInCart),
            AddCase(
                name: "company check before payability", application: F.application(n, channel: .counter),
                tradeRegNo: F.otherTradeRegNo, code: .forbidden),
        ]
    }()

    @Test("AddToCart refusals", arguments: addRefusals)
    func addRefused(_ row: AddCase) {
        let receptionNo = F.receptionNo("000004172")
        let cart = row.inOwnCart ? F.rawCart(F.ichiro, [("000004172", 1_100)]) : CartState()
        let rejection = F.rejection {
            try AddToCart(receptionNo: receptionNo).decide(
                row.application, cart, user: F.ichiro, tradeRegNo: row.tradeRegNo, inOtherCart: row.inOtherCart)
        }
        #expect(rejection?.code == row.code)
        #expect(rejection?.message.isEmpty == false)
    }

    @Test("EX-20 refusal names the other attempt: 「この申請は他の決済で処理中です」")
    func paymentPendingMessage() {
        let n = "000004172"
        let linked = ApplicationState.evolve(
            F.application(n),
            .paymentLinked(
                ApplicationPaymentLinked(
                    receptionNo: F.receptionNo(n), settlementNo: F.settlementNo("20250317-8888000004-00001"),
                    payerUserId: F.taro,
                    feeYen: 1_100)))
        let rejection = F.rejection {
            try AddToCart(receptionNo: F.receptionNo(n)).decide(
                linked, CartState(), user: F.ichiro, tradeRegNo: F.tradeRegNo, inOtherCart: false)
        }
        #expect(rejection?.message.contains("この申請は他の決済で処理中です") == true)
        #expect(rejection?.details["state"] == .string("paymentPending"))
        #expect(rejection?.details["settlementNo"] == .string("20250317-8888000004-00001"))
    }

    @Test(
        "RemoveFromCart refusals",
        arguments: [
            (RemoveFromCart(), RejectionCode.invalidCommand, false),
            (RemoveFromCart(receptionNo: FeeFixture.receptionNo("000004172"), all: true), .invalidCommand, true),
            (RemoveFromCart(all: false), .invalidCommand, true),
            (RemoveFromCart(all: true), .cartEmpty, false),
            (RemoveFromCart(receptionNo: FeeFixture.receptionNo("000099991")), .wrongState, true),
        ])
    func removeRefused(_ command: RemoveFromCart, _ code: RejectionCode, _ filled: Bool) {
        let cart = filled ? F.rawCart(F.ichiro, [("000004172", 1_100)]) : CartState()
        #expect(F.rejection { try command.decide(cart, user: F.ichiro) }?.code == code)
    }

    @Test("CartCheckedOut removes exactly the listed items; re-adding replaces, never duplicates")
    func evolveCheckout() {
        var cart = F.rawCart(F.ichiro, [("000004172", 1_100), ("000012641", 1_100), ("000007081", 1_210)])
        cart = CartState.evolve(
            cart,
            .checkedOut(
                CartCheckedOut(
                    userId: F.ichiro, settlementNo: F.settlementNo("20250317-8888000004-00001"),
                    receptionNos: [F.receptionNo("000004172"), F.receptionNo("000012641")], amountYen: 2_200)))
        #expect(cart.receptionNos.map(\.stringValue) == ["000007081"])
        cart = CartState.evolve(
            cart,
            .itemAdded(
                CartItemAdded(
                    userId: F.ichiro, tradeRegNo: F.tradeRegNo, receptionNo: F.receptionNo("000007081"), feeYen: 1_210,
                    certificateKind: .originJapan)))
        #expect(cart.items.count == 1)
        #expect(cart.removal(of: F.receptionNo("000007081"), user: F.ichiro, reason: .notPayable).count == 1)
        #expect(cart.removal(of: F.receptionNo("000004172"), user: F.ichiro, reason: .notPayable).isEmpty)
    }

    @Test("cart events round-trip through their stored JSON; unknown types decode to nil")
    func roundTrip() throws {
        let events: [CartEvent] = [
            .itemAdded(
                CartItemAdded(
                    userId: F.ichiro, tradeRegNo: F.tradeRegNo, receptionNo: F.receptionNo("000004172"),
                    feeYen: 1_100, certificateKind: .originForeign)),
            .itemRemoved(
                CartItemRemoved(userId: F.ichiro, receptionNo: F.receptionNo("000004172"), reason: .paidElsewhere)),
            .checkedOut(
                CartCheckedOut(
                    userId: F.ichiro, settlementNo: F.settlementNo("20250317-8888000004-00001"),
                    receptionNos: [F.receptionNo("000004172")], amountYen: 1_100)),
        ]
        for event in events {
            let pending = event.pending
            #expect(try CartEvent.decode(eventType: pending.eventType, data: Data(pending.data.utf8)) == event)
        }
        #expect(events.map(\.pending.eventType) == ["CartItemAdded", "CartItemRemoved", "CartCheckedOut"])
        #expect(events[1].pending.data.contains("\"reason\":\"paidElsewhere\""))
        #expect(try CartEvent.decode(eventType: "PaymentAttemptStarted", data: Data("{}".utf8)) == nil)
    }
}
