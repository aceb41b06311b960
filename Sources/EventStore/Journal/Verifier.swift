import Foundation

/// `ledger verify`: recomputes every journaled event's hash and the whole chain, checks the journal
/// is dense from 1, that no event below the journal's reach is missing from it, that every stream's
/// versions are contiguous from 1 and in position order, and optionally that an exported checkpoint
/// still holds. Reports every problem found, the first (lowest position) first.
public struct Verifier: Sendable {
    /// One problem, located.
    public struct Problem: Sendable, Hashable, Codable, CustomStringConvertible {
        public var globalPosition: Int64?
        public var stream: String?
        public var version: Int64?
        public var ledgerSeq: Int64?
        public var message: String

        public var description: String {
            var place: [String] = []
            if let globalPosition { place.append("global position \(globalPosition)") }
            if let stream { place.append("stream \(stream)") }
            if let version { place.append("version \(version)") }
            if let ledgerSeq { place.append("journal entry \(ledgerSeq)") }
            return "\(place.joined(separator: ", ")): \(message)"
        }
    }

    /// An exported checkpoint (`ledger journal export`).
    public struct Checkpoint: Sendable, Codable, Hashable {
        public var ledgerSeq: Int64
        public var chainHash: String
        public var exportedAt: String?

        public init(ledgerSeq: Int64, chainHash: String, exportedAt: String? = nil) {
            self.ledgerSeq = ledgerSeq
            self.chainHash = chainHash
            self.exportedAt = exportedAt
        }
    }

    /// What a run found.
    public struct Report: Sendable, Codable {
        public var eventsVerified: Int64 = 0
        public var journalEntries: Int64 = 0
        public var notYetJournaled: Int64 = 0
        public var problems: [Problem] = []
        public var seconds: Double = 0
        public var eventsPerSecond: Double { seconds > 0 ? Double(eventsVerified) / seconds : 0 }
        public var ok: Bool { problems.isEmpty }
    }

    public let conninfo: String
    public var batchSize = 10_000

    public init(conninfo: String) { self.conninfo = conninfo }

    public func run(checkpoint: Checkpoint? = nil, progress: @Sendable (Int64, Int64) -> Void = { _, _ in })
        async throws -> Report
    {
        let started = ContinuousClock.now
        let connection = try await PGConnection.connect(conninfo)
        defer { Task { await connection.close() } }
        var report = Report()
        let total = try await connection.query("SELECT count(*) FROM ledger.journal").singleRow().decode(Int64.self, 0)
        var expectedSeq: Int64 = 1
        var chain = EventHash.genesis
        var checkpointSeen = false
        while true {
            let batch = try await connection.query(VerifySQL.journalBatch, [expectedSeq - 1, batchSize])
            if batch.rowCount == 0 { break }
            for row in batch.rows {
                let seq = try row.decode(Int64.self, 0)
                let position = try row.decode(Int64.self, 1)
                let storedHash = try row.decode(String.self, 2)
                let storedChain = try row.decode(String.self, 3)
                if seq != expectedSeq {
                    report.problems.append(Problem(globalPosition: nil, stream: nil, version: nil, ledgerSeq: expectedSeq,
                        message: "the journal has a hole: entries \(expectedSeq)…\(seq - 1) are missing"))
                }
                expectedSeq = seq + 1
                chain = EventHash.chain(chain, storedHash)
                if chain != storedChain {
                    report.problems.append(Problem(globalPosition: position, stream: nil, version: nil, ledgerSeq: seq,
                        message: "the chain hash does not follow from the previous entry (journal altered)"))
                    chain = storedChain
                }
                if let checkpoint, checkpoint.ledgerSeq == seq {
                    checkpointSeen = true
                    if checkpoint.chainHash != chain {
                        report.problems.append(Problem(globalPosition: position, stream: nil, version: nil, ledgerSeq: seq,
                            message: "the chain differs from the exported checkpoint: history up to here was changed"))
                    }
                }
                guard let event = try VerifySQL.event(row, from: 4) else {
                    report.problems.append(Problem(globalPosition: position, stream: nil, version: nil, ledgerSeq: seq,
                        message: "the journaled event is missing from ledger.events (deleted or moved)"))
                    continue
                }
                report.eventsVerified += 1
                if EventHash.hash(event) != storedHash {
                    report.problems.append(Problem(globalPosition: position, stream: event.stream.rawValue,
                        version: event.streamVersion, ledgerSeq: seq,
                        message: "the event's content does not match its journaled hash (altered, or swapped with another)"))
                }
            }
            report.journalEntries = expectedSeq - 1
            progress(report.journalEntries, total)
        }
        if let checkpoint, !checkpointSeen {
            report.problems.append(Problem(globalPosition: nil, stream: nil, version: nil, ledgerSeq: checkpoint.ledgerSeq,
                message: "the exported checkpoint's entry is no longer in the journal"))
        }
        for row in try await connection.query(VerifySQL.unjournaled).rows {
            report.problems.append(Problem(globalPosition: try row.decode(Int64.self, 0), stream: try row.decode(String.self, 1),
                version: try row.decode(Int64.self, 2), ledgerSeq: nil,
                message: "the event is not in the journal although later events are (inserted behind the journal)"))
        }
        report.notYetJournaled = try await connection.query(VerifySQL.pending).singleRow().decode(Int64.self, 0)
        for row in try await connection.query(VerifySQL.versionBreaks).rows {
            report.problems.append(Problem(globalPosition: try row.decode(Int64.self, 0), stream: try row.decode(String.self, 1),
                version: try row.decode(Int64.self, 2), ledgerSeq: nil,
                message: try row.decode(String.self, 3)))
        }
        report.problems.sort { ($0.globalPosition ?? .max, $0.ledgerSeq ?? .max) < ($1.globalPosition ?? .max, $1.ledgerSeq ?? .max) }
        let elapsed = ContinuousClock.now - started
        report.seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return report
    }
}

