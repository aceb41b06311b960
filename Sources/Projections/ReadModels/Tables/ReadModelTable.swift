/// A read-model table's name, primary key and column types; columns not listed in `types` are
/// `text`. Column names are the cases' names in snake_case (`tradeRegNo` is `trade_reg_no`), as
/// every table of `schema/` spells them.
public struct ReadModelTable<Column: ReadModelColumn>: Sendable {
    public let name: String
    public let key: [Column]
    private let types: [Column: SQLType]
    private let names: [Column: String]

    public init(_ name: String, key: [Column], types: [SQLType: [Column]]) {
        self.name = name
        self.key = key
        let pairs = types.flatMap { type, columns in columns.map { ($0, type) } }
        self.types = Dictionary(pairs) { first, _ in
            preconditionFailure("\(name): a column is given two types (\(first))")
        }
        names = Dictionary(uniqueKeysWithValues: Column.allCases.map { ($0, Self.snakeCase($0.rawValue)) })
    }

    /// The column's name in SQL.
    public func name(of column: Column) -> String { names[column]! }

    /// `tradeRegNo` → `trade_reg_no`.
    static func snakeCase(_ name: String) -> String {
        var result = ""
        for character in name {
            if character.isUppercase {
                result += "_" + character.lowercased()
            } else {
                result.append(character)
            }
        }
        return result
    }

    public func type(of column: Column) -> SQLType { types[column] ?? .text }
}
