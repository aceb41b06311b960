import Foundation

/// The event types a stream's event enum knows, each with its case: what decoding looks up.
public struct EventTable<Set: Sendable>: Sendable {
    /// In declaration order.
    public let cases: [EventCase<Set>]
    private let byType: [String: EventCase<Set>]

    public init(_ cases: [EventCase<Set>]) {
        self.cases = cases
        self.byType = Dictionary(
            cases.map { ($0.eventType, $0) },
            uniquingKeysWith: { first, _ in
                preconditionFailure("event type \(first.eventType) listed twice")
            })
    }

    /// The names of every event type, in declaration order.
    public var eventTypes: [String] { cases.map(\.eventType) }

    /// Nil for an event type the table does not list.
    public func decode(_ eventType: String, _ data: Data) throws -> Set? {
        try byType[eventType]?.decode(data)
    }
}
