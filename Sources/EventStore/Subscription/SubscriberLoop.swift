import Logging

/// The long-running loop every subscriber service runs: open a session, step it, wait (NOTIFY or
/// poll) when idle, back off exponentially after failures, reconnect after errors, until the task
/// is cancelled. Each failure is logged once, with its cause, here.
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
        while !Task.isCancelled {
            let session: Session
            do {
                session = try await open()
            } catch {
                if Task.isCancelled { break }
                logger.error(
                    "cannot open the session; retrying", metadata: ["error": "\(error)", "retryIn": "\(backoff)"])
                await pause(backoff)
                backoff = min(backoff * 2, maximumBackoff)
                continue
            }
            do {
                while !Task.isCancelled {
                    await listener.start()
                    switch try await step(session) {
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
                    logger.error(
                        "subscriber failed; reconnecting", metadata: ["error": "\(error)", "retryIn": "\(backoff)"])
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
