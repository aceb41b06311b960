import Commands
import Foundation
import Logging
import Metrics

extension SchedulerService {
    /// Runs the deadline sweep and logs what the gateway answered and what was recorded; true
    /// when `SweepDeadlines` succeeded.
    @discardableResult
    func sweepDeadlines(now: Date) async -> Bool {
        let report = await sweep.run(now: now)
        if let failure = report.failure {
            failures["deadline sweep"].failed(
                "deadline sweep failed", error: CommandFailure(description: "\(failure)"))
        } else {
            failures["deadline sweep"].succeeded("deadline sweep runs again")
        }
        for (settlementNo, answer) in report.answers {
            Counter(label: "ledger_gateway_queries_total", dimensions: [("answer", Self.metricName(answer))])
                .increment()
            if case .unreachable(let reason) = answer {
                failures["gateway"].failed(
                    "gateway status query got no answer; the attempt is asked again on later sweeps",
                    error: CommandFailure(description: "\(reason)"), metadata: ["settlementNo": "\(settlementNo)"])
            } else {
                failures["gateway"].succeeded("the gateway answers status queries again")
            }
        }
        for (settlementNo, outcome) in report.captures {
            if outcome.status == .rejected || outcome.status == .error {
                logger.error(
                    "recording a capture the gateway reported failed",
                    metadata: ["settlementNo": "\(settlementNo)", "result": "\(outcome.jsonLine)"])
            } else if !outcome.events.isEmpty {
                logger.notice(
                    "recorded a capture the gateway reported to the status query",
                    metadata: ["settlementNo": "\(settlementNo)", "events": "\(outcome.events.count)"])
            }
        }
        guard let outcome = report.sweep else { return false }
        if outcome.status == .ok && !outcome.events.isEmpty {
            logger.info(
                "scheduled command appended events",
                metadata: [
                    "command": "\(SweepDeadlines.commandName)", "events": .stringConvertible(outcome.events.count),
                ])
        }
        if let id = outcome.commandId { logOutcome(outcome, command: SweepDeadlines.commandName, id: id) }
        return report.failure == nil && outcome.succeeded
    }

    /// The `answer` label of `ledger_gateway_queries_total`.
    static func metricName(_ answer: GatewayAnswer) -> String {
        switch answer {
        case .captured: "captured"
        case .notCaptured: "notCaptured"
        case .unreachable: "unreachable"
        }
    }
}
