import Commands

/// One row of a read-model table as a JSON object keyed by its declared columns (what
/// `to_jsonb` reads and `jsonb_populate_recordset` writes).
struct TableRow<Column: ReadModelColumn>: Sendable, Equatable, ExpressibleByDictionaryLiteral {
    /// The values by column name; a missing column is NULL when written.
    private(set) var values: [String: JSONValue]

    init(json values: [String: JSONValue]) { self.values = values }

    init(dictionaryLiteral elements: (Column, JSONValue)...) {
        values = Dictionary(elements.map { ($0.0.name, $0.1) }, uniquingKeysWith: { _, last in last })
    }

    subscript(_ column: Column) -> JSONValue? {
        get { values[column.name] }
        set { values[column.name] = newValue }
    }
}
