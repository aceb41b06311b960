import Foundation
import Testing

@testable import Commands
@testable import Domain

/// The shared fixture of DOMAIN.md §10 for the fee-payment tests: company `8888000004`
/// (日商テスト商事株式会社, member, chamber `kamikochi` = 上高地商工会議所), users `taro`,
/// `ichiro`, `jiro`. States are folded from events with the aggregates' own `evolve`, so a
/// test can set up states the commands would refuse to reach (e.g. an approved counter
/// application, EX-18).
enum FeeFixture {
    static let tradeRegNo = try! TradeRegNo(parsing: "8888000004")
    static let otherTradeRegNo = try! TradeRegNo(parsing: "0000000004")
    static let chamber = try! ChamberId(parsing: "kamikochi")
    static let chamberNames = [chamber: "上高地商工会議所"]
    static let staff = try! StaffId(parsing: "staff-kamikochi-1")
    static let taro = try! UserId(parsing: "taro")
    static let ichiro = try! UserId(parsing: "ichiro")
    static let jiro = try! UserId(parsing: "jiro")

    static func receptionNo(_ text: String) -> ReceptionNo { try! ReceptionNo(parsing: text) }
    static func date(_ year: Int, _ month: Int, _ day: Int) -> JSTDate { JSTDate(year: year, month: month, day: day)! }
    /// The instant of a JST wall-clock time.
    static func at(_ date: JSTDate, _ hour: Int, _ minute: Int, _ second: Int = 0) -> Date {
        date.startInstant.addingTimeInterval(TimeInterval(hour * 3600 + minute * 60 + second))
    }
    static func settlementNo(_ text: String) -> SettlementNo { try! SettlementNo(parsing: text) }
    static func txn(_ text: String) -> GatewayTransactionId { try! GatewayTransactionId(parsing: text) }
    static func issueNumbers(on date: JSTDate, count: Int, from first: Int = 1) -> [IssueNumber] {
        (0..<count).map { IssueNumber(date: date, sequence: first + $0)! }
    }
    static let refundId = UUID(uuidString: "6F9619FF-8B86-D011-B42D-00C04FC964FF")!

    /// The company, registered with the number as issued (`asIssued` may have 9 digits, Q16).
    static func company(asIssued: String = "8888000004") -> CompanyState {
        [
            CompanyEvent.profileRecorded(
                CompanyProfileRecorded(
                    tradeRegNoAsIssued: asIssued, companyName: "日商テスト商事株式会社", address: "大阪府大阪市中央区本町橋2-8",
                    department: "国際部", chamberId: chamber)),
            .membershipChanged(MembershipChanged(membership: .member, effectiveFrom: date(2020, 1, 1), staffId: staff)),
        ]
        .reduce(CompanyState(), CompanyState.evolve)
    }

    /// How far an application has come.
    enum Stage { case submitted, approved }

    /// An application of `tradeRegNo`, filed by `applicant`, approved with `fee` unless `stage`
    /// is `.submitted`.
    static func application(
        _ number: String, kind: CertificateKind = .originJapan, label: String? = nil, invoice: String = "inv00013569",
        applied: JSTDate = date(2025, 3, 17), applicantName: String = "日商 一郎", applicant: UserId = ichiro,
        fee: Yen = 1_100, channel: IssuanceChannel = .online, method: PaymentMethod = .card,
        company: TradeRegNo = tradeRegNo, stage: Stage = .approved, certificateNumber: String? = nil
    ) -> ApplicationState {
        let receptionNo = receptionNo(number)
        var events: [ApplicationEvent] = [
            .submitted(
                ApplicationSubmitted(
                    receptionNo: receptionNo, tradeRegNo: company, chamberId: chamber, certificateKind: kind,
                    certificateKindLabel: label ?? kind.label, destinationCountry: "タイ", invoiceNumber: invoice,
                    exporterName: "日商テスト商事株式会社", agentName: nil, applicantUserId: applicant,
                    applicantName: applicantName,
                    personInCharge: applicantName, applicationDate: applied, issuanceChannel: channel,
                    paymentMethod: method))
        ]
        if stage == .approved {
            events.append(
                .approved(
                    ApplicationApproved(
                        receptionNo: receptionNo, staffId: staff, approvalDate: applied, paymentMethod: method,
                        feeYen: fee,
                        membership: .member, certificateNumber: certificateNumber)))
            if method == .coupon {
                events.append(
                    .issued(
                        ApplicationIssued(
                            receptionNo: receptionNo, paidBy: .coupon, settlementNo: nil, settlementDate: nil,
                            issuedAt: at(applied, 12, 0), certificateNumber: certificateNumber)))
            }
        }
        return events.reduce(ApplicationState(), ApplicationState.evolve)
    }

    /// EX-1's two applications: 000004172 (原産地証明書(外国産), inv00024680) and 000012641
    /// (原産地証明書(日本産), inv00013569), 申請日 2025-03-17, 申請者 日商 一郎, fee 1,100 each.
    static func ex1Applications() -> [ReceptionNo: ApplicationState] {
        [
            receptionNo("000004172"): application("000004172", kind: .originForeign, invoice: "inv00024680"),
            receptionNo("000012641"): application("000012641", kind: .originJapan, invoice: "inv00013569"),
        ]
    }

    /// A cart filled with AddToCart's own decisions, in the order given.
    static func cart(
        _ user: UserId, _ numbers: [String], _ applications: [ReceptionNo: ApplicationState],
        tradeRegNo: TradeRegNo = tradeRegNo
    ) -> CartState {
        var cart = CartState()
        for number in numbers {
            let receptionNo = receptionNo(number)
            let events = try! AddToCart(receptionNo: receptionNo).decide(
                applications[receptionNo] ?? ApplicationState(), cart, user: user, tradeRegNo: tradeRegNo,
                inOtherCart: false)
            cart = events.reduce(cart, CartState.evolve)
        }
        return cart
    }

