import Foundation

/// A holiday file as `ledger calendar import` reads it: the Cabinet Office's published CSV
/// (`国民の祝日月日,国民の祝日名称` or `国民の祝日・休日月日,国民の祝日・休日名称`, dates like
/// `2026/9/22`), in Shift_JIS (as published) or UTF-8, or a `HolidayList` (one `YYYY-MM-DD name`
/// per line). The encoding and the format are detected.
public enum HolidayFile {
    /// The text encoding found.
    public enum Encoding: String, Sendable {
        case utf8 = "UTF-8"
        case shiftJIS = "Shift_JIS"
    }
    /// The layout found.
    public enum Format: String, Sendable {
        case cabinetOfficeCSV = "Cabinet Office CSV"
        case holidayList = "holiday list"
    }

    /// What a file held.
    public struct Contents: Sendable, Hashable {
        public var holidays: [Holiday]
        public var format: Format
        public var encoding: Encoding
    }

    /// The text of `data`: UTF-8 when it is valid UTF-8 (a byte-order mark dropped), else Shift_JIS.
    public static func text(_ data: Data) throws(HolidayListError) -> (String, Encoding) {
        if let text = String(data: data, encoding: .utf8) {
            return (text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text, .utf8)
        }
        if let text = String(data: data, encoding: .shiftJIS) { return (text, .shiftJIS) }
        throw HolidayListError(line: 0, problem: .unreadable)
    }

    /// Reads a holiday file, detecting encoding and format.
    public static func read(_ data: Data) throws(HolidayListError) -> Contents {
        let (text, encoding) = try text(data)
        let firstLine = text.split(whereSeparator: \.isNewline).first { !$0.allSatisfy(\.isWhitespace) }
        if let firstLine, firstLine.hasPrefix("国民の祝日"), firstLine.contains(",") {
            return Contents(holidays: try parseCSV(text), format: .cabinetOfficeCSV, encoding: encoding)
        }
        return Contents(holidays: try HolidayList.parse(text), format: .holidayList, encoding: encoding)
    }

    /// The rows of the Cabinet Office CSV after its header: `YYYY/M/D,name`.
    public static func parseCSV(_ text: String) throws(HolidayListError) -> [Holiday] {
        var holidays: [Holiday] = []
        var firstLineOfDate: [JSTDate: Int] = [:]
        var lineNumber = 0
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            lineNumber += 1
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("国民の祝日") { continue }
            let fields = line.split(separator: ",", maxSplits: 1, omittingEmptySubsequences: false)
            let dateText = fields[0].trimmingCharacters(in: .whitespaces)
            guard let date = slashDate(dateText) else {
                throw HolidayListError(
                    line: lineNumber,
                    problem: .notADate("line \(lineNumber): \(dateText.prefix(20)) is not a date Y/M/D."))
            }
            let name = fields.count > 1 ? fields[1].trimmingCharacters(in: .whitespaces) : ""
            guard !name.isEmpty else { throw HolidayListError(line: lineNumber, problem: .missingName(date)) }
            if let firstLine = firstLineOfDate[date] {
                throw HolidayListError(line: lineNumber, problem: .duplicate(date: date, firstLine: firstLine))
            }
            firstLineOfDate[date] = lineNumber
            holidays.append(Holiday(date: date, name: name))
        }
        return holidays
    }

    /// `2026/9/22` or `2026/09/22`: a four-digit year, a month and a day of one or two digits.
    static func slashDate(_ text: String) -> JSTDate? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, (1...2).contains(parts[1].count), (1...2).contains(parts[2].count),
            parts.allSatisfy({ $0.allSatisfy(\.isASCIIDigit) })
        else { return nil }
        return JSTDate(
            year: ASCIIDigits.value(parts[0]), month: ASCIIDigits.value(parts[1]), day: ASCIIDigits.value(parts[2]))
    }
}
