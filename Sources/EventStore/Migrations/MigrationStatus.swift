import Foundation

/// How a database's applied migrations compare with the migrations a `Migrator` has: what
/// `ledger migrate --status` prints and what `ledger serve` checks before it starts.
public struct MigrationStatus: Sendable, Codable, Equatable {
    /// A migration recorded in `ledger.schema_migrations`.
    public struct Applied: Sendable, Codable, Equatable {
        public var version: Int
        public var name: String
        /// When it was applied (RFC 3339, UTC).
        public var appliedAt: String
    }

    /// Applied, in version order.
    public var applied: [Applied]
    /// Files not applied yet, in order.
    public var pending: [String]
    /// Applied in the database but absent from the migrations this binary has (a newer binary
    /// migrated the database, or a file was removed).
    public var unknown: [String]
    /// Applied, but the file's bytes differ from what was applied.
    public var changed: [String]
    /// The highest migration this binary has (`0011_…`), nil when it has none.
    public var required: String?

    /// True when every migration is applied, none is unknown and none changed.
    public var current: Bool { pending.isEmpty && unknown.isEmpty && changed.isEmpty }

    /// What is wrong, in one line (empty when current).
    public var problems: String {
        var parts: [String] = []
        if !pending.isEmpty { parts.append("pending: " + pending.joined(separator: ", ")) }
        if !unknown.isEmpty { parts.append("unknown to this ledger: " + unknown.joined(separator: ", ")) }
        if !changed.isEmpty { parts.append("changed after they were applied: " + changed.joined(separator: ", ")) }
        return parts.joined(separator: "; ")
    }
}

extension Migrator {
    /// Compares the database's `ledger.schema_migrations` with this migrator's files (read-only).
    public func status(_ connection: PGConnection) async throws -> MigrationStatus {
        let files = try migrations()
        let exists = try await connection.query("SELECT to_regclass('ledger.schema_migrations') IS NOT NULL")
            .singleRow().decode(Bool.self, 0)
        var recorded: [(applied: MigrationStatus.Applied, checksum: String)] = []
        if exists {
            let rows = try await connection.query(
                """
                SELECT version, name, checksum,
                       to_char(applied_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
                  FROM ledger.schema_migrations ORDER BY version
                """
            ).rows
            for row in rows {
                recorded.append(
                    (
                        MigrationStatus.Applied(
                            version: try row.decode(Int.self, 0), name: try row.decode(String.self, 1),
                            appliedAt: try row.decode(String.self, 3)),
                        try row.decode(String.self, 2)
                    ))
            }
        }
        let byName = Dictionary(recorded.map { ($0.applied.name, $0.checksum) }) { first, _ in first }
        var changed: [String] = []
        for file in files {
            guard let stored = byName[file.name] else { continue }
            if try await checksum(of: file.sql, on: connection) != stored { changed.append(file.name) }
        }
        let names = Set(files.map(\.name))
        return MigrationStatus(
            applied: recorded.map(\.applied),
            pending: files.map(\.name).filter { byName[$0] == nil },
            unknown: recorded.map(\.applied.name).filter { !names.contains($0) },
            changed: changed,
            required: files.last?.name)
    }
}
