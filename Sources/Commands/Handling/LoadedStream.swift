import EventStore
import Foundation

/// One stream loaded for a command: its folded state and the version it was loaded at.
public struct LoadedStream<State: Sendable>: Sendable {
    public var name: StreamName
    public var state: State
    public var version: Int64

    /// The expected version to append with.
    public var expected: ExpectedVersion { .at(version) }
}
