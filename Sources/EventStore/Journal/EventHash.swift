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
        chain(HexDigest(previous), HexDigest(eventHash)).text
    }

    /// The next chain value, on hex bytes (the verifier's hot loop).
    static func chain(_ previous: HexDigest, _ eventHash: HexDigest) -> HexDigest {
        var hasher = SHA256()
        hasher.update(data: previous.bytes)
        hasher.update(data: eventHash.bytes)
        return HexDigest(hasher.finalize())
    }

    static func hex(_ digest: SHA256.Digest) -> String { HexDigest(digest).text }

    /// The SQL expression of the canonical text for a row `e` of ledger.events (what docs/audit.md
    /// gives auditors; the tests check it against `canonical`).
    public static let canonicalSQL = """
        e.stream_id || E'\\n' || e.stream_version || E'\\n' || e.event_id || E'\\n' || e.event_type || E'\\n'
          || e.schema_version || E'\\n' || e.data::text || E'\\n' || e.metadata::text || E'\\n'
          || to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
        """
}

/// A SHA-256 digest as the 64 lowercase hex characters the journal stores, kept as bytes so the
/// verifier compares and chains without building strings.
struct HexDigest: Equatable, Sendable {
    private static let digits: [UInt8] = Array("0123456789abcdef".utf8)
    private(set) var bytes: [UInt8]

    init(_ digest: SHA256.Digest) {
        var out = [UInt8]()
        out.reserveCapacity(64)
        for byte in digest {
            out.append(Self.digits[Int(byte >> 4)])
            out.append(Self.digits[Int(byte & 0x0F)])
        }
        bytes = out
    }

    /// The text as stored (any text: a malformed stored value simply never matches).
    init(_ text: String) { bytes = Array(text.utf8) }

    /// A copy of a cell's bytes (empty for NULL).
    init(_ raw: UnsafeBufferPointer<UInt8>?) { bytes = raw.map { Array($0) } ?? [] }

    /// Whether a cell holds exactly these characters.
    func equals(_ raw: UnsafeBufferPointer<UInt8>?) -> Bool {
        guard let raw, raw.count == bytes.count else { return false }
        return bytes.elementsEqual(raw)
    }

    var text: String { String(decoding: bytes, as: UTF8.self) }
}
