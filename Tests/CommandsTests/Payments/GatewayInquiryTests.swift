import Foundation
import Testing

@testable import Commands
@testable import Domain

/// The pure part of R21: which attempts the sweeper asks about, what it records for each answer,
/// and how the HTTP answer is read (docs/gateway.md).
@Suite("gateway inquiry: which attempts are asked and what an answer records")
struct GatewayInquiryTests {
    static let settlementNo = FeeFixture.settlementNo("20250317-8888000004-00001")
    static let day = FeeFixture.date(2025, 3, 17)
    static let startedAt = FeeFixture.at(day, 10, 0)
    static let deadline = startedAt.addingTimeInterval(300)

    static var started: PaymentAttemptStarted {
        PaymentAttemptStarted(
            settlementNo: settlementNo, purpose: .applicationFees, payerUserId: FeeFixture.ichiro,
            tradeRegNo: FeeFixture.tradeRegNo, items: [], orderNo: nil, itemCount: Count(exactly: 1)!,
            amountYen: 2200, productLabel: "貿易関係証明発給システム 2申請分手数料", startedAt: startedAt,
            deadlineAt: deadline)
    }

    static func state(_ events: [PaymentEvent]) -> PaymentState {
        ([.started(started)] + events).reduce(PaymentState(), PaymentState.evolve)
    }

    static func timedOut(_ status: GatewayStatus) -> PaymentEvent {
        .timedOut(
            PaymentAttemptTimedOut(
                settlementNo: settlementNo, deadlineAt: deadline, detectedAt: deadline.addingTimeInterval(120),
                gatewayStatus: status))
    }

    static let abandoned = PaymentEvent.abandoned(
        PaymentAttemptAbandoned(settlementNo: settlementNo, byUserId: FeeFixture.ichiro, abandonedAt: deadline))

    static let confirmed = PaymentEvent.gatewayConfirmed(
        PaymentGatewayStatusConfirmed(
            settlementNo: settlementNo, gatewayStatus: .notCaptured, confirmedAt: deadline.addingTimeInterval(600)))

    @Test("an open attempt is asked from deadline + 120 s on, however old")
    func openAttempt() {
        let inquiry = GatewayInquiry()
        let open = Self.state([])
        #expect(!inquiry.isDue(open, now: Self.deadline.addingTimeInterval(119)))
        #expect(inquiry.isDue(open, now: Self.deadline.addingTimeInterval(120)))
        #expect(inquiry.isDue(open, now: Self.deadline.addingTimeInterval(30 * 86400)), "still open: ask")
    }

    @Test("an attempt ended without an answer is asked within the window only, until answered")
    func endedAttempts() {
        let inquiry = GatewayInquiry(retryWindow: 72 * 3600)
        let inside = Self.deadline.addingTimeInterval(72 * 3600 - 1)
        let outside = Self.deadline.addingTimeInterval(72 * 3600)
        for ended in [Self.state([Self.timedOut(.unreachable)]), Self.state([Self.abandoned])] {
            #expect(inquiry.isDue(ended, now: inside))
            #expect(!inquiry.isDue(ended, now: outside))
        }
        #expect(!inquiry.isDue(Self.state([Self.timedOut(.notCaptured)]), now: inside), "the gateway already said")
        #expect(!inquiry.isDue(Self.state([Self.timedOut(.unreachable), Self.confirmed]), now: inside))
        #expect(!inquiry.isDue(Self.state([Self.abandoned, Self.confirmed]), now: inside))
        let refund = PaymentEvent.refundDue(
            RefundBecameDue(
                refundId: FeeFixture.refundId, reason: .duplicateCapture, basisYen: 2200, costsDeductible: false,
                depositId: nil, settlementNo: Self.settlementNo, tradeRegNo: FeeFixture.tradeRegNo,
                refundingChamberId: FeeFixture.chamber, gatewayTransactionId: FeeFixture.txn("tx-9")))
        #expect(!inquiry.isDue(Self.state([Self.timedOut(.unreachable), refund]), now: inside), "a capture recorded")
        let failed = PaymentEvent.failed(
            PaymentAttemptFailed(
                settlementNo: Self.settlementNo, errorCode: try! GatewayErrorCode(parsing: "E11310004"),
                gatewayMessage: nil, failedAt: Self.deadline))
        #expect(!inquiry.isDue(Self.state([failed]), now: inside))
    }

