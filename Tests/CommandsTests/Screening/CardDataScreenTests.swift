import Commands
import Testing

/// Goal: free text carrying a card number is caught however it is typed (I18, R24), and the
/// seed's identifiers, dates and other numbers are not mistaken for one.
@Suite("Card data screen (I18)")
struct CardDataScreenTests {
    @Test(
        "Card numbers are found",
        arguments: [
            ("4111111111111111", 0, 16),  // Visa test number; the seed shows it typed as 4111 1111 1111 1111 (L131)
            ("5555555555554444", 0, 16),  // Mastercard
            ("378282246310005", 0, 15),  // American Express
            ("30569309025904", 0, 14),  // Diners Club
            ("4111 1111 1111 1111", 0, 16),
            ("4111-1111-1111-1111", 0, 16),
            ("3782-822463-10005", 0, 15),
            ("3056 930902 5904", 0, 14),
            ("card: 5555 5555 5555 4444 exp 12/25", 6, 16),
            ("４１１１１１１１１１１１１１１１", 0, 16),  // full-width digits
            ("４１１１－１１１１－１１１１－１１１１", 0, 16),  // full-width digits and hyphens
            ("4111　1111　1111　1111", 0, 16),  // ideographic spaces
            ("4111ー1111ー1111ー1111", 0, 16),  // ー typed for a hyphen
            ("カード番号は4111111111111111です", 6, 16),  // inside Japanese text
            ("4111 1111 1111 1111 2025", 0, 16),  // followed by a year in the same chain
            ("12 4111 1111 1111 1111", 3, 16),  // preceded by another number
            ("inv4111111111111111", 3, 16),
        ])
    func found(_ row: (String, Int, Int)) {
        let sighting = CardDataScreen.findCardNumber(in: row.0)
        #expect(sighting == CardNumberSighting(characterOffset: row.1, digitCount: row.2))
    }

    @Test(
        "Identifiers, dates and other numbers are not card numbers",
        arguments: [
            "8888000004",  // trade registration number
            "202401198888000004000001",  // order number: 24 digits, with Luhn-valid 14-16-digit stretches
            "20240703888811531",  // issue number: 17 digits
            "4111111111111112",  // 16 digits, Luhn-invalid
            "4111 1111 1111 1112",
            "2024-01-19",
            "2024-01-19 2024-01-29",  // two dates: 16 digits that would pass Luhn if joined
            "2024/01/19 〜 2024/01/29",
            "20220302-888000001-00003",  // settlement number: 8 + 9 + 5 digits
            "0000 0000 0000 0000",  // passes Luhn, but no card number starts with 0
            "000004172 000012641",  // two reception numbers: 18 digits
            "4222222222222",  // 13 digits (a Luhn-valid Visa test number, out of range)
            "41111111111111111",  // 17 digits in one run
            "4111  1111  1111  1111",  // double spaces: not a single separator
            "4111 1111-1111 1111",  // mixed separators
            "06-6944-6411",  // the chamber's phone number
            "0310-502-6818564",  // bank, branch and account codes
            "NEI-0158",
            "",
        ])
    func notFound(_ text: String) {
        #expect(CardDataScreen.findCardNumber(in: text) == nil)
        #expect(!CardDataScreen.containsCardNumber(text))
    }

    @Test("The negatives would be caught by a naive scanner, so the rules above are what pass them")
    func negativesAreMeaningful() {
        // A 24-digit order number contains Luhn-valid 14-16-digit windows.
        let order = Array("202401198888000004000001").map { UInt8(String($0))! }
        var windows = 0
        for length in 14...16 {
            for start in 0...(order.count - length)
            where CardDataScreen.isLuhnValid(Array(order[start..<start + length])) {
                windows += 1
            }
        }
        #expect(windows > 0)
        // The two dates joined would pass Luhn, and so would sixteen zeros.
        #expect(CardDataScreen.isLuhnValid(Array("2024011920240129").map { UInt8(String($0))! }))
        #expect(CardDataScreen.isLuhnValid(Array(repeating: 0, count: 16)))
        #expect(CardDataScreen.isLuhnValid(Array("4111111111111111").map { UInt8(String($0))! }))
    }

    @Test("Luhn check")
    func luhn() {
        #expect(CardDataScreen.isLuhnValid([7, 9, 9, 2, 7, 3, 9, 8, 7, 1, 3]))  // the classic example
        #expect(!CardDataScreen.isLuhnValid([7, 9, 9, 2, 7, 3, 9, 8, 7, 1, 4]))
        #expect(!CardDataScreen.isLuhnValid([]))
    }

    @Test("The rejection names the field and the position but not the digits")
    func rejection() {
        let error = #expect(throws: CardDataRejection.self) {
            try CardDataScreen.screen("返金先 4111-1111-1111-1111 まで", field: "reason")
        }
        #expect(error?.field == "reason")
        #expect(error?.sighting == CardNumberSighting(characterOffset: 4, digitCount: 16))
        #expect(
            error?.message.hasPrefix(
                "reason contains what looks like a payment card number (16 digits starting at character 5)") == true)
        #expect(error?.message.contains("1111") == false)
        #expect(CardDataRejection.code == "cardDataRejected")
        #expect(throws: Never.self) { try CardDataScreen.screen("誤発行の取消", field: "reason") }
    }

    @Test(
        "Field names that carry card data",
        arguments: [
            ("cardNumber", true), ("card_number", true), ("CARD-NO", true), ("pan", true), ("expiry", true),
            ("expiryDate", true), ("cvc", true), ("securityCode", true), ("cardholderName", true), ("nameOnCard", true),
            ("cardBrand", false), ("settlementNo", false), ("reason", false), ("amountYen", false),
            ("threeDSecure", false),
        ])
    func cardDataFieldNames(_ row: (String, Bool)) {
        #expect(CardDataScreen.isCardDataFieldName(row.0) == row.1)
    }
}
