import Foundation

/// Any JSON value, for command results and rejection details whose shape varies.
public enum JSONValue: Hashable, Sendable, Codable {
    case null
    case bool(Bool)
    case int(Int64)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .int(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else if let value = try? container.decode([String: JSONValue].self) {
            self = .object(value)
        } else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "a number that is not an integer (money and counts are integers)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// The value as compact JSON text with sorted keys.
    public var jsonText: String {
        String(decoding: (try? JSONCoding.encoder.encode(self)) ?? Data("null".utf8), as: UTF8.self)
    }

    /// Every string in this value, with its JSON path (for screening free text).
    public func strings(path: String = "") -> [(path: String, value: String)] {
        switch self {
        case .string(let value): return [(path, value)]
        case .array(let items):
            return items.enumerated().flatMap { $0.element.strings(path: "\(path)[\($0.offset)]") }
        case .object(let members):
            return members.sorted { $0.key < $1.key }.flatMap {
                $0.value.strings(path: path.isEmpty ? $0.key : "\(path).\($0.key)")
            }
        default: return []
        }
    }

    /// Every object key in this value, with its path.
    public func keys(path: String = "") -> [(path: String, key: String)] {
        switch self {
        case .array(let items):
            return items.enumerated().flatMap { $0.element.keys(path: "\(path)[\($0.offset)]") }
        case .object(let members):
            return members.sorted { $0.key < $1.key }.flatMap { key, value in
                let child = path.isEmpty ? key : "\(path).\(key)"
                return [(child, key)] + value.keys(path: child)
            }
        default: return []
        }
    }

    public subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }
}

/// The encoders and decoders the domain uses: sorted keys, so equal values give equal bytes.
public enum JSONCoding {
    /// Instants are RFC 3339 text in JST with microseconds (DOMAIN.md §6 `Timestamp`), so an
    /// auditor reads them as written and SQL can cast them (`::timestamptz`).
    public static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(RFC3339.format(date))
        }
        return encoder
    }

    public static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = RFC3339.parse(text) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "not an RFC 3339 time with offset, e.g. 2025-03-17T10:00:00+09:00")
            }
            return date
        }
        return decoder
    }

    /// Encodes `value` as compact JSON text.
    public static func text<T: Encodable>(_ value: T) -> String {
        do {
            return String(decoding: try encoder.encode(value), as: UTF8.self)
        } catch {
            preconditionFailure("a domain value failed to encode: \(error)")
        }
    }

    /// Converts an encodable value to a `JSONValue`.
    public static func value<T: Encodable>(_ value: T) -> JSONValue {
        do {
            return try decoder.decode(JSONValue.self, from: try encoder.encode(value))
        } catch {
            preconditionFailure("a domain value failed to convert: \(error)")
        }
    }
}

/// Literals, so results and test fixtures read like the JSON they are.
extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { $1 }))
    }
}
