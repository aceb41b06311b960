import Foundation

// The events of `application-<receptionNo>` (DOMAIN.md §6.3).

/// An application filed, with its payment method (R2, R4, R5).
public struct ApplicationSubmitted: DomainEvent {
    public static let eventType = "ApplicationSubmitted"
    public var receptionNo: ReceptionNo
    public var tradeRegNo: TradeRegNo
    public var chamberId: ChamberId
    public var certificateKind: CertificateKind
    public var certificateKindLabel: String
    public var destinationCountry: String?
    public var invoiceNumber: String
    public var exporterName: String?
    public var agentName: String?
    public var applicantUserId: UserId
    public var applicantName: String
    public var personInCharge: String?
    public var applicationDate: JSTDate
    public var issuanceChannel: IssuanceChannel
    public var paymentMethod: PaymentMethod
}

/// Refiled after a hold, perhaps with another payment method (R33, R34, Q7).
public struct ApplicationResubmitted: DomainEvent {
    public static let eventType = "ApplicationResubmitted"
    public var receptionNo: ReceptionNo
    public var byUserId: UserId
    public var paymentMethod: PaymentMethod
}

/// 保留: a defect found in review (R33).
public struct ApplicationPutOnHold: DomainEvent {
    public static let eventType = "ApplicationPutOnHold"
    public var receptionNo: ReceptionNo
    public var staffId: StaffId
    public var reason: String?
    public var couponReturned: Bool
}

/// 承認: review complete; the fee is fixed now (R1, R7).
public struct ApplicationApproved: DomainEvent {
    public static let eventType = "ApplicationApproved"
    public var receptionNo: ReceptionNo
    public var staffId: StaffId
    public var approvalDate: JSTDate
    public var paymentMethod: PaymentMethod
    public var feeYen: Yen
    public var membership: Membership
    public var certificateNumber: String?
}

/// Linked to an open card attempt (R14, R19, I6).
public struct ApplicationPaymentLinked: DomainEvent {
    public static let eventType = "ApplicationPaymentLinked"
    public var receptionNo: ReceptionNo
    public var settlementNo: SettlementNo
    public var payerUserId: UserId
    public var feeYen: Yen
}

/// Why a link ended without payment.
public enum PaymentReleaseReason: String, Sendable, Hashable, Codable { case failed, timedOut, abandoned }

/// The attempt ended unpaid; the application awaits payment again (R20, R22).
public struct ApplicationPaymentReleased: DomainEvent {
    public static let eventType = "ApplicationPaymentReleased"
    public var receptionNo: ReceptionNo
    public var settlementNo: SettlementNo
    public var reason: PaymentReleaseReason
}

/// 交付済: the fee is settled and the certificate printable (R3, R23, R34, I5).
public struct ApplicationIssued: DomainEvent {
    public static let eventType = "ApplicationIssued"
    public var receptionNo: ReceptionNo
    public var paidBy: PaymentMethod
    public var settlementNo: SettlementNo?
    public var settlementDate: JSTDate?
    public var issuedAt: Date
    public var certificateNumber: String?
}

/// Withdrawn or rejected (Q8).
public struct ApplicationWithdrawn: DomainEvent {
    public static let eventType = "ApplicationWithdrawn"
    public var receptionNo: ReceptionNo
    public var reason: String
    public var couponReturned: Bool
}

/// The events of `application-<receptionNo>`.
public enum ApplicationEvent: StreamEventSet, Hashable {
    case submitted(ApplicationSubmitted)
    case resubmitted(ApplicationResubmitted)
    case putOnHold(ApplicationPutOnHold)
    case approved(ApplicationApproved)
    case paymentLinked(ApplicationPaymentLinked)
    case paymentReleased(ApplicationPaymentReleased)
    case issued(ApplicationIssued)
    case withdrawn(ApplicationWithdrawn)

    public static func decode(eventType: String, data: Data) throws -> ApplicationEvent? {
        let decoder = JSONCoding.decoder
        return switch eventType {
        case ApplicationSubmitted.eventType: .submitted(try decoder.decode(ApplicationSubmitted.self, from: data))
        case ApplicationResubmitted.eventType: .resubmitted(try decoder.decode(ApplicationResubmitted.self, from: data))
        case ApplicationPutOnHold.eventType: .putOnHold(try decoder.decode(ApplicationPutOnHold.self, from: data))
        case ApplicationApproved.eventType: .approved(try decoder.decode(ApplicationApproved.self, from: data))
        case ApplicationPaymentLinked.eventType:
            .paymentLinked(try decoder.decode(ApplicationPaymentLinked.self, from: data))
        case ApplicationPaymentReleased.eventType:
            .paymentReleased(try decoder.decode(ApplicationPaymentReleased.self, from: data))
        case ApplicationIssued.eventType: .issued(try decoder.decode(ApplicationIssued.self, from: data))
        case ApplicationWithdrawn.eventType: .withdrawn(try decoder.decode(ApplicationWithdrawn.self, from: data))
        default: nil
        }
    }

    public var pending: PendingEvent {
        switch self {
        case .submitted(let e): PendingEvent(e)
        case .resubmitted(let e): PendingEvent(e)
        case .putOnHold(let e): PendingEvent(e)
        case .approved(let e): PendingEvent(e)
        case .paymentLinked(let e): PendingEvent(e)
        case .paymentReleased(let e): PendingEvent(e)
        case .issued(let e): PendingEvent(e)
        case .withdrawn(let e): PendingEvent(e)
        }
    }
}
