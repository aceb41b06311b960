import EventStore
import Foundation
import Synchronization

/// Runs commands: parse and screen the envelope, check the actor, answer retries of a known
/// command id, load the streams the command touches, decide (pure), and append everything
/// atomically with the versions loaded, deciding again on a version conflict.
public struct CommandHandler: Sendable {
    /// Where a command's time comes from (COMMANDS.md `at`).
    public enum ClockMode: Sendable { case server, input }

    /// How many times a command is decided again after losing a version race.
    public static let maximumAttempts = 100

    public let store: PostgresEventStore
    public let clockMode: ClockMode
    /// Chamber names printed on fee statements (証明書発給商工会議所), by chamber id.
    public let chamberNames: [ChamberId: String]
    public let clock: @Sendable () -> Date
    /// Counts decisions made again after losing a version race (for benchmarks and metrics).
    public let conflictRetries = ConflictCounter()

    public init(
        store: PostgresEventStore, clockMode: ClockMode = .server,
        chamberNames: [ChamberId: String] = [:], clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.store = store
        self.clockMode = clockMode
        self.chamberNames = chamberNames
        self.clock = clock
    }

    /// Executes one JSON line. Never throws: every failure is an outcome.
    public func execute(line: Data) async -> CommandOutcome {
        let envelope: CommandEnvelope
        switch CommandEnvelope.parse(line) {
        case .success(let parsed): envelope = parsed
        case .failure(let failure):
            return CommandOutcome(commandId: failure.commandId, status: .rejected, error: failure.rejection)
        }
        return await execute(envelope)
    }

    /// Executes a typed command built in process: stored, fingerprinted and answered exactly as
    /// the same command sent as a JSON line (`CommandEnvelope.make`).
    public func execute(
        _ command: some LedgerCommand, id: UUID, actor: CommandActor, at: Date? = nil
    ) async -> CommandOutcome {
        switch CommandEnvelope.make(command, id: id, actor: actor, at: at) {
        case .success(let envelope): return await execute(envelope)
        case .failure(let failure):
            return CommandOutcome(commandId: failure.commandId, status: .rejected, error: failure.rejection)
        }
    }

    public func execute(_ envelope: CommandEnvelope) async -> CommandOutcome {
        func rejected(_ rejection: Rejection) -> CommandOutcome {
            CommandOutcome(commandId: envelope.commandId, status: .rejected, error: rejection)
        }
        guard let definition = CommandCatalog.definitions[envelope.command] else {
            let known = CommandCatalog.definitions.keys.sorted().joined(separator: ", ")
            return rejected(.invalid("command", "unknown command \(envelope.command.prefix(64)); known: \(known)"))
        }
        guard definition.actors.contains(envelope.actor.kind) else {
            return rejected(
                Rejection(
                    .forbidden,
                    "\(envelope.actor.kind.rawValue) may not send \(envelope.command); "
                        + "allowed: \(definition.actors.map(\.rawValue).sorted().joined(separator: ", "))"))
        }
        let now: Date
        switch (clockMode, envelope.at) {
        case (.server, .some):
            return rejected(
                Rejection(
                    .clockNotAllowed,
                    "`at` is honoured only with the input clock "
                        + "(ledger exec --clock input); leave it out to use the server clock"))
        case (.server, .none): now = clock()
        case (.input, .some(let at)): now = at
        case (.input, .none): return rejected(.invalid("at", "is required with the input clock"))
        }
        do {
            if let known = try await store.recordedCommand(envelope.commandId, fingerprint: envelope.fingerprint) {
                guard known.sameFingerprint else { return rejected(Self.reusedId(envelope.commandId)) }
                return Self.outcome(envelope.commandId, known.outcome)
            }
            let session = CommandSession(
                envelope: envelope, now: now, store: store, chamberNames: chamberNames)
            for attempt in 1...Self.maximumAttempts {
                let decision = try await definition.decide(session)
                if decision.isEmpty {
                    // Nothing to record: a re-delivered outside fact (`exists`), or nothing due (`ok`).
                    return CommandOutcome(
                        commandId: envelope.commandId, status: decision.isRedelivery ? .exists : .ok,
                        result: decision.result)
                }
                let appended = try await appendUnlessConflict(decision, session: session)
                if let appended { return Self.outcome(envelope.commandId, appended) }
                // Another command changed a stream we read: decide again on fresh state.
                conflictRetries.increment()
                try? await Task.sleep(for: .microseconds(Int.random(in: 100...(1000 * min(attempt, 20)))))
            }
            return rejected(
                Rejection(
                    .concurrencyConflict,
                    "the streams of this command kept changing while it was "
                        + "decided (\(Self.maximumAttempts) attempts); send the same command again"))
        } catch let rejection as Rejection {
            return rejected(rejection)
        } catch {
            if case EventStoreError.existsWithDifferentPayload = error {
                return rejected(Self.reusedId(envelope.commandId))
            }
            return CommandOutcome(
                commandId: envelope.commandId, status: .error,
                failure: "\(error); the command may be retried with the same commandId", cause: error)
        }
    }

    /// Appends the decision; nil when a stream moved since it was loaded.
    private func appendUnlessConflict(_ decision: Decision, session: CommandSession) async throws -> AppendOutcome? {
        let envelope = session.envelope
        do {
            return try await store.append(
                decision.appends(metadata: session.metadata, occurredAt: session.now),
                command: CommandIdentity(
                    commandId: envelope.commandId, fingerprint: envelope.fingerprint,
                    result: decision.result.jsonText))
        } catch {
            if case .wrongExpectedVersion = error { return nil }
            throw error
        }
    }

