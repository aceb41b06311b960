/// 会員 / 非会員.
public enum Membership: String, Sendable, Hashable, Codable, CaseIterable {
    case member, nonMember
    public var label: String { self == .member ? "会員" : "非会員" }
}

/// How an application's fee is paid (R2).
public enum PaymentMethod: String, Sendable, Hashable, Codable, CaseIterable {
    case card, coupon
}

/// How coupons are bought (R41).
public enum CouponPaymentMethod: String, Sendable, Hashable, Codable, CaseIterable {
    case bankTransfer, card
}

/// The certificate kinds of DOMAIN.md §6.
public enum CertificateKind: String, Sendable, Hashable, Codable, CaseIterable {
    case originJapan, originForeign, invoice, signature
    public var label: String {
        switch self {
        case .originJapan: "原産地証明書(日本産)"
        case .originForeign: "原産地証明書(外国産)"
        case .invoice: "インボイス証明"
        case .signature: "サイン証明"
        }
    }
}

/// オンライン発給 or 窓口 (R5: cards only online).
public enum IssuanceChannel: String, Sendable, Hashable, Codable, CaseIterable {
    case online, counter
}
