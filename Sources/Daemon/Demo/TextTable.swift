import Commands
import EventStore
import Foundation

/// Plain-text tables and boxes whose columns line up with Japanese text (wide characters take two
/// columns on a terminal).
enum TextTable {
    static func width(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { total, scalar in
            let value = scalar.value
            let wide =
                (0x1100...0x115F).contains(value) || (0x2E80...0xA4CF).contains(value)
                || (0xAC00...0xD7A3).contains(value) || (0xF900...0xFAFF).contains(value)
                || (0xFE30...0xFE4F).contains(value) || (0xFF00...0xFF60).contains(value)
                || (0xFFE0...0xFFE6).contains(value)
            return total + (wide ? 2 : 1)
        }
    }

    static func pad(_ text: String, _ to: Int) -> String {
        text + String(repeating: " ", count: max(0, to - width(text)))
    }

    static func render(_ header: [String], _ rows: [[String]]) -> String {
        let widths = header.indices.map { column in
            ([header[column]] + rows.map { column < $0.count ? $0[column] : "" }).map(width).max() ?? 0
        }
        func line(_ cells: [String]) -> String {
            "  " + zip(cells, widths).map { pad($0, $1) }.joined(separator: " | ") + "\n"
        }
        let rule = "  " + widths.map { String(repeating: "-", count: $0) }.joined(separator: "-+-") + "\n"
        return line(header) + rule + rows.map(line).joined()
    }

    static func box(_ lines: [String]) -> String {
        let inner = lines.map(width).max() ?? 0
        let edge = "  +" + String(repeating: "-", count: inner + 2) + "+\n"
        return edge + lines.map { "  | " + pad($0, inner) + " |\n" }.joined() + edge
    }
}
