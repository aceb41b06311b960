/// The advisory locks of the engine: every namespace (the first key) is defined here, and every
/// Swift call site takes its lock through this type. Two namespaces are taken only inside the
/// schema's functions; their numbers are listed so none is reused.
public struct AdvisoryLock: Sendable, Hashable {
    /// The first key of every advisory lock the engine takes.
    public enum Namespace: Int32, Sendable, CaseIterable {
        /// A stream being appended to (`pg_advisory_xact_lock(1, …)` in schema/0001_event_store.sql).
        case stream = 1
        /// A command id being recorded (`pg_advisory_xact_lock(2, …)` in schema/0001_event_store.sql).
        case command = 2
        /// The migrator: concurrent `ledger migrate` runs wait for each other.
        case migration = 3
        /// A projection's leadership: the worker holding it runs the projection.
        case projectionLeadership = 4
        /// The journal sequencer's leadership.
        case journalSequencer = 5
        /// A projection's batches (shared) against a rebuild's switch (exclusive).
        case projectionBatch = 6
    }

    /// The second key: a number, or a name hashed by the server (`hashtext`).
    public enum Key: Sendable, Hashable {
        case number(Int32)
        case name(String)
    }

    public var namespace: Namespace
    public var key: Key

    public init(_ namespace: Namespace, _ key: Key) {
        self.namespace = namespace
        self.key = key
    }

    /// The migration lock (3, 1).
    public static let migration = AdvisoryLock(.migration, .number(1))
    /// The journal sequencer's leadership (5, 1).
    public static let journalSequencer = AdvisoryLock(.journalSequencer, .number(1))
    /// The leadership of projection `name` (4, hashtext(name)).
    public static func projectionLeadership(_ name: String) -> AdvisoryLock {
        AdvisoryLock(.projectionLeadership, .name(name))
    }
    /// The batch/switch lock of projection `name` (6, hashtext(name)).
    public static func projectionBatch(_ name: String) -> AdvisoryLock { AdvisoryLock(.projectionBatch, .name(name)) }

    /// What to do with the lock.
    public enum Operation: Sendable {
        /// Session lock, waiting for it.
        case lock
        /// Session lock if free now (answers whether it was taken).
        case tryLock
        /// Releases a session lock.
        case unlock
        /// Shared lock until the end of the transaction.
        case sharedForTransaction
    }

    /// The statement for `operation` on this lock, and its parameters.
    public func statement(_ operation: Operation) -> (sql: String, parameters: [(any PGEncodable)?]) {
        let function =
            switch operation {
            case .lock: "pg_advisory_lock"
            case .tryLock: "pg_try_advisory_lock"
            case .unlock: "pg_advisory_unlock"
            case .sharedForTransaction: "pg_advisory_xact_lock_shared"
            }
        switch key {
        case .number(let number): return ("SELECT \(function)($1::int4, $2::int4)", [namespace.rawValue, number])
        case .name(let name): return ("SELECT \(function)($1::int4, hashtext($2))", [namespace.rawValue, name])
        }
    }
}

extension PGConnection {
    /// Runs `operation` on `lock`; answers whether it was taken (or released), true for the kinds
    /// that wait.
    @discardableResult
    public func advisoryLock(_ lock: AdvisoryLock, _ operation: AdvisoryLock.Operation) throws(DatabaseError) -> Bool {
        let (sql, parameters) = lock.statement(operation)
        let result = try query(sql, parameters)
        switch operation {
        case .tryLock, .unlock: return try result.singleRow().decode(Bool.self, 0)
        case .lock, .sharedForTransaction: return true
        }
    }
}
