import Commands
import Foundation

/// One data row of an import file, read into a command's typed fields. A value that does not
/// parse is refused with `invalidCommand` naming the command's field and the broken rule, as
/// the handler names it for the same value sent in a JSON line.
struct CSVRow {
    let values: [String: String]

    init(_ values: [String: String]) { self.values = values }

    /// The column's text as is; a column the row lacks is refused (the import used to send null).
    func text(_ column: String, field: String) throws(Rejection) -> String {
        guard let text = values[column] else { throw .invalid(field, "must not be null (expected String)") }
        return text
    }

    /// The column's text, nil when the row lacks the column.
    func optionalText(_ column: String) -> String? { values[column] }

    /// An identifier or date in its canonical text form.
    func value<T: TextFormattedValue>(_ column: String, field: String) throws(Rejection) -> T {
        let text = try text(column, field: field)
        do { return try T(parsing: text, field: field) } catch { throw .invalid(field, error.message) }
    }

    /// One of an enumeration's raw values.
    func choice<T: RawRepresentable<String>>(_ column: String, field: String) throws(Rejection) -> T {
        let text = try text(column, field: field)
        guard let value = T(rawValue: text) else {
            throw .invalid(field, "Cannot initialize \(T.self) from invalid String value \(text)")
        }
        return value
    }

    /// A yen amount written as a JSON integer (digits, an optional leading minus, no leading zero).
    func yen(_ column: String, field: String) throws(Rejection) -> Yen {
        let text = try text(column, field: field)
        let digits = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
        guard !digits.isEmpty, digits.allSatisfy({ $0 >= "0" && $0 <= "9" }), digits == "0" || !digits.hasPrefix("0"),
            let raw = Int64(text)
        else { throw .invalid(field, "has the wrong type (expected Int64)") }
        guard let yen = Yen(exactly: raw) else {
            throw .invalid(field, "\(field) is \(raw), but yen amounts are whole numbers ≥ 0.")
        }
        return yen
    }
}
