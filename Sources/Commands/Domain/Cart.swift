import Foundation

/// One user's cart (`cart-<userId>`, DOMAIN.md §6.4): the items in the order they were added.
///
/// An application's `InCart` state (§5.1) is derived from these streams (R15, R16). The cart is
/// not binding: exclusivity across carts is best effort (Q4); the hard guarantee is the
/// `ApplicationPaymentLinked` event at payment start (I6).
public struct CartState: Sendable, Hashable {
    /// The items, oldest first.
    public var items: [CartItemAdded] = []

    public init() {}

    public var isEmpty: Bool { items.isEmpty }

    /// The reception numbers in the cart, oldest first.
    public var receptionNos: [ReceptionNo] { items.map(\.receptionNo) }

    public func contains(_ receptionNo: ReceptionNo) -> Bool {
        items.contains { $0.receptionNo == receptionNo }
    }

    /// The item for `receptionNo`, if it is in the cart.
    public func item(_ receptionNo: ReceptionNo) -> CartItemAdded? {
        items.first { $0.receptionNo == receptionNo }
    }

    /// 決済金額合計 as shown in the cart (R14), nil on overflow.
    public var totalYen: Yen? { try? Yen.sum(items.map(\.feeYen)) }

    public static func evolve(_ state: CartState, _ event: CartEvent) -> CartState {
        var state = state
        switch event {
        case .itemAdded(let e):
            state.items.removeAll { $0.receptionNo == e.receptionNo }
            state.items.append(e)
        case .itemRemoved(let e):
            state.items.removeAll { $0.receptionNo == e.receptionNo }
        case .checkedOut(let e):
            let paid = Set(e.receptionNos)
            state.items.removeAll { paid.contains($0.receptionNo) }
        }
        return state
    }

    /// The removal to append to this cart when `receptionNo` stops being payable from it
    /// (A14 `paidElsewhere`, A15/A16 `notPayable`), or no event if it is not in the cart.
    /// For the glue of PutApplicationOnHold and WithdrawApplication, and used by
    /// `RecordGatewayResult` for other users' carts.
    public func removal(of receptionNo: ReceptionNo, user: UserId, reason: CartRemovalReason) -> [CartEvent] {
        contains(receptionNo) ? [.itemRemoved(CartItemRemoved(userId: user, receptionNo: receptionNo, reason: reason))] : []
    }
}

extension ApplicationState {
    /// Refuses an application that may not be paid by card (R5, I16): counter issuance or
    /// coupon method. Checked before the state, so a counter application is always
    /// `notCardPayable` whatever its state (EX-18).
    func requireCardPayable(_ submitted: ApplicationSubmitted) throws(Rejection) {
        if submitted.issuanceChannel == .counter {
            throw Rejection(
                .notCardPayable,
                "application \(submitted.receptionNo) is for counter issuance (窓口); cards are accepted only for "
                    + "online issuance (R5): pay it at the counter",
                details: ["receptionNo": .string(submitted.receptionNo.stringValue), "issuanceChannel": .string("counter")])
        }
        if (paymentMethod ?? submitted.paymentMethod) != .card {
            throw Rejection(
                .notCardPayable,
                "application \(submitted.receptionNo) is paid with a coupon, not by card (R2); its payment method "
                    + "can change only when it is resubmitted (Q7)",
                details: ["receptionNo": .string(submitted.receptionNo.stringValue), "paymentMethod": .string("coupon")])
        }
    }

    /// Refuses an application of another company (R16, I15).
    func requireCompany(_ submitted: ApplicationSubmitted, _ tradeRegNo: TradeRegNo) throws(Rejection) {
        guard submitted.tradeRegNo == tradeRegNo else {
            throw Rejection(
                .forbidden,
                "application \(submitted.receptionNo) belongs to another company; a user may pay only the "
                    + "applications of their own company (\(tradeRegNo))",
                details: ["receptionNo": .string(submitted.receptionNo.stringValue)])
        }
    }

