/// The text format of a configured holiday list, and its parser.
///
/// One date per line as `YYYY-MM-DD`, optionally followed by whitespace and a name. `#` starts
/// a comment that runs to the end of the line. Blank lines are ignored. A date listed twice is
/// an error (it is usually a typo for another date). Example:
///
/// ```
/// # Japan 2028
/// 2028-01-01 元日
/// 2028-01-10 成人の日   # 2nd Monday of January
/// ```
public enum HolidayList {
    /// Parses `text` into holidays, in the order listed.
    public static func parse(_ text: String) throws(HolidayListError) -> [Holiday] {
        var holidays: [Holiday] = []
        var firstLineOfDate: [JSTDate: Int] = [:]
        var lineNumber = 0
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            lineNumber += 1
            var line = Substring(rawLine)
            if lineNumber == 1, line.first == "\u{FEFF}" { line = line.dropFirst() }
            if let hash = line.firstIndex(of: "#") { line = line[..<hash] }
            let fields = line.split(maxSplits: 1, whereSeparator: \.isWhitespace)
            guard let dateText = fields.first else { continue }
            let date: JSTDate
            do {
                date = try JSTDate(parsing: String(dateText), field: "line \(lineNumber)")
            } catch {
                throw HolidayListError(line: lineNumber, problem: .notADate(error.message))
            }
            if let firstLine = firstLineOfDate[date] {
                throw HolidayListError(line: lineNumber, problem: .duplicate(date: date, firstLine: firstLine))
            }
            firstLineOfDate[date] = lineNumber
            let name = fields.count > 1 ? String(fields[1]).trimmingWhitespace() : ""
            holidays.append(Holiday(date: date, name: name))
        }
        return holidays
    }

    /// Renders `holidays` in the list format, one per line in date order, so that
    /// `parse(render(h))` gives back `h` sorted by date.
    public static func render(_ holidays: [Holiday]) -> String {
        holidays.sorted { $0.date < $1.date }
            .map { $0.name.isEmpty ? $0.date.stringValue : "\($0.date.stringValue) \($0.name)" }
            .joined(separator: "\n") + "\n"
    }
}

/// A configured holiday list could not be read; names the line and what was wrong.
public struct HolidayListError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What was wrong on the line.
    public enum Problem: Hashable, Sendable {
        /// The first word of the line is not a `YYYY-MM-DD` date; the text says why.
        case notADate(String)
        /// The date was already listed on `firstLine`.
        case duplicate(date: JSTDate, firstLine: Int)
        /// A CSV row has a date and no name.
        case missingName(JSTDate)
        /// The file is neither UTF-8 nor Shift_JIS.
        case unreadable
    }

    /// The 1-based line number.
    public let line: Int
    /// What was wrong.
    public let problem: Problem

    public var message: String {
        switch problem {
        case .notADate(let reason):
            return "holiday list: \(reason) Each line must start with a date YYYY-MM-DD; '#' starts a comment."
        case .duplicate(let date, let firstLine):
            return "holiday list line \(line): \(date) is already listed on line \(firstLine)."
        case .missingName(let date):
            return "holiday list line \(line): \(date) has no name; each row is date,name."
        case .unreadable:
            return "holiday list: the file is neither UTF-8 nor Shift_JIS text."
        }
    }

    public var description: String { message }
}

extension String {
    func trimmingWhitespace() -> String {
        guard let first = firstIndex(where: { !$0.isWhitespace }), let last = lastIndex(where: { !$0.isWhitespace })
        else { return "" }
        return String(self[first...last])
    }
}
