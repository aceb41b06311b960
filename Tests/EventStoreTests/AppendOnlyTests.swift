import EventStore
import Foundation
import TestSupport
import Testing

@Suite("append-only enforcement and roles")
struct AppendOnlyTests {
    @Test(
        "UPDATE, DELETE and TRUNCATE on events fail, even for the owner",
        arguments: [
            "UPDATE ledger.events SET data = '{}'::jsonb",
            "DELETE FROM ledger.events",
            "TRUNCATE ledger.events",
            "UPDATE ledger.commands SET fingerprint = 'x'",
            "DELETE FROM ledger.commands",
        ])
    func changesRefused(statement: String) async throws {
        let test = try await TestDatabase.freshStore()
        try await test.store.append(
            [event()], to: stream("cart-a"), expected: .any,
            command: CommandIdentity(commandId: UUID(), fingerprint: "f"))
        let connection = try await test.connect()
        let error = await databaseError { try await connection.execute(statement) }
        #expect(error?.sqlState == DatabaseError.State.appendOnlyViolation)
        #expect(try await eventCount(test) == 1)
        await connection.close()
    }

    @Test("the writer role may insert and read events but not change them")
    func writerRolePrivileges() async throws {
        let test = try await TestDatabase.freshStore()
        let admin = try await test.connect()
        let role = "ledger_test_app"
        try await admin.execute(
            """
            DO $$ BEGIN CREATE ROLE \(role) LOGIN IN ROLE ledger_writer;
            EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$
            """)
        await admin.close()
        let conninfo = test.conninfo + " user=\(role)"
        let writer = PostgresEventStore(pool: ConnectionPool(.init(conninfo: conninfo, maximumConnections: 1)))
        try await writer.append([event()], to: stream("cart-w"), expected: .noStream)
        #expect(try await writer.read(stream: stream("cart-w")).count == 1)
        let connection = try await PGConnection.connect(conninfo)
        #expect(try await connection.query("SELECT current_user").singleRow().decode(String.self, 0) == role)
        for statement in [
            "UPDATE ledger.events SET data = '{}'::jsonb", "DELETE FROM ledger.events",
            "TRUNCATE ledger.events",
        ] {
            let error = await databaseError { try await connection.execute(statement) }
            #expect(error?.sqlState == DatabaseError.State.insufficientPrivilege, "\(statement)")
        }
        await connection.close()
    }

    @Test("append must be the first write of its transaction")
    func appendFirstWrite() async throws {
        let test = try await TestDatabase.freshStore()
        let connection = try await test.connect()
        try await connection.execute("CREATE TABLE scratch (n int)")
        let error = await databaseError {
            try await connection.transaction { connection in
                try connection.query("INSERT INTO scratch VALUES (1)")
                try connection.query(
                    "SELECT ledger.append_events(NULL, $1::jsonb, $2::jsonb)",
                    [
                        PGJSON(#"[{"stream":"cart-a","expected":"any"}]"#),
                        PGJSON(#"[{"stream":"cart-a","eventId":"\#(UUID().uuidString)","eventType":"X","data":{}}]"#),
                    ])
            }
        }
        #expect(error?.sqlState == "LD020")
        await connection.close()
    }
}
