import Foundation

/// The event store on PostgreSQL: atomic multi-stream appends with expected versions and permanent
/// command idempotency, stream and filtered reads, and gap-free reads for subscribers.
///
/// The ordering and conflict rules live in `schema/0001_event_store.sql` (`ledger.append_events`);
/// this type validates input, encodes it, and decodes what the server answers.
public struct PostgresEventStore: Sendable {
    /// The most events one read returns, whatever the caller asks.
    public static let maximumBatchSize = 10_000

    public let pool: ConnectionPool
    private let waker: CommitWaker

    public init(pool: ConnectionPool) {
        self.pool = pool
        self.waker = CommitWaker(pool: pool, statement: Statements.notify)
    }

    // MARK: Append

    /// Appends events to one or more streams in one transaction, each stream checked against its
    /// expected version. Either every event is written or none is.
    ///
    /// - Throws: `EventStoreError.wrongExpectedVersion` (nothing written),
    ///   `.existsWithDifferentPayload` when `command`'s id was used with another fingerprint,
    ///   `.invalidAppend`, `.database`.
    @discardableResult
    public func append(
        _ streams: [StreamAppend], command: CommandIdentity? = nil
    ) async throws(EventStoreError) -> AppendOutcome {
        let (commandJSON, streamsJSON, eventsJSON) = try Self.encode(streams, command: command)
        let row = try await run { connection in
            try await connection.query(Statements.append, [commandJSON, streamsJSON, eventsJSON]).singleRow()
        }
        let outcome = try Self.decodeAnswer(row, streams: streams)
        // After the commit, wake subscribers (a hint only: they poll too). A NOTIFY inside the
        // writing transaction would serialize every append's commit on PostgreSQL's notify lock;
        // the waker sends at most one at a time, after commit (see CommitWaker).
        if case .appended = outcome { await waker.signal() }
        return outcome
    }

    /// Appends to a single stream.
    @discardableResult
    public func append(
        _ events: [NewEvent], to stream: StreamName, expected: ExpectedVersion,
        command: CommandIdentity? = nil
    ) async throws(EventStoreError) -> AppendOutcome {
        try await append([StreamAppend(stream: stream, expected: expected, events: events)], command: command)
    }

    static func encode(
        _ streams: [StreamAppend], command: CommandIdentity?
    ) throws(EventStoreError) -> (PGJSON?, PGJSON, PGJSON) {
        guard !streams.isEmpty else { throw .invalidAppend("no streams given") }
        guard Set(streams.map(\.stream)).count == streams.count else {
            throw .invalidAppend("a stream is listed twice; merge its events into one StreamAppend")
        }
        guard streams.contains(where: { !$0.events.isEmpty }) else { throw .invalidAppend("no events given") }
        var streamItems: [String] = []
        var eventItems: [String] = []
        for part in streams {
            let expected: String = switch part.expected {
            case .any: "\"any\""
            case .noStream: "\"noStream\""
            case .streamExists: "\"streamExists\""
            case .exact(let version):
                version >= 1 ? String(version) : "\"noStream\""
            }
            streamItems.append("{\"stream\":\(JSONText.quote(part.stream.rawValue)),\"expected\":\(expected)}")
            for event in part.events {
                guard !event.eventType.isEmpty else { throw .invalidAppend("an event has an empty type") }
                var item = "{\"stream\":\(JSONText.quote(part.stream.rawValue))"
                item += ",\"eventId\":\"\(event.eventId.uuidString.lowercased())\""
                item += ",\"eventType\":\(JSONText.quote(event.eventType))"
                item += ",\"schemaVersion\":\(event.schemaVersion)"
                item += ",\"data\":\(event.data),\"metadata\":\(event.metadata)"
                if let occurredAt = event.occurredAt {
                    item += ",\"occurredAt\":\(JSONText.quote(PGTimestamp.format(occurredAt)))"
                }
                eventItems.append(item + "}")
            }
        }
        var commandJSON: PGJSON?
        if let command {
            commandJSON = PGJSON("{\"commandId\":\"\(command.commandId.uuidString.lowercased())\""
                + ",\"fingerprint\":\(JSONText.quote(command.fingerprint))"
                + ",\"result\":\(command.result ?? "null")}")
        }
        return (commandJSON, PGJSON("[" + streamItems.joined(separator: ",") + "]"),
                PGJSON("[" + eventItems.joined(separator: ",") + "]"))
    }

