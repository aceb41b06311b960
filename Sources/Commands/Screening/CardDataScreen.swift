/// Finds payment card numbers in free text, so that none is ever stored (R24, invariant I18).
///
/// The rule of I18: a free-text field is rejected if it contains a run of 14-16 digits, spaces
/// or hyphens allowed between them, that passes the Luhn check. In detail:
///
/// - Digits are any Unicode decimal digits, so full-width ０-９ count as 0-9.
/// - Digits form groups; two groups join when exactly one separator stands between them.
///   Separators are spaces (ASCII, no-break, ideographic U+3000) and hyphens (ASCII, Unicode
///   dashes U+2010-U+2015, minus U+2212, full-width U+FF0D, and ー/ｰ, which Japanese input
///   methods produce for a hyphen).
/// - A candidate is a chain of whole groups joined by separators of one kind (all spaces or
///   all hyphens), as card numbers are typed (4111 1111 1111 1111, 3782-822463-10005). So a
///   date list like "2024-01-19 2024-02-18" is not one candidate.
/// - A candidate has 14-16 digits, does not start with 0 (no card issuer number does:
///   ISO/IEC 7812 assigns no payment network to major industry identifier 0), and passes Luhn.
/// - A group of more than 16 digits is never part of a candidate: a 17-digit issue number or a
///   24-digit order number is an identifier, not a card, even though it contains Luhn-valid
///   14-16-digit stretches.
///
/// The gateway's card field asks for 「半角数字14~16桁、ハイフンなし」, yet the seed's own
/// screenshot shows the number typed as `4111 1111 1111 1111` (L131), so spaced and hyphenated
/// forms are screened too. The gateway lists VISA, Mastercard, JCB and American Express (L94);
/// 14-digit numbers (e.g. Diners Club) are screened anyway, as the field allows 14 digits.
///
/// Identifier fields are checked against their own formats instead (§4), so a 15-digit
/// certificate number is never screened. Anything screened here may still be a false
/// positive; the rejection message says how to fix the text.
public enum CardDataScreen {
    /// The card number lengths screened for (the gateway takes 「半角数字14~16桁」, seed L98, L650).
    public static let digitCounts: ClosedRange<Int> = 14...16

    /// The first card number in `text`, or nil if there is none.
    public static func findCardNumber(in text: String) -> CardNumberSighting? {
        let groups = digitGroups(in: text)
        for start in groups.indices {
            var digits: [UInt8] = []
            var joinKind: SeparatorKind?
            for end in start..<groups.count {
                if end > start {
                    guard let link = groups[end].joinedToPrevious else { break }
                    if let joinKind, joinKind != link { break }
                    joinKind = link
                }
                digits += groups[end].digits
                if digits.count > digitCounts.upperBound { break }
                if digitCounts.contains(digits.count), digits[0] != 0, isLuhnValid(digits) {
                    return CardNumberSighting(characterOffset: groups[start].characterOffset, digitCount: digits.count)
                }
            }
        }
        return nil
    }

    /// True if `text` contains a card number.
    public static func containsCardNumber(_ text: String) -> Bool {
        findCardNumber(in: text) != nil
    }

    /// Throws `CardDataRejection` naming `field` if `text` contains a card number.
    public static func screen(_ text: String, field: String) throws(CardDataRejection) {
        if let sighting = findCardNumber(in: text) {
            throw CardDataRejection(field: field, sighting: sighting)
        }
    }

    /// The Luhn (mod 10) check over decimal digit values 0-9, most significant first.
    public static func isLuhnValid(_ digits: [UInt8]) -> Bool {
        guard !digits.isEmpty else { return false }
        var sum = 0
        for (index, digit) in digits.reversed().enumerated() {
            var value = Int(digit)
            if index % 2 == 1 {
                value *= 2
                if value > 9 { value -= 9 }
            }
            sum += value
        }
        return sum % 10 == 0
    }

    /// True if a JSON field name says it carries card data (card number, expiry, security
    /// code, name on card), e.g. `cardNumber`, `card_no`, `expiry`, `cvc`, `cardholderName`.
    /// The command decoder can report such a field as `cardDataRejected` rather than as an
    /// unknown field. Matching ignores case and non-alphanumeric characters.
    public static func isCardDataFieldName(_ name: String) -> Bool {
        let key = String(name.lowercased().filter { $0.isASCII && ($0.isLetter || $0.isNumber) })
        return cardDataFieldNames.contains(key)
    }

