import Foundation
import Testing

@testable import Commands
@testable import Domain

/// Shared fixture of DOMAIN.md §10 for coupon orders: company 8888000004 (日商テスト商事株式会社,
/// member, chamber kamikochi, both methods allowed), users taro / ichiro / jiro, staff, the
/// 2026-04-01 tariff and the seed's test catalogs, and a small world that applies decisions.
enum OrderFixture {
    static let tradeRegNo = try! TradeRegNo(parsing: "8888000004")
    static let otherTradeRegNo = try! TradeRegNo(parsing: "8888000094")
    static let chamber = try! ChamberId(parsing: "kamikochi")
    static let taro = user("taro")
    static let ichiro = user("ichiro")
    static let jiro = user("jiro")
    static let staff = try! StaffId(parsing: "staff-osaka-1")

    static func user(_ id: String) -> UserId { try! UserId(parsing: id) }
    static func date(_ text: String) -> JSTDate { try! JSTDate(parsing: text) }
    static func orderNo(_ text: String) -> OrderNo { try! OrderNo(parsing: text) }
    static func settlementNo(_ text: String) -> SettlementNo { try! SettlementNo(parsing: text) }
    static func depositId(_ text: String) -> DepositId { try! DepositId(parsing: text) }
    static func txn(_ text: String) -> GatewayTransactionId { try! GatewayTransactionId(parsing: text) }
    static func uuid(_ n: Int) -> UUID {
        UUID(uuidString: "00000000-0000-4000-8000-" + String(repeating: "0", count: 12 - String(n).count) + String(n))!
    }
    /// A batch of refund ids, distinct per call site via `base`.
    static func refundIds(_ base: Int, count: Int = 4) -> [UUID] { (0..<count).map { uuid(base + $0) } }

    /// The instant `text` ("YYYY-MM-DD hh:mm:ss") in JST.
    static func at(_ text: String) -> Date {
        let parts = text.split(separator: " ")
        let day = date(String(parts[0]))
        let clock = parts[1].split(separator: ":").map { Int($0)! }
        return day.startInstant.addingTimeInterval(TimeInterval(clock[0] * 3600 + clock[1] * 60 + clock[2]))
    }

    /// The company as registered (§10 shared fixture).
    static func company(
        _ tradeRegNo: TradeRegNo = tradeRegNo, membership: Membership = .member,
        methods: [CouponPaymentMethod] = [.bankTransfer, .card], available: Int32 = 0,
        companyName: String = "日商テスト商事株式会社"
    ) -> CompanyState {
        var events: [CompanyEvent] = [
            .profileRecorded(
                CompanyProfileRecorded(
                    tradeRegNoAsIssued: tradeRegNo.stringValue, companyName: companyName, address: "大阪府大阪市",
                    department: "貿易課", chamberId: chamber)),
            .membershipChanged(
                MembershipChanged(membership: membership, effectiveFrom: date("2000-01-01"), staffId: staff)),
            .paymentMethodsConfigured(PaymentMethodsConfigured(methods: methods, staffId: staff, chamberId: chamber)),
        ]
        if available > 0 {
            events.append(
                .couponsAdjusted(
                    CouponsAdjustedByChamber(
                        adjustmentId: uuid(999_000), delta: SignedCount(exactly: available)!, staffId: staff,
                        chamberId: chamber,
                        reason: "fixture", balanceAfter: Count(exactly: available)!)))
        }
        return events.reduce(CompanyState(), CompanyState.evolve)
    }

    static func product(
        _ code: String, _ label: String, _ membership: Membership, pack: Int32, price: Int64, face: Int64? = nil
    ) -> CouponProduct {
        CouponProduct(
            productCode: code, label: label, membership: membership, packSize: Count(exactly: pack)!,
            priceYen: Yen(exactly: price)!, faceValueYen: Yen(exactly: face ?? price)!)
    }

    static func tariffs(_ products: [CouponProduct], from effectiveFrom: String = "2000-01-01") -> TariffState {
        TariffState.evolve(
            TariffState(),
            .published(
                TariffPublished(
                    chamberId: chamber, effectiveFrom: date(effectiveFrom),
                    applicationFeeYen: MembershipPrices(member: 1_210, nonMember: 3_630), registrationFeeYen: nil,
                    couponProducts: products)))
    }

    /// R8: the 2026-04-01 tariff (member 1枚 1,210 and 30枚 35,090 (額面 36,300); non-member 1枚 3,630).
    static let tariff2026 = tariffs(
        [
            product("member-1", "1枚綴り", .member, pack: 1, price: 1_210),
            product("member-30", "30枚綴り", .member, pack: 30, price: 35_090, face: 36_300),
            product("nonMember-1", "1枚綴り", .nonMember, pack: 1, price: 3_630),
        ], from: "2026-04-01")

    /// EX-9: 「10枚綴りクーポン」 at the test price 3,300.
    static let catalogEX9 = tariffs([product("ten-pack", "10枚綴りクーポン", .member, pack: 10, price: 3_300, face: 12_100)])