    /// A cart item put in directly (for states AddToCart refuses to create).
    static func rawCart(_ user: UserId, _ items: [(String, Yen)], kind: CertificateKind = .originJapan) -> CartState {
        items.map {
            CartEvent.itemAdded(
                CartItemAdded(
                    userId: user, tradeRegNo: tradeRegNo, receptionNo: receptionNo($0.0), feeYen: $0.1,
                    certificateKind: kind))
        }
        .reduce(CartState(), CartState.evolve)
    }

    /// The rejection `body` throws, or nil if it succeeds.
    static func rejection<T>(_ body: () throws -> T) -> Rejection? {
        do {
            _ = try body()
            return nil
        } catch let rejection as Rejection {
            return rejection
        } catch {
            Issue.record("expected a Rejection, got \(error)")
            return nil
        }
    }
}

/// The ledger as the glue would keep it: every stream's folded state, updated by decisions.
struct FeeWorld {
    var applications: [ReceptionNo: ApplicationState]
    var carts: [UserId: CartState] = [:]
    var payments: [SettlementNo: PaymentState] = [:]
    var company = FeeFixture.company()

    init(applications: [ReceptionNo: ApplicationState]) { self.applications = applications }

    mutating func apply(_ decision: FeePaymentDecision, to settlementNo: SettlementNo) {
        payments[settlementNo] = decision.payment.reduce(payments[settlementNo] ?? PaymentState(), PaymentState.evolve)
        for (receptionNo, events) in decision.applications {
            applications[receptionNo] = events.reduce(
                applications[receptionNo] ?? ApplicationState(), ApplicationState.evolve)
        }
        for (user, events) in decision.carts {
            carts[user] = events.reduce(carts[user] ?? CartState(), CartState.evolve)
        }
    }

    mutating func add(_ user: UserId, _ number: String, inOtherCart: Bool = false) throws(Rejection) {
        let receptionNo = FeeFixture.receptionNo(number)
        let events = try AddToCart(receptionNo: receptionNo).decide(
            applications[receptionNo] ?? ApplicationState(), carts[user] ?? CartState(), user: user,
            tradeRegNo: FeeFixture.tradeRegNo, inOtherCart: inOtherCart)
        carts[user] = events.reduce(carts[user] ?? CartState(), CartState.evolve)
    }

    /// StartCardPayment for `user`'s cart, applied.
    @discardableResult
    mutating func start(_ user: UserId, _ settlementNo: SettlementNo, at now: Date) throws(Rejection)
        -> FeePaymentDecision
    {
        let decision = try StartCardPayment().decide(
            carts[user] ?? CartState(), applications: applications, payer: user, tradeRegNo: FeeFixture.tradeRegNo,
            settlementNo: settlementNo, now: now)
        apply(decision, to: settlementNo)
        return decision
    }

    /// RecordGatewayResult, applied; issue numbers allocated on the JST date of `now`.
    @discardableResult
    mutating func record(
        _ command: RecordGatewayResult, at now: Date, firstIssueSequence: Int = 1,
        otherCarts: [UserId]? = nil
    ) throws(Rejection) -> FeePaymentDecision {
        let payment = payments[command.settlementNo] ?? PaymentState()
        let numbers = FeeFixture.issueNumbers(
            on: JSTDate(instant: now), count: RecordGatewayResult.issueNumbersNeeded(for: payment),
            from: firstIssueSequence)
        let cartsToCheck =
            otherCarts.map { users in Dictionary(uniqueKeysWithValues: users.map { ($0, carts[$0] ?? CartState()) }) }
            ?? carts
        let decision = try command.decide(
            payment, applications: applications, company: company, carts: cartsToCheck, issueNumbers: numbers,
            refundId: FeeFixture.refundId, chamberNames: FeeFixture.chamberNames, now: now)
        apply(decision, to: command.settlementNo)
        return decision
    }

    func status(_ number: String) -> ApplicationState.Status? {
        applications[FeeFixture.receptionNo(number)]?.status
    }
}

extension RecordGatewayResult {
    static func success(_ settlementNo: SettlementNo, _ txn: String, captured: Yen, paymentType: String? = nil) -> Self
    {
        RecordGatewayResult(
            settlementNo: settlementNo, outcome: .succeeded, gatewayTransactionId: FeeFixture.txn(txn),
            capturedAmountYen: captured, cardBrand: .visa, threeDSecure: true, paymentType: paymentType)
    }

    static func failure(_ settlementNo: SettlementNo, _ txn: String, code: String) -> Self {
        RecordGatewayResult(
            settlementNo: settlementNo, outcome: .failed, gatewayTransactionId: FeeFixture.txn(txn),
            errorCode: try! GatewayErrorCode(parsing: code), gatewayMessage: "決済エラー")
    }
}

extension FeePaymentDecision {
    var statements: [StatementIssued] {
        payment.compactMap { if case .statementIssued(let s) = $0 { s } else { nil } }
    }
    var succeeded: PaymentAttemptSucceeded? {
        payment.lazy.compactMap { if case .succeeded(let s) = $0 { s } else { nil } }.first
    }
    var refunds: [RefundBecameDue] {
        payment.compactMap { if case .refundDue(let r) = $0 { r } else { nil } }
    }
    /// The single event of each application's stream, by reception number text.
    var applicationEvents: [String: [ApplicationEvent]] {
        Dictionary(uniqueKeysWithValues: applications.map { ($0.key.stringValue, $0.value) })
    }
}
