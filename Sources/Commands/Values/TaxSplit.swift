/// How the 10% consumption tax inside a tax-inclusive amount is rounded (DOMAIN.md Q15).
///
/// The seed's only non-exact example is garbled (「2,000円 (内消費税等額 1,818円)」「181.8円」,
/// L734-735, Appendix A #5), so it settles nothing. Whichever rule is chosen applies to every
/// statement and every transfer request alike.
public enum TaxRounding: Hashable, Sendable {
    /// Decision D-TAX (R64, Q15 reading (a)): tax = floor(G × 10 / 110), base = G − tax.
    /// 2,000 → tax 181, base 1,819.
    case taxRoundedDown
    /// Q15 reading (b), kept only so the product owner can switch: base = floor(G × 100 / 110),
    /// tax = G − base. 2,000 → base 1,818, tax 182 (the tax is rounded up).
    case baseRoundedDown
}

/// A tax-inclusive amount split into its tax-exclusive base (内課税対象額) and its 10%
/// consumption tax (内 消費税額(10%)), once per document (DOMAIN.md §3, R63-R65).
///
/// The documents are: one card statement per application fee, one card statement per coupon
/// order, one transfer request per order. A cart total or an order line is never split.
/// `taxableAmount + consumptionTax == amount` always (invariant I10). For every price of the
/// 2026-04-01 tariff (all multiples of 11 yen) the split is exact and both roundings agree.
public struct TaxSplit: Hashable, Sendable {
    /// The consumption tax rate in percent. The seed's prices are all taxed at the standard rate.
    public static let ratePercent: Int64 = 10

    /// The tax-inclusive amount G (決済金額 / 支払金額).
    public let amount: Yen
    /// The tax-exclusive base (課税対象額), G − tax.
    public let taxableAmount: Yen
    /// The consumption tax included in G (消費税額(10%)).
    public let consumptionTax: Yen

    /// Splits the tax-inclusive `amount` with `rounding` (default: decision D-TAX).
    public init(amount: Yen, rounding: TaxRounding = .taxRoundedDown) {
        let tax = Self.consumptionTax(in: amount.value, rounding: rounding)
        self.amount = amount
        self.consumptionTax = Yen(exactly: tax)!
        self.taxableAmount = Yen(exactly: amount.value - tax)!
    }

    /// True if the stored figures of a document are the split of `amount` under `rounding`
    /// (invariant I10, for auditors and for `evolve` checks of recorded events).
    public static func isSplit(
        amount: Yen, taxableAmount: Yen, consumptionTax: Yen, rounding: TaxRounding = .taxRoundedDown
    ) -> Bool {
        TaxSplit(amount: amount, rounding: rounding)
            == TaxSplit(uncheckedAmount: amount, taxableAmount: taxableAmount, consumptionTax: consumptionTax)
    }

    private init(uncheckedAmount: Yen, taxableAmount: Yen, consumptionTax: Yen) {
        self.amount = uncheckedAmount
        self.taxableAmount = taxableAmount
        self.consumptionTax = consumptionTax
    }

    /// The tax in `gross` yen (gross ≥ 0).
    ///
    /// floor(G × 10 / 110) equals floor(G / 11) exactly (10/110 = 1/11), so the tax is computed
    /// as G / 11, which cannot overflow. Likewise floor(G × 100 / 110) = G − ceil(G / 11).
    private static func consumptionTax(in gross: Int64, rounding: TaxRounding) -> Int64 {
        let (quotient, remainder) = gross.quotientAndRemainder(dividingBy: 11)
        switch rounding {
        case .taxRoundedDown: return quotient
        case .baseRoundedDown: return remainder == 0 ? quotient : quotient + 1
        }
    }
}
