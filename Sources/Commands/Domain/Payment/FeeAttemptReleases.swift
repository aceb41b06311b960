import Foundation

/// The releases of an attempt that ended unpaid (A11-A13).
enum FeeAttemptReleases {
    /// `ApplicationPaymentReleased{reason}` for each item still linked to this attempt. Every
    /// item's application must be loaded (`unknownApplication` otherwise).
    static func releases(
        _ started: PaymentAttemptStarted, applications: [ReceptionNo: ApplicationState], reason: PaymentReleaseReason
    ) throws(Rejection) -> [ReceptionNo: [ApplicationEvent]] {
        var events: [ReceptionNo: [ApplicationEvent]] = [:]
        for item in started.items ?? [] {
            let application = applications[item.receptionNo] ?? ApplicationState()
            _ = try application.require(item.receptionNo)
            guard application.status == .paymentPending, application.openSettlementNo == started.settlementNo else {
                continue
            }
            events[item.receptionNo] = [
                .paymentReleased(
                    ApplicationPaymentReleased(
                        receptionNo: item.receptionNo, settlementNo: started.settlementNo, reason: reason))
            ]
        }
        return events
    }
}
