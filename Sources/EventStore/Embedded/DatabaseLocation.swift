import Foundation

/// Where the `ledger` commands find their database: an explicit connection string (flag or
/// `LEDGER_DATABASE_URL`), else the embedded cluster under `./.ledger/`.
public enum DatabaseLocation: Sendable {
    case url(String)
    case embedded(root: URL)

    /// The location from a flag value, then the environment, then the embedded default.
    public static func resolve(flag: String?, environment: [String: String] = ProcessInfo.processInfo.environment)
        -> DatabaseLocation
    {
        if let flag, !flag.isEmpty { return .url(flag) }
        if let url = environment["LEDGER_DATABASE_URL"], !url.isEmpty { return .url(url) }
        let root = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".ledger")
        return .embedded(root: root)
    }

    /// Opens the location: starts the embedded server when needed. Call `close()` on the result
    /// when done, which stops a server this process started.
    public func open(database: String = "ledger") throws -> OpenDatabase {
        switch self {
        case .url(let url):
            return OpenDatabase(conninfo: url, embedded: nil)
        case .embedded(let root):
            let running = try EmbeddedServer(root: root).start(database: database)
            return OpenDatabase(conninfo: running.conninfo(database: database), embedded: running)
        }
    }
}

/// A database ready to connect to, and the embedded server to stop afterwards, if any.
public struct OpenDatabase: Sendable {
    public var conninfo: String
    public var embedded: EmbeddedServer.Running?

    /// Stops the embedded server if this process started it.
    public func close() {
        embedded?.stopIfStartedHere()
    }
}
