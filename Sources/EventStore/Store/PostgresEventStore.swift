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
            let expected: String =
                switch part.expected {
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
            commandJSON = PGJSON(
                "{\"commandId\":\"\(command.commandId.uuidString.lowercased())\""
                    + ",\"fingerprint\":\(JSONText.quote(command.fingerprint))"
                    + ",\"result\":\(command.result ?? "null")}")
        }
        return (
            commandJSON, PGJSON("[" + streamItems.joined(separator: ",") + "]"),
            PGJSON("[" + eventItems.joined(separator: ",") + "]")
        )
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
                    throw EventStoreError.database(
                        DatabaseError(
                            kind: .decoding, message: "append_events answered events that do not decode"))
                }
                return status == "appended"
                    ? .appended(events: events, result: result)
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
                throw EventStoreError.database(
                    DatabaseError(
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
            try await connection.query(sql, [stream.rawValue, version, Self.clamp(limit)]).decodeEvents()
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
        let (sql, parameters): (String, [(any PGEncodable)?]) =
            switch filter {
            case .all:
                (Statements.readAfter, [cursor.transactionId, cursor.globalPosition, limit])
            case .category(let category):
                (Statements.readCategoryAfter, [category, cursor.transactionId, cursor.globalPosition, limit])
            case .eventTypes(let types):
                (Statements.readTypesAfter, [PGTextArray(types), cursor.transactionId, cursor.globalPosition, limit])
            }
        return try await run { connection in
            try await connection.query(sql, parameters).decodeEvents()
        }
    }

    /// Up to `limit` events with a global position above `position`, in position order. For
    /// audits of settled history; live subscribers use `read(after:)`, which never skips.
    public func read(afterPosition position: Int64, limit: Int = maximumBatchSize) async throws(EventStoreError)
        -> [RecordedEvent]
    {
        try await run { connection in
            try await connection.query(Statements.readByPosition, [position, Self.clamp(limit)]).decodeEvents()
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

extension PGResult {
    /// Every row as an event (rows selected with `Statements.eventColumns`), read from the cells in
    /// place: the same values and errors as `RecordedEvent(row:)` for each row, without building a
    /// `String` for the cells that are numbers, ids and times. Reading a batch is on every
    /// subscriber's and projection's path, so this is where decoding time goes.
    func decodeEvents() throws(DatabaseError) -> [RecordedEvent] {
        var events: [RecordedEvent] = []
        events.reserveCapacity(rowCount)
        for row in 0..<rowCount { events.append(try decodeEvent(row: row)) }
        return events
    }

    private func cell<T>(
        _ row: Int, _ column: Int, _ type: T.Type, _ parse: (UnsafeBufferPointer<UInt8>) -> T?
    ) throws(DatabaseError) -> T {
        let value: T?? = withBytes(row: row, column: column) { bytes in bytes.map(parse) }
        guard let parsed = value else {
            throw DatabaseError(kind: .decoding, message: "column \(columnName(column)) is NULL, expected \(T.self)")
        }
        guard let parsed else {
            throw DatabaseError(kind: .decoding, message: "column \(columnName(column)) does not hold a \(T.self)")
        }
        return parsed
    }

    func decodeEvent(row: Int) throws(DatabaseError) -> RecordedEvent {
        // Messages as `RecordedEvent(row:)`'s: the cell is read as a String first.
        let stream = try withBytes(row: row, column: 1) { bytes throws(DatabaseError) -> StreamName in
            guard let bytes else {
                throw DatabaseError(kind: .decoding, message: "column \(columnName(1)) is NULL, expected String")
            }
            guard let stream = StreamName(storedBytes: bytes) else {
                throw DatabaseError(kind: .decoding, message: "stored stream id is not category-id")
            }
            return stream
        }
        return RecordedEvent(
            globalPosition: try cell(row, 0, Int64.self, PGBytes.int64), stream: stream,
            streamVersion: try cell(row, 2, Int64.self, PGBytes.int64),
            eventId: try cell(row, 3, UUID.self, PGBytes.uuid),
            eventType: try cell(row, 4, String.self, PGBytes.string),
            schemaVersion: try cell(row, 5, Int.self) { PGBytes.int64($0).flatMap { Int(exactly: $0) } },
            data: try cell(row, 6, String.self, PGBytes.string),
            metadata: try cell(row, 7, String.self, PGBytes.string),
            occurredAt: try cell(row, 8, Date.self, PGBytes.date),
            recordedAt: try cell(row, 9, Date.self, PGBytes.date),
            transactionId: try cell(row, 10, UInt64.self, PGBytes.uint64))
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
                    out +=
                        "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
                        + String(scalar.value, radix: 16)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
