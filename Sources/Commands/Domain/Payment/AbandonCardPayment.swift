import Foundation

/// AbandonCardPayment (COMMANDS.md; A13, P5): the payer pressed 決済をやめる. This file decides
/// it for `purpose: applicationFees`.
public struct AbandonCardPayment: Sendable, Hashable, Decodable {
    public var settlementNo: SettlementNo

    public init(settlementNo: SettlementNo) { self.settlementNo = settlementNo }

    /// Checks, in this order: the attempt exists (`unknownSettlement`), pays application fees
    /// (`wrongState`), `user` is its payer (`forbidden`), it is Open (`wrongState`).
    /// Appends `PaymentAttemptAbandoned` + `ApplicationPaymentReleased{abandoned}` per linked
    /// application; the items do not go back into the cart (EX-3(a)).
    public func decide(
        _ payment: PaymentState, applications: [ReceptionNo: ApplicationState], user: UserId, now: Date
    ) throws(Rejection) -> FeePaymentDecision {
        let started = try payment.require(settlementNo)
        try payment.requireApplicationFees(started)
        guard started.payerUserId == user else {
            throw Rejection(
                .forbidden, "only the payer (\(started.payerUserId)) can abandon card attempt \(settlementNo)",
                details: ["settlementNo": .string(settlementNo.stringValue)])
        }
        guard payment.isOpen else { throw payment.wrongState("abandoned") }
        var decision = FeePaymentDecision()
        decision.payment = [
            .abandoned(PaymentAttemptAbandoned(settlementNo: settlementNo, byUserId: user, abandonedAt: now))
        ]
        decision.applications = try FeeAttemptReleases.releases(started, applications: applications, reason: .abandoned)
        decision.result = .object([
            "settlementNo": .string(settlementNo.stringValue), "outcome": .string("abandoned"),
            "released": .array(
                decision.applications.keys.sorted { $0.stringValue < $1.stringValue }
                    .map { .string($0.stringValue) }),
        ])
        return decision
    }
}
