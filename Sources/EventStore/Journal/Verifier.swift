import Crypto
import Foundation
import Synchronization

/// `ledger verify`: recomputes every journaled event's hash and the whole chain, checks the journal
/// is dense from 1, that no event below the journal's reach is missing from it, that every stream's
/// versions are contiguous from 1 and in position order, and optionally that an exported checkpoint
/// and every stored checkpoint signed by a given key (`SignedCheckpoint`) still hold. Reports every problem found, the first (lowest position) first.
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
        /// With a public key: the checkpoints it signed whose signature and chain were checked,
        /// and the latest of them (history up to there is proven unchanged when `ok`).
        public var signedCheckpoints: Int?
        public var latestSignedSeq: Int64?
        public var seconds: Double = 0
        public var eventsPerSecond: Double { seconds > 0 ? Double(eventsVerified) / seconds : 0 }
        public var ok: Bool { problems.isEmpty }
    }

    public let conninfo: String
    public var batchSize = 10_000

    public init(conninfo: String) { self.conninfo = conninfo }

    /// Connections reading the journal at once. Formatting each event's canonical text (jsonb
    /// output above all) is the server's work and the bulk of the cost, so two connections use
    /// both cores of a small machine; the chain check needs only the stored hashes, so each part
    /// starts from the stored chain value where the previous part ends.
    public var parallelism = 2

    public func run(
        checkpoint: Checkpoint? = nil, signedBy key: Curve25519.Signing.PublicKey? = nil,
        progress: @escaping @Sendable (Int64, Int64) -> Void = { _, _ in }
    ) async throws -> Report {
        try await PGConnection.withConnection(conninfo, purpose: .verify) { connection in
            try await run(on: connection, checkpoint: checkpoint, signedBy: key, progress: progress)
        }
    }

    /// A chain value the recomputed chain must have at an entry, and what vouches for it.
    struct Expectation: Sendable {
        var chainHash: String
        /// "the exported checkpoint", "the checkpoint signed at …".
        var source: String
    }

    private func run(
        on connection: PGConnection, checkpoint: Checkpoint?, signedBy key: Curve25519.Signing.PublicKey?,
        progress: @escaping @Sendable (Int64, Int64) -> Void
    ) async throws -> Report {
        let started = ContinuousClock.now
        var report = Report()
        var expected: [Int64: [Expectation]] = [:]
        if let checkpoint {
            expected[checkpoint.ledgerSeq, default: []].append(
                Expectation(chainHash: checkpoint.chainHash, source: "the exported checkpoint"))
        }
        if let key {
            let signed = try await SignedCheckpoint.all(connection, signedBy: key)
            for entry in signed {
                guard entry.isValid(for: key) else {
                    report.problems.append(
                        Problem(
                            globalPosition: nil, stream: nil, version: nil, ledgerSeq: entry.ledgerSeq,
                            message: "the signed checkpoint's signature is not this key's over its entry and chain "
                                + "value (the stored checkpoint was altered)"))
                    continue
                }
                expected[entry.ledgerSeq, default: []].append(
                    Expectation(
                        chainHash: entry.chainHash, source: "the checkpoint signed at \(entry.signedAt ?? "?")"))
            }
            report.signedCheckpoints = signed.count
            report.latestSignedSeq = signed.last?.ledgerSeq
            if signed.isEmpty {
                report.problems.append(
                    Problem(
                        globalPosition: nil, stream: nil, version: nil, ledgerSeq: nil,
                        message: "no checkpoint signed by this public key is stored (none was signed, or they were "
                            + "deleted): nothing can be proven with it"))
            }
        }
        let checkpoints = expected
        // The whole-table checks after the scan sort every event by stream; with the default 4 MB
        // they spill to disk on a large store.
        try await connection.execute("SET work_mem = '128MB'")
        let total = try await connection.query("SELECT count(*) FROM ledger.journal").singleRow().decode(Int64.self, 0)
        let parts = try await partitions(connection, total: total)
        let done = Tally()
        let size = batchSize
        let location = conninfo
        let scanned = try await withThrowingTaskGroup(of: PartScan.self) { group in
            for part in parts {
                group.addTask {
                    try await PGConnection.withConnection(location, purpose: .verify) { partConnection in
                        try await Self.scan(partConnection, part: part, expected: checkpoints, batchSize: size) {
                            rows in
                            progress(done.add(rows), total)
                        }
                    }
                }
            }
            return try await group.reduce(into: [PartScan]()) { $0.append($1) }
        }
        for scan in scanned {
            report.eventsVerified += scan.verified
            report.problems += scan.problems
            report.journalEntries = max(report.journalEntries, scan.lastSeq)
        }
        let seen = scanned.reduce(into: Set<Int64>()) { $0.formUnion($1.checkpointsSeen) }
        for (seq, expectations) in expected where !seen.contains(seq) {
            for expectation in expectations {
                report.problems.append(
                    Problem(
                        globalPosition: nil, stream: nil, version: nil, ledgerSeq: seq,
                        message: "\(expectation.source)'s entry is no longer in the journal"))
            }
        }
        for row in try await connection.query(VerifySQL.unjournaled).rows {
            report.problems.append(
                Problem(
                    globalPosition: try row.decode(Int64.self, 0), stream: try row.decode(String.self, 1),
                    version: try row.decode(Int64.self, 2), ledgerSeq: nil,
                    message: "the event is not in the journal although later events are (inserted behind the journal)"))
        }
        report.notYetJournaled = try await connection.query(VerifySQL.pending).singleRow().decode(Int64.self, 0)
        for row in try await connection.query(VerifySQL.versionBreaks).rows {
            report.problems.append(
                Problem(
                    globalPosition: try row.decode(Int64.self, 0), stream: try row.decode(String.self, 1),
                    version: try row.decode(Int64.self, 2), ledgerSeq: nil,
                    message: try row.decode(String.self, 3)))
        }
        report.problems.sort {
            ($0.globalPosition ?? .max, $0.ledgerSeq ?? .max) < ($1.globalPosition ?? .max, $1.ledgerSeq ?? .max)
        }
        let elapsed = ContinuousClock.now - started
        report.seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return report
    }

    /// A run of journal entries: those after `afterSeq` up to `throughSeq` (nil: to the end),
    /// checked as if the entries before had been: the expected next sequence number is
    /// `afterSeq + 1` and the chain starts from the stored chain value of entry `afterSeq`.
    struct Part: Sendable {
        var afterSeq: Int64
        var throughSeq: Int64?
        var chain: String
    }

    /// A running count shared by the parts (for progress).
    final class Tally: Sendable {
        private let count = Mutex<Int64>(0)
        func add(_ n: Int64) -> Int64 {
            count.withLock {
                $0 += n
                return $0
            }
        }
    }

    /// What one part found.
    struct PartScan: Sendable {
        var verified: Int64 = 0
        var lastSeq: Int64 = 0
        var problems: [Problem] = []
        var checkpointsSeen: Set<Int64> = []
    }

    /// Splits the journal into `parallelism` parts at existing entries.
    func partitions(_ connection: PGConnection, total: Int64) async throws -> [Part] {
        var parts = [Part(afterSeq: 0, throughSeq: nil, chain: EventHash.genesis)]
        let count = Int64(max(1, parallelism))
        guard count > 1, total >= Int64(batchSize) * count else { return parts }
        for n in 1..<count {
            let row = try await connection.query(
                "SELECT ledger_seq, chain_hash FROM ledger.journal ORDER BY ledger_seq OFFSET $1 LIMIT 1",
                [total * n / count - 1]
            ).singleRow()
            let seq = try row.decode(Int64.self, 0)
            guard seq > parts[parts.count - 1].afterSeq else { continue }
            parts[parts.count - 1].throughSeq = seq
            parts.append(Part(afterSeq: seq, throughSeq: nil, chain: try row.decode(String.self, 1)))
        }
        return parts
    }

    /// Checks one part: holes, the chain, the checkpoints, and each event against its hash.
    static func scan(
        _ connection: PGConnection, part: Part, expected: [Int64: [Expectation]], batchSize: Int,
        progress: @Sendable (Int64) -> Void
    ) async throws -> PartScan {
        var result = PartScan(lastSeq: part.afterSeq)
        var expectedSeq = part.afterSeq + 1
        var chain = HexDigest(part.chain)
        let limit = part.throughSeq ?? Int64.max
        // Fetch the next batch while this one is hashed.
        var pending = Task { try await connection.query(VerifySQL.journalBatch, [part.afterSeq, limit, batchSize]) }
        while true {
            let batch = try await pending.value
            if batch.rowCount == 0 { break }
            let lastSeq = try PGRow(result: batch, index: batch.rowCount - 1).decode(Int64.self, 0)
            pending = Task { try await connection.query(VerifySQL.journalBatch, [lastSeq, limit, batchSize]) }
            for index in 0..<batch.rowCount {
                let row = PGRow(result: batch, index: index)
                let seq = try row.decode(Int64.self, 0)
                if seq != expectedSeq {
                    result.problems.append(
                        Problem(
                            globalPosition: nil, stream: nil, version: nil, ledgerSeq: expectedSeq,
                            message: "the journal has a hole: entries \(expectedSeq)…\(seq - 1) are missing"))
                }
                expectedSeq = seq + 1
                let storedHash = batch.withBytes(row: index, column: 2) { HexDigest($0) }
                chain = EventHash.chain(chain, storedHash)
                if !batch.withBytes(row: index, column: 3, { chain.equals($0) }) {
                    result.problems.append(
                        Problem(
                            globalPosition: try row.decode(Int64.self, 1), stream: nil, version: nil,
                            ledgerSeq: seq,
                            message: "the chain hash does not follow from the previous entry (journal altered)"))
                    chain = batch.withBytes(row: index, column: 3) { HexDigest($0) }
                }
                for expectation in expected[seq] ?? [] {
                    result.checkpointsSeen.insert(seq)
                    if expectation.chainHash != chain.text {
                        result.problems.append(
                            Problem(
                                globalPosition: try row.decode(Int64.self, 1), stream: nil,
                                version: nil, ledgerSeq: seq,
                                message:
                                    "the chain differs from \(expectation.source): history up to here was changed"))
                    }
                }
                let hashed: HexDigest? = batch.withBytes(row: index, column: 6) { bytes in
                    bytes.map { HexDigest(SHA256.hash(data: UnsafeRawBufferPointer($0))) }
                }
                guard let hashed else {
                    result.problems.append(
                        Problem(
                            globalPosition: try row.decode(Int64.self, 1), stream: nil, version: nil,
                            ledgerSeq: seq,
                            message: "the journaled event is missing from ledger.events (deleted or moved)"))
                    continue
                }
                result.verified += 1
                if hashed != storedHash {
                    result.problems.append(
                        Problem(
                            globalPosition: try row.decode(Int64.self, 1),
                            stream: try row.decode(String.self, 4), version: try row.decode(Int64.self, 5),
                            ledgerSeq: seq,
                            message:
                                "the event's content does not match its journaled hash (altered, or swapped with another)"
                        ))
                }
            }
            result.lastSeq = expectedSeq - 1
            progress(Int64(batch.rowCount))
        }
        pending.cancel()
        return result
    }
}

enum VerifySQL {
    /// Journal entries after a sequence number, each with its event's canonical text (NULL when
    /// the event is gone), computed by the SQL that docs/audit.md gives auditors.
    static let journalBatch = """
        SELECT j.ledger_seq, j.global_position, j.event_hash, j.chain_hash, e.stream_id, e.stream_version,
               \(EventHash.canonicalSQL) || E'\\n'
          FROM ledger.journal j LEFT JOIN ledger.events e ON e.global_position = j.global_position
         WHERE j.ledger_seq > $1 AND j.ledger_seq <= $2 ORDER BY j.ledger_seq LIMIT $3
        """

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
