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
        contains(receptionNo)
            ? [.itemRemoved(CartItemRemoved(userId: user, receptionNo: receptionNo, reason: reason))] : []
    }
}
