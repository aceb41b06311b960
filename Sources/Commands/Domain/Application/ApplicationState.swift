import Foundation

/// The application aggregate (`application-<receptionNo>`, DOMAIN.md §5.1). `InCart` is not
/// stored here: it is derived from the cart streams (R15, R16).
public struct ApplicationState: Sendable, Hashable {
    /// The ledger states of §5.1 that this stream knows.
    public enum Status: String, Sendable, Hashable {
        case submitted, onHold, awaitingPayment, paymentPending, issued, withdrawn
    }

    public var submitted: ApplicationSubmitted?
    public var status: Status?
    public var paymentMethod: PaymentMethod?
    /// Whether a used coupon is held for this application (net used − returned, I5).
    public var couponHeld = false
    public var approved: ApplicationApproved?
    /// The open attempt while `paymentPending`.
    public var openSettlementNo: SettlementNo?
    public var issued: ApplicationIssued?

    public init() {}

    public var exists: Bool { submitted != nil }

    public static func evolve(_ state: ApplicationState, _ event: ApplicationEvent) -> ApplicationState {
        var state = state
        switch event {
        case .submitted(let e):
            state.submitted = e
            state.status = .submitted
            state.paymentMethod = e.paymentMethod
            state.couponHeld = e.paymentMethod == .coupon
        case .resubmitted(let e):
            state.status = .submitted
            state.paymentMethod = e.paymentMethod
            state.couponHeld = e.paymentMethod == .coupon
        case .putOnHold(let e):
            state.status = .onHold
            if e.couponReturned { state.couponHeld = false }
        case .approved(let e):
            state.approved = e
            state.status = e.paymentMethod == .card ? .awaitingPayment : state.status
        case .paymentLinked(let e):
            state.status = .paymentPending
            state.openSettlementNo = e.settlementNo
        case .paymentReleased:
            state.status = .awaitingPayment
            state.openSettlementNo = nil
        case .issued(let e):
            state.status = .issued
            state.issued = e
            state.openSettlementNo = nil
        case .withdrawn(let e):
            state.status = .withdrawn
            if e.couponReturned { state.couponHeld = false }
        }
        return state
    }

    package func require(_ receptionNo: ReceptionNo) throws(Rejection) -> ApplicationSubmitted {
        guard let submitted else {
            throw Rejection(
                .unknownApplication, "no application \(receptionNo) has been submitted",
                details: ["receptionNo": .string(receptionNo.stringValue)])
        }
        return submitted
    }

    func wrongState(_ action: String, _ receptionNo: ReceptionNo) -> Rejection {
        let state = status?.rawValue ?? "none"
        return .wrongState("application \(receptionNo) is \(state); it cannot be \(action)", state: state)
    }
}
