/// A non-zero change to a count, e.g. a chamber adjustment's `delta` (DOMAIN.md §6 `SignedCount`).
///
/// The range is −Int32.max...Int32.max without zero; `Int32.min` is excluded so that the
/// magnitude always fits in a `Count`. JSON form: a plain integer, e.g. `-1`.
public struct SignedCount: Hashable, IntegerCodedValue, CustomStringConvertible {
    public static let fallbackFieldName = "delta"
    public static let valueRule = "a change must be non-zero and within ±\(Int32.max)"

    /// The change, never zero and never `Int32.min`.
    public let value: Int32

    /// The change, or nil if `value` is zero or outside −Int32.max...Int32.max.
    public init?<I: BinaryInteger>(exactly value: I) {
        guard let value = Int32(exactly: value), value != 0, value != Int32.min else { return nil }
        self.value = value
    }

    /// How many are added or removed.
    public var magnitude: Count { Count(exactly: value.magnitude)! }  // fits: Int32.min is excluded

    /// True for an addition, false for a removal.
    public var isAddition: Bool { value > 0 }

    public var description: String { value > 0 ? "+\(value)" : String(value) }

}