    /// EX-10, EX-11, EX-12: 1枚綴り 1,000円 and 11枚綴り 10,000円 (seed L608-609).
    static let catalogEX10 = tariffs([
        product("one", "1枚綴り", .member, pack: 1, price: 1_000),
        product("eleven", "11枚綴り", .member, pack: 11, price: 10_000, face: 11_000),
    ])

    /// A bank virtual account from the pool (seed L488-493; names as the first screenshot).
    static func account(_ number: String = "6818564") -> VirtualAccount {
        VirtualAccount(
            bankCode: try! BankCode(parsing: "0310"), bankName: "ジ-エム-アオジ ネット",
            branchCode: try! BranchCode(parsing: "502"),
            branchName: "アジサイ", accountType: .ordinary, accountNumber: try! BankAccountNumber(parsing: number),
            accountHolder: "GMO-EPネットケイシヨウメイハツキョウ")
    }

    static func deposit(_ id: String, _ amount: Int64, on day: String, account number: String = "6818564")
        -> BankDeposit
    {
        BankDeposit(
            depositId: depositId(id), bankCode: try! BankCode(parsing: "0310"),
            branchCode: try! BranchCode(parsing: "502"),
            accountNumber: try! BankAccountNumber(parsing: number), amountYen: Yen(exactly: amount)!,
            depositedOn: date(day), payerName: "ニツシヨウテスト")
    }

    static func line(_ code: String, _ quantity: Int32) -> PlaceCouponOrder.Line {
        PlaceCouponOrder.Line(productCode: code, quantity: Count(exactly: quantity)!)
    }

    static func place(
        _ method: CouponPaymentMethod, _ lines: [PlaceCouponOrder.Line], buyerName: String = "日商 次郎",
        emailOptIn: Bool = true, email: String? = "test@ccci.or.jp"
    ) -> PlaceCouponOrder {
        PlaceCouponOrder(
            paymentMethod: method, lines: lines, buyerName: buyerName, emailOptIn: emailOptIn, email: email)
    }

    static func succeeded(_ settlementNo: SettlementNo, _ id: String, captured: Int64) -> RecordGatewayResult {
        RecordGatewayResult(
            settlementNo: settlementNo, outcome: .succeeded, gatewayTransactionId: txn(id),
            capturedAmountYen: Yen(exactly: captured)!, cardBrand: .visa, threeDSecure: true)
    }

    static func failed(_ settlementNo: SettlementNo, _ id: String, code: String = "E11310004") -> RecordGatewayResult {
        RecordGatewayResult(
            settlementNo: settlementNo, outcome: .failed, gatewayTransactionId: txn(id),
            errorCode: try! GatewayErrorCode(parsing: code), gatewayMessage: "決済エラー")
    }

    /// Runs `body` and returns its rejection, or records an issue if it did not throw.
    static func rejection<T>(
        _ body: () throws -> T, sourceLocation: SourceLocation = #_sourceLocation
    ) -> Rejection? {
        do {
            _ = try body()
            Issue.record("expected a rejection", sourceLocation: sourceLocation)
            return nil
        } catch let rejection as Rejection {
            return rejection
        } catch {
            Issue.record("expected a rejection, got \(error)", sourceLocation: sourceLocation)
            return nil
        }
    }

    static func string(_ value: JSONValue?) -> String? { if case .string(let text)? = value { text } else { nil } }
    static func int(_ value: JSONValue?) -> Int64? { if case .int(let number)? = value { number } else { nil } }
    static func bool(_ value: JSONValue?) -> Bool? { if case .bool(let flag)? = value { flag } else { nil } }
}

/// One company with its coupon orders and card attempts: applies decisions the way the glue
/// appends them (every stream of a decision at once) and checks each event survives its codec.
struct OrderWorld {
    var company: CompanyState
    var tariffs: TariffState
    var orders: [OrderNo: CouponOrderState] = [:]
    var payments: [SettlementNo: PaymentState] = [:]
    var sequence = 0
    var settlementSequence = 0
    var issueSequence = 0
    var accountNumber = 6_818_564

    init(company: CompanyState = OrderFixture.company(), tariffs: TariffState = OrderFixture.catalogEX9) {
        self.company = company
        self.tariffs = tariffs
    }

