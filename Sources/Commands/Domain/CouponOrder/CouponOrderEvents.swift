import Foundation

// The events of `couponOrder-<orderNo>` (DOMAIN.md §6.6). The refund events are the structs of
// PaymentEvents.swift: both streams may carry them.

/// One line of a coupon order (DOMAIN.md §6 `CouponLine`): a whole number of packs of one
/// tariff product, with the price and face value copied from the tariff (R9, I8).
public struct CouponLine: Sendable, Hashable, Codable {
    public var productCode: String
    /// 品名, e.g. "10枚綴りクーポン".
    public var label: String
    public var packSize: Count
    /// 単価: the price of one pack.
    public var unitPriceYen: Yen
    /// The pack's face value (額面).
    public var faceValueYen: Yen
    /// 数量: packs, ≥ 1 (lines with 0 are dropped, Q36).
    public var quantity: Count
    /// 金額 = unitPriceYen × quantity.
    public var lineAmountYen: Yen

    public init(
        productCode: String, label: String, packSize: Count, unitPriceYen: Yen, faceValueYen: Yen, quantity: Count,
        lineAmountYen: Yen
    ) {
        self.productCode = productCode
        self.label = label
        self.packSize = packSize
        self.unitPriceYen = unitPriceYen
        self.faceValueYen = faceValueYen
        self.quantity = quantity
        self.lineAmountYen = lineAmountYen
    }

    /// packSize × quantity, nil on overflow.
    public var coupons: Count? { try? packSize.multiplied(by: quantity) }
}

/// 購入確定: a coupon order placed (R38-R44, O1, O2).
public struct CouponOrderPlaced: DomainEvent {
    public static let eventType = "CouponOrderPlaced"
    public var orderNo: OrderNo
    public var tradeRegNo: TradeRegNo
    /// The purchasing chamber (購入先の商工会議所, R55): the company's chamber when the order was
    /// placed. Not in DOMAIN.md §6.6; added so refunds name their chamber from the order alone.
    public var chamberId: ChamberId
    public var buyerUserId: UserId
    /// 購入者名, e.g. 日商 次郎.
    public var buyerName: String
    public var membership: Membership
    public var paymentMethod: CouponPaymentMethod
    public var lines: [CouponLine]
    public var totalCoupons: Count
    public var amountYen: Yen
    public var taxableAmountYen: Yen
    public var consumptionTaxYen: Yen
    public var emailOptIn: Bool
    public var email: String?
    /// 購入日 / 購入申込日 (JST).
    public var orderDate: JSTDate
    public var placedAt: Date
    /// The card attempt opened with a card order (O2). Not in DOMAIN.md §6.6; added so a
    /// cancellation can abandon the attempt (O9, Q40) from the order stream alone.
    public var settlementNo: SettlementNo?
}

/// A bank's virtual account (ワンタイム口座, DOMAIN.md §6 `VirtualAccount`, R45). Only the codes
/// are validated; the names are data from the PSP (Appendix A #4).
public struct VirtualAccount: Sendable, Hashable, Codable {
    public var bankCode: BankCode
    public var bankName: String
    public var branchCode: BranchCode
    public var branchName: String
    public var accountType: BankAccountType
    public var accountNumber: BankAccountNumber
    public var accountHolder: String

    public init(
        bankCode: BankCode, bankName: String, branchCode: BranchCode, branchName: String,
        accountType: BankAccountType = .ordinary, accountNumber: BankAccountNumber, accountHolder: String
    ) {
        self.bankCode = bankCode
        self.bankName = bankName
        self.branchCode = branchCode
        self.branchName = branchName
        self.accountType = accountType
        self.accountNumber = accountNumber
        self.accountHolder = accountHolder
    }

    /// The codes that identify the account (unique forever, I14).
    public var key: VirtualAccountKey {
        VirtualAccountKey(bankCode: bankCode, branchCode: branchCode, accountNumber: accountNumber)
    }
}

/// (bankCode, branchCode, accountNumber): assigned to one order, ever (I14).
public struct VirtualAccountKey: Sendable, Hashable, Codable, CustomStringConvertible {
    public var bankCode: BankCode
    public var branchCode: BranchCode
    public var accountNumber: BankAccountNumber

    public init(bankCode: BankCode, branchCode: BranchCode, accountNumber: BankAccountNumber) {
        self.bankCode = bankCode
        self.branchCode = branchCode
        self.accountNumber = accountNumber
    }

    /// e.g. "0310-502-6818564".
    public var description: String { "\(bankCode)-\(branchCode)-\(accountNumber)" }
}

/// The one-time account of a bank order, valid for 30 days (R45, R51, R57, I14).
public struct VirtualAccountAssigned: DomainEvent {
    public static let eventType = "VirtualAccountAssigned"
    public var orderNo: OrderNo
    public var account: VirtualAccount
    /// 振込口座有効期限 = orderDate + 30 days, inclusive.
    public var validUntil: JSTDate
}

/// What looked for a deposit.
public enum DepositCheckTrigger: String, Sendable, Hashable, Codable { case nightly, manual }

