import Crypto
import Foundation

/// The one definition of an event's canonical bytes and hash, and of the journal's chain
/// (docs/audit.md shows how to recompute both with psql and sha256sum alone).
///
/// Canonical bytes: these fields, each followed by one line feed, in UTF-8:
///
///     stream_id
///     stream_version            (decimal)
///     event_id                  (lowercase, hyphenated)
///     event_type
///     schema_version            (decimal)
///     data                      (PostgreSQL's jsonb text output: data::text)
///     metadata                  (metadata::text)
///     occurred_at               (UTC, YYYY-MM-DDTHH:MM:SS.ffffffZ)
///
/// `event_hash` = lowercase hex SHA-256 of those bytes.
/// `chain_n` = lowercase hex SHA-256 of the ASCII text `chain_{n-1} + event_hash_n` (128 hex
/// characters), with `chain_0` = 64 zeros.
public enum EventHash {
    public static let genesis = String(repeating: "0", count: 64)

    /// The canonical text of a stored event.
    public static func canonical(_ event: RecordedEvent) -> String {
        var text = event.stream.rawValue + "\n"
        text += String(event.streamVersion) + "\n"
        text += event.eventId.uuidString.lowercased() + "\n"
        text += event.eventType + "\n"
        text += String(event.schemaVersion) + "\n"
        text += event.data + "\n"
        text += event.metadata + "\n"
        text += PGTimestamp.format(event.occurredAt) + "\n"
        return text
    }

    /// `event_hash` of a stored event.
    public static func hash(_ event: RecordedEvent) -> String { hex(SHA256.hash(data: Data(canonical(event).utf8))) }

    /// The next chain value.
    public static func chain(_ previous: String, _ eventHash: String) -> String {
        hex(SHA256.hash(data: Data((previous + eventHash).utf8)))
    }

    static func hex(_ digest: SHA256.Digest) -> String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(64)
        for byte in digest {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The SQL expression of the canonical text for a row `e` of ledger.events (what docs/audit.md
    /// gives auditors; the tests check it against `canonical`).
    public static let canonicalSQL = """
        e.stream_id || E'\\n' || e.stream_version || E'\\n' || e.event_id || E'\\n' || e.event_type || E'\\n'
          || e.schema_version || E'\\n' || e.data::text || E'\\n' || e.metadata::text || E'\\n'
          || to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
        """
}
