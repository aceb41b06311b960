import Foundation

/// An event payload of the domain: a Codable struct with a stable type name (DOMAIN.md §6).
public protocol DomainEvent: Codable, Sendable, Hashable {
    static var eventType: String { get }
}

/// A domain event on its way to a stream.
public struct PendingEvent: Sendable {
    public var eventType: String
    public var data: String

    public init<E: DomainEvent>(_ event: E) {
        self.eventType = E.eventType
        self.data = JSONCoding.text(event)
    }
}

/// Decodes stored events back into a stream's event enum.
public protocol StreamEventSet: Sendable {
    /// Nil for an event type this stream does not know (refused on append, I17).
    static func decode(eventType: String, data: Data) throws -> Self?
}

extension DomainEvent {
    /// Decodes `data` as this event when `eventType` names it.
    package static func decodeIfMatching(_ eventType: String, _ data: Data) throws -> Self? {
        guard eventType == Self.eventType else { return nil }
        return try JSONCoding.decodeEvent(Self.self, from: data)
    }
}
