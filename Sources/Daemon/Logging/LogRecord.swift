import Foundation
import Logging

/// One log event as `LedgerLogHandler` writes it: the four keys every line has (`time`, `level`,
/// `component`, `message`) and the metadata as further keys, flattened (a dictionary under `k`
/// becomes keys `k.sub`) and sorted. A metadata key equal to one of the four is written as
/// `meta.<key>`, so the four always mean what docs/operations.md says.
struct LogRecord {
    /// A metadata value: numbers and booleans stay numbers and booleans in JSON.
    indirect enum Value {
        case string(String)
        case number(String)
        case bool(Bool)
        case array([Value])
        case object([(key: String, value: Value)])
    }

    static let stableKeys: Set<String> = ["time", "level", "component", "message"]

    var time: String
    var level: Logger.Level
    var component: String
    var message: String
    var fields: [(key: String, value: Value)]

    init(time: String, level: Logger.Level, component: String, message: String, metadata: Logger.Metadata) {
        self.time = time
        self.level = level
        self.component = component
        self.message = message
        var flat: [String: Value] = [:]
        for (key, value) in metadata {
            Self.flatten(Self.stableKeys.contains(key) ? "meta.\(key)" : key, value, into: &flat)
        }
        fields = flat.sorted { $0.key < $1.key }.map { (key: $0.key, value: $0.value) }
    }

    private static func flatten(_ key: String, _ value: Logger.Metadata.Value, into flat: inout [String: Value]) {
        if case .dictionary(let dictionary) = value {
            for (sub, inner) in dictionary { flatten("\(key).\(sub)", inner, into: &flat) }
        } else {
            flat[key] = Self.value(value)
        }
    }

    static func value(_ value: Logger.Metadata.Value) -> Value {
        switch value {
        case .string(let text): return .string(text)
        case .stringConvertible(let convertible):
            switch convertible {
            case let flag as Bool: return .bool(flag)
            case let integer as any BinaryInteger: return .number("\(integer)")
            case let number as Double where number.isFinite: return .number("\(number)")
            case let number as Float where number.isFinite: return .number("\(number)")
            default: return .string(convertible.description)
            }
        case .array(let values): return .array(values.map(Self.value))
        case .dictionary(let dictionary):
            return .object(dictionary.sorted { $0.key < $1.key }.map { (key: $0.key, value: Self.value($0.value)) })
        }
    }

    // MARK: Time

    /// Now as RFC 3339 in UTC with microseconds, e.g. `2026-12-02T06:02:17.123456Z`.
    static func now() -> String {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return timestamp(seconds: Int(spec.tv_sec), microseconds: Int(spec.tv_nsec) / 1000)
    }

    static func timestamp(seconds: Int, microseconds: Int) -> String {
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        func padded(_ value: Int32, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(padded(parts.tm_year + 1900, 4))-\(padded(parts.tm_mon + 1, 2))-\(padded(parts.tm_mday, 2))T"
            + "\(padded(parts.tm_hour, 2)):\(padded(parts.tm_min, 2)):\(padded(parts.tm_sec, 2))."
            + "\(padded(Int32(microseconds), 6))Z"
    }
}
