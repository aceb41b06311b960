import EventStore

/// A read of `ledger.events` whose event types (and stream categories) are bound as parameters
/// taken from the domain's types, never spelled in the SQL: they follow the caller's parameters.
struct CommandQuery: Sendable {
    /// A name the statement needs.
    enum Name: Sendable {
        /// Several event types (`event_type = ANY ($n::text[])`).
        case any([String])
        /// One event type or other text, such as a stream category (`$n::text`).
        case text(String)

        /// One event type (`event_type = $n`).
        static func one<E: DomainEvent>(_ type: E.Type) -> Name { .text(E.eventType) }

        var parameter: any PGEncodable {
            switch self {
            case .any(let types): PGTextArray(types)
            case .text(let text): text
            }
        }
    }

    let sql: String
    let names: [Name]

    init(_ sql: String, names: [Name]) {
        self.sql = sql
        self.names = names
    }

    var nameParameters: [(any PGEncodable)?] { names.map(\.parameter) }
}