    static func decodeAnswer(_ row: PGRow, streams: [StreamAppend]) throws(EventStoreError) -> AppendOutcome {
        do {
            let status = try row.decode(String.self, 0)
            switch status {
            case "appended", "exists":
                let eventsText = try row.decode(String.self, 1)
                let result = try row.decodeIfPresent(String.self, 2).flatMap { $0 == "null" ? nil : $0 }
                let events: [AppendedEvent]
                do {
                    events = try JSONDecoder().decode([AppendedEvent].self, from: Data(eventsText.utf8))
                } catch {
                    throw EventStoreError.database(DatabaseError(
                        kind: .decoding, message: "append_events answered events that do not decode"))
                }
                return status == "appended" ? .appended(events: events, result: result)
                    : .exists(events: events, result: result)
            case "wrongExpectedVersion":
                let name = try row.decode(String.self, 3)
                let actual = try row.decode(Int64.self, 4)
                let part = streams.first { $0.stream.rawValue == name }
                throw EventStoreError.wrongExpectedVersion(
                    stream: part?.stream ?? StreamName(category: "unknown", id: name),
                    expected: part?.expected ?? .any, actual: actual)
            case "existsWithDifferentPayload":
                throw EventStoreError.existsWithDifferentPayload(commandId: try row.decode(String.self, 5))
            default:
                throw EventStoreError.database(DatabaseError(
                    kind: .decoding, message: "append_events answered an unknown status"))
            }
        } catch let error as EventStoreError {
            throw error
        } catch let error as DatabaseError {
            throw .database(error)
        } catch {
            throw .database(DatabaseError(kind: .decoding, message: "\(error)"))
        }
    }

    /// What a command id recorded before, if it was: whether `fingerprint` matches the stored one,
    /// and the events and result of the first execution. Lets a handler answer a retry without
    /// deciding again (the state may have moved on since).
    public func recordedCommand(
        _ commandId: UUID, fingerprint: String
    ) async throws(EventStoreError) -> (sameFingerprint: Bool, outcome: AppendOutcome)? {
        try await run { connection in
            let result = try await connection.query(Statements.recordedCommand, [commandId, fingerprint])
            guard result.rowCount == 1 else { return nil }
            let row = result.rows[0]
            let events = try JSONDecoder().decode(
                [AppendedEvent].self, from: Data(try row.decode(String.self, 1).utf8))
            let stored = try row.decodeIfPresent(String.self, 2).flatMap { $0 == "null" ? nil : $0 }
            return (try row.decode(Bool.self, 0), AppendOutcome.exists(events: events, result: stored))
        }
    }

    // MARK: Reads

    /// The stream's current version; 0 when it does not exist.
    public func version(of stream: StreamName) async throws(EventStoreError) -> Int64 {
        try await run { connection in
            try await connection.query(Statements.streamVersion, [stream.rawValue]).singleRow().decode(Int64.self, 0)
        }
    }

    /// Reading direction within a stream.
    public enum Direction: Sendable { case forward, backward }

    /// Up to `limit` events of one stream, forward from `version` (inclusive) or backward from it
    /// (inclusive; pass `Int64.max` for the end).
    public func read(
        stream: StreamName, from version: Int64 = 1, direction: Direction = .forward, limit: Int = maximumBatchSize
    ) async throws(EventStoreError) -> [RecordedEvent] {
        let sql = direction == .forward ? Statements.readStreamForward : Statements.readStreamBackward
        return try await run { connection in
            try await connection.query(sql, [stream.rawValue, version, Self.clamp(limit)]).rows.map(RecordedEvent.init)
        }
    }

