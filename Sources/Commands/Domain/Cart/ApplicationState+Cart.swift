import Foundation

extension ApplicationState {
    /// Refuses an application that may not be paid by card (R5, I16): counter issuance or
    /// coupon method. Checked before the state, so a counter application is always
    /// `notCardPayable` whatever its state (EX-18).
    func requireCardPayable(_ submitted: ApplicationSubmitted) throws(Rejection) {
        if submitted.issuanceChannel == .counter {
            throw Rejection(
                .notCardPayable,
                "application \(submitted.receptionNo) is for counter issuance (窓口); cards are accepted only for "
                    + "online issuance (R5): pay it at the counter",
                details: [
                    "receptionNo": .string(submitted.receptionNo.stringValue), "issuanceChannel": .string("counter"),
                ])
        }
        if (paymentMethod ?? submitted.paymentMethod) != .card {
            throw Rejection(
                .notCardPayable,
                "application \(submitted.receptionNo) is paid with a coupon, not by card (R2); its payment method "
                    + "can change only when it is resubmitted (Q7)",
                details: [
                    "receptionNo": .string(submitted.receptionNo.stringValue), "paymentMethod": .string("coupon"),
                ])
        }
    }

    /// Refuses an application of another company (R16, I15).
    func requireCompany(_ submitted: ApplicationSubmitted, _ tradeRegNo: TradeRegNo) throws(Rejection) {
        guard submitted.tradeRegNo == tradeRegNo else {
            throw Rejection(
                .forbidden,
                "application \(submitted.receptionNo) belongs to another company; a user may pay only the "
                    + "applications of their own company (\(tradeRegNo))",
                details: ["receptionNo": .string(submitted.receptionNo.stringValue)])
        }
    }

    /// Refuses an application that is not awaiting card payment (R12, I16). A `paymentPending`
    /// application is being paid in another attempt (EX-20).
    func requireAwaitingPayment(_ receptionNo: ReceptionNo, _ action: String) throws(Rejection) {
        switch status {
        case .awaitingPayment:
            return
        case .paymentPending:
            throw Rejection(
                .wrongState,
                "この申請は他の決済で処理中です: application \(receptionNo) is being paid in card attempt "
                    + "\(openSettlementNo?.stringValue ?? "?"); it cannot be \(action). Wait until that attempt "
                    + "ends (at most 5 minutes + 2 minutes' grace)",
                details: [
                    "state": .string("paymentPending"), "receptionNo": .string(receptionNo.stringValue),
                    "settlementNo": openSettlementNo.map { .string($0.stringValue) } ?? .null,
                ])
        case .issued:
            throw Rejection(
                .wrongState, "application \(receptionNo) is already issued (交付済): its fee is paid",
                details: ["state": .string("issued"), "receptionNo": .string(receptionNo.stringValue)])
        default:
            let state = status?.rawValue ?? "none"
            throw Rejection(
                .wrongState,
                "application \(receptionNo) is \(state); only an approved application awaiting its fee (承認) "
                    + "can be \(action)",
                details: ["state": .string(state), "receptionNo": .string(receptionNo.stringValue)])
        }
    }
}
