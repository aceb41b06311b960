/// In-process news of projection progress: workers report each committed batch, and readers that
/// wait for their own writes (`?atLeastPosition=`) wake at once instead of polling the database.
///
/// Only a hint, like NOTIFY: a reader still checks the database after each wake-up, and waits
/// with a timeout, since the worker that leads a projection may be in another process.
public actor ProjectionProgress {
    private var generations: [String: UInt64] = [:]
    private var waiters: [String: [Int: CheckedContinuation<Void, Never>]] = [:]
    private var nextWaiter = 0

    public init() {}

    /// How many batches of `projection` this process has seen committed.
    public func generation(_ projection: String) -> UInt64 { generations[projection, default: 0] }

    /// A worker committed a batch of `projection`.
    public func advanced(_ projection: String) {
        generations[projection, default: 0] &+= 1
        for waiter in (waiters.removeValue(forKey: projection) ?? [:]).values { waiter.resume() }
    }

    /// Returns when `projection` has advanced past generation `seen`, or after `timeout`.
    public func wait(_ projection: String, after seen: UInt64, timeout: Duration) async {
        guard generations[projection, default: 0] == seen else { return }
        let id = nextWaiter
        nextWaiter += 1
        let timer = Task { [weak self] in
            try? await Task.sleep(for: timeout)
            await self?.expire(projection, id)
        }
        await withCheckedContinuation { continuation in
            waiters[projection, default: [:]][id] = continuation
        }
        timer.cancel()
    }

    private func expire(_ projection: String, _ id: Int) {
        waiters[projection]?.removeValue(forKey: id)?.resume()
    }
}
