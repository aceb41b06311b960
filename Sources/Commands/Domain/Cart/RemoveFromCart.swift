import Foundation

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
                throw Rejection(
                    .wrongState, "application \(receptionNo) is not in your cart",
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
