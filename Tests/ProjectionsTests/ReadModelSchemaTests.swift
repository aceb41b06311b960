import EventStore
import Foundation
@testable import Projections
import Testing
import TestSupport

/// The columns each read model declares in code (`ReadModelColumn`) are the columns the migrations
/// create: same tables, same names in the same order, same types.
@Suite("Read-model declarations match the migrated schema")
struct ReadModelSchemaTests {
    @Test("every declared table and column is in information_schema, and every projections table is declared")
    func declaredColumnsMatchTheDatabase() async throws {
        let connection = try await PGConnection.connect(try await TestDatabase.migratedDatabase())
        let result = try await connection.query("""
            SELECT c.table_name, c.column_name, c.udt_name FROM information_schema.columns c
              JOIN information_schema.tables t USING (table_schema, table_name)
             WHERE c.table_schema = 'projections' AND t.table_type = 'BASE TABLE'
             ORDER BY c.table_name, c.ordinal_position
            """)
        await connection.close()
        var migrated: [String: [(name: String, type: String)]] = [:]
        for row in result.rows {
            migrated[try row.decode(String.self, 0), default: []].append((try row.decode(String.self, 1), try row.decode(String.self, 2)))
        }
        let declared = Dictionary(uniqueKeysWithValues: TableDeclaration.all.map { ($0.name, $0) })
        for (table, _) in migrated where declared[table] == nil {
            Issue.record("table projections.\(table) is in the schema but no read model declares it")
        }
        for declaration in TableDeclaration.all {
            guard let columns = migrated[declaration.name] else {
                Issue.record("table projections.\(declaration.name) is declared but not in the migrated schema")
                continue
            }
            let inSchema = Dictionary(uniqueKeysWithValues: columns.map { ($0.name, $0.type) })
            let inCode = Dictionary(uniqueKeysWithValues: declaration.columns.map { ($0.name, $0.type.rawValue) })
            for column in declaration.columns {
                guard let type = inSchema[column.name] else {
                    Issue.record("projections.\(declaration.name).\(column.name) is declared but not in the schema")
                    continue
                }
                if type != column.type.rawValue {
                    Issue.record("projections.\(declaration.name).\(column.name) is \(type) in the schema, declared \(column.type.rawValue)")
                }
            }
            for column in columns where inCode[column.name] == nil {
                Issue.record("projections.\(declaration.name).\(column.name) is in the schema but not declared")
            }
            #expect(declaration.columns.map(\.name) == columns.map(\.name),
                    "projections.\(declaration.name): declared column order differs from the table's")
        }
    }

    @Test("every projection's tables are declared read models")
    func projectionTablesAreDeclared() {
        let declared = Set(TableDeclaration.all.map(\.name))
        for projection in ProjectionCatalog.all {
            for table in projection.tables where !declared.contains(table) {
                Issue.record("projection \(projection.name) writes \(table), which no read model declares")
            }
        }
    }
}
