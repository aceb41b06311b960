import EventStore
import Foundation
import TestSupport
import Testing

@testable import Projections

/// The columns each read model declares in code (`ReadModelColumn`) are the columns the migrations
/// create: same tables, same names in the same order, same types.
@Suite("Read-model declarations match the migrated schema")
struct ReadModelSchemaTests {
    typealias Columns = [(name: String, type: String)]

    @Test("every declared table and column is in information_schema, and every projections table is declared")
    func declaredColumnsMatchTheDatabase() async throws {
        let migrated = try await Self.migratedColumns()
        for difference in Self.differences(TableDeclaration.all, migrated) { Issue.record("\(difference)") }
    }

    @Test("a wrong declaration is reported by table and column")
    func differencesNameTableAndColumn() {
        let migrated: [String: Columns] = [
            "coupon_balance": [("trade_reg_no", "text"), ("available", "int4"), ("position", "int8")],
            "extra": [("id", "text")],
        ]
        let declared = [
            TableDeclaration(
                name: "coupon_balance",
                columns: [
                    ("trade_reg_no", .text), ("available", .bigint),
                    ("pending", .integer), ("position", .bigint),
                ]),
            TableDeclaration(name: "missing", columns: [("id", .text)]),
        ]
        #expect(
            Self.differences(declared, migrated) == [
                "table projections.extra is in the schema but no read model declares it",
                "projections.coupon_balance.available is int4 in the schema, declared int8",
                "projections.coupon_balance.pending is declared but not in the schema",
                "projections.coupon_balance: declared column order trade_reg_no, available, pending, position; "
                    + "the table's trade_reg_no, available, position",
                "table projections.missing is declared but not in the migrated schema",
            ])
        #expect(
            Self.differences([TableDeclaration(name: "extra", columns: [("id", .text)])], ["extra": [("id", "text")]])
                .isEmpty)
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

    /// The base tables of schema `projections` in a freshly migrated database, with their
    /// columns in order and their `udt_name`s.
    static func migratedColumns() async throws -> [String: Columns] {
        let connection = try await PGConnection.connect(try await TestDatabase.migratedDatabase())
        let result = try await connection.query(
            """
            SELECT c.table_name, c.column_name, c.udt_name FROM information_schema.columns c
              JOIN information_schema.tables t USING (table_schema, table_name)
             WHERE c.table_schema = 'projections' AND t.table_type = 'BASE TABLE'
             ORDER BY c.table_name, c.ordinal_position
            """)
        await connection.close()
        var migrated: [String: Columns] = [:]
        for row in result.rows {
            migrated[try row.decode(String.self, 0), default: []]
                .append((try row.decode(String.self, 1), try row.decode(String.self, 2)))
        }
        return migrated
    }

    /// Every difference between the declarations and the schema, naming table and column.
    static func differences(_ declarations: [TableDeclaration], _ migrated: [String: Columns]) -> [String] {
        var found: [String] = []
        let declaredNames = Set(declarations.map(\.name))
        for table in migrated.keys.sorted() where !declaredNames.contains(table) {
            found.append("table projections.\(table) is in the schema but no read model declares it")
        }
        for declaration in declarations {
            guard let columns = migrated[declaration.name] else {
                found.append("table projections.\(declaration.name) is declared but not in the migrated schema")
                continue
            }
            let table = "projections.\(declaration.name)"
            let inSchema = Dictionary(uniqueKeysWithValues: columns.map { ($0.name, $0.type) })
            let inCode = Set(declaration.columns.map(\.name))
            for column in declaration.columns {
                guard let type = inSchema[column.name] else {
                    found.append("\(table).\(column.name) is declared but not in the schema")
                    continue
                }
                if type != column.type.rawValue {
                    found.append("\(table).\(column.name) is \(type) in the schema, declared \(column.type.rawValue)")
                }
            }
            for column in columns where !inCode.contains(column.name) {
                found.append("\(table).\(column.name) is in the schema but not declared")
            }
            let declaredOrder = declaration.columns.map(\.name)
            let schemaOrder = columns.map(\.name)
            if declaredOrder != schemaOrder {
                found.append(
                    "\(table): declared column order \(declaredOrder.joined(separator: ", ")); "
                        + "the table's \(schemaOrder.joined(separator: ", "))")
            }
        }
        return found
    }
}
