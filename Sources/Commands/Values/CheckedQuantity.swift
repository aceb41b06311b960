/// A quantity that is never negative, with checked arithmetic that throws instead of wrapping or
/// going below zero (`Yen`, `Count`).
public protocol CheckedQuantity: IntegerCodedValue, Comparable {}

extension CheckedQuantity {
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.value < rhs.value }

    /// `self + other`; throws `.overflow` past the raw type's maximum.
    public func adding(_ other: Self) throws(CheckedArithmeticError) -> Self {
        let (sum, overflow) = value.addingReportingOverflow(other.value)
        guard !overflow, let result = Self(exactly: sum) else { throw .overflow }
        return result
    }

    /// `self − other`; throws `.negativeResult` if `other` is larger (e.g. using a coupon with
    /// none available, I1).
    public func subtracting(_ other: Self) throws(CheckedArithmeticError) -> Self {
        guard other.value <= value, let result = Self(exactly: value - other.value) else { throw .negativeResult }
        return result
    }
}
