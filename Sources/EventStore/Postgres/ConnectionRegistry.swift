import Synchronization

/// Counts the process's open database connections by purpose.
///
/// `PGConnection` reports here when it opens and when it closes (or is dropped without closing),
/// so no connection is open uncounted. `ledger serve` exports the counts in `/metrics`.
public final class ConnectionRegistry: Sendable {
    /// The process's registry (every `PGConnection` reports to it).
    public static let shared = ConnectionRegistry()

    private let counts = Mutex<[ConnectionPurpose: Int]>([:])

    init() {}

    func opened(_ purpose: ConnectionPurpose) {
        counts.withLock { $0[purpose, default: 0] += 1 }
    }

    func closed(_ purpose: ConnectionPurpose) {
        counts.withLock { $0[purpose, default: 0] -= 1 }
    }

    /// Open connections for `purpose`.
    public func count(_ purpose: ConnectionPurpose) -> Int {
        counts.withLock { $0[purpose, default: 0] }
    }

    /// Open connections for every purpose (zero included).
    public var snapshot: [ConnectionPurpose: Int] {
        counts.withLock { counts in
            Dictionary(uniqueKeysWithValues: ConnectionPurpose.allCases.map { ($0, counts[$0, default: 0]) })
        }
    }

    /// All open connections.
    public var total: Int { counts.withLock { $0.values.reduce(0, +) } }
}
