import Foundation

/// The payment part of SweepDeadlines (COMMANDS.md; A12, P4) for one application-fee attempt.
public enum FeePaymentSweep {
    /// Times the attempt out when it is Open and `now ≥ deadlineAt + 120 s`; otherwise returns
    /// an empty decision (nothing to do). `gatewayStatus` is the answer of the gateway's status
    /// query: when the gateway reports a capture instead, the glue records it with
    /// `RecordGatewayResult` and does not call this. Throws `unknownSettlement`, or
    /// `wrongState` for a coupon-order attempt (swept by the coupon-order side).
    public static func decide(
        _ payment: PaymentState, applications: [ReceptionNo: ApplicationState], now: Date, gatewayStatus: GatewayStatus
    ) throws(Rejection) -> FeePaymentDecision {
        guard let started = payment.started else {
            throw Rejection(.unknownSettlement, "no card payment attempt was started")
        }
        try payment.requireApplicationFees(started)
        guard payment.isOverdue(now: now) else { return FeePaymentDecision() }
        var decision = FeePaymentDecision()
        decision.payment = [
            .timedOut(
                PaymentAttemptTimedOut(
                    settlementNo: started.settlementNo, deadlineAt: started.deadlineAt, detectedAt: now,
                    gatewayStatus: gatewayStatus))
        ]
        decision.applications = try FeeAttemptReleases.releases(started, applications: applications, reason: .timedOut)
        decision.result = .object([
            "settlementNo": .string(started.settlementNo.stringValue), "outcome": .string("timedOut"),
            "released": .array(
                decision.applications.keys.sorted { $0.stringValue < $1.stringValue }
                    .map { .string($0.stringValue) }),
        ])
        return decision
    }
}
