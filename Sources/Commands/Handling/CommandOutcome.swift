import EventStore
import Foundation

/// The answer to one command (COMMANDS.md "Result"), one JSON line.
public struct CommandOutcome: Sendable {
    /// `ok`, `exists`, `rejected`, or `error` (the database failed: the command may need a retry).
    public enum Status: String, Sendable { case ok, exists, rejected, error }

    public var commandId: UUID?
    public var status: Status
    public var events: [AppendedEvent] = []
    public var result: JSONValue?
    public var error: Rejection?
    /// For `error`: what failed.
    public var failure: String?
    /// For `error`: the error itself, for the log (its SQLSTATE; never sent to the caller).
    public var cause: (any Error)?

    public var jsonValue: JSONValue {
        var object: [String: JSONValue] = [
            "commandId": commandId.map { .string($0.uuidString.lowercased()) } ?? .null,
            "status": .string(status.rawValue),
        ]
        switch status {
        case .ok, .exists:
            object["position"] = events.map(\.position).max().map { .int($0) } ?? .null
            object["events"] = .array(
                events.map {
                    .object([
                        "streamId": .string($0.stream.rawValue), "streamVersion": .int($0.version),
                        "eventType": .string($0.eventType), "globalPosition": .int($0.position),
                    ])
                })
            object["result"] = result ?? .object([:])
        case .rejected:
            let rejection = error ?? Rejection(.invalidCommand, "rejected")
            object["error"] = .object([
                "code": .string(rejection.code.rawValue), "message": .string(rejection.message),
                "details": .object(rejection.details),
            ])
        case .error:
            object["error"] = .object([
                "code": .string("unavailable"),
                "message": .string(failure ?? "the database failed; retry the same command"),
            ])
        }
        return .object(object)
    }

    /// The result as one line of JSON.
    public var jsonLine: String { jsonValue.jsonText }

    /// Why it did not take effect, for the log: the database failure or the rejection.
    public var failureCause: (any Error)? {
        switch status {
        case .ok, .exists: nil
        case .rejected: error ?? Rejection(.invalidCommand, "rejected")
        case .error: cause ?? CommandFailure(description: failure ?? "the database failed")
        }
    }

    /// Whether the command took effect (now or before).
    public var succeeded: Bool { status == .ok || status == .exists }
}

/// A command's failure known only by its text (an outcome built without the error itself).
public struct CommandFailure: Error, Sendable, CustomStringConvertible {
    public var description: String

    public init(description: String) { self.description = description }
}
