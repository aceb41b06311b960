import Foundation

/// A `--config` file: one JSON object of sections, each an object of settings (`Setting.key`),
/// e.g. `{"database": {"url": "…"}, "serve": {"httpPort": 8080}}`. Strict: an unknown section or
/// key, a value of the wrong JSON type, or text that is not JSON is refused, naming the file and,
/// where it can be found, the line (a typo must not be silently ignored).
struct ConfigurationFile: Sendable {
    let path: String
    /// Each setting the file gives, as text (`Settings` treats every source alike).
    let values: [Setting: [String]]

    /// Why a file was refused; `message` names the file and never quotes a secret.
    struct Problem: Error {
        let message: String
    }

    static func load(path: String) throws -> ConfigurationFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot be read" : "does not exist"
            throw Problem(message: "the configuration file \(path) \(reason)")
        }
        return try parse(data, path: path)
    }

    static func parse(_ data: Data, path: String) throws -> ConfigurationFile {
        let text = String(decoding: data, as: UTF8.self)
        // An empty file (`install /dev/null`, `touch`) gives no settings; it hides no typo.
        if text.allSatisfy(\.isWhitespace) { return ConfigurationFile(path: path, values: [:]) }
        let top: Any
        do {
            top = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw Problem(message: "\(path)\(place(of: error, in: data)): not valid JSON (\(reason(error)))")
        }
        guard let sections = top as? [String: Any] else {
            throw Problem(message: "\(path): the configuration must be one JSON object of sections")
        }
        var values: [Setting: [String]] = [:]
        for (sectionName, content) in sections.sorted(by: { $0.key < $1.key }) {
            guard Setting.sections.contains(sectionName) else {
                throw Problem(
                    message: "\(path)\(line(of: sectionName, in: text)): unknown key \(sectionName.debugDescription) "
                        + "(sections: \(Setting.sections.joined(separator: ", ")))")
            }
            guard let members = content as? [String: Any] else {
                throw Problem(message: "\(path)\(line(of: sectionName, in: text)): \(sectionName) must be an object")
            }
            let known = Setting.allCases.filter { $0.section == sectionName }
            for (name, value) in members.sorted(by: { $0.key < $1.key }) {
                let key = sectionName + "." + name
                guard let setting = Setting(key: key) else {
                    throw Problem(
                        message: "\(path)\(line(of: name, in: text)): unknown key \(key.debugDescription) "
                            + "(known in \(sectionName): \(known.map(\.name).joined(separator: ", ")))")
                }
                guard let parsed = self.value(value, for: setting) else {
                    throw Problem(message: "\(path)\(line(of: name, in: text)): \(key) must be \(expected(setting))")
                }
                values[setting] = parsed
            }
        }
        return ConfigurationFile(path: path, values: values)
    }

    /// The JSON type each kind takes.
    static func expected(_ setting: Setting) -> String {
        switch setting.kind {
        case .text: "a string"
        case .integer: "a whole number"
        case .number: "a number"
        case .names: "an object of chamber id → printed name, e.g. {\"kamikochi\": \"上高地商工会議所\"}"
        }
    }

    /// The value as text, or nil when its JSON type is not the setting's.
    static func value(_ value: Any, for setting: Setting) -> [String]? {
        let number = value as? NSNumber
        let isBool = number.map { String(cString: $0.objCType) == "c" } ?? false
        switch setting.kind {
        case .text:
            return (value as? String).map { [$0] }
        case .integer:
            guard let number, !isBool, number.doubleValue == number.doubleValue.rounded(),
                abs(number.doubleValue) < 1e15
            else { return nil }
            return [String(number.int64Value)]
        case .number:
            guard let number, !isBool, number.doubleValue.isFinite else { return nil }
            return [Settings.plain(number.doubleValue)]
        case .names:
            guard let object = value as? [String: Any] else { return nil }
            var entries: [String] = []
            for (id, name) in object.sorted(by: { $0.key < $1.key }) {
                guard let name = name as? String else { return nil }
                entries.append("\(id)=\(name)")
            }
            return entries
        }
    }

    /// ", line L, column C" from Foundation's "around character N" (a byte offset), or the last
    /// line for an unexpected end; "" when the error names no place.
    static func place(of error: any Error, in data: Data) -> String {
        let description = reason(error)
        if description.contains("end of file") {
            let lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).count
            return ", line \(max(1, lines))"
        }
        guard let marker = description.range(of: "character ") else { return "" }
        let digits = description[marker.upperBound...].prefix { $0.isNumber }
        guard let offset = Int(digits), offset <= data.count else { return "" }
        let before = data.prefix(offset)
        let line = before.filter { $0 == UInt8(ascii: "\n") }.count + 1
        let lineStart = before.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? before.startIndex
        let column = String(decoding: data[lineStart..<before.endIndex], as: UTF8.self).count + 1
        return ", line \(line), column \(column)"
    }

    /// Foundation's description of a parse error, without its domain boilerplate.
    static func reason(_ error: any Error) -> String {
        let nsError = error as NSError
        return (nsError.userInfo[NSDebugDescriptionErrorKey] as? String) ?? nsError.localizedDescription
    }

    /// ", line L" of the first `"name":` in the text, "" when not found.
    static func line(of name: String, in text: String) -> String {
        guard let quoted = text.range(of: "\"\(name)\"") else { return "" }
        return ", line \(text[..<quoted.lowerBound].filter { $0 == "\n" }.count + 1)"
    }
}
