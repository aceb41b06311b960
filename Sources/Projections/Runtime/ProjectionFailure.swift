import EventStore
import Foundation
import Logging

/// The event a projection fails at and why: what `ProjectionWorker` records in its checkpoint
/// (`failing`) and logs once, with the event's stream, type and correlation id.
public struct ProjectionFailure: Sendable, Equatable {
    public var position: Int64
    public var stream: String
    public var eventType: String
    /// The correlation id and command id in the event's metadata, when it has them.
    public var correlationId: String?
    public var commandId: String?
    /// The cause (at most 2000 characters).
    public var message: String

    public init(event: RecordedEvent, message: String) {
        position = event.globalPosition
        stream = event.stream.rawValue
        eventType = event.eventType
        let metadata = (try? JSONSerialization.jsonObject(with: Data(event.metadata.utf8))) as? [String: Any]
        correlationId = metadata?["correlationId"] as? String
        commandId = metadata?["commandId"] as? String
        self.message = message
    }

    /// The log's keys for it (docs/operations.md): `stream`, `position`, `eventType`,
    /// `correlationId`, `commandId`, `error`.
    public var logMetadata: Logger.Metadata {
        var metadata: Logger.Metadata = [
            "stream": .string(stream), "position": .stringConvertible(position), "eventType": .string(eventType),
            "error": .string(message),
        ]
        if let correlationId { metadata["correlationId"] = .string(correlationId) }
        if let commandId { metadata["commandId"] = .string(commandId) }
        return metadata
    }
}
