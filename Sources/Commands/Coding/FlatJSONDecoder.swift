import Foundation

extension JSONCoding {
    /// Decodes a stored event's `data`: through `FlatJSONDecoder` when the payload is a flat object
    /// of plain values (most events, as jsonb prints them), else, and whenever that decoder is
    /// unsure or fails, through `JSONCoding.decoder` itself, so results and errors are
    /// `JSONDecoder`'s. Replaying and projecting decode every event, and `JSONDecoder`'s general
    /// machinery was most of a catch-up's time.
    public static func decodeEvent<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        if let value = FlatJSONDecoder.decode(type, from: data) { return value }
        return try decoder.decode(type, from: data)
    }
}

/// A `Decoder` for one JSON object whose values are strings without escapes, integers, booleans
/// or null (no nested objects or arrays). It answers only what it is sure `JSONDecoder` answers the
/// same way: anything else (an escape, a fraction or exponent, a nested value, a `Date`, `Data`,
/// `URL` or `Decimal`, a duplicate key, a nested container) makes `decode` return nil, and the
/// caller uses `JSONDecoder`. It returns nil on every error too, so errors come from `JSONDecoder`.
enum FlatJSONDecoder {
    static func decode<T: Decodable>(_ type: T.Type, from data: Data) -> T? {
        if type == Date.self || type == Data.self || type == URL.self || type == Decimal.self { return nil }
        guard let fields = data.withUnsafeBytes({ scan($0.assumingMemoryBound(to: UInt8.self)) }) else {
            return nil
        }
        return try? T(from: ObjectDecoder(fields: fields, codingPath: []))
    }

    enum Value {
        case string(String)
        case integer(Int64)
        case bool(Bool)
        case null
    }

    struct Unsupported: Error {}

