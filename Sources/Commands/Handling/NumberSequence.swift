import EventStore
import Foundation

/// A number the ledger handed out (a settlement, order or issue number's sequence part).
public struct NumberAllocated: DomainEvent {
    public static let eventType = "NumberAllocated"
    public var sequence: Int
    /// The full number as issued, e.g. "20250317-8888000004-00001".
    public var number: String
}

/// The events of a `sequence-<kind>_<scope>` stream. The stream's version is the last sequence
/// handed out, so allocating is an append at an expected version: two commands racing for the
/// same number conflict and one decides again (gap-free, unique numbers).
public enum NumberSequenceEvent: StreamEventSet, Hashable {
    case allocated(NumberAllocated)

    public static func decode(eventType: String, data: Data) throws -> NumberSequenceEvent? {
        try NumberAllocated.decodeIfMatching(eventType, data).map(NumberSequenceEvent.allocated)
    }
}

/// Sequence numbers reserved for one command; add `events` to the decision to make them real.
public struct NumberReservation: Sendable {
    public var stream: LoadedStream<Int>
    public var sequences: [Int]

    /// The allocation events, given each sequence's full number.
    public func events(_ numbers: [String]) -> [PendingEvent] {
        zip(sequences, numbers).map { PendingEvent(NumberAllocated(sequence: $0, number: $1)) }
    }
}

extension CommandSession {
    /// Reserves the next `count` sequence numbers of `kind` within `scope` (e.g. settlement
    /// numbers of one company on one date). Sequences start at 1.
    public func reserveNumbers(_ kind: String, scope: String, count: Int = 1) async throws -> NumberReservation {
        guard let name = StreamName("sequence-\(kind)_\(scope)") else {
            preconditionFailure("sequence kinds and scopes are identifiers")
        }
        let loaded: LoadedStream<Int> = try await load(name, 0) { (last: Int, event: NumberSequenceEvent) in
            switch event {
            case .allocated(let allocated): allocated.sequence
            }
        }
        return NumberReservation(stream: loaded, sequences: (0..<count).map { loaded.state + 1 + $0 })
    }
}

extension Decision {
    /// Adds a reservation's allocation events.
    public mutating func add(_ reservation: NumberReservation, numbers: [String]) {
        add(reservation.stream, reservation.events(numbers))
    }
}
