import Foundation

// The events of `payment-<settlementNo>` (DOMAIN.md §6.5), shared by application-fee attempts
// and card coupon orders, and the refund events of §6.6 that both streams may carry.

/// What a card attempt pays for.
public enum PaymentPurpose: String, Sendable, Hashable, Codable { case applicationFees, couponOrder }

/// One application in a fee attempt.
public struct PaymentItem: Sendable, Hashable, Codable {
    public var receptionNo: ReceptionNo
    public var certificateKind: CertificateKind
    public var certificateKindLabel: String
    public var invoiceNumber: String
    public var applicationDate: JSTDate
    public var applicantName: String
    public var feeYen: Yen
}

/// An attempt opened on the gateway, with its 5-minute deadline (R14, R19, R62).
public struct PaymentAttemptStarted: DomainEvent {
    public static let eventType = "PaymentAttemptStarted"
    public var settlementNo: SettlementNo
    public var purpose: PaymentPurpose
    public var payerUserId: UserId
    public var tradeRegNo: TradeRegNo
    public var items: [PaymentItem]?
    public var orderNo: OrderNo?
    public var itemCount: Count
    public var amountYen: Yen
    public var productLabel: String
    public var startedAt: Date
    public var deadlineAt: Date
}

/// Card brands the gateway reports.
public enum CardBrand: String, Sendable, Hashable, Codable { case visa, mastercard, jcb, amex, other }

/// The gateway captured the amount (R23, R24, R25, R58, R60).
public struct PaymentAttemptSucceeded: DomainEvent {
    public static let eventType = "PaymentAttemptSucceeded"
    public var settlementNo: SettlementNo
    public var gatewayTransactionId: GatewayTransactionId
    public var capturedAmountYen: Yen
    /// Always "lumpSum" (支払区分 一括, R24).
    public var paymentType: String
    public var cardBrand: CardBrand?
    public var threeDSecure: Bool?
    public var settledAt: Date
    public var settlementDate: JSTDate
    public var late: Bool
}

/// The gateway refused the payment (R22, R58).
public struct PaymentAttemptFailed: DomainEvent {
    public static let eventType = "PaymentAttemptFailed"
    public var settlementNo: SettlementNo
    public var errorCode: GatewayErrorCode
    public var gatewayMessage: String?
    public var failedAt: Date
}

/// What the gateway said when the sweeper found the deadline passed: `notCaptured` is the
/// gateway's own answer; `unreachable` means the ledger got no answer (no gateway configured, an
/// error, or none within the timeout), so the attempt is asked again later (docs/gateway.md).
public enum GatewayStatus: String, Sendable, Hashable, Codable { case notCaptured, unreachable }

/// The gateway's status query answered `notCaptured` for an attempt that had already ended
/// without a gateway answer (timed out as `unreachable`, or abandoned by the payer): the ledger
/// now knows no money moved, and stops asking (R21; docs/gateway.md).
public struct PaymentGatewayStatusConfirmed: DomainEvent {
    public static let eventType = "PaymentGatewayStatusConfirmed"
    public var settlementNo: SettlementNo
    public var gatewayStatus: GatewayStatus
    public var confirmedAt: Date
}

/// The 5 minutes (plus grace) passed without a result (R19, R20).
public struct PaymentAttemptTimedOut: DomainEvent {
    public static let eventType = "PaymentAttemptTimedOut"
    public var settlementNo: SettlementNo
    public var deadlineAt: Date
    public var detectedAt: Date
    public var gatewayStatus: GatewayStatus
}

/// The payer pressed 決済をやめる (R20).
public struct PaymentAttemptAbandoned: DomainEvent {
    public static let eventType = "PaymentAttemptAbandoned"
    public var settlementNo: SettlementNo
    public var byUserId: UserId
    public var abandonedAt: Date
}

/// What a statement is for.
public enum StatementKind: String, Sendable, Hashable, Codable { case applicationFee, couponPurchase }

