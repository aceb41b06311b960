/// Checked arithmetic on `Yen` or `Count` would leave the type's range.
///
/// Money and coupon counts never wrap and never go negative (invariant I19); an operation that
/// would do either fails instead, and the caller turns that into a rejection.
public enum CheckedArithmeticError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The result is larger than the type can hold.
    case overflow
    /// The result would be below zero.
    case negativeResult

    public var description: String {
        switch self {
        case .overflow: "the result is too large to represent"
        case .negativeResult: "the result would be negative"
        }
    }
}