    /// Places an order as `buyer` at `now`, allocating the numbers like the glue; applies it.
    @discardableResult
    mutating func place(
        _ command: PlaceCouponOrder, by buyer: UserId = OrderFixture.jiro, at now: Date,
        tradeRegNo: TradeRegNo = OrderFixture.tradeRegNo, poolEmpty: Bool = false
    ) throws(Rejection) -> CouponOrderDecision {
        let today = JSTDate(instant: now)
        let orderNo = OrderNo(date: today, tradeRegNo: tradeRegNo, sequence: sequence + 1)!
        let settlementNo = SettlementNo(date: today, tradeRegNo: tradeRegNo, sequence: settlementSequence + 1)!
        let account = poolEmpty ? nil : OrderFixture.account(String(accountNumber))
        let decision = try command.decide(
            orders[orderNo] ?? CouponOrderState(), company, tariffs, buyer: buyer, tradeRegNo: tradeRegNo,
            orderNo: orderNo, virtualAccount: command.paymentMethod == .bankTransfer ? account : nil,
            settlementNo: command.paymentMethod == .card ? settlementNo : nil, now: now)
        sequence += 1
        if command.paymentMethod == .card { settlementSequence += 1 } else { accountNumber += 1 }
        apply(decision, orderNo: orderNo, settlementNo: command.paymentMethod == .card ? settlementNo : nil)
        return decision
    }

    /// The next issue number for `now`'s date.
    mutating func nextIssueNumber(_ now: Date) -> IssueNumber {
        issueSequence += 1
        return IssueNumber(date: JSTDate(instant: now), sequence: 888_811_530 + issueSequence)!
    }

    mutating func apply(_ decision: CouponOrderDecision, orderNo: OrderNo, settlementNo: SettlementNo? = nil) {
        for event in decision.order {
            let decoded = try? CouponOrderEvent.decode(
                eventType: event.pending.eventType, data: Data(event.pending.data.utf8))
            #expect(decoded == event, "codec round trip of \(event.pending.eventType)")
            orders[orderNo] = CouponOrderState.evolve(orders[orderNo] ?? CouponOrderState(), event)
        }
        for event in decision.company {
            let decoded = try? CompanyEvent.decode(
                eventType: event.pending.eventType, data: Data(event.pending.data.utf8))
            #expect(decoded == event, "codec round trip of \(event.pending.eventType)")
            company = CompanyState.evolve(company, event)
        }
        let settlement = settlementNo ?? orders[orderNo]?.settlementNo
        for event in decision.payment {
            let decoded = try? PaymentEvent.decode(
                eventType: event.pending.eventType, data: Data(event.pending.data.utf8))
            #expect(decoded == event, "codec round trip of \(event.pending.eventType)")
            guard let settlement else {
                Issue.record("payment event without a settlement")
                continue
            }
            payments[settlement] = PaymentState.evolve(payments[settlement] ?? PaymentState(), event)
        }
    }

    func order(_ orderNo: OrderNo) -> CouponOrderState { orders[orderNo] ?? CouponOrderState() }
    func payment(of orderNo: OrderNo) -> PaymentState {
        order(orderNo).settlementNo.flatMap { payments[$0] } ?? PaymentState()
    }
}

extension CouponOrderDecision {
    var placed: CouponOrderPlaced? { order.lazy.compactMap { if case .placed(let e) = $0 { e } else { nil } }.first }
    var assigned: VirtualAccountAssigned? {
        order.lazy.compactMap { if case .virtualAccountAssigned(let e) = $0 { e } else { nil } }.first
    }
    var checks: [BankDepositChecked] { order.compactMap { if case .depositChecked(let e) = $0 { e } else { nil } } }
    var received: [BankDepositReceived] { order.compactMap { if case .depositReceived(let e) = $0 { e } else { nil } } }
    var orderRefunds: [RefundBecameDue] { order.compactMap { if case .refundDue(let e) = $0 { e } else { nil } } }
    var fulfilled: CouponOrderFulfilled? {
        order.lazy.compactMap { if case .fulfilled(let e) = $0 { e } else { nil } }.first
    }
    var issued: CouponsIssued? {
        company.lazy.compactMap { if case .couponsIssued(let e) = $0 { e } else { nil } }.first
    }
    var opened: CouponPurchaseOpened? {
        company.lazy.compactMap { if case .purchaseOpened(let e) = $0 { e } else { nil } }.first
    }
    var closed: CouponPurchaseClosed? {
        company.lazy.compactMap { if case .purchaseClosed(let e) = $0 { e } else { nil } }.first
    }
    var statement: StatementIssued? {
        payment.lazy.compactMap { if case .statementIssued(let e) = $0 { e } else { nil } }.first
    }
    var started: PaymentAttemptStarted? {
        payment.lazy.compactMap { if case .started(let e) = $0 { e } else { nil } }.first
    }
    var paymentSucceeded: PaymentAttemptSucceeded? {
        payment.lazy.compactMap { if case .succeeded(let e) = $0 { e } else { nil } }.first
    }
    var orderPaymentFailed: CouponOrderPaymentFailed? {
        order.lazy.compactMap { if case .paymentFailed(let e) = $0 { e } else { nil } }.first
    }
    /// The event types per stream, for shape assertions.
    var orderTypes: [String] { order.map(\.pending.eventType) }
    var companyTypes: [String] { company.map(\.pending.eventType) }
    var paymentTypes: [String] { payment.map(\.pending.eventType) }
}
