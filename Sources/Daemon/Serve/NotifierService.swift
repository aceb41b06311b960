import EventStore
import Foundation
import Logging
import Projections
import ServiceLifecycle

/// The daemon's notifier: sends due mails every few seconds, at once again while a round was full.
struct NotifierService: Service {
    let dispatcher: NotificationDispatcher
    let logger: Logger
    var interval: Duration = .seconds(5)
    var batch = 100

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                var full = false
                do {
                    let round = try await dispatcher.dispatch(limit: batch)
                    full = round.attempted == batch
                    if let error = round.firstError {
                        logger.warning(
                            "some mails were not sent",
                            metadata: [
                                "sent": "\(round.sent)", "retrying": "\(round.retrying)", "failed": "\(round.failed)",
                                "transport": "\(dispatcher.sender.transportDescription)", "error": "\(error)",
                            ])
                    } else if round.sent > 0 {
                        logger.info("mails sent", metadata: ["sent": "\(round.sent)"])
                    }
                } catch {
                    // The mails stay due and are sent on a later round.
                    logger.error("sending due mails failed; retrying later", metadata: ["error": "\(error)"])
                }
                if full { continue }
                do { try await Task.sleep(for: interval) } catch { return }
            }
        }
    }
}
