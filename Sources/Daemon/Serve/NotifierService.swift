import EventStore
import Foundation
import Logging
import Projections
import ServiceLifecycle

/// The daemon's notifier: sends due mails every few seconds, at once again while a round was full.
/// The dispatcher logs each failed transfer; a round that cannot read the outbox (the database is
/// away) is logged once per run of such rounds.
struct NotifierService: Service {
    let dispatcher: NotificationDispatcher
    let logger: Logger
    var interval: Duration = .seconds(5)
    var batch = 100

    func run() async throws {
        let failures = FailureLog(logger: logger, level: .warning, recoveryLevel: .info)
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                var full = false
                do {
                    let round = try await dispatcher.dispatch(limit: batch)
                    failures.succeeded("the notifier reads the outbox again")
                    full = round.attempted == batch
                    if round.firstError != nil {
                        logger.notice(
                            "some mails were not sent",
                            metadata: [
                                "sent": .stringConvertible(round.sent), "retrying": .stringConvertible(round.retrying),
                                "failed": .stringConvertible(round.failed),
                                "transport": "\(dispatcher.sender.transportDescription)",
                            ])
                    } else if round.sent > 0 {
                        logger.info("mails sent", metadata: ["sent": .stringConvertible(round.sent)])
                    }
                } catch {
                    // The mails stay due and are sent on a later round.
                    failures.failed("sending due mails failed; retrying later", error: error)
                }
                if full { continue }
                do { try await Task.sleep(for: interval) } catch { return }
            }
        }
    }
}