    /// Every event of one stream, in version order, read in bounded batches.
    public func readWholeStream(_ stream: StreamName) async throws(EventStoreError) -> [RecordedEvent] {
        var events: [RecordedEvent] = []
        while true {
            let batch = try await read(stream: stream, from: Int64(events.count) + 1)
            events += batch
            if batch.count < Self.maximumBatchSize { return events }
        }
    }

    /// Up to `limit` events after `cursor` matching `filter`, in subscription order, stopping at the
    /// horizon: no event can later commit behind what this returns (gap-free).
    public func read(
        after cursor: SubscriptionCursor, filter: EventFilter = .all, limit: Int = maximumBatchSize
    ) async throws(EventStoreError) -> [RecordedEvent] {
        let limit = Self.clamp(limit)
        let (sql, parameters): (String, [(any PGEncodable)?]) = switch filter {
        case .all:
            (Statements.readAfter, [cursor.transactionId, cursor.globalPosition, limit])
        case .category(let category):
            (Statements.readCategoryAfter, [category, cursor.transactionId, cursor.globalPosition, limit])
        case .eventTypes(let types):
            (Statements.readTypesAfter, [PGTextArray(types), cursor.transactionId, cursor.globalPosition, limit])
        }
        return try await run { connection in
            try await connection.query(sql, parameters).rows.map(RecordedEvent.init)
        }
    }

    /// Up to `limit` events with a global position above `position`, in position order. For
    /// audits of settled history; live subscribers use `read(after:)`, which never skips.
    public func read(afterPosition position: Int64, limit: Int = maximumBatchSize) async throws(EventStoreError)
        -> [RecordedEvent]
    {
        try await run { connection in
            try await connection.query(Statements.readByPosition, [position, Self.clamp(limit)])
                .rows.map(RecordedEvent.init)
        }
    }

    /// The horizon: the oldest transaction still running, below which every event is settled,
    /// and how long (seconds) the oldest open writing transaction has been holding it.
    public func horizon() async throws(EventStoreError) -> (transactionId: UInt64, oldestOpenSeconds: Double) {
        try await run { connection in
            let row = try await connection.query(Statements.horizon).singleRow()
            return (try row.decode(UInt64.self, 0), Double(try row.decode(String.self, 1)) ?? 0)
        }
    }

    static func clamp(_ limit: Int) -> Int { max(1, min(limit, maximumBatchSize)) }

    /// Runs `body` on a pooled connection, mapping every failure into `EventStoreError`.
    func run<T: Sendable>(_ body: (PGConnection) async throws -> T) async throws(EventStoreError) -> T {
        do {
            return try await pool.withConnection(body)
        } catch let error as EventStoreError {
            throw error
        } catch let error as DatabaseError {
            throw .database(error)
        } catch {
            throw .database(DatabaseError(kind: .usage, message: "\(error)"))
        }
    }
}

extension RecordedEvent {
    /// Decodes a row selected with `Statements.eventColumns`.
    init(row: PGRow) throws {
        let streamText = try row.decode(String.self, 1)
        guard let stream = StreamName(streamText) else {
            throw DatabaseError(kind: .decoding, message: "stored stream id is not category-id")
        }
        self.init(
            globalPosition: try row.decode(Int64.self, 0), stream: stream,
            streamVersion: try row.decode(Int64.self, 2), eventId: try row.decode(UUID.self, 3),
            eventType: try row.decode(String.self, 4), schemaVersion: try row.decode(Int.self, 5),
            data: try row.decode(String.self, 6), metadata: try row.decode(String.self, 7),
            occurredAt: try row.decode(Date.self, 8), recordedAt: try row.decode(Date.self, 9),
            transactionId: try row.decode(UInt64.self, 10))
    }
}

/// JSON text helpers for building the few JSON documents the store sends.
enum JSONText {
    /// A JSON string literal for `text`.
    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
                        + String(scalar.value, radix: 16)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
