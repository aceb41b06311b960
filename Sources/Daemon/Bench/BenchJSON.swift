import Commands
import Foundation

/// The bench report's JSON: `JSONValue`'s cases plus fractional numbers, so ratios, latencies and
/// sizes are JSON numbers (`"ratio": 0.465`), not strings. Keys are sorted, as `jsonText` sorts them.
indirect enum BenchJSON: Equatable {
    case value(JSONValue)
    /// A number printed with `decimals` digits after the point; null when not finite.
    case number(Double, decimals: Int)
    case array([BenchJSON])
    case object([String: BenchJSON])

    static let null = BenchJSON.value(.null)
    static func int(_ value: Int64) -> BenchJSON { .value(.int(value)) }
    static func string(_ value: String) -> BenchJSON { .value(.string(value)) }

    var jsonText: String {
        switch self {
        case .value(let value): return value.jsonText
        case .number(let value, let decimals):
            guard value.isFinite else { return "null" }
            return String(format: "%.\(decimals)f", value)
        case .array(let items): return "[" + items.map(\.jsonText).joined(separator: ",") + "]"
        case .object(let members):
            return "{"
                + members.sorted { $0.key < $1.key }.map { JSONValue.string($0.key).jsonText + ":" + $0.value.jsonText }
                .joined(separator: ",") + "}"
        }
    }
}
