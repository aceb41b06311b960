import Foundation

// The suspense account (`unresolved-<itemId>`, issue #13): money that arrived from outside (a
// card capture, a bank deposit) and that the ledger recorded but could not put to an order, a
// fee or a refund rule. One stream per item: the item recorded, then at most one resolution,
// and the refund that a `refund` resolution makes due (and its payment).

/// What kind of outside money an item is.
public enum UnresolvedMoneyKind: String, Sendable, Hashable, Codable, CaseIterable {
    case cardCapture, bankDeposit
}

/// Why outside money could not be put anywhere: the closed set of reason codes (docs/commands.md).
public enum UnresolvedReason: String, Sendable, Hashable, Codable, CaseIterable {
    /// A capture of another amount than the attempt's (P2, I7): never recorded as a success.
    case wrongAmount
    /// A capture for an attempt the gateway had already reported failed (P3 then a capture), or
    /// for a coupon order that can no longer be fulfilled by card.
    case attemptNoLongerOpen
    /// A capture under a settlement number the ledger never started.
    case unknownSettlement
    /// A deposit into a virtual account of the pool that no order was ever given.
    case accountNeverAssigned
    /// A deposit into an account that is not in the pool at all.
    case unknownAccount

    /// The kind of money each reason applies to.
    public var kind: UnresolvedMoneyKind {
        switch self {
        case .wrongAmount, .attemptNoLongerOpen, .unknownSettlement: .cardCapture
        case .accountNeverAssigned, .unknownAccount: .bankDeposit
        }
    }
}

/// How staff resolved an item (ResolveUnresolvedMoney).
public enum UnresolvedResolution: String, Sendable, Hashable, Codable, CaseIterable {
    /// A refund became due for the whole amount.
    case refund
    /// A deposit matched to an open or expired bank order, with the effects of a matching deposit.
    case applyToOrder
    /// Written off by staff, with a reason.
    case writeOff

    /// How staff see it: 返金, 注文に充当, 償却.
    public var label: String {
        switch self {
        case .refund: "返金"
        case .applyToOrder: "注文に充当"
        case .writeOff: "償却"
        }
    }
}

/// The capture as the gateway reported it, kept on the item (nothing of it is on a payment stream).
public struct UnresolvedCapture: Sendable, Hashable, Codable {
    public var settlementNo: SettlementNo
    public var gatewayTransactionId: GatewayTransactionId
    public var capturedAmountYen: Yen
    public var cardBrand: CardBrand?
    public var threeDSecure: Bool?
    /// The attempt's amount when the attempt is known.
    public var attemptAmountYen: Yen?
    /// The attempt's state when the capture arrived (§5.2), when the attempt is known.
    public var attemptState: String?

    public init(
        settlementNo: SettlementNo, gatewayTransactionId: GatewayTransactionId, capturedAmountYen: Yen,
        cardBrand: CardBrand?, threeDSecure: Bool?, attemptAmountYen: Yen?, attemptState: String?
    ) {
        self.settlementNo = settlementNo
        self.gatewayTransactionId = gatewayTransactionId
        self.capturedAmountYen = capturedAmountYen
        self.cardBrand = cardBrand
        self.threeDSecure = threeDSecure
        self.attemptAmountYen = attemptAmountYen
        self.attemptState = attemptState
    }
}

/// Outside money recorded into the suspense account, and why it did not fit.
public struct UnresolvedMoneyRecorded: DomainEvent {
    public static let eventType = "UnresolvedMoneyRecorded"
    public var itemId: UUID
    public var kind: UnresolvedMoneyKind
    public var reason: UnresolvedReason
    public var amountYen: Yen
    /// The company, when the fact names one (a settlement number carries it).
    public var tradeRegNo: TradeRegNo?
    public var settlementNo: SettlementNo?
    public var orderNo: OrderNo?
    /// The account a deposit went into.
    public var account: VirtualAccountKey?
    public var depositId: DepositId?
    public var gatewayTransactionId: GatewayTransactionId?
    /// When the money arrived (the gateway's report, or the deposit's recording).
    public var receivedAt: Date
    /// The business day the money counts for: the deposit's credit date, or the JST date of the capture.
    public var receivedOn: JSTDate
    /// For a capture: what the gateway said.
    public var capture: UnresolvedCapture?
    /// For a deposit: the payer's name as the bank gave it.
    public var payerName: String?
    /// A sentence for the person who resolves it.
    public var explanation: String

    public init(
        itemId: UUID, kind: UnresolvedMoneyKind, reason: UnresolvedReason, amountYen: Yen, tradeRegNo: TradeRegNo?,
        settlementNo: SettlementNo?, orderNo: OrderNo?, account: VirtualAccountKey?, depositId: DepositId?,
        gatewayTransactionId: GatewayTransactionId?, receivedAt: Date, receivedOn: JSTDate,
        capture: UnresolvedCapture?, payerName: String?, explanation: String
    ) {
        self.itemId = itemId
        self.kind = kind
        self.reason = reason
        self.amountYen = amountYen
        self.tradeRegNo = tradeRegNo
        self.settlementNo = settlementNo
        self.orderNo = orderNo
        self.account = account
        self.depositId = depositId
        self.gatewayTransactionId = gatewayTransactionId
        self.receivedAt = receivedAt
        self.receivedOn = receivedOn
        self.capture = capture
        self.payerName = payerName
        self.explanation = explanation
    }
}

/// Staff resolved an item: who, how and why.
public struct UnresolvedMoneyResolved: DomainEvent {
    public static let eventType = "UnresolvedMoneyResolved"
    public var itemId: UUID
    public var resolution: UnresolvedResolution
    public var amountYen: Yen
    /// For `applyToOrder`: the order the deposit paid.
    public var orderNo: OrderNo?
    /// For `refund`: the refund that became due.
    public var refundId: UUID?
    public var staffId: StaffId
    public var chamberId: ChamberId
    /// Why (required for `writeOff`).
    public var reason: String?
    public var resolvedAt: Date

    public init(
        itemId: UUID, resolution: UnresolvedResolution, amountYen: Yen, orderNo: OrderNo?, refundId: UUID?,
        staffId: StaffId, chamberId: ChamberId, reason: String?, resolvedAt: Date
    ) {
        self.itemId = itemId
        self.resolution = resolution
        self.amountYen = amountYen
        self.orderNo = orderNo
        self.refundId = refundId
        self.staffId = staffId
        self.chamberId = chamberId
        self.reason = reason
        self.resolvedAt = resolvedAt
    }
}

/// The events of `unresolved-<itemId>`.
public enum UnresolvedMoneyEvent: StreamEventSet, Hashable {
    case recorded(UnresolvedMoneyRecorded)
    case resolved(UnresolvedMoneyResolved)
    case refundDue(RefundBecameDue)
    case refundRecorded(RefundRecorded)

    public static let eventTable = EventTable<Self>([
        EventCase(UnresolvedMoneyRecorded.self, Self.recorded),
        EventCase(UnresolvedMoneyResolved.self, Self.resolved),
        EventCase(RefundBecameDue.self, Self.refundDue),
        EventCase(RefundRecorded.self, Self.refundRecorded),
    ])
}