    @Test("an answer records: a capture as RecordGatewayResult; notCaptured to the sweep; unreachable by state")
    func records() {
        let inquiry = GatewayInquiry()
        let capture = GatewayAnswer.captured(amountYen: 2200, transactionId: FeeFixture.txn("tx-1"), cardBrand: .visa)
        for state in [Self.state([]), Self.state([Self.timedOut(.unreachable)])] {
            guard case .capture(let command) = inquiry.record(capture, for: state, settlementNo: Self.settlementNo)
            else {
                Issue.record("a capture must be recorded as RecordGatewayResult")
                continue
            }
            #expect(command.outcome == .succeeded && command.capturedAmountYen == 2200)
            #expect(command.gatewayTransactionId.stringValue == "tx-1" && command.cardBrand == .visa)
            #expect(inquiry.record(.notCaptured, for: state, settlementNo: Self.settlementNo) == .sweep(.notCaptured))
        }
        let unreachable = GatewayAnswer.unreachable(reason: "refused")
        #expect(
            inquiry.record(unreachable, for: Self.state([]), settlementNo: Self.settlementNo) == .sweep(.unreachable))
        #expect(
            inquiry.record(unreachable, for: Self.state([Self.abandoned]), settlementNo: Self.settlementNo) == .askAgain
        )
    }

    @Test("a confirmation is recorded once, and only for an attempt that ended without an answer")
    func confirmation() {
        let now = Self.deadline.addingTimeInterval(3600)
        #expect(GatewayInquiry.confirmation(Self.state([Self.timedOut(.unreachable)]), now: now).count == 1)
        #expect(GatewayInquiry.confirmation(Self.state([Self.abandoned]), now: now).count == 1)
        #expect(GatewayInquiry.confirmation(Self.state([Self.abandoned, Self.confirmed]), now: now).isEmpty)
        #expect(GatewayInquiry.confirmation(Self.state([Self.timedOut(.notCaptured)]), now: now).isEmpty)
        #expect(GatewayInquiry.confirmation(Self.state([]), now: now).isEmpty, "an open attempt is timed out instead")
        #expect(GatewayInquiry.confirmation(PaymentState(), now: now).isEmpty)
    }

    @Test("the HTTP answer: only 200 with a documented body is an answer")
    func httpAnswers() {
        func answer(_ status: Int, _ body: String) -> GatewayAnswer {
            HTTPPaymentGateway.answer(status: status, body: Data(body.utf8))
        }
        #expect(
            answer(200, #"{"status":"captured","amountYen":2200,"transactionId":"tx-1"}"#)
                == .captured(amountYen: 2200, transactionId: FeeFixture.txn("tx-1"), cardBrand: nil))
        #expect(
            answer(200, #"{"status":"captured","amountYen":2200,"transactionId":"tx-1","cardBrand":"diners"}"#)
                == .captured(amountYen: 2200, transactionId: FeeFixture.txn("tx-1"), cardBrand: .other))
        #expect(answer(200, #"{"status":"notCaptured"}"#) == .notCaptured)
        for (status, body) in [
            (404, #"{"status":"notCaptured"}"#), (500, "{}"), (503, ""), (200, "not json"), (200, "[]"),
            (200, #"{"status":"maybe"}"#), (200, #"{"status":"captured","transactionId":"tx-1"}"#),
            (200, #"{"status":"captured","amountYen":0,"transactionId":"tx-1"}"#),
            (200, #"{"status":"captured","amountYen":22.5,"transactionId":"tx-1"}"#),
            (200, #"{"status":"captured","amountYen":2200}"#),
            (200, #"{"status":"captured","amountYen":2200,"transactionId":""}"#),
        ] {
            guard case .unreachable = answer(status, body) else {
                Issue.record("HTTP \(status) \(body) must be no answer")
                continue
            }
        }
    }

    @Test("SweepDeadlines refuses an attempt answered twice, and encodes to {} without answers")
    func sweepCommand() throws {
        let twice = SweepDeadlines(gatewayAnswers: [
            .init(settlementNo: Self.settlementNo, answer: .notCaptured),
            .init(settlementNo: Self.settlementNo, answer: .unreachable),
        ])
        #expect(throws: Rejection.self) { try twice.answersBySettlement() }
        #expect(JSONCoding.text(SweepDeadlines()) == "{}")
    }
}