    static func reusedId(_ id: UUID) -> Rejection {
        Rejection(
            .existsWithDifferentPayload,
            "command id \(id.uuidString.lowercased()) was already used for a "
                + "different command; use a new commandId for a new command")
    }

    static func outcome(_ id: UUID, _ append: AppendOutcome) -> CommandOutcome {
        let result = append.result.flatMap { try? JSONValue.decode(jsonText: $0) }
        switch append {
        case .appended(let events, _): return CommandOutcome(commandId: id, status: .ok, events: events, result: result)
        case .exists(let events, _):
            return CommandOutcome(commandId: id, status: .exists, events: events, result: result)
        }
    }
}

/// What one command decided: events per stream, each with the version it was decided on, and
/// the result for the caller.
public struct Decision: Sendable {
    struct Part: Sendable {
        var stream: StreamName
        var expected: ExpectedVersion
        var events: [PendingEvent]
    }

    var parts: [Part] = []
    public var result: JSONValue = .object([:])
    /// Set when an empty decision means the fact was recorded before (gateway or bank re-delivery).
    public var isRedelivery = false

    public init() {}

    /// Adds events for a stream loaded at `loaded`'s version (merging with earlier ones for it).
    public mutating func add<S>(_ loaded: LoadedStream<S>, _ events: [PendingEvent]) {
        add(loaded.name, expected: loaded.expected, events)
    }

    /// A stream added with no events still takes part: its expected version is checked and it is
    /// locked, so a decision made on its state fails if the stream moved meanwhile.
    public mutating func add(_ stream: StreamName, expected: ExpectedVersion, _ events: [PendingEvent]) {
        if let index = parts.firstIndex(where: { $0.stream == stream }) {
            parts[index].events += events
        } else {
            parts.append(Part(stream: stream, expected: expected, events: events))
        }
    }

    /// Whether the decision writes nothing (a re-delivered fact, nothing due).
    public var isEmpty: Bool { parts.allSatisfy { $0.events.isEmpty } }

    func appends(metadata: String, occurredAt: Date) -> [StreamAppend] {
        parts.map { part in
            StreamAppend(
                stream: part.stream, expected: part.expected,
                events: part.events.map {
                    NewEvent(eventType: $0.eventType, data: $0.data, metadata: metadata, occurredAt: occurredAt)
                })
        }
    }
}

/// What a command's decide step may use: the envelope, the time, and stream loading.
public struct CommandSession: Sendable {
    public var envelope: CommandEnvelope
    public var now: Date
    public var store: PostgresEventStore
    public var chamberNames: [ChamberId: String] = [:]

    package init(
        envelope: CommandEnvelope, now: Date, store: PostgresEventStore, chamberNames: [ChamberId: String] = [:]
    ) {
        self.envelope = envelope
        self.now = now
        self.store = store
        self.chamberNames = chamberNames
    }

    public var actor: CommandActor { envelope.actor }
    public var today: JSTDate { JSTDate(instant: now) }

    /// The metadata every event of this command carries (who and why, ARCHITECTURE.md Security).
    var metadata: String {
        JSONValue.object([
            "actor": actor.metadataValue, "command": .string(envelope.command),
            "commandId": .string(envelope.commandId.uuidString.lowercased()),
            "correlationId": .string(envelope.commandId.uuidString.lowercased()),
        ]).jsonText
    }

    /// Loads and folds a stream.
    public func load<E: StreamEventSet, S: Sendable>(
        _ stream: StreamName, _ initial: S, _ evolve: (S, E) -> S
    ) async throws -> LoadedStream<S> {
        var state = initial
        var version: Int64 = 0
        for event in try await store.readWholeStream(stream) {
            guard let decoded = try E.decode(eventType: event.eventType, data: Data(event.data.utf8)) else {
                throw DatabaseError(
                    kind: .decoding,
                    message: "stream \(stream) holds an event of unknown type "
                        + "\(event.eventType) at version \(event.streamVersion)")
            }
            state = evolve(state, decoded)
            version = event.streamVersion
        }
        return LoadedStream(name: stream, state: state, version: version)
    }

    /// The acting company user's company, or `forbidden`.
    public func actingCompany() throws(Rejection) -> TradeRegNo {
        guard actor.isCompanyUser, let tradeRegNo = actor.tradeRegNo else {
            throw Rejection(.forbidden, "this command must come from a company user or sub-ID with actor.tradeRegNo")
        }
        return tradeRegNo
    }

    /// The acting user's id as a UserId.
    public func actingUser() throws(Rejection) -> UserId {
        do { return try UserId(parsing: actor.id, field: "actor.id") } catch {
            throw .invalid("actor.id", error.message)
        }
    }

    /// Chamber staff's id and chamber.
    public func actingStaff() throws(Rejection) -> (StaffId, ChamberId) {
        guard actor.kind == .chamberStaff, let chamber = actor.chamberId else {
            throw Rejection(.forbidden, "this command must come from chamber staff with actor.chamberId")
        }
        do { return (try StaffId(parsing: actor.id, field: "actor.id"), chamber) } catch {
            throw .invalid("actor.id", error.message)
        }
    }
}

/// A thread-safe count of version-conflict retries.
public final class ConflictCounter: Sendable {
    private let count = Mutex(0)
    public init() {}
    func increment() { count.withLock { $0 += 1 } }
    /// Retries so far.
    public var value: Int { count.withLock { $0 } }
}