    /// The members of a flat object, in order; nil when the text is anything else.
    static func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> [(key: String, value: Value)]? {
        var index = 0
        let count = bytes.count
        func skipSpace() {
            while index < count,
                bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09
            {
                index += 1
            }
        }
        func string() -> String? {
            guard index < count, bytes[index] == UInt8(ascii: "\"") else { return nil }
            index += 1
            let start = index
            while index < count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") { break }
                if byte == UInt8(ascii: "\\") || byte < 0x20 { return nil }
                index += 1
            }
            guard index < count else { return nil }
            let text = String(validating: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
            index += 1
            return text
        }
        func literal(_ word: StaticString) -> Bool {
            let length = word.utf8CodeUnitCount
            guard index + length <= count else { return false }
            for offset in 0..<length where bytes[index + offset] != word.utf8Start[offset] { return false }
            index += length
            return true
        }
        func integer() -> Int64? {
            var negative = false
            if index < count, bytes[index] == UInt8(ascii: "-") {
                negative = true
                index += 1
            }
            let start = index
            var value: Int64 = 0
            while index < count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                value = value &* 10 &+ Int64(bytes[index] - 0x30)
                index += 1
            }
            let digits = index - start
            // Plain integers only: no leading zero, "-0", fraction or exponent; 18 digits cannot overflow.
            guard digits >= 1, digits <= 18, !(digits > 1 && bytes[start] == 0x30), !(negative && value == 0) else {
                return nil
            }
            if index < count, bytes[index] == UInt8(ascii: ".") || bytes[index] | 0x20 == UInt8(ascii: "e") {
                return nil
            }
            return negative ? -value : value
        }
        var fields: [(key: String, value: Value)] = []
        fields.reserveCapacity(8)
        skipSpace()
        guard index < count, bytes[index] == UInt8(ascii: "{") else { return nil }
        index += 1
        skipSpace()
        if index < count, bytes[index] == UInt8(ascii: "}") {
            index += 1
        } else {
            while true {
                skipSpace()
                guard let key = string() else { return nil }
                skipSpace()
                guard index < count, bytes[index] == UInt8(ascii: ":") else { return nil }
                index += 1
                skipSpace()
                guard index < count else { return nil }
                let value: Value
                switch bytes[index] {
                case UInt8(ascii: "\""):
                    guard let text = string() else { return nil }
                    value = .string(text)
                case UInt8(ascii: "t"):
                    guard literal("true") else { return nil }
                    value = .bool(true)
                case UInt8(ascii: "f"):
                    guard literal("false") else { return nil }
                    value = .bool(false)
                case UInt8(ascii: "n"):
                    guard literal("null") else { return nil }
                    value = .null
                default:
                    guard let number = integer() else { return nil }
                    value = .integer(number)
                }
                if fields.contains(where: { $0.key == key }) { return nil }
                fields.append((key, value))
                skipSpace()
                guard index < count else { return nil }
                if bytes[index] == UInt8(ascii: ",") {
                    index += 1
                    continue
                }
                guard bytes[index] == UInt8(ascii: "}") else { return nil }
                index += 1
                break
            }
        }
        skipSpace()
        return index == count ? fields : nil
    }

    struct ObjectDecoder: Decoder {
        let fields: [(key: String, value: Value)]
        let codingPath: [any CodingKey]
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
            KeyedDecodingContainer(Keyed(fields: fields, codingPath: codingPath))
        }
        func unkeyedContainer() throws -> any UnkeyedDecodingContainer { throw Unsupported() }
        func singleValueContainer() throws -> any SingleValueDecodingContainer { throw Unsupported() }
    }

    struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let fields: [(key: String, value: Value)]
        let codingPath: [any CodingKey]
        var allKeys: [Key] { fields.compactMap { Key(stringValue: $0.key) } }

        func value(_ key: Key) throws -> Value {
            guard let field = fields.first(where: { $0.key == key.stringValue }) else { throw Unsupported() }
            return field.value
        }
        func contains(_ key: Key) -> Bool { fields.contains { $0.key == key.stringValue } }
        func decodeNil(forKey key: Key) throws -> Bool {
            if case .null = try value(key) { return true }
            return false
        }
        func single(_ key: Key) throws -> SingleValue {
            SingleValue(value: try value(key), codingPath: codingPath + [key])
        }
        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try single(key).decode(type) }
        func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try single(key).decode(type) }
        func decode(_ type: String.Type, forKey key: Key) throws -> String { try single(key).decode(type) }
        func decode(_ type: Double.Type, forKey key: Key) throws -> Double { throw Unsupported() }
        func decode(_ type: Float.Type, forKey key: Key) throws -> Float { throw Unsupported() }
        func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try single(key).decode(type) }
        func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try single(key).decode(type) }
        func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try single(key).decode(type) }
        func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try single(key).decode(type) }
        func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try single(key).decode(type) }
        func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try single(key).decode(type) }
        func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try single(key).decode(type) }
        func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try single(key).decode(type) }
        func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try single(key).decode(type) }
        func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try single(key).decode(type) }
        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
            -> KeyedDecodingContainer<NestedKey>
        { throw Unsupported() }
        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer { throw Unsupported() }
        func superDecoder() throws -> any Decoder { throw Unsupported() }
        func superDecoder(forKey key: Key) throws -> any Decoder { throw Unsupported() }
    }

    /// One plain value, as the decoder of a nested `Decodable` and as its single-value container.
    struct SingleValue: Decoder, SingleValueDecodingContainer {
        let value: Value
        let codingPath: [any CodingKey]
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
            throw Unsupported()
        }
        func unkeyedContainer() throws -> any UnkeyedDecodingContainer { throw Unsupported() }
        func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

        func decodeNil() -> Bool { if case .null = value { true } else { false } }
        func decode(_ type: Bool.Type) throws -> Bool {
            guard case .bool(let flag) = value else { throw Unsupported() }
            return flag
        }
        func decode(_ type: String.Type) throws -> String {
            guard case .string(let text) = value else { throw Unsupported() }
            return text
        }
        func decode(_ type: Double.Type) throws -> Double { throw Unsupported() }
        func decode(_ type: Float.Type) throws -> Float { throw Unsupported() }
        func integer<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
            guard case .integer(let number) = value, let exact = T(exactly: number) else { throw Unsupported() }
            return exact
        }
        func decode(_ type: Int.Type) throws -> Int { try integer(type) }
        func decode(_ type: Int8.Type) throws -> Int8 { try integer(type) }
        func decode(_ type: Int16.Type) throws -> Int16 { try integer(type) }
        func decode(_ type: Int32.Type) throws -> Int32 { try integer(type) }
        func decode(_ type: Int64.Type) throws -> Int64 { try integer(type) }
        func decode(_ type: UInt.Type) throws -> UInt { try integer(type) }
        func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(type) }
        func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(type) }
        func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(type) }
        func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(type) }
        func decode<T: Decodable>(_ type: T.Type) throws -> T {
            // JSONDecoder decodes these its own way (strategies), not through their Decodable.
            if type == Date.self || type == Data.self || type == URL.self || type == Decimal.self {
                throw Unsupported()
            }
            switch type {
            case is String.Type: return try decode(String.self) as! T
            case is Bool.Type: return try decode(Bool.self) as! T
            case is Int.Type: return try decode(Int.self) as! T
            case is Int32.Type: return try decode(Int32.self) as! T
            case is Int64.Type: return try decode(Int64.self) as! T
            case is UUID.Type:
                // UUID's own init(from:) is UUID(uuidString:) of the string, which on Linux goes
                // through sscanf; UUIDText.parse accepts exactly the same texts.
                var text = try decode(String.self)
                guard let uuid = text.withUTF8(UUIDText.parse) else { throw Unsupported() }
                return uuid as! T
            default: return try T(from: self)
            }
        }
    }
}
