import Foundation

// The card payment attempt for application fees (`payment-<settlementNo>`, DOMAIN.md §5.2,
// §6.5): starting it from a cart, the gateway's result, abandonment, the deadline sweep, late
// and duplicate captures (R25, A14, P6), and the per-application credit statements (R26-R29).
// Pure: states, the acting user, `now` and every number the ledger allocates come in as
// arguments; events come out per stream.

/// Fixed values of card attempts and fee statements.
public enum CardPaymentRules {
    /// 「決済サイトにて5分以内に決済を完了してください。」 (R19): deadlineAt = startedAt + 300 s.
    public static let windowSeconds: TimeInterval = 300
    /// The sweeper waits this long past the deadline before timing an attempt out (A12, P4) [I].
    public static let sweepGraceSeconds: TimeInterval = 120
    /// 支払区分 一括: the only payment type (R24).
    public static let lumpSum = "lumpSum"
    /// The statement issuer (R28; seed L293-294).
    public static let issuerName = "日本商工会議所"
    /// The issuer's qualified-invoice registration number (登録番号).
    public static let issuerRegistrationNumber = "T5010005003975"
    /// The consumption tax rate printed on statements (内 消費税額(10%)).
    public static let taxRatePercent = 10

    /// The gateway's product name for a fee cart: 「貿易関係証明発給システム 2申請分手数料」 (seed L87).
    public static func feeProductLabel(itemCount: Int) -> String {
        "貿易関係証明発給システム \(itemCount)申請分手数料"
    }
}
