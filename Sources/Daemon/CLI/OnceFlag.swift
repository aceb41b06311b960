import ArgumentParser
import EventStore
import Foundation
import Projections
import Synchronization

/// True for the first caller only.
final class OnceFlag: Sendable {
    private let flag = Mutex(false)
    func claim() -> Bool {
        flag.withLock { claimed in
            defer { claimed = true }
            return !claimed
        }
    }
}
