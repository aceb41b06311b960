import Commands
import EventStore
import Foundation

/// RFC 4180 CSV with a header row: quoted fields, doubled quotes, CRLF or LF.
enum CSVFile {
    /// The data rows as (line number, column → value), checking the header names `columns`.
    static func read(_ path: String, columns: [String]) throws -> [(Int, [String: String])] {
        guard let data = FileManager.default.contents(atPath: path) else { throw fail("cannot read \(path)") }
        let text = String(decoding: data, as: UTF8.self)
        let records = parse(text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text)
        guard let header = records.first?.1.map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) else {
            throw fail("\(path) is empty: expected a header row \(columns.joined(separator: ","))")
        }
        let missing = columns.filter { !header.contains($0) }
        guard missing.isEmpty else {
            throw fail(
                "\(path): the header lacks \(missing.joined(separator: ", ")); expected \(columns.joined(separator: ","))"
            )
        }
        return records.dropFirst().filter { !($0.1.count == 1 && $0.1[0].isEmpty) }.map { line, fields in
            var row: [String: String] = [:]
            for (index, name) in header.enumerated() where index < fields.count { row[name] = fields[index] }
            return (line, row)
        }
    }

    static func parse(_ text: String) -> [(Int, [String])] {
        var records: [(Int, [String])] = []
        var fields: [String] = []
        var field = ""
        var quoted = false
        var line = 1
        var recordLine = 1
        var iterator = text.makeIterator()
        var pending: Character?
        while let character = pending ?? iterator.next() {
            pending = nil
            if quoted {
                if character == "\"" {
                    if let next = iterator.next() {
                        if next == "\"" {
                            field.append("\"")
                        } else {
                            quoted = false
                            pending = next
                        }
                    } else {
                        quoted = false
                    }
                } else {
                    if character == "\n" || character == "\r\n" { line += 1 }
                    field.append(character)
                }
                continue
            }
            switch character {
            case "\"": quoted = true
            case ",":
                fields.append(field)
                field = ""
            case "\n", "\r\n", "\r":
                fields.append(field)
                records.append((recordLine, fields))
                fields = []
                field = ""
                line += 1
                recordLine = line
            default: field.append(character)
            }
        }
        if !field.isEmpty || !fields.isEmpty {
            fields.append(field)
            records.append((recordLine, fields))
        }
        return records
    }
}
