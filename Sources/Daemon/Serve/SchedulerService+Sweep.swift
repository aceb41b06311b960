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
            logger.error("deadline sweep failed", metadata: ["reason": "\(failure)"])
        }
        for (settlementNo, answer) in report.answers {
            Counter(label: "ledger_gateway_queries_total", dimensions: [("answer", Self.metricName(answer))])
                .increment()
            if case .unreachable(let reason) = answer {
                logger.warning(
                    "gateway status query got no answer; the attempt is asked again on later sweeps",
                    metadata: ["settlementNo": "\(settlementNo)", "reason": "\(reason)"])
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
                metadata: ["command": "\(SweepDeadlines.commandName)", "events": "\(outcome.events.count)"])
        } else if outcome.status == .rejected || outcome.status == .error {
            logger.error(
                "scheduled command failed",
                metadata: ["command": "\(SweepDeadlines.commandName)", "result": "\(outcome.jsonLine)"])
        }
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