    private static let cardDataFieldNames: Set<String> = [
        "pan", "cardnumber", "cardno", "cardnum", "creditcardnumber", "creditcardno", "primaryaccountnumber",
        "expiry", "expiration", "expirydate", "expirationdate", "cardexpiry", "cardexpiration", "exp", "expmonth",
        "expyear", "expirymonth", "expiryyear", "cvv", "cvv2", "cvc", "cvc2", "cid", "securitycode",
        "cardsecuritycode", "nameoncard", "cardholder", "cardholdername", "cardname",
    ]

    // MARK: Tokenising

    private enum SeparatorKind: Hashable { case space, hyphen }

    private struct DigitGroup {
        /// Offset in characters of the group's first digit from the start of the text (0-based).
        var characterOffset: Int
        var digits: [UInt8]
        /// The kind of the single separator between this group and the previous one, or nil
        /// if they are not joined.
        var joinedToPrevious: SeparatorKind?
    }

    private static func digitGroups(in text: String) -> [DigitGroup] {
        var groups: [DigitGroup] = []
        var current: DigitGroup?
        // Characters seen since the last group ended: a single separator keeps a join pending.
        var pendingSeparator: SeparatorKind?
        var charactersSinceGroup = 0
        var offset = 0
        for character in text {
            defer { offset += 1 }
            if let digit = decimalValue(of: character) {
                if current == nil {
                    let joined = (charactersSinceGroup == 1 && !groups.isEmpty) ? pendingSeparator : nil
                    current = DigitGroup(characterOffset: offset, digits: [], joinedToPrevious: joined)
                }
                current!.digits.append(digit)
                continue
            }
            if let group = current {
                groups.append(group)
                current = nil
                charactersSinceGroup = 0
                pendingSeparator = nil
            }
            charactersSinceGroup += 1
            pendingSeparator = charactersSinceGroup == 1 ? separatorKind(of: character) : nil
        }
        if let group = current { groups.append(group) }
        return groups
    }

    /// The value of a decimal digit of any script (０-９ included), or nil.
    private static func decimalValue(of character: Character) -> UInt8? {
        guard character.unicodeScalars.count == 1, let scalar = character.unicodeScalars.first,
            scalar.properties.numericType == .decimal, let value = scalar.properties.numericValue,
            (0...9).contains(value)
        else { return nil }
        return UInt8(value)
    }

    private static func separatorKind(of character: Character) -> SeparatorKind? {
        guard character.unicodeScalars.count == 1, let scalar = character.unicodeScalars.first else { return nil }
        switch scalar.value {
        case 0x20, 0xA0, 0x3000:
            return .space
        case 0x2D, 0x2010...0x2015, 0x2212, 0xFF0D, 0x30FC, 0xFF70:
            return .hyphen
        default:
            return nil
        }
    }
}

/// Where a card number was found. Holds no digits, so it is safe to log.
public struct CardNumberSighting: Hashable, Sendable {
    /// Offset in characters of the number's first digit from the start of the text (0-based).
    public let characterOffset: Int
    /// How many digits the number has (14-16).
    public let digitCount: Int

    public init(characterOffset: Int, digitCount: Int) {
        self.characterOffset = characterOffset
        self.digitCount = digitCount
    }
}

/// A free-text field holds what looks like a card number; reported as `cardDataRejected`.
///
/// The message names the field and the position but never repeats the digits.
public struct CardDataRejection: Error, Hashable, Sendable, CustomStringConvertible {
    /// The rejection code of COMMANDS.md.
    public static let code = "cardDataRejected"

    /// The field, e.g. `reason`.
    public let field: String
    /// Where the number is.
    public let sighting: CardNumberSighting

    public init(field: String, sighting: CardNumberSighting) {
        self.field = field
        self.sighting = sighting
    }

    public var message: String {
        "\(field) contains what looks like a payment card number (\(sighting.digitCount) digits starting at "
            + "character \(sighting.characterOffset + 1)). Card details are entered only on the payment "
            + "gateway's page and are never stored here; remove the number and send the command again."
    }

    public var description: String { message }
}