    /// Refuses an application that is not awaiting card payment (R12, I16). A `paymentPending`
    /// application is being paid in another attempt (EX-20).
    func requireAwaitingPayment(_ receptionNo: ReceptionNo, _ action: String) throws(Rejection) {
        switch status {
        case .awaitingPayment:
            return
        case .paymentPending:
            throw Rejection(
                .wrongState,
                "この申請は他の決済で処理中です: application \(receptionNo) is being paid in card attempt "
                    + "\(openSettlementNo?.stringValue ?? "?"); it cannot be \(action). Wait until that attempt "
                    + "ends (at most 5 minutes + 2 minutes' grace)",
                details: ["state": .string("paymentPending"), "receptionNo": .string(receptionNo.stringValue),
                          "settlementNo": openSettlementNo.map { .string($0.stringValue) } ?? .null])
        case .issued:
            throw Rejection(
                .wrongState, "application \(receptionNo) is already issued (交付済): its fee is paid",
                details: ["state": .string("issued"), "receptionNo": .string(receptionNo.stringValue)])
        default:
            let state = status?.rawValue ?? "none"
            throw Rejection(
                .wrongState,
                "application \(receptionNo) is \(state); only an approved application awaiting its fee (承認) "
                    + "can be \(action)",
                details: ["state": .string(state), "receptionNo": .string(receptionNo.stringValue)])
        }
    }
}

/// AddToCart (COMMANDS.md; A7): 「カートに追加」. 「全てカートに追加」 is one AddToCart per item.
public struct AddToCart: Sendable, Hashable, Decodable {
    public var receptionNo: ReceptionNo

    public init(receptionNo: ReceptionNo) { self.receptionNo = receptionNo }

    /// Checks, in this order: the application exists (`unknownApplication`), belongs to the
    /// user's company (`forbidden`), is card-payable (`notCardPayable`: counter issuance or
    /// coupon method, R5, EX-18), is AwaitingPayment (`wrongState`), and is in no cart
    /// (`alreadyInCart`; `inOtherCart` is computed by the glue from the read model, Q4).
    public func decide(
        _ application: ApplicationState, _ cart: CartState, user: UserId, tradeRegNo: TradeRegNo, inOtherCart: Bool
    ) throws(Rejection) -> [CartEvent] {
        let submitted = try application.require(receptionNo)
        try application.requireCompany(submitted, tradeRegNo)
        try application.requireCardPayable(submitted)
        try application.requireAwaitingPayment(receptionNo, "added to a cart")
        guard let approved = application.approved else {
            throw .wrongState("application \(receptionNo) has no approved fee", state: application.status?.rawValue ?? "none")
        }
        if cart.contains(receptionNo) {
            throw Rejection(.alreadyInCart, "application \(receptionNo) is already in your cart",
                            details: ["receptionNo": .string(receptionNo.stringValue), "cart": .string("own")])
        }
        if inOtherCart {
            throw Rejection(.alreadyInCart,
                            "application \(receptionNo) is in another user's cart; it can be in one cart at a time (R16)",
                            details: ["receptionNo": .string(receptionNo.stringValue), "cart": .string("other")])
        }
        return [.itemAdded(CartItemAdded(
            userId: user, tradeRegNo: tradeRegNo, receptionNo: receptionNo, feeYen: approved.feeYen,
            certificateKind: submitted.certificateKind))]
    }
}

/// RemoveFromCart (COMMANDS.md; A8, R15): 「カートから削除」 (`receptionNo`) or
/// 「全てカートから削除」 (`all: true`).
public struct RemoveFromCart: Sendable, Hashable, Decodable {
    public var receptionNo: ReceptionNo?
    public var all: Bool?

    public init(receptionNo: ReceptionNo? = nil, all: Bool? = nil) {
        self.receptionNo = receptionNo
        self.all = all
    }

    /// Exactly one of `receptionNo` and `all: true` (`invalidCommand`). One item must be in
    /// the cart (`wrongState`, state `notInCart`); "all" needs a non-empty cart (`cartEmpty`).
    public func decide(_ cart: CartState, user: UserId) throws(Rejection) -> [CartEvent] {
        switch (receptionNo, all ?? false) {
        case (nil, false):
            throw .invalid("receptionNo", "give either receptionNo or all: true")
        case (.some, true):
            throw .invalid("all", "give either receptionNo or all: true, not both")
        case (.some(let receptionNo), false):
            guard cart.contains(receptionNo) else {
                throw Rejection(.wrongState, "application \(receptionNo) is not in your cart",
                                details: ["state": .string("notInCart"), "receptionNo": .string(receptionNo.stringValue)])
            }
            return [.itemRemoved(CartItemRemoved(userId: user, receptionNo: receptionNo, reason: .userRemoved))]
        case (nil, true):
            guard !cart.isEmpty else { throw Rejection(.cartEmpty, "your cart is already empty") }
            return cart.items.map {
                .itemRemoved(CartItemRemoved(userId: user, receptionNo: $0.receptionNo, reason: .allRemoved))
            }
        }
    }
}
