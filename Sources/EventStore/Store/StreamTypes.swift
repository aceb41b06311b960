import Foundation

/// A stream's name, `category-id` (e.g. `company-8888000004`): the category is the part before the
/// first hyphen and starts with a letter; the id is the rest and is not empty.
public struct StreamName: Hashable, Sendable, Comparable, CustomStringConvertible, Codable {
    public let rawValue: String

    /// Validates `rawValue`; nil when it is not `category-id`.
    public init?(_ rawValue: String) {
        guard let dash = rawValue.firstIndex(of: "-") else { return nil }
        let category = rawValue[..<dash]
        let id = rawValue[rawValue.index(after: dash)...]
        guard let first = category.first, first.isASCII, first.isLetter, !id.isEmpty,
            category.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") })
        else { return nil }
        self.rawValue = rawValue
    }

    /// Builds `category-id`; the category must be a valid category name.
    public init(category: String, id: String) {
        guard let name = StreamName("\(category)-\(id)") else {
            preconditionFailure("invalid stream category \(category) or empty id")
        }
        self = name
    }

    /// A stored stream id read in place (`PGResult.withBytes`): the same answer as `init?(_:)`,
    /// checked on the bytes when they are all ASCII (where bytes and characters agree), by
    /// `init?(_:)` otherwise.
    init?(storedBytes bytes: UnsafeBufferPointer<UInt8>) {
        var dash = -1
        var ascii = true
        for (index, byte) in bytes.enumerated() {
            if byte >= 0x80 {
                ascii = false
                break
            }
            if dash < 0 && byte == UInt8(ascii: "-") { dash = index }
        }
        guard ascii else {
            guard let name = StreamName(String(decoding: bytes, as: UTF8.self)) else { return nil }
            self = name
            return
        }
        func isLetter(_ byte: UInt8) -> Bool {
            (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
        }
        guard dash >= 1, dash + 1 < bytes.count, isLetter(bytes[0]) else { return nil }
        for byte in bytes[1..<dash] {
            guard
                isLetter(byte) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_")
            else { return nil }
        }
        self.rawValue = String(decoding: bytes, as: UTF8.self)
    }

    // The first "-" byte: in a valid name everything before the first "-" character is ASCII
    // letters, digits or "_", so the first "-" byte is that character.
    private var dash: String.Index { rawValue.utf8.firstIndex(of: UInt8(ascii: "-"))! }
    public var category: String { String(rawValue[..<dash]) }
    public var id: String { String(rawValue[rawValue.utf8.index(after: dash)...]) }
    public var description: String { rawValue }
    public static func < (lhs: StreamName, rhs: StreamName) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let name = StreamName(text) else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: decoder.codingPath,
                    debugDescription: "not a category-id stream name"))
        }
        self = name
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// What the writer believes about a stream's current version, checked atomically on append.
public enum ExpectedVersion: Hashable, Sendable, CustomStringConvertible {
    /// No check.
    case any
    /// The stream must not exist yet.
    case noStream
    /// The stream must have at least one event.
    case streamExists
    /// The stream's last event must have exactly this version (versions start at 1).
    case exact(Int64)

    /// `exact(0)` means "no stream"; a version loaded from an empty stream maps here.
    public static func at(_ version: Int64) -> ExpectedVersion { version == 0 ? .noStream : .exact(version) }

    public var description: String {
        switch self {
        case .any: "any"
        case .noStream: "noStream"
        case .streamExists: "streamExists"
        case .exact(let version): String(version)
        }
    }
}

/// A position in the subscription order `(transaction_id, global_position)`.
///
/// Positions are unique but not dense, and not in commit order; this pair is. A subscriber that
/// reads strictly after its cursor and below the horizon never skips an event.
public struct SubscriptionCursor: Hashable, Sendable, Comparable, Codable, CustomStringConvertible {
    public var transactionId: UInt64
    public var globalPosition: Int64

    public init(transactionId: UInt64, globalPosition: Int64) {
        self.transactionId = transactionId
        self.globalPosition = globalPosition
    }

    /// Before every event.
    public static let start = SubscriptionCursor(transactionId: 0, globalPosition: 0)

    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.transactionId, lhs.globalPosition) < (rhs.transactionId, rhs.globalPosition)
    }

    public var description: String { "\(transactionId)/\(globalPosition)" }
}

/// An event to append. `data` and `metadata` are JSON objects as text.
public struct NewEvent: Sendable, Hashable {
    public var eventId: UUID
    public var eventType: String
    public var schemaVersion: Int
    public var data: String
    public var metadata: String
    /// The business time of the fact; the server's clock when nil.
    public var occurredAt: Date?

    public init(
        eventId: UUID = UUID(), eventType: String, schemaVersion: Int = 1, data: String,
        metadata: String = "{}", occurredAt: Date? = nil
    ) {
        self.eventId = eventId
        self.eventType = eventType
        self.schemaVersion = schemaVersion
        self.data = data
        self.metadata = metadata
        self.occurredAt = occurredAt
    }
}

/// An event as stored.
public struct RecordedEvent: Sendable, Hashable {
    public var globalPosition: Int64
    public var stream: StreamName
    public var streamVersion: Int64
    public var eventId: UUID
    public var eventType: String
    public var schemaVersion: Int
    /// JSON object text as PostgreSQL's jsonb prints it (keys sorted by length, then bytes).
    public var data: String
    public var metadata: String
    public var occurredAt: Date
    public var recordedAt: Date
    public var transactionId: UInt64

    /// This event's place in the subscription order.
    public var cursor: SubscriptionCursor {
        SubscriptionCursor(transactionId: transactionId, globalPosition: globalPosition)
    }
}

/// A stream's part of an append: the events and the version they expect to follow.
public struct StreamAppend: Sendable {
    public var stream: StreamName
    public var expected: ExpectedVersion
    public var events: [NewEvent]

    public init(stream: StreamName, expected: ExpectedVersion, events: [NewEvent]) {
        self.stream = stream
        self.expected = expected
        self.events = events
    }
}

/// The idempotency key of an append: a client-chosen command id and a fingerprint of the
/// command's body (any stable digest). Kept forever.
public struct CommandIdentity: Sendable, Hashable {
    public var commandId: UUID
    public var fingerprint: String
    /// A JSON value stored with the command and returned to every retry (the command's result).
    public var result: String?

    public init(commandId: UUID, fingerprint: String, result: String? = nil) {
        self.commandId = commandId
        self.fingerprint = fingerprint
        self.result = result
    }
}

/// Where one appended event landed.
public struct AppendedEvent: Sendable, Hashable, Codable {
    public var stream: StreamName
    public var version: Int64
    public var position: Int64
    public var eventId: UUID
    public var eventType: String
}

/// What an append did.
public enum AppendOutcome: Sendable, Hashable {
    /// The events were written now.
    case appended(events: [AppendedEvent], result: String?)
    /// The command id was seen before with the same fingerprint: nothing was written; these are
    /// the events and result of the first execution.
    case exists(events: [AppendedEvent], result: String?)

    public var events: [AppendedEvent] {
        switch self {
        case .appended(let events, _), .exists(let events, _): events
        }
    }

    public var result: String? {
        switch self {
        case .appended(_, let result), .exists(_, let result): result
        }
    }
}

/// Which events a read or subscription returns.
public enum EventFilter: Sendable, Hashable {
    case all
    /// Streams of one category (`company` for `company-…`).
    case category(String)
    /// Events of any of these types.
    case eventTypes([String])
}
