/// Why an append or read failed.
///
/// Domain-level outcomes of the store (a version conflict, a reused command id) are cases of
/// their own; everything else is an infrastructure failure carrying a `DatabaseError`.
public enum EventStoreError: Error, Sendable, CustomStringConvertible {
    /// A stream was not at the expected version; nothing of the append was written.
    /// `actual` is 0 when the stream does not exist.
    case wrongExpectedVersion(stream: StreamName, expected: ExpectedVersion, actual: Int64)
    /// The command id was used before with a different fingerprint; nothing was written.
    case existsWithDifferentPayload(commandId: String)
    /// The append itself was malformed (no streams, an event for a stream not listed, …).
    case invalidAppend(String)
    /// PostgreSQL failed or could not be reached.
    case database(DatabaseError)

    public var description: String {
        switch self {
        case .wrongExpectedVersion(let stream, let expected, let actual):
            "wrong expected version for stream \(stream): expected \(expected), actual \(actual)"
        case .existsWithDifferentPayload(let commandId):
            "command \(commandId) was already executed with a different payload"
        case .invalidAppend(let reason): "invalid append: \(reason)"
        case .database(let error): error.description
        }
    }

    /// Whether retrying the same append may succeed (a lost connection, a deadlock).
    public var isTransient: Bool {
        if case .database(let error) = self { return error.isTransient }
        return false
    }
}
