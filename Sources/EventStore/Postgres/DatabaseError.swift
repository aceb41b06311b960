import CLibPQ
import Foundation

/// An infrastructure failure talking to PostgreSQL.
///
/// It carries the SQLSTATE, so callers branch on codes, never on message text. Its description
/// never contains statement parameters: the server's DETAIL (which quotes key values) is dropped,
/// and for data exceptions (class 22), whose primary message quotes the offending input, only the
/// condition is kept.
public struct DatabaseError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is.
    public enum Kind: Sendable, Hashable {
        /// Could not connect, or the connection broke; the statement may or may not have run.
        case connection
        /// The server refused the statement (see `sqlState`).
        case server
        /// A value in a result could not be decoded into the requested Swift type.
        case decoding
        /// The caller used the API wrongly (e.g. a COPY that the server did not start).
        case usage
        /// No pooled connection became free within the pool's acquire timeout.
        case poolTimeout
    }

    public var kind: Kind
    /// The five-character SQLSTATE, when the server sent one.
    public var sqlState: String?
    /// The constraint named by the server, if any (safe to show: it is our own schema's name).
    public var constraint: String?
    /// A message that is safe to log and show: no parameters, no row values.
    public var message: String

    public init(kind: Kind, sqlState: String? = nil, constraint: String? = nil, message: String) {
        self.kind = kind
        self.sqlState = sqlState
        self.constraint = constraint
        self.message = message
    }

    public var description: String {
        var text = "database error (\(kind)"
        if let sqlState { text += ", SQLSTATE \(sqlState)" }
        if let constraint { text += ", constraint \(constraint)" }
        return text + "): " + message
    }

    // MARK: SQLSTATE rules (the one place the engine classifies server errors)

    /// Whether trying the same work again, on a fresh connection if need be, may succeed:
    /// serialization failures, deadlocks, lost connections and a server shutting down or starting.
    public var isTransient: Bool {
        if kind == .connection { return true }
        guard let sqlState else { return false }
        return sqlState == State.serializationFailure || sqlState == State.deadlockDetected
            || sqlState.hasPrefix(State.connectionExceptionClass)
            || sqlState == State.adminShutdown || sqlState == State.crashShutdown || sqlState == State.cannotConnectNow
    }

    /// Whether this error means the database cannot be reached or is going away (no connection,
    /// a lost one, class 08, or a server shutting down, crashed or starting: 57P01–57P03), as
    /// opposed to a statement the server refused. The pool logs such errors as an outage.
    public var isUnavailable: Bool {
        if kind == .connection { return true }
        guard let sqlState else { return false }
        return sqlState.hasPrefix(State.connectionExceptionClass) || sqlState == State.adminShutdown
            || sqlState == State.crashShutdown || sqlState == State.cannotConnectNow
    }

    /// Whether `error` is (or wraps) a `DatabaseError` that means the database is unavailable.
    public static func isUnavailable(_ error: any Error) -> Bool { unwrap(error)?.isUnavailable == true }

    /// Whether this error shows the session itself is unfit for later work, though libpq still
    /// calls it healthy: a session opened while the database was read-only (25006) stays read-only
    /// after the database is made writable again, and one the server is shutting down or has
    /// cancelled for an administrator (class 57P) is about to go. A pool discards such sessions.
    public var spoilsSession: Bool {
        kind == .connection || sqlState == State.readOnlyTransaction
            || sqlState?.hasPrefix(State.operatorInterventionClass) == true
    }

    /// Whether this is the refusal of a read-only session (25006).
    public var isReadOnly: Bool { sqlState == State.readOnlyTransaction }

    /// The `DatabaseError` inside `error` (itself, or wrapped in an `EventStoreError`), if any.
    public static func unwrap(_ error: any Error) -> DatabaseError? {
        switch error {
        case let error as DatabaseError: error
        case EventStoreError.database(let error): error
        default: nil
        }
    }

    /// Whether `error` is the refusal of a read-only session (SQLSTATE 25006).
    public static func isReadOnly(_ error: any Error) -> Bool { unwrap(error)?.isReadOnly == true }

    /// The well-known SQLSTATEs the engine reacts to.
    public enum State {
        public static let uniqueViolation = "23505"
        public static let insufficientPrivilege = "42501"
        public static let undefinedTable = "42P01"
        public static let appendOnlyViolation = "LD010"
        public static let queryCanceled = "57014"
        /// The session is read-only (`default_transaction_read_only`, a hot standby).
        public static let readOnlyTransaction = "25006"
        /// No space left on the database's disk.
        public static let diskFull = "53100"
        public static let serializationFailure = "40001"
        public static let deadlockDetected = "40P01"
        /// Class 08: the connection failed.
        public static let connectionExceptionClass = "08"
        /// Class 57P: the server is shutting down, crashed, or not yet accepting connections.
        public static let operatorInterventionClass = "57P"
        public static let adminShutdown = "57P01"
        public static let crashShutdown = "57P02"
        public static let cannotConnectNow = "57P03"
        /// Class 22: data exceptions (their messages quote the input, so only the code is kept).
        public static let dataExceptionClass = "22"
    }
}

extension DatabaseError {
    /// Builds the error from a failed result, keeping only what is safe to show.
    init(result: OpaquePointer?, connection: OpaquePointer?) {
        guard let result else {
            self.init(kind: .connection, message: Self.connectionMessage(connection))
            return
        }
        func field(_ code: Int32) -> String? {
            guard let value = PQresultErrorField(result, code) else { return nil }
            return String(cString: value)
        }
        let state = field(Int32(UInt8(ascii: "C")))
        let primary = field(Int32(UInt8(ascii: "M"))) ?? "unknown server error"
        let constraint = field(Int32(UInt8(ascii: "n")))
        let table = field(Int32(UInt8(ascii: "t")))
        var message: String
        if let state, state.hasPrefix(State.dataExceptionClass) {
            message = "invalid input value (data exception \(state))"
        } else {
            message = primary
        }
        if let table, !message.contains(table) { message += " (table \(table))" }
        if state == nil && PQstatus(connection) != CONNECTION_OK {
            self.init(kind: .connection, message: Self.connectionMessage(connection))
        } else {
            self.init(kind: .server, sqlState: state, constraint: constraint, message: message)
        }
    }

    static func connectionMessage(_ connection: OpaquePointer?) -> String {
        guard let connection, let raw = PQerrorMessage(connection) else { return "no connection" }
        let text = String(cString: raw).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? "connection lost" : text
    }
}
