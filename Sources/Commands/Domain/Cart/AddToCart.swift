import Foundation

/// AddToCart (COMMANDS.md; A7): 「カートに追加」. 「全てカートに追加」 is one AddToCart per item.
public struct AddToCart: Sendable, Hashable, Codable {
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
            throw .wrongState(
                "application \(receptionNo) has no approved fee", state: application.status?.rawValue ?? "none")
        }
        if cart.contains(receptionNo) {
            throw Rejection(
                .alreadyInCart, "application \(receptionNo) is already in your cart",
                details: ["receptionNo": .string(receptionNo.stringValue), "cart": .string("own")])
        }
        if inOtherCart {
            throw Rejection(
                .alreadyInCart,
                "application \(receptionNo) is in another user's cart; it can be in one cart at a time (R16)",
                details: ["receptionNo": .string(receptionNo.stringValue), "cart": .string("other")])
        }
        return [
            .itemAdded(
                CartItemAdded(
                    userId: user, tradeRegNo: tradeRegNo, receptionNo: receptionNo, feeYen: approved.feeYen,
                    certificateKind: submitted.certificateKind))
        ]
    }
}