/// The system looked for a deposit (最終確認日時, R49, R50, O3).
public struct BankDepositChecked: DomainEvent {
    public static let eventType = "BankDepositChecked"
    public var orderNo: OrderNo
    public var trigger: DepositCheckTrigger
    public var staffId: StaffId?
    public var checkedAt: Date
    public var found: Bool
    /// The business date a nightly run covers (Q39); nil for a manual check. Not in DOMAIN.md
    /// §6.6; added so the expiry sweep can tell that the run covering `validUntil` happened (Q12).
    public var businessDate: JSTDate?
}

/// A deposit into the order's account, accepted as payment or not (R46, R48-R50, R53, R54, R56).
public struct BankDepositReceived: DomainEvent {
    public static let eventType = "BankDepositReceived"
    public var orderNo: OrderNo
    public var depositId: DepositId
    /// 入金金額: what arrived, which may differ from the order amount.
    public var amountYen: Yen
    public var depositedOn: JSTDate
    public var payerName: String?
    public var detectedAt: Date
    public var detectedBy: DepositCheckTrigger
    public var staffId: StaffId?
    /// amountYen − the order amount.
    public var deltaYen: Int64
    /// True when the deposit pays the order (amount ≥ order amount, in time, first deposit);
    /// false for an underpayment and for deposits after close or repeated (O8, O14).
    public var acceptedForOrder: Bool
    /// 翌営業日 of the nightly run's business date, when accepted by a nightly run (R49, I21).
    public var scheduledIssueDate: JSTDate?
}

/// Coupons issued for the order (確定フラグ 済, R48-R50, R60, O5-O7, O11, O13).
public struct CouponOrderFulfilled: DomainEvent {
    public static let eventType = "CouponOrderFulfilled"
    public var orderNo: OrderNo
    public var coupons: Count
    /// 支払金額: the amount settled against the order (the order amount, Q22).
    public var settledAmountYen: Yen
    /// 入金確認日 (bank: the issue date, Q39) / 決済日 (card).
    public var confirmationDate: JSTDate
    public var settlementNo: SettlementNo?
    public var late: Bool
}

/// Who cancelled an order.
public enum CouponOrderCanceller: String, Sendable, Hashable, Codable { case buyer, companyUser, chamber }

/// 購入をキャンセルする (R39, R52, O9).
public struct CouponOrderCancelled: DomainEvent {
    public static let eventType = "CouponOrderCancelled"
    public var orderNo: OrderNo
    public var by: CouponOrderCanceller
    /// The user ID or staff ID that cancelled.
    public var byId: String
    public var reason: String?
}

/// No deposit within 30 days: the chamber's cancellation (R51, O10).
public struct CouponOrderExpired: DomainEvent {
    public static let eventType = "CouponOrderExpired"
    public var orderNo: OrderNo
    public var validUntil: JSTDate
    public var expiredAt: Date
}

/// The deposit fell short; the single-use account cannot be topped up (R53, O8, Q11).
public struct CouponOrderClosedUnderpaid: DomainEvent {
    public static let eventType = "CouponOrderClosedUnderpaid"
    public var orderNo: OrderNo
    public var depositId: DepositId
    public var receivedYen: Yen
    public var orderAmountYen: Yen
}

/// How a card attempt for an order ended without payment.
public enum CouponPaymentFailureCause: String, Sendable, Hashable, Codable { case failed, timedOut, abandoned }

/// The card attempt failed, timed out or was abandoned (R58, R62, O12).
public struct CouponOrderPaymentFailed: DomainEvent {
    public static let eventType = "CouponOrderPaymentFailed"
    public var orderNo: OrderNo
    public var settlementNo: SettlementNo
    public var cause: CouponPaymentFailureCause
    public var errorCode: GatewayErrorCode?
}

/// The events of `couponOrder-<orderNo>`.
public enum CouponOrderEvent: StreamEventSet, Hashable {
    case placed(CouponOrderPlaced)
    case virtualAccountAssigned(VirtualAccountAssigned)
    case depositChecked(BankDepositChecked)
    case depositReceived(BankDepositReceived)
    case fulfilled(CouponOrderFulfilled)
    case cancelled(CouponOrderCancelled)
    case expired(CouponOrderExpired)
    case closedUnderpaid(CouponOrderClosedUnderpaid)
    case paymentFailed(CouponOrderPaymentFailed)
    case refundDue(RefundBecameDue)
    case refundRecorded(RefundRecorded)

    public static let eventTable = EventTable<Self>([
        EventCase(CouponOrderPlaced.self, Self.placed),
        EventCase(VirtualAccountAssigned.self, Self.virtualAccountAssigned),
        EventCase(BankDepositChecked.self, Self.depositChecked),
        EventCase(BankDepositReceived.self, Self.depositReceived),
        EventCase(CouponOrderFulfilled.self, Self.fulfilled),
        EventCase(CouponOrderCancelled.self, Self.cancelled),
        EventCase(CouponOrderExpired.self, Self.expired),
        EventCase(CouponOrderClosedUnderpaid.self, Self.closedUnderpaid),
        EventCase(CouponOrderPaymentFailed.self, Self.paymentFailed),
        EventCase(RefundBecameDue.self, Self.refundDue),
        EventCase(RefundRecorded.self, Self.refundRecorded),
    ])
}
