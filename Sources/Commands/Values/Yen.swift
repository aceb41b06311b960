/// An amount of money in whole yen: never negative, never fractional (DOMAIN.md §0, I19).
///
/// Amounts are tax-inclusive (税込) unless a field name says otherwise. Arithmetic is checked:
/// it throws instead of wrapping or going below zero. There is no conversion from or to
/// floating point. JSON form: a plain integer, e.g. `1210`.
public struct Yen: Hashable, CheckedQuantity, CustomStringConvertible, ExpressibleByIntegerLiteral {
    public static let fallbackFieldName = "amount"
    public static let valueRule = "yen amounts are whole numbers ≥ 0"

    /// The amount in yen, always ≥ 0.
    public let value: Int64

    /// Zero yen.
    public static let zero = Yen(unchecked: 0)

    /// The amount, or nil if `value` is negative or does not fit in `Int64`. This is the way
    /// to make a `Yen` from a runtime value; there is deliberately no unlabeled initializer,
    /// because `Yen(5)` is a literal (SE-0213).
    public init?<I: BinaryInteger>(exactly value: I) {
        guard let value = Int64(exactly: value), value >= 0 else { return nil }
        self.value = value
    }

    /// A literal amount in code, e.g. `let fee: Yen = 1_210`. A negative literal is a
    /// programmer error and traps.
    public init(integerLiteral value: Int64) {
        precondition(value >= 0, "a Yen literal must not be negative")
        self.value = value
    }

    private init(unchecked value: Int64) { self.value = value }

    /// `self × count`, e.g. `unitPriceYen × quantity` (I8); throws `.overflow` past `Int64.max`.
    public func multiplied(by count: Count) throws(CheckedArithmeticError) -> Yen {
        let (product, overflow) = value.multipliedReportingOverflow(by: Int64(count.value))
        if overflow { throw .overflow }
        return Yen(unchecked: product)
    }

    /// The sum of `amounts` (zero when empty); throws `.overflow` past `Int64.max`.
    public static func sum<S: Sequence>(_ amounts: S) throws(CheckedArithmeticError) -> Yen where S.Element == Yen {
        var total = Yen.zero
        for amount in amounts { total = try total.adding(amount) }
        return total
    }

    /// `self − other` as a signed number, e.g. `BankDepositReceived.deltaYen` = received − ordered.
    /// Cannot overflow: both operands are in 0...Int64.max.
    public func signedDifference(minus other: Yen) -> Int64 {
        value - other.value
    }

    /// The amount as printed on the seed's documents: digits grouped by thousands and 円,
    /// e.g. "13,200円" (R28, §7.6-7.7).
    public var printed: String { "\(groupedDigits)円" }

    /// The digits grouped by thousands with commas, e.g. "35,090".
    public var groupedDigits: String {
        let digits = Array(String(value))
        var text = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { text.append(",") }
            text.append(digit)
        }
        return text
    }

    public var description: String { "\(groupedDigits) yen" }

}
