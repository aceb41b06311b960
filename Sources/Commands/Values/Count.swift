/// A number of things (coupons, packs, items) in `Int32`, never negative (DOMAIN.md §6 `Count`).
///
/// Used for coupon balances (`balanceAfter`, `pendingAfter`), coupons per order, pack sizes and
/// quantities. Arithmetic is checked. JSON form: a plain integer, e.g. `30`.
public struct Count: Hashable, CheckedQuantity, CustomStringConvertible, ExpressibleByIntegerLiteral {
    public static let fallbackFieldName = "count"
    public static let valueRule = "counts are ≥ 0"

    /// The count, always ≥ 0.
    public let value: Int32

    /// Zero.
    public static let zero = Count(unchecked: 0)

    /// The count, or nil if `value` is negative or larger than `Int32.max`. The way to make a
    /// `Count` from a runtime value (`Count(5)` is a literal, SE-0213).
    public init?<I: BinaryInteger>(exactly value: I) {
        guard let value = Int32(exactly: value), value >= 0 else { return nil }
        self.value = value
    }

    /// A literal count in code, e.g. `let pack: Count = 30`. A negative literal is a
    /// programmer error and traps.
    public init(integerLiteral value: Int32) {
        precondition(value >= 0, "a Count literal must not be negative")
        self.value = value
    }

    private init(unchecked value: Int32) { self.value = value }

    /// `self × other`, e.g. `packSize × quantity` (I8); throws `.overflow` past `Int32.max`.
    public func multiplied(by other: Count) throws(CheckedArithmeticError) -> Count {
        let (product, overflow) = value.multipliedReportingOverflow(by: other.value)
        if overflow { throw .overflow }
        return Count(unchecked: product)
    }

    /// `self + delta` for a chamber adjustment (R35); throws `.negativeResult` if the balance
    /// would go below zero (I1) and `.overflow` past `Int32.max`.
    public func applying(_ delta: SignedCount) throws(CheckedArithmeticError) -> Count {
        if delta.value > 0 {
            return try adding(delta.magnitude)
        }
        return try subtracting(delta.magnitude)
    }

    /// The sum of `counts` (zero when empty); throws `.overflow` past `Int32.max`.
    public static func sum<S: Sequence>(_ counts: S) throws(CheckedArithmeticError) -> Count where S.Element == Count {
        var total = Count.zero
        for count in counts { total = try total.adding(count) }
        return total
    }

    public var description: String { String(value) }

}
