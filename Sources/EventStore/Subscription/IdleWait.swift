/// How long an idle subscriber waits before looking again.
///
/// Normally until a notification or the poll interval. But a notification, or the subscriber's
/// own finding that events are committed past its cursor, may come while those events still sit
/// above the horizon (an older transaction, perhaps in another database of the cluster, is open):
/// then it re-checks soon, backing off (doubling) towards the poll interval, instead of waiting
/// the interval out.
public struct IdleWait: Sendable {
    public let pollInterval: Duration
    public let firstRecheck: Duration
    private var recheck: Duration?

    public init(pollInterval: Duration, firstRecheck: Duration) {
        self.pollInterval = pollInterval
        self.firstRecheck = firstRecheck
    }

    /// Something was delivered: the next idle wait starts afresh.
    public mutating func progressed() {
        recheck = nil
    }

    /// Waits on `listener`. `unsettled` is the subscriber's own finding (true: events past its
    /// cursor are not yet below the horizon, so re-check soon; false: nothing is pending); nil when
    /// it has none, and then a notification arms the short re-check instead. (Arming it on every
    /// notification made the idle projections of a busy daemon poll several times per append.)
    public mutating func wait(on listener: NotificationListener, unsettled: Bool?) async {
        guard let unsettled else {
            let woken = await listener.wait(timeout: recheck.map { min($0, pollInterval) } ?? pollInterval)
            if woken {
                recheck = firstRecheck
            } else if let previous = recheck {
                recheck = previous < pollInterval ? previous * 2 : nil
            }
            return
        }
        let current = recheck ?? firstRecheck
        let woken = await listener.wait(timeout: unsettled ? min(current, pollInterval) : pollInterval)
        recheck = woken ? firstRecheck : min(current * 2, pollInterval)
    }
}
