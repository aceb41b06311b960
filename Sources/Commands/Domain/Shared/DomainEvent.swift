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

/// A stream's event enum: one case per event type, each carrying its payload. Decoding and
/// appending come from the table of cases.
public protocol StreamEventSet: Sendable {
    /// Every event type of the stream with the case that carries it.
    static var eventTable: EventTable<Self> { get }
}

extension StreamEventSet {
    /// Nil for an event type this stream does not know (refused on append, I17).
    public static func decode(eventType: String, data: Data) throws -> Self? {
        try eventTable.decode(eventType, data)
    }

    /// The names of the stream's event types.
    public static var eventTypes: [String] { eventTable.eventTypes }

    /// The payload of this case.
    public var payload: any DomainEvent {
        guard let payload = Mirror(reflecting: self).children.first?.value as? any DomainEvent else {
            preconditionFailure("\(Self.self) cases carry one DomainEvent each")
        }
        return payload
    }

    /// The event ready to append.
    public var pending: PendingEvent { PendingEvent(payload) }
}
