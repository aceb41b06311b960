import ArgumentParser
import EventStore
import Foundation
import Projections
import ServiceLifecycle

/// The daemon's notifier: sends due mails every few seconds.
struct NotifierService: Service {
    let dispatcher: NotificationDispatcher
    var interval: Duration = .seconds(5)

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                _ = try? await dispatcher.dispatch()
                try? await Task.sleep(for: interval)
            }
        }
    }
}
