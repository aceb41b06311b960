import EventStore
import Foundation
import TestSupport
import Testing

/// Issue #8 item 8, the part the older tests leave open: the reporting role reads the
/// `projections` schema and nothing else (ARCHITECTURE.md: "reporting (SELECT on projections,
/// with row-level security)"). The application role's append-only events are AppendOnlyTests;
/// statements per payer are ReadModelExamplesTests EX-7.
@Suite("Reliability: privileges")
struct PrivilegeTests {
    /// The error `sql` fails with, or nil when it runs.
    static func failure(_ connection: PGConnection, _ sql: String) async -> DatabaseError? {
        do {
            try await connection.query(sql)
            return nil
        } catch {
            return error
        }
    }

    @Test("the reporting role can read no table, view or sequence outside projections")
    func reportingSeesOnlyProjections() async throws {
        let test = try await TestDatabase.freshStore()
        let admin = try await test.connect()
        try await admin.execute(
            """
            DO $$ BEGIN CREATE ROLE ledger_test_reporter LOGIN IN ROLE ledger_reporting;
            EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$
            """)
        let outside = try await admin.query(
            """
            SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE c.relkind IN ('r', 'v', 'm', 'p', 'f', 'S')
               AND n.nspname NOT IN ('projections', 'pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
             ORDER BY 1
            """
        ).rows.map { try $0.decode(String.self, 0) }
        await admin.close()
        let listed = outside.contains("ledger.events") && outside.contains("ledger.commands")
        #expect(listed, "\(outside)")

        let reporter = try await PGConnection.connect(test.conninfo + " user=ledger_test_reporter")
        defer { Task { await reporter.close() } }
        var readable: [String] = []
        for table in outside {
            let refusal = await Self.failure(reporter, "SELECT 1 FROM \(table) LIMIT 1")
            if refusal?.sqlState != DatabaseError.State.insufficientPrivilege {
                readable.append("\(table): \(refusal.map { "\($0)" } ?? "readable")")
            }
        }
        #expect(readable.isEmpty, "the reporting role can read \(readable)")
        // …while the reporting tables stay readable (credit_statement through its row policy).
        // Not every projections table is for reporting: the mail outbox (addresses) is not.
        var refused: [String] = []
        for table in [
            "projections.coupon_balance", "projections.coupon_history", "projections.coupon_order",
            "projections.application_status", "projections.credit_statement",
        ] {
            if let error = await Self.failure(reporter, "SELECT 1 FROM \(table) LIMIT 1") {
                refused.append("\(table): \(error)")
            }
        }
        #expect(refused.isEmpty, "\(refused)")
        let writes = [
            "INSERT INTO ledger.events (stream_id) VALUES ('x')", "UPDATE projections.coupon_balance SET available = 0",
        ]
        var written: [String] = []
        for statement in writes {
            if await Self.failure(reporter, statement) == nil { written.append(statement) }
        }
        #expect(written.isEmpty, "the reporting role may write: \(written)")
        print(
            "privileges: \(outside.count) relations outside projections refused to reporting, the reporting tables of projections readable"
        )
    }
}
