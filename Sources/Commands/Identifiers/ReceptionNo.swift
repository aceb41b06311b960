/// A reception number (発給受付番号, 受付番号): the identifier of one application.
///
/// Exactly 9 ASCII digits, zero-padded, e.g. `000004172` (DOMAIN.md §4). Opaque: the last
/// digit seems to follow the certificate kind in the seed's examples, but nothing relies on it.
/// Keys the stream `application-<receptionNo>`. JSON form: the 9-digit string.
public struct ReceptionNo: CheckedTextIdentifier {
    public static let textFormat = DigitCodeFormat(
        field: "receptionNo", subject: "reception number (発給受付番号)",
        rule: "exactly 9 ASCII digits, zero-padded, e.g. 000004172", lengths: 9...9)
    /// The 9 digits, e.g. "000004172".
    public let stringValue: String

    public init(checkedText: String) { stringValue = checkedText }
}
