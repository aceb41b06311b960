import Logging

/// The long-running loop every subscriber service runs: open a session, step it, wait (NOTIFY or
/// poll) when idle, back off exponentially after failures, reconnect after errors, until the task
/// is cancelled. Failures are logged here, once per run of them (`FailureLog`): the first with its
/// cause at warning, the retries at debug, and `subscriber resumed` when a step works again; a
/// failure that means the database is away goes to `DatabaseAvailability`, which logs the outage
/// once for the process, and is logged here at debug only.
public struct SubscriberLoop: Sendable {
    /// What one step did.
    public enum Outcome: Sendable, Equatable {
        /// Delivered something; step again at once.
        case progressed
        /// Nothing to deliver; `unsettled` as in `IdleWait.wait(on:unsettled:)`.
        case idle(unsettled: Bool?)
        /// Another process leads; try again after the poll interval.
        case notLeader
        /// The step failed (and logged why); retry after the backoff.
        case failed
    }

    public var pollInterval: Duration
    /// First retry delay after a failure; doubles up to `maximumBackoff`.
    public var initialBackoff: Duration
    public var maximumBackoff: Duration
    /// The first short re-check of `IdleWait`.
    public var firstRecheck: Duration
    public var logger: Logger

    public init(
        pollInterval: Duration, initialBackoff: Duration = .milliseconds(100),
        maximumBackoff: Duration = .seconds(30), firstRecheck: Duration = .milliseconds(5), logger: Logger
    ) {
        self.pollInterval = pollInterval
        self.initialBackoff = initialBackoff
        self.maximumBackoff = maximumBackoff
        self.firstRecheck = firstRecheck
        self.logger = logger
    }

    /// Runs until the task is cancelled; finishes the step in flight. `open` makes a session
    /// (connections, leadership), `close` ends it; the listener wakes idle waits.
    public func run<Session: Sendable>(
        listener: NotificationListener,
        open: () async throws -> Session,
        close: (Session) async -> Void,
        step: (Session) async throws -> Outcome
    ) async {
        var backoff = initialBackoff
        var idle = IdleWait(pollInterval: pollInterval, firstRecheck: firstRecheck)
        let failures = FailureLog(logger: logger, level: .warning, recoveryLevel: .info)
        while !Task.isCancelled {
            let session: Session
            let openedAt = ContinuousClock.now
            do {
                session = try await open()
                DatabaseAvailability.shared.reachable()
            } catch {
                if Task.isCancelled { break }
                DatabaseAvailability.shared.failed(error)
                failures.failed(
                    "subscriber cannot open its session; retrying", error: error, metadata: ["retryIn": "\(backoff)"])
                await pause(backoff)
                backoff = min(backoff * 2, maximumBackoff)
                continue
            }
            do {
                while !Task.isCancelled {
                    await listener.start()
                    let outcome = try await step(session)
                    if outcome != .failed { failures.succeeded("subscriber resumed") }
                    switch outcome {
                    case .progressed:
                        backoff = initialBackoff
                        idle.progressed()
                    case .idle(let unsettled):
                        await idle.wait(on: listener, unsettled: unsettled)
                    case .notLeader:
                        await pause(pollInterval)
                    case .failed:
                        await pause(backoff)
                        backoff = min(backoff * 2, maximumBackoff)
                    }
                }
            } catch {
                if !Task.isCancelled {
                    // The database went away or refused, or leadership was lost: reconnect.
                    DatabaseAvailability.shared.failed(error, onConnectionOpenedAt: openedAt)
                    failures.failed(
                        "subscriber failed; reconnecting", error: error, metadata: ["retryIn": "\(backoff)"])
                }
                await close(session)
                await pause(backoff)
                backoff = min(backoff * 2, maximumBackoff)
                continue
            }
            await close(session)
        }
        await listener.close()
    }
}
