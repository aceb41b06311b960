/// The SQL type of a read-model column, spelled as PostgreSQL's `information_schema.columns.udt_name`.
public enum SQLType: String, Sendable, Hashable {
    case text, date, jsonb
    case integer = "int4"
    case bigint = "int8"
    case boolean = "bool"
    case timestamptz
    case textArray = "_text"
}
