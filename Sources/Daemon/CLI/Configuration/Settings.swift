import ArgumentParser
import Foundation

/// Where a setting's value came from, highest precedence first.
enum SettingSource: Sendable, Equatable {
    case flag
    case environment
    case file(path: String)
    case defaultValue
    case unset

    /// `flag`, `environment`, `file`, `default` or `unset` (`config show --json`).
    var name: String {
        switch self {
        case .flag: "flag"
        case .environment: "environment"
        case .file: "file"
        case .defaultValue: "default"
        case .unset: "unset"
        }
    }
}

/// One setting's effective value: one text for most, the `id=name` entries for chamber names.
struct ResolvedSetting: Sendable {
    let setting: Setting
    let values: [String]
    let source: SettingSource

    var text: String? { values.first }

    /// How a message names where the value came from: `--http-port`, `LEDGER_HTTP_PORT`,
    /// `serve.httpPort in /etc/ledger/ledger.json`, or `the default serve.httpPort`.
    var origin: String {
        switch source {
        case .flag: "--" + (setting.flag ?? setting.key)
        case .environment: setting.environment
        case .file(let path): "\(setting.key) in \(path)"
        case .defaultValue, .unset: "the default \(setting.key)"
        }
    }

    /// The value as it may be printed (secrets masked).
    var shown: String? { text.map { Redaction.display($0, for: setting) } }
}

/// A command-line option group that gives values of settings (nil or empty: not given).
protocol SettingFlags {
    var flagValues: [Setting: [String]] { get }
}

/// The effective configuration of a run: for every setting its value and source, resolved once
/// by `resolve`, the one place where the precedence flag > environment > file > default is applied.
struct Settings: Sendable {
    /// The configuration file read, and whether `--config` or `LEDGER_CONFIG` named it.
    let file: (path: String, source: SettingSource)?
    private let resolved: [Setting: ResolvedSetting]

    static let fileVariable = "LEDGER_CONFIG"

    subscript(_ setting: Setting) -> ResolvedSetting {
        resolved[setting] ?? ResolvedSetting(setting: setting, values: [], source: .unset)
    }

    /// Applies the precedence. A source that gives an empty value gives none (`LEDGER_X=` in an
    /// environment file leaves X to the file or the default); a list is taken whole from the
    /// highest source that has one, never merged.
    static func resolve(
        flags: [Setting: [String]], environment: [String: String], file: ConfigurationFile?,
        fileSource: SettingSource = .flag
    ) -> Settings {
        var resolved: [Setting: ResolvedSetting] = [:]
        for setting in Setting.allCases {
            let candidates: [(values: [String], source: SettingSource)] = [
                (flags[setting] ?? [], .flag),
                (
                    environment[setting.environment].map { variable in
                        setting.kind == .names
                            ? variable.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                            : [variable]
                    } ?? [], .environment
                ),
                (file?.values[setting] ?? [], file.map { .file(path: $0.path) } ?? .unset),
                (setting.defaultValue.map { [$0] } ?? [], .defaultValue),
            ]
            let chosen = candidates.first { !$0.values.filter { !$0.isEmpty }.isEmpty }
            resolved[setting] = ResolvedSetting(
                setting: setting, values: chosen?.values.filter { !$0.isEmpty } ?? [], source: chosen?.source ?? .unset)
        }
        return Settings(file: file.map { ($0.path, fileSource) }, resolved: resolved)
    }

    /// Reads the file named by `--config` (else LEDGER_CONFIG, else none) and resolves; registers
    /// the secrets found for `Redaction.scrub`. A file that cannot be read, does not parse or has
    /// an unknown key or a wrong type is a configuration error (exit 2).
    static func load(
        flags: [Setting: [String]], configFile: String?,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> Settings {
        var path = configFile.flatMap { $0.isEmpty ? nil : $0 }
        var fileSource = SettingSource.flag
        if path == nil, let variable = environment[fileVariable], !variable.isEmpty {
            path = variable
            fileSource = .environment
        }
        var file: ConfigurationFile?
        if let path {
            do {
                file = try ConfigurationFile.load(path: path)
            } catch let problem as ConfigurationFile.Problem {
                throw fail(
                    problem.message, error: .configuration,
                    hint: fileSource == .flag
                        ? "see docs/cli.md, Configuration, for the keys"
                        : "the file is named by \(fileVariable); see docs/cli.md, Configuration")
            }
        }
        let settings = resolve(flags: flags, environment: environment, file: file, fileSource: fileSource)
        Redaction.register(settings)
        return settings
    }

    /// The value of a text setting, nil when unset.
    func text(_ setting: Setting) -> String? { self[setting].text }

    /// A whole number in `range`, checked (every numeric setting has a default in the catalog);
    /// `expected` names it in a refusal, e.g. "a whole number of seconds".
    func integer(_ setting: Setting, in range: ClosedRange<Int>, _ expected: String) throws -> Int {
        let value = self[setting]
        guard let text = value.text else { preconditionFailure("\(setting.key) has no default") }
        guard let number = Int(text.trimmingCharacters(in: .whitespaces)), range.contains(number) else {
            let bounds =
                switch (range.lowerBound, range.upperBound) {
                case (Int.min, Int.max): ""
                case (let low, Int.max): " ≥ \(low)"
                case (let low, let high): " in \(low)…\(high)"
                }
            throw invalid(value, expected + bounds)
        }
        return number
    }

    /// A number in `range`, checked (every numeric setting has a default in the catalog).
    func number(_ setting: Setting, in range: ClosedRange<Double>, _ expected: String) throws -> Double {
        let value = self[setting]
        guard let text = value.text else { preconditionFailure("\(setting.key) has no default") }
        guard let number = Double(text.trimmingCharacters(in: .whitespaces)), number.isFinite, range.contains(number)
        else {
            throw invalid(value, "\(expected) in \(Self.plain(range.lowerBound))…\(Self.plain(range.upperBound))")
        }
        return number
    }

    /// Reports a value that does not fit (exit 2; `usage` for a flag, else `configuration`),
    /// naming where it came from and quoting it only when it is no secret.
    func invalid(_ value: ResolvedSetting, _ expected: String) -> ExitCode {
        let quoted = value.shown.map { value.setting.isSecret ? "" : ", not \($0.debugDescription)" } ?? ""
        return fail(
            "\(value.origin) must be \(expected)\(quoted)", error: value.source == .flag ? .usage : .configuration)
    }

    static func plain(_ number: Double) -> String {
        number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number)
    }
}
