import Commands
import EventStore
import Foundation

/// A read-model table whose rows a projection folds in memory as JSON objects keyed by column
/// name: it loads the rows a batch touches in one statement and writes them back in one
/// set-based upsert (`jsonb_populate_recordset`), whatever the batch size.
struct JSONRowTable: Sendable {
    typealias Row = [String: JSONValue]

    let table: String
    /// The key column(s) of the primary key.
    let key: [String]
    /// Every column (for the upsert's SET list).
    let columns: [String]

    func qualified(_ schema: String) -> String { "\(quoteIdentifier(schema)).\(quoteIdentifier(table))" }

    /// Rows whose `column` is one of `values`, as JSON objects.
    func load(_ schema: String, where column: String, in values: [String], on connection: isolated PGConnection) throws
        -> [Row]
    {
        guard !values.isEmpty else { return [] }
        let sql = "SELECT to_jsonb(t)::text FROM \(qualified(schema)) t WHERE \(quoteIdentifier(column))::text = ANY ($1::text[])"
        return try connection.query(sql, [PGTextArray(values)]).rows.compactMap { row in
            let value = try JSONCoding.decoder.decode(JSONValue.self, from: Data(try row.decode(String.self, 0).utf8))
            if case .object(let object) = value { return object }
            return nil
        }
    }

    /// Inserts or replaces `rows` in one statement.
    func upsert(_ rows: [Row], schema: String, on connection: isolated PGConnection) throws {
        guard !rows.isEmpty else { return }
        let target = qualified(schema)
        let settable = columns.filter { !key.contains($0) }.map(quoteIdentifier)
        let sql = """
            INSERT INTO \(target) SELECT * FROM jsonb_populate_recordset(NULL::\(target), $1::jsonb)
            ON CONFLICT (\(key.map(quoteIdentifier).joined(separator: ", "))) DO UPDATE SET
            (\(settable.joined(separator: ", "))) = ROW(\(settable.map { "EXCLUDED.\($0)" }.joined(separator: ", ")))
            """
        try connection.query(sql, [PGJSON(JSONValue.array(rows.map(JSONValue.object)).jsonText)])
    }
}

extension JSONValue {
    /// Text of a string value.
    var text: String? { if case .string(let value) = self { value } else { nil } }
    /// An integer value.
    var integer: Int64? { if case .int(let value) = self { value } else { nil } }
}

/// Optional text as JSON.
func json(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }
