/// A certificate number (証明書番号) of an issued certificate, e.g. `888864240001151`
/// (15 digits in the seed, L307). Different from the reception number.
///
/// Opaque, 1-64 characters. It is checked against this format, not screened for card numbers,
/// so a 15-digit certificate number is never taken for a card (I18). JSON form: the string.
public struct CertificateNumber: CheckedTextIdentifier {
    public static let textFormat = OpaqueTokenFormat(
        field: "certificateNumber", subject: "certificate number (証明書番号)", maximumLength: 64)
    /// The number as issued.
    public let stringValue: String

    public init(checkedText: String) { stringValue = checkedText }
}
