import EventStore
import Foundation
import Logging
import Projections
import ServiceLifecycle

/// The daemon's notifier: sends due mails every few seconds.
struct NotifierService: Service {
    let dispatcher: NotificationDispatcher
    let logger: Logger
    var interval: Duration = .seconds(5)

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    _ = try await dispatcher.dispatch()
                } catch {
                    // The mails stay due and are sent on a later round.
                    logger.error("sending due mails failed; retrying later", metadata: ["error": "\(error)"])
                }
                do { try await Task.sleep(for: interval) } catch { return }
            }
        }
    }
}
