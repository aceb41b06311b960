import Commands
import EventStore
import Foundation

/// A read-model table whose rows a projection folds in memory as JSON objects keyed by column
/// name: it loads the rows a batch touches in one statement and writes them back in one
/// set-based upsert (`jsonb_populate_recordset`), whatever the batch size. Its columns are
/// `Column`'s declaration.
struct JSONRowTable<Column: ReadModelColumn>: Sendable {
    typealias Row = TableRow<Column>

    func qualified(_ schema: String) -> String { "\(quoteIdentifier(schema)).\(quoteIdentifier(Column.tableName))" }

    /// Rows whose `column` is one of `values`, as JSON objects.
    func load(_ schema: String, where column: Column, in values: [String], on connection: isolated PGConnection) throws
        -> [Row]
    {
        guard !values.isEmpty else { return [] }
        let sql =
            "SELECT to_jsonb(t)::text FROM \(qualified(schema)) t WHERE \(quoteIdentifier(column.name))::text = ANY ($1::text[])"
        return try connection.query(sql, [PGTextArray(values)]).rows.compactMap { row in
            let value = try JSONValue.decode(jsonText: try row.decode(String.self, 0))
            if case .object(let object) = value { return Row(json: object) }
            return nil
        }
    }

    /// Inserts or replaces `rows` in one statement.
    func upsert(_ rows: [Row], schema: String, on connection: isolated PGConnection) throws {
        guard !rows.isEmpty else { return }
        let settable = Column.allCases.filter { !Column.key.contains($0) }.map { quoteIdentifier($0.name) }
        let sql = """
            \(insert(schema)) DO UPDATE SET
            (\(settable.joined(separator: ", "))) = ROW(\(settable.map { "EXCLUDED.\($0)" }.joined(separator: ", ")))
            """
        try connection.query(sql, [PGJSON(JSONValue.jsonArray(rows.map(\.values)))])
    }

    /// Inserts the rows whose key is new, in one statement; a row once written stays as it is.
    func insertNew(_ rows: [Row], schema: String, on connection: isolated PGConnection) throws {
        guard !rows.isEmpty else { return }
        try connection.query("\(insert(schema)) DO NOTHING", [PGJSON(JSONValue.jsonArray(rows.map(\.values)))])
    }

    private func insert(_ schema: String) -> String {
        let target = qualified(schema)
        return """
            INSERT INTO \(target) SELECT * FROM jsonb_populate_recordset(NULL::\(target), $1::jsonb)
            ON CONFLICT (\(Column.key.map { quoteIdentifier($0.name) }.joined(separator: ", ")))
            """
    }

}

extension JSONValue {
    /// `objects` as a JSON array, written directly: the statement's parameter, not stored text, so
    /// key order does not matter and `JSONEncoder` (most of a batch's encoding time) is not needed.
    static func jsonArray(_ objects: [[String: JSONValue]]) -> String {
        var out = "["
        out.reserveCapacity(objects.count * 160)
        for (index, object) in objects.enumerated() {
            if index > 0 { out.append(",") }
            JSONValue.object(object).writeJSON(into: &out)
        }
        out.append("]")
        return out
    }

    /// Appends this value as compact JSON (object keys in dictionary order).
    func writeJSON(into out: inout String) {
        switch self {
        case .null: out.append("null")
        case .bool(let value): out.append(value ? "true" : "false")
        case .int(let value): out.append(String(value))
        case .string(let value): Self.writeJSONString(value, into: &out)
        case .array(let items):
            out.append("[")
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(",") }
                item.writeJSON(into: &out)
            }
            out.append("]")
        case .object(let members):
            out.append("{")
            var first = true
            for (key, value) in members {
                if !first { out.append(",") }
                first = false
                Self.writeJSONString(key, into: &out)
                out.append(":")
                value.writeJSON(into: &out)
            }
            out.append("}")
        }
    }

    /// A JSON string literal: `"` and `\` escaped, control characters as `\uXXXX`.
    static func writeJSONString(_ text: String, into out: inout String) {
        out.append("\"")
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            out.append(text)
        } else {
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\"": out.append("\\\"")
                case "\\": out.append("\\\\")
                case "\n": out.append("\\n")
                case "\r": out.append("\\r")
                case "\t": out.append("\\t")
                default:
                    if scalar.value < 0x20 {
                        let hex = String(scalar.value, radix: 16)
                        out.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
                    } else {
                        out.unicodeScalars.append(scalar)
                    }
                }
            }
        }
        out.append("\"")
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
