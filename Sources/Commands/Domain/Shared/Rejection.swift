/// The codes a command can be rejected with (COMMANDS.md, "Rejection codes").
public enum RejectionCode: String, Sendable, Codable, Hashable, CaseIterable {
    case invalidCommand, cardDataRejected, forbidden, clockNotAllowed, existsWithDifferentPayload
    case unknownCompany, unknownApplication, unknownOrder, unknownSettlement, unknownTariff
    case wrongState, notCardPayable, alreadyInCart, cartEmpty, insufficientCoupons, purchaseInProgress
    case paymentMethodNotAllowed, unknownProduct, amountMismatch, noVirtualAccountAvailable
    case alreadyRegistered, concurrencyConflict
    /// RecordRefund for a refund id that no stream owes (DOMAIN.md §5.5 F2).
    case unknownRefund
    /// ResolveUnresolvedMoney for an item id the suspense account does not hold.
    case unknownItem
    /// ResolveUnresolvedMoney on an item already resolved (details: its resolution, who, when).
    case alreadyResolved
    /// ResolveUnresolvedMoney `applyToOrder` that cannot be done (details: why).
    case matchImpossible
}

/// A command refused by the domain: nothing was written. The message says what was wrong and
/// what would make it right; `details` carries the facts (current state, balance, …).
public struct Rejection: Error, Sendable, Hashable, CustomStringConvertible {
    public var code: RejectionCode
    public var message: String
    public var details: [String: JSONValue]

    public init(_ code: RejectionCode, _ message: String, details: [String: JSONValue] = [:]) {
        self.code = code
        self.message = message
        self.details = details
    }

    public var description: String { "\(code.rawValue): \(message)" }

    /// `invalidCommand` naming the field path.
    public static func invalid(_ field: String, _ message: String) -> Rejection {
        Rejection(.invalidCommand, "\(field): \(message)", details: ["field": .string(field)])
    }

    /// `wrongState`, with the current state in the details.
    public static func wrongState(_ message: String, state: String) -> Rejection {
        Rejection(.wrongState, message, details: ["state": .string(state)])
    }
}
