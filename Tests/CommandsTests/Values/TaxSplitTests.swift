import Commands
import Testing

/// Goal: the split of DOMAIN.md §3 (R64, decision D-TAX) gives the reference figures of §3.2
/// and of the worked examples (EX-21), and always adds up (I10).
@Suite("Tax split (§3, EX-21)")
struct TaxSplitTests {
    /// §3.2 "Reference splits", every row: (gross, tax, taxable).
    static let referenceSplits: [(gross: Int64, tax: Int64, taxable: Int64)] = [
        (1_100, 100, 1_000),  // old per-application fee, L59
        (1_210, 110, 1_100),  // member fee / coupon 2026
        (2_200, 200, 2_000),  // cart of 2 (a cart is not a document; shown for the table)
        (3_300, 300, 3_000),  // statement L310: 「3,300円 (内課税対象額 3,000円)」「300円」
        (3_630, 330, 3_300),  // non-member fee / coupon
        (13_200, 1_200, 12_000),  // transfer request L521-522
        (16_500, 1_500, 15_000),  // non-member registration
        (35_090, 3_190, 31_900),  // member 30-pack
        (36_300, 3_300, 33_000),  // face value of the 30-pack
        (37_510, 3_410, 34_100),  // 1 × 30-pack + 2 × 1-pack
        (2_000, 181, 1_819),  // rounded: the seed's garbled 1,818 / 181.8 (Q15)
        (5_000, 454, 4_546),  // rounded
        (10_000, 909, 9_091),  // rounded
        (24_000, 2_181, 21_819),  // rounded
        (90, 8, 82),  // rounded
        (36, 3, 33),  // rounded
    ]

    @Test("§3.2 reference split", arguments: referenceSplits)
    func referenceSplit(_ row: (gross: Int64, tax: Int64, taxable: Int64)) {
        let split = TaxSplit(amount: Yen(exactly: row.gross)!)
        #expect(split.consumptionTax == Yen(exactly: row.tax)!)
        #expect(split.taxableAmount == Yen(exactly: row.taxable)!)
        #expect(split.amount == Yen(exactly: row.gross)!)
    }

    /// Worked examples that name a split: (example, gross, tax, taxable).
    static let workedExamples: [(String, Int64, Int64, Int64)] = [
        ("EX-1 statement per application", 1_100, 100, 1_000),
        ("EX-6 fee statement", 3_300, 300, 3_000),
        ("EX-8 member 1 × 1枚", 1_210, 110, 1_100),
        ("EX-8 member 1 × 30枚", 35_090, 3_190, 31_900),
        ("EX-8 member 30枚 + 2 × 1枚", 37_510, 3_410, 34_100),
        ("EX-8 non-member 3 × 1枚", 10_890, 990, 9_900),
        ("EX-8 member cart statement", 1_210, 110, 1_100),
        ("EX-9 transfer request", 13_200, 1_200, 12_000),
        ("EX-10 card statement", 5_000, 454, 4_546),
        ("EX-10 transfer request", 10_000, 909, 9_091),
        ("EX-12 coupon statement (Q15 a)", 2_000, 181, 1_819),
        ("EX-13 card order", 90, 8, 82),
        ("EX-14 3 × 10枚綴り at 12円", 36, 3, 33),
        ("EX-14 2 × 11枚綴り at 12,000円", 24_000, 2_181, 21_819),
    ]

    @Test("Worked example split", arguments: workedExamples)
    func workedExample(_ row: (String, Int64, Int64, Int64)) {
        let split = TaxSplit(amount: Yen(exactly: row.1)!)
        #expect(split.consumptionTax.value == row.2, "\(row.0)")
        #expect(split.taxableAmount.value == row.3, "\(row.0)")
    }

    @Test("The tax is exactly floor(G × 10 / 110) and the parts add up to G")
    func formulaAndSum() {
        var amounts = Array(Int64(0)...20_000)
        amounts += [99_999_989, 123_456_789_012, Int64.max / 10]
        for gross in amounts {
            let split = TaxSplit(amount: Yen(exactly: gross)!)
            #expect(split.consumptionTax.value == gross * 10 / 110)
            #expect(split.taxableAmount.value + split.consumptionTax.value == gross)
        }
    }

    @Test("No overflow at the top of the range")
    func largestAmount() {
        let split = TaxSplit(amount: Yen(exactly: Int64.max)!)
        #expect(split.consumptionTax.value == Int64.max / 11)
        #expect(split.taxableAmount.value + split.consumptionTax.value == Int64.max)
        let other = TaxSplit(amount: Yen(exactly: Int64.max)!, rounding: .baseRoundedDown)
        #expect(other.taxableAmount.value + other.consumptionTax.value == Int64.max)
    }

    @Test("Every price of the 2026 tariff, and every sum of them, splits exactly (EX-21)")
    func tariffSumsSplitExactly() {
        // 1,210 / 3,630 fees and coupons, 35,090 the 30-pack, 16,500 non-member registration.
        for members in 0...40 {
            for packs in 0...12 {
                for nonMembers in 0...12 {
                    for registrations in 0...3 {
                        let gross =
                            Int64(members) * 1_210 + Int64(packs) * 35_090 + Int64(nonMembers) * 3_630
                            + Int64(registrations) * 16_500
                        let split = TaxSplit(amount: Yen(exactly: gross)!)
                        #expect(split.consumptionTax.value * 11 == gross)
                        #expect(split.taxableAmount.value * 11 == gross * 10)
                        #expect(split == TaxSplit(amount: Yen(exactly: gross)!, rounding: .baseRoundedDown))
                    }
                }
            }
        }
    }

    @Test("Q15's alternative reading rounds the base down instead")
    func baseRoundedDown() {
        let split = TaxSplit(amount: 2_000, rounding: .baseRoundedDown)
        #expect(split.taxableAmount == 1_818)
        #expect(split.consumptionTax == 182)
        for gross in Int64(0)...5_000 {
            let other = TaxSplit(amount: Yen(exactly: gross)!, rounding: .baseRoundedDown)
            #expect(other.taxableAmount.value == gross * 100 / 110)
        }
    }

    @Test("isSplit checks recorded figures (I10)")
    func isSplitChecksRecordedFigures() {
        #expect(TaxSplit.isSplit(amount: 2_000, taxableAmount: 1_819, consumptionTax: 181))
        #expect(!TaxSplit.isSplit(amount: 2_000, taxableAmount: 1_818, consumptionTax: 182))
        #expect(TaxSplit.isSplit(amount: 2_000, taxableAmount: 1_818, consumptionTax: 182, rounding: .baseRoundedDown))
        #expect(!TaxSplit.isSplit(amount: 2_000, taxableAmount: 1_818, consumptionTax: 181))
        #expect(TaxSplit.isSplit(amount: 0, taxableAmount: 0, consumptionTax: 0))
    }
}
