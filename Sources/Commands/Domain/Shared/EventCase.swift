import Foundation

/// One event type of a stream's event enum: the payload type's name and the enum case that
/// carries it. The name comes from the payload's `eventType`, so it is spelled once.
public struct EventCase<Set: Sendable>: Sendable {
    public let eventType: String
    private let decodePayload: @Sendable (Data) throws -> Set

    /// The case `embed` carrying payloads of type `E`.
    public init<E: DomainEvent>(_ type: E.Type, _ embed: @escaping @Sendable (E) -> Set) {
        self.eventType = E.eventType
        self.decodePayload = { embed(try JSONCoding.decodeEvent(E.self, from: $0)) }
    }

    /// Decodes `data` (with the flat fast path, `JSONCoding.decodeEvent`) into the case.
    public func decode(_ data: Data) throws -> Set { try decodePayload(data) }
}
