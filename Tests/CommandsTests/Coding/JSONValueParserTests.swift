import Foundation
import TestSupport
import Testing

@testable import Domain

/// The one-pass JSON parser must give exactly what `JSONDecoder` gives for `JSONValue`, or decline
/// (nil) so that `JSONDecoder` answers: never a different value.
@Suite("JSON value parser")
struct JSONValueParserTests {
    static func reference(_ text: String) -> JSONValue? {
        try? JSONCoding.decoder.decode(JSONValue.self, from: Data(text.utf8))
    }

    static let edgeCases: [String] = [
        #"{}"#, #"[]"#, #"null"#, #"true"#, #"false"#, #"0"#, #"-0"#, #"42"#, #"-9223372036854775808"#,
        #"9223372036854775807"#, #"9223372036854775808"#, #"1.0"#, #"1.5"#, #"1e3"#, #"01"#, #"-"#, #"+1"#,
        #" { "a" : [ 1 , 2 ] , "b" : { } } "#, #"{"a":1,"a":2}"#, #"{"a":1,}"#, #"[1,]"#, #"[1 2]"#,
        #""plain""#, #""\"\\\/\b\f\n\r\t""#, #""\u00e9\u65e5\u672c""#, #""\ud83d\ude00""#, #""\ud83d""#,
        #""\ude00""#, #""\u12""#, #""\x""#, "\"tab\there\"", #""日本語 テキスト""#, #"{"k":"v"} x"#,
        #"{"trade_reg_no":"8888000004","available":6,"allowed_methods":["card","bankTransfer"],"open_order_no":null}"#,
        "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
        "", "   ", #"{"a""#, #"{"a":}"#, #"tru"#, #"nul"#,
    ]

    @Test("edge cases: the parser agrees with JSONDecoder or declines", arguments: edgeCases)
    func edgeCase(_ text: String) {
        let fast = JSONValueParser.parse(text)
        #expect(fast == nil || fast == Self.reference(text), "\(text)")
        #expect((try? JSONValue.decode(jsonText: text)) == Self.reference(text), "\(text)")
    }

    @Test("the rows and envelopes the ledger reads are parsed in one pass")
    func takesTheCommonForms() {
        for text in [
            #"{"trade_reg_no":"8888000004","available":6,"allowed_methods":["card"],"open_order_no":null}"#,
            #"{"command":"AdjustCoupons","commandId":"5b6f1c2e-0d3a-4b8e-9f7a-2c1d0e9b8a7f","delta":-1,"reason":"返却"}"#,
        ] {
            #expect(JSONValueParser.parse(text) != nil, "\(text)")
        }
    }

    /// Random values of every case, printed by `JSONValue.jsonText` and by hand with escapes and
    /// spacing, must parse back to themselves, as JSONDecoder reads them.
    @Test("seeded random values round-trip and agree with JSONDecoder")
    func randomValues() {
        var random = SplitMix64(seed: 20_261_202)
        for _ in 0..<2_000 {
            let value = Self.randomValue(&random, depth: 0)
            let text = value.jsonText
            #expect(JSONValueParser.parse(text) == value, "\(text)")
            #expect(Self.reference(text) == value, "\(text)")
            let spaced = Self.spaced(value, &random)
            #expect(JSONValueParser.parse(spaced) == Self.reference(spaced), "\(spaced)")
        }
    }

    static func randomValue(_ random: inout SplitMix64, depth: Int) -> JSONValue {
        switch Int.random(in: 0..<(depth > 3 ? 4 : 6), using: &random) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &random))
        case 2:
            return .int(
                Int64.random(in: Int64.min...Int64.max, using: &random) >> Int64.random(in: 0...63, using: &random))
        case 3: return .string(randomString(&random))
        case 4:
            return .array(
                (0..<Int.random(in: 0...4, using: &random)).map { _ in randomValue(&random, depth: depth + 1) })
        default:
            var object: [String: JSONValue] = [:]
            for _ in 0..<Int.random(in: 0...4, using: &random) {
                object[randomString(&random)] = randomValue(&random, depth: depth + 1)
            }
            return .object(object)
        }
    }

    static let alphabet: [Character] = Array("az09 \"\\/\n\t\u{01}\u{7F}éの日本😀")

    static func randomString(_ random: inout SplitMix64) -> String {
        String((0..<Int.random(in: 0...8, using: &random)).map { _ in alphabet.randomElement(using: &random)! })
    }

    /// `value` as JSON with random whitespace and every non-ASCII character as a `\u` escape.
    static func spaced(_ value: JSONValue, _ random: inout SplitMix64) -> String {
        let space = [" ", "\n", "\t", "\r", ""].randomElement(using: &random)!
        switch value {
        case .null: return space + "null"
        case .bool(let flag): return space + (flag ? "true" : "false")
        case .int(let number): return space + String(number)
        case .string(let text): return space + escaped(text)
        case .array(let elements):
            return "[" + elements.map { spaced($0, &random) }.joined(separator: space + ",") + space + "]"
        case .object(let members):
            return "{"
                + members.map { escaped($0.key) + space + ":" + spaced($0.value, &random) }
                .joined(separator: ",") + space + "}"
        }
    }

    static func escaped(_ text: String) -> String {
        var out = "\""
        for unit in text.utf16 {
            switch unit {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x20..<0x7F: out.append(Character(Unicode.Scalar(UInt8(unit))))
            default: out += String(format: "\\u%04x", unit)
            }
        }
        return out + "\""
    }
}
