/// A bank account type (口座種別). Only 普通 (ordinary) is seen in the seed; other types are
/// refused until seen (DOMAIN.md §4). JSON form: `"ordinary"`.
public enum BankAccountType: String, Hashable, Sendable, Codable, CaseIterable {
    /// 普通 (ordinary deposit account).
    case ordinary

    /// The label printed on the transfer request, 普通.
    public var japaneseLabel: String {
        switch self {
        case .ordinary: "普通"
        }
    }
}
