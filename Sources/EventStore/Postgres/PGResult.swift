import CLibPQ

/// The rows of a completed statement, in text format.
///
/// A `PGresult` is immutable once libpq hands it over and libpq documents it as safe to read from
/// any thread, which is why this wrapper is `Sendable`. It frees the result when released.
public final class PGResult: @unchecked Sendable {
    private let handle: OpaquePointer
    /// Number of rows returned.
    public let rowCount: Int
    /// Number of columns per row.
    public let columnCount: Int

    init(_ handle: OpaquePointer) {
        self.handle = handle
        self.rowCount = Int(PQntuples(handle))
        self.columnCount = Int(PQnfields(handle))
    }

    deinit { PQclear(handle) }

    /// The number of rows an INSERT/UPDATE/DELETE affected (0 when not applicable).
    public var affectedRows: Int {
        guard let text = PQcmdTuples(handle) else { return 0 }
        return Int(String(cString: text)) ?? 0
    }

    /// The name of column `column`.
    public func columnName(_ column: Int) -> String {
        String(cString: PQfname(handle, Int32(column)))
    }

    /// The column's index by name, or nil.
    public func columnIndex(_ name: String) -> Int? {
        let index = Int(PQfnumber(handle, name))
        return index < 0 ? nil : index
    }

    /// The raw text of one cell, nil for SQL NULL.
    public func text(row: Int, column: Int) -> String? {
        precondition(row < rowCount && column < columnCount, "cell (\(row), \(column)) out of range")
        if PQgetisnull(handle, Int32(row), Int32(column)) != 0 { return nil }
        return String(cString: PQgetvalue(handle, Int32(row), Int32(column)))
    }

    /// Whether one cell is SQL NULL.
    public func isNull(row: Int, column: Int) -> Bool {
        precondition(row < rowCount && column < columnCount, "cell (\(row), \(column)) out of range")
        return PQgetisnull(handle, Int32(row), Int32(column)) != 0
    }

    /// Calls `body` with the raw bytes of one cell (the server's text output, no terminating NUL),
    /// nil for SQL NULL, without copying them into a `String`. The bytes belong to this result:
    /// they are valid only inside `body`.
    public func withBytes<T, E: Error>(
        row: Int, column: Int, _ body: (UnsafeBufferPointer<UInt8>?) throws(E) -> T
    ) throws(E) -> T {
        precondition(row < rowCount && column < columnCount, "cell (\(row), \(column)) out of range")
        let r = Int32(row)
        let c = Int32(column)
        if PQgetisnull(handle, r, c) != 0 { return try body(nil) }
        let length = Int(PQgetlength(handle, r, c))
        let start = UnsafeRawPointer(PQgetvalue(handle, r, c)!).assumingMemoryBound(to: UInt8.self)
        defer { withExtendedLifetime(self) {} }
        return try body(UnsafeBufferPointer(start: start, count: length))
    }

    /// The rows, for iteration.
    public var rows: [PGRow] { (0..<rowCount).map { PGRow(result: self, index: $0) } }

    /// The single row of a statement that must return exactly one.
    public func singleRow() throws(DatabaseError) -> PGRow {
        guard rowCount == 1 else {
            throw DatabaseError(kind: .decoding, message: "expected exactly one row, got \(rowCount)")
        }
        return PGRow(result: self, index: 0)
    }
}

/// One row of a `PGResult`, with typed access to its cells.
public struct PGRow: Sendable {
    public let result: PGResult
    public let index: Int

    /// Decodes column `column`; throws on NULL or on text the type cannot hold.
    public func decode<T: PGDecodable>(_ type: T.Type, _ column: Int) throws(DatabaseError) -> T {
        guard let text = result.text(row: index, column: column) else {
            throw DatabaseError(
                kind: .decoding, message: "column \(result.columnName(column)) is NULL, expected \(T.self)")
        }
        guard let value = T(pgText: text) else {
            throw DatabaseError(
                kind: .decoding, message: "column \(result.columnName(column)) does not hold a \(T.self)")
        }
        return value
    }

    /// Decodes column `column`, nil for NULL.
    public func decodeIfPresent<T: PGDecodable>(_ type: T.Type, _ column: Int) throws(DatabaseError) -> T? {
        guard result.text(row: index, column: column) != nil else { return nil }
        return try decode(type, column)
    }

    /// Decodes the column named `name`.
    public func decode<T: PGDecodable>(_ type: T.Type, _ name: String) throws(DatabaseError) -> T {
        guard let column = result.columnIndex(name) else {
            throw DatabaseError(kind: .decoding, message: "no column named \(name)")
        }
        return try decode(type, column)
    }

    /// Decodes the column named `name`, nil for NULL.
    public func decodeIfPresent<T: PGDecodable>(_ type: T.Type, _ name: String) throws(DatabaseError) -> T? {
        guard let column = result.columnIndex(name) else {
            throw DatabaseError(kind: .decoding, message: "no column named \(name)")
        }
        return try decodeIfPresent(type, column)
    }
}
