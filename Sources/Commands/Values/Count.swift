/// A number of things (coupons, packs, items) in `Int32`, never negative (DOMAIN.md §6 `Count`).
///
/// Used for coupon balances (`balanceAfter`, `pendingAfter`), coupons per order, pack sizes and
/// quantities. Arithmetic is checked. JSON form: a plain integer, e.g. `30`.
public struct Count: Hashable, Comparable, Sendable, Codable, CustomStringConvertible, ExpressibleByIntegerLiteral {
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

    public static func < (lhs: Count, rhs: Count) -> Bool { lhs.value < rhs.value }

    /// `self + other`; throws `.overflow` past `Int32.max`.
    public func adding(_ other: Count) throws(CheckedArithmeticError) -> Count {
        let (sum, overflow) = value.addingReportingOverflow(other.value)
        if overflow { throw .overflow }
        return Count(unchecked: sum)
    }

    /// `self − other`; throws `.negativeResult` if `other` is larger (e.g. using a coupon
    /// with none available, I1).
    public func subtracting(_ other: Count) throws(CheckedArithmeticError) -> Count {
        guard other.value <= value else { throw .negativeResult }
        return Count(unchecked: value - other.value)
    }

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

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let raw = try container.decode(Int32.self)
        guard let count = Count(exactly: raw) else {
            let field = CodingPathText.render(decoder.codingPath) ?? "count"
            throw DecodingError.dataCorrupted(
                DecodingError.Context(
                    codingPath: decoder.codingPath, debugDescription: "\(field) is \(raw), but counts are ≥ 0."))
        }
        self = count
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}

/// A non-zero change to a count, e.g. a chamber adjustment's `delta` (DOMAIN.md §6 `SignedCount`).
///
/// The range is −Int32.max...Int32.max without zero; `Int32.min` is excluded so that the
/// magnitude always fits in a `Count`. JSON form: a plain integer, e.g. `-1`.
public struct SignedCount: Hashable, Sendable, Codable, CustomStringConvertible {
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

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let raw = try container.decode(Int32.self)
        guard let delta = SignedCount(exactly: raw) else {
            let field = CodingPathText.render(decoder.codingPath) ?? "delta"
            throw DecodingError.dataCorrupted(
                DecodingError.Context(
                    codingPath: decoder.codingPath,
                    debugDescription: "\(field) is \(raw), but a change must be non-zero and within ±\(Int32.max)."))
        }
        self = delta
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}
