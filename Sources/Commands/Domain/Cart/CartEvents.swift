import Foundation

// The events of `cart-<userId>` (DOMAIN.md §6.4). A cart holds no money: it is the user's
// selection of approved card-method applications to pay together (R13-R16).

/// An approved application put in one user's cart (A7; R13, R16).
public struct CartItemAdded: DomainEvent {
    public static let eventType = "CartItemAdded"
    public var userId: UserId
    public var tradeRegNo: TradeRegNo
    public var receptionNo: ReceptionNo
    /// The approved fee when added (`ApplicationApproved.feeYen`, R7).
    public var feeYen: Yen
    public var certificateKind: CertificateKind
}

/// Why an item left a cart without being paid from it.
public enum CartRemovalReason: String, Sendable, Hashable, Codable, CaseIterable {
    /// 「カートから削除」 (A8, R15).
    case userRemoved
    /// 「全てカートから削除」 (A8, R15).
    case allRemoved
    /// The application stopped being payable: put on hold or withdrawn (A15, A16).
    case notPayable
    /// The application was paid by another attempt (A14, EX-20).
    case paidElsewhere
}

/// An application taken out of a cart (A8, A14-A16; R15).
public struct CartItemRemoved: DomainEvent {
    public static let eventType = "CartItemRemoved"
    public var userId: UserId
    public var receptionNo: ReceptionNo
    public var reason: CartRemovalReason
}

/// The whole cart handed to a new card attempt (A9; R14): the listed items leave the cart.
public struct CartCheckedOut: DomainEvent {
    public static let eventType = "CartCheckedOut"
    public var userId: UserId
    public var settlementNo: SettlementNo
    /// At least one.
    public var receptionNos: [ReceptionNo]
    /// Σ feeYen of the items (= `PaymentAttemptStarted.amountYen`).
    public var amountYen: Yen
}

/// The events of `cart-<userId>`.
public enum CartEvent: StreamEventSet, Hashable {
    case itemAdded(CartItemAdded)
    case itemRemoved(CartItemRemoved)
    case checkedOut(CartCheckedOut)

    public static let eventTable = EventTable<Self>([
        EventCase(CartItemAdded.self, Self.itemAdded),
        EventCase(CartItemRemoved.self, Self.itemRemoved),
        EventCase(CartCheckedOut.self, Self.checkedOut),
    ])
}
