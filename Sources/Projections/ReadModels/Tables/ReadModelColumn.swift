/// The columns of one read-model table, declared once as an enum whose cases are the columns in
/// table order (the SQL names are their snake_case forms), with the table (`ReadModelTable`: name, key, types). The upserts'
/// column lists, the rows' keys and the schema test all come from it; `schema/` holds the same
/// table as DDL.
public protocol ReadModelColumn: RawRepresentable, CaseIterable, Hashable, Sendable
where RawValue == String, AllCases == [Self] {
    static var table: ReadModelTable<Self> { get }
}

extension ReadModelColumn {
    /// The table's name (in schema `projections`, or the schema a rebuild or replay writes).
    public static var tableName: String { table.name }
    /// The primary key's columns.
    public static var key: [Self] { table.key }
    /// The column's name in SQL, e.g. `trade_reg_no`.
    public var name: String { Self.table.name(of: self) }
    /// The column's SQL type.
    public var sqlType: SQLType { Self.table.type(of: self) }

    /// The declaration as plain names and types.
    public static var declaration: TableDeclaration {
        TableDeclaration(name: tableName, columns: allCases.map { ($0.name, $0.sqlType) })
    }
}
