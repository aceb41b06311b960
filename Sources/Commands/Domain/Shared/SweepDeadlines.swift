import Foundation

/// SweepDeadlines (COMMANDS.md, actor daemon): the handler sweeps what the clock says is overdue
/// (card attempts past their deadline, bank orders past `validUntil`).
///
/// `gatewayAnswers` (optional, added for R21; docs/gateway.md) carries the gateway status-query
/// answers the sweeper got just before sending the command. An overdue Open attempt is timed out
/// with its answer's status (`notCaptured` or `unreachable`), or left alone when the answer was
/// `captured` (the sweeper recorded that capture with `RecordGatewayResult`); an attempt with no
/// answer is timed out as `unreachable` (nobody asked, or no gateway is configured). A
/// `notCaptured` answer for an attempt that had already ended without a gateway answer records
/// `PaymentGatewayStatusConfirmed`.
public struct SweepDeadlines: Sendable, Hashable, Codable {
    /// The status-query answer for one attempt, as the sweeper saw it.
    public enum Answer: String, Sendable, Hashable, Codable {
        case captured, notCaptured, unreachable

        /// The status recorded on a timeout; nil for `captured` (nothing is timed out).
        public var timeoutStatus: GatewayStatus? {
            switch self {
            case .captured: nil
            case .notCaptured: .notCaptured
            case .unreachable: .unreachable
            }
        }
    }

    /// One attempt's answer.
    public struct GatewayAnswer: Sendable, Hashable, Codable {
        public var settlementNo: SettlementNo
        public var answer: Answer

        public init(settlementNo: SettlementNo, answer: Answer) {
            self.settlementNo = settlementNo
            self.answer = answer
        }
    }

    public var gatewayAnswers: [GatewayAnswer]?

    public init(gatewayAnswers: [GatewayAnswer]? = nil) {
        self.gatewayAnswers = gatewayAnswers
    }

    /// The answers by settlement number; `invalidCommand` when one attempt is answered twice.
    public func answersBySettlement() throws(Rejection) -> [SettlementNo: Answer] {
        var answers: [SettlementNo: Answer] = [:]
        for entry in gatewayAnswers ?? [] {
            guard answers.updateValue(entry.answer, forKey: entry.settlementNo) == nil else {
                throw .invalid("gatewayAnswers", "answers settlement \(entry.settlementNo) twice")
            }
        }
        return answers
    }
}
