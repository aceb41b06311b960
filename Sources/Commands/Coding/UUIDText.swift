import Foundation

/// The canonical 36-character UUID text (`8-4-4-4-12` hex digits, either case) parsed in place,
/// for the event decoding path; any other text goes through `UUID(uuidString:)`, so it accepts
/// exactly what `UUID(uuidString:)` accepts.
enum UUIDText {
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> UUID? {
        guard bytes.count == 36 else { return UUID(uuidString: String(decoding: bytes, as: UTF8.self)) }
        var raw: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var ok = true
        withUnsafeMutableBytes(of: &raw) { out in
            var index = 0
            for written in 0..<16 {
                if index == 8 || index == 13 || index == 18 || index == 23 {
                    ok = ok && bytes[index] == UInt8(ascii: "-")
                    index += 1
                }
                guard let high = hexValue(bytes[index]), let low = hexValue(bytes[index + 1]) else {
                    ok = false
                    return
                }
                out[written] = high << 4 | low
                index += 2
            }
        }
        return ok ? UUID(uuid: raw) : UUID(uuidString: String(decoding: bytes, as: UTF8.self))
    }

    @inline(__always) private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte &- UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte &- UInt8(ascii: "a") &+ 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte &- UInt8(ascii: "A") &+ 10
        default: nil
        }
    }
}