enum VerifySQL {
    static let journalBatch = """
        SELECT j.ledger_seq, j.global_position, j.event_hash, j.chain_hash,
               e.global_position, e.stream_id, e.stream_version, e.event_id, e.event_type, e.schema_version,
               e.data::text, e.metadata::text, e.occurred_at, e.recorded_at, e.transaction_id::text
          FROM ledger.journal j LEFT JOIN ledger.events e ON e.global_position = j.global_position
         WHERE j.ledger_seq > $1 ORDER BY j.ledger_seq LIMIT $2
        """

    /// The event columns of a joined row, or nil when the join found no event.
    static func event(_ row: PGRow, from offset: Int) throws -> RecordedEvent? {
        guard row.result.text(row: row.index, column: offset) != nil else { return nil }
        let streamText = try row.decode(String.self, offset + 1)
        guard let stream = StreamName(streamText) else { return nil }
        return RecordedEvent(
            globalPosition: try row.decode(Int64.self, offset), stream: stream,
            streamVersion: try row.decode(Int64.self, offset + 2), eventId: try row.decode(UUID.self, offset + 3),
            eventType: try row.decode(String.self, offset + 4), schemaVersion: try row.decode(Int.self, offset + 5),
            data: try row.decode(String.self, offset + 6), metadata: try row.decode(String.self, offset + 7),
            occurredAt: try row.decode(Date.self, offset + 8), recordedAt: try row.decode(Date.self, offset + 9),
            transactionId: try row.decode(UInt64.self, offset + 10))
    }

    /// Events at or before the journal's last cursor that the journal lacks.
    static let unjournaled = """
        WITH last AS (SELECT transaction_id, global_position FROM ledger.journal ORDER BY ledger_seq DESC LIMIT 1)
        SELECT e.global_position, e.stream_id, e.stream_version FROM ledger.events e, last
         WHERE (e.transaction_id, e.global_position) <= (last.transaction_id, last.global_position)
           AND NOT EXISTS (SELECT FROM ledger.journal j WHERE j.global_position = e.global_position)
         ORDER BY e.global_position LIMIT 100
        """

    static let pending = """
        SELECT count(*) FROM ledger.events e
         WHERE NOT EXISTS (SELECT FROM ledger.journal j WHERE j.global_position = e.global_position)
        """

    /// Streams whose versions do not run 1, 2, 3… in position order.
    static let versionBreaks = """
        SELECT global_position, stream_id, stream_version,
               CASE WHEN stream_version <> coalesce(previous_version, 0) + 1
                    THEN 'the stream''s versions are not contiguous (expected ' || (coalesce(previous_version, 0) + 1) || ')'
                    ELSE 'the stream''s versions are out of position order' END
          FROM (SELECT global_position, stream_id, stream_version,
                       lag(stream_version) OVER w AS previous_version, lag(global_position) OVER w AS previous_position
                  FROM ledger.events WINDOW w AS (PARTITION BY stream_id ORDER BY stream_version)) x
         WHERE stream_version <> coalesce(previous_version, 0) + 1 OR previous_position > global_position
         ORDER BY global_position LIMIT 100
        """
}
