import Logging

/// The wake-up of a subscriber: a dedicated connection LISTENing to `ledger_events`.
///
/// Only a hint: correctness comes from the cursor and the horizon. When the connection cannot be
/// opened or breaks, the failure is logged (the first of a run of failures as a warning, the rest
/// at debug level; at debug only when the database is away, which `DatabaseAvailability` logs)
/// and waits fall back to polling; the next wait reconnects.
public actor NotificationListener {
    public let conninfo: String
    private let logger: Logger
    private var connection: PGConnection?
    private let failures: FailureLog

    public init(conninfo: String, logger: Logger) {
        self.conninfo = conninfo
        self.logger = logger
        self.failures = FailureLog(logger: logger, level: .warning, recoveryLevel: .info)
    }

    /// Listens now if not listening yet. Call it before reading, so a commit between the read and
    /// the wait still wakes the subscriber.
    public func start() async {
        guard connection == nil else { return }
        do {
            let connection = try await PGConnection.connect(conninfo, purpose: .listener)
            do {
                try await connection.listen(SubscriptionSQL.channel)
            } catch {
                await connection.close()
                throw error
            }
            self.connection = connection
            DatabaseAvailability.shared.reachable()
            failures.succeeded("listening for new events again")
        } catch {
            report(error, "cannot listen for new events; polling instead")
        }
    }

    /// Waits up to `timeout` for a notification; answers whether one came.
    public func wait(timeout: Duration) async -> Bool {
        await start()
        guard let connection else {
            await pause(timeout)
            return false
        }
        do {
            return try await !connection.waitForNotifications(timeout: timeout).isEmpty
        } catch {
            report(error, "lost the connection listening for new events; reconnecting", openedAt: connection.openedAt)
            await connection.close()
            self.connection = nil
            return false
        }
    }

    /// Stops listening.
    public func close() async {
        await connection?.close()
        connection = nil
    }

    private func report(_ error: any Error, _ message: Logger.Message, openedAt: ContinuousClock.Instant? = nil) {
        DatabaseAvailability.shared.failed(error, onConnectionOpenedAt: openedAt)
        failures.failed(message, error: error, key: "listener")
    }
}

/// Sleeps for `duration`, returning early (without an error) when the task is cancelled: the
/// callers' loops check `Task.isCancelled` themselves.
func pause(_ duration: Duration) async {
    do {
        try await Task.sleep(for: duration)
    } catch {
        return
    }
}
