/// A read-model table's name, primary key and column types; columns not listed in `types` are
/// `text`.
public struct ReadModelTable<Column: ReadModelColumn>: Sendable {
    public let name: String
    public let key: [Column]
    private let types: [Column: SQLType]

    public init(_ name: String, key: [Column], types: [SQLType: [Column]]) {
        self.name = name
        self.key = key
        let pairs = types.flatMap { type, columns in columns.map { ($0, type) } }
        self.types = Dictionary(pairs) { first, _ in
            preconditionFailure("\(name): a column is given two types (\(first))")
        }
    }

    public func type(of column: Column) -> SQLType { types[column] ?? .text }
}