/// A credit usage statement (利用明細), numbered and fixed at settlement (R26-R29, R59, R63-R65).
public struct StatementIssued: DomainEvent {
    public static let eventType = "StatementIssued"
    public var issueNumber: IssueNumber
    public var kind: StatementKind
    public var payerUserId: UserId
    public var issueDate: JSTDate
    /// "日本商工会議所".
    public var issuerName: String
    /// "T5010005003975".
    public var issuerRegistrationNumber: String
    public var tradeRegNoAsPrinted: String
    public var companyName: String
    public var address: String?
    public var department: String?
    public var issuingChamberName: String?
    public var content: String
    public var receptionNo: ReceptionNo?
    public var certificateNumber: String?
    public var invoiceNumber: String?
    public var orderNo: OrderNo?
    public var purchaseDescription: String?
    public var settlementDate: JSTDate
    public var amountYen: Yen
    public var taxableAmountYen: Yen
    public var consumptionTaxYen: Yen
    public var taxRatePercent: Int
    public var paymentType: String
}

/// Why money is owed back (R25, R53, R54, R56; I12).
public enum RefundReason: String, Sendable, Hashable, Codable {
    case underpayment, overpayment, depositAfterClose, repeatDeposit, duplicateCapture
    /// Staff resolved a suspense item (`unresolved-<itemId>`) as a refund of the whole amount (issue #13).
    case unresolvedMoney
}

/// A refund obligation (paid outside the system, R55).
public struct RefundBecameDue: DomainEvent {
    public static let eventType = "RefundBecameDue"
    public var refundId: UUID
    public var reason: RefundReason
    public var basisYen: Yen
    public var costsDeductible: Bool
    public var depositId: DepositId?
    public var settlementNo: SettlementNo?
    /// The company owed; nil only for a suspense item whose payer is unknown (a deposit into an
    /// account no order had).
    public var tradeRegNo: TradeRegNo?
    public var refundingChamberId: ChamberId
    /// For `duplicateCapture`: the gateway capture being refunded, so a re-delivered
    /// notification is recognised (I20). Nil for deposit refunds. (Added for R25.)
    public var gatewayTransactionId: GatewayTransactionId? = nil
    /// For `unresolvedMoney`: the suspense item refunded.
    public var itemId: UUID? = nil
}

/// How a refund was paid.
public enum RefundMethod: String, Sendable, Hashable, Codable { case bankTransfer, cardCancellation, other }

/// Staff recorded that a refund was paid (R55; F2: paid + costs = basis).
public struct RefundRecorded: DomainEvent {
    public static let eventType = "RefundRecorded"
    public var refundId: UUID
    public var paidYen: Yen
    public var deductedCostsYen: Yen
    public var paidOn: JSTDate
    public var staffId: StaffId
    public var method: RefundMethod
    public var reference: String?
}

/// The events of `payment-<settlementNo>`.
public enum PaymentEvent: StreamEventSet, Hashable {
    case started(PaymentAttemptStarted)
    case succeeded(PaymentAttemptSucceeded)
    case failed(PaymentAttemptFailed)
    case timedOut(PaymentAttemptTimedOut)
    case abandoned(PaymentAttemptAbandoned)
    case statementIssued(StatementIssued)
    case refundDue(RefundBecameDue)
    case refundRecorded(RefundRecorded)
    case gatewayConfirmed(PaymentGatewayStatusConfirmed)

    public static let eventTable = EventTable<Self>([
        EventCase(PaymentAttemptStarted.self, Self.started),
        EventCase(PaymentAttemptSucceeded.self, Self.succeeded),
        EventCase(PaymentAttemptFailed.self, Self.failed),
        EventCase(PaymentAttemptTimedOut.self, Self.timedOut),
        EventCase(PaymentAttemptAbandoned.self, Self.abandoned),
        EventCase(StatementIssued.self, Self.statementIssued),
        EventCase(RefundBecameDue.self, Self.refundDue),
        EventCase(RefundRecorded.self, Self.refundRecorded),
        EventCase(PaymentGatewayStatusConfirmed.self, Self.gatewayConfirmed),
    ])
}
