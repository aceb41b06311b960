import ArgumentParser
import Foundation

/// `ledger config show`: the effective configuration, each setting with its source.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Show the effective configuration.",
        subcommands: [Show.self])

    /// Prints every setting's value and where it came from (flag, environment, file, default),
    /// secrets masked as ********. Takes the same setting flags as the commands, so
    /// `ledger config show --http-port 9000` shows what `ledger serve --http-port 9000` would use.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print every setting's effective value and its source (flag, environment, file, default).",
            discussion: """
                Precedence: command-line flags, then LEDGER_* variables, then the --config file (or \
                LEDGER_CONFIG), then the defaults. Secrets (database and URL passwords, the API token) are \
                printed as ********. Exit 2 when the file cannot be read, is not JSON, has an unknown key, \
                or a value is malformed (reported after the settings are printed). \
                \(EnvironmentHelp.text(EnvironmentHelp.database, Serve.environment, EnvironmentHelp.mail))
                """)

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var serve: ServeOptions
        @OptionGroup var domain: DomainOptions
        @OptionGroup var gateway: GatewayOptions
        @OptionGroup var mail: MailOptions
        @Flag(help: "Print one JSON object") var json = false

        /// `--json`: the file read and each setting by key.
        struct Report: Encodable {
            struct File: Encodable {
                var path: String
                var source: String
            }
            struct Entry: Encodable {
                var value: ShownValue?
                var source: String
                /// The flag, variable or file path the value came from (absent for defaults).
                var from: String?
                var note: String?
            }
            var file: File?
            var settings: [String: Entry]
        }

        /// A value as `--json` prints it: numbers as numbers, chamber names as an object.
        enum ShownValue: Encodable {
            case text(String)
            case number(Double)
            case names([String: String])

            func encode(to encoder: any Encoder) throws {
                var container = encoder.singleValueContainer()
                switch self {
                case .text(let text): try container.encode(text)
                case .number(let number):
                    if number == number.rounded(), abs(number) < 1e15 {
                        try container.encode(Int64(number))
                    } else {
                        try container.encode(number)
                    }
                case .names(let names): try container.encode(names)
                }
            }
        }

        func run() throws {
            let settings = try database.settings(serve, domain, gateway, mail)
            if json {
                try printJSON(report(settings))
            } else {
                print(text(settings), terminator: "")
            }
            try check(settings)
        }

        /// Runs every setting's own check after printing, so that `config show` refuses (exit 2,
        /// naming the setting and its source) what a command would.
        func check(_ settings: Settings) throws {
            _ = try settings.listenAddress()
            _ = try settings.readyMaximumLagSeconds()
            _ = try settings.chambers()
            _ = try settings.gateway()
            _ = try settings.inquiry()
            _ = try settings.mail(systemDefault: false)
        }

        func from(_ value: ResolvedSetting) -> String? {
            switch value.source {
            case .flag: "--" + (value.setting.flag ?? value.setting.key)
            case .environment: value.setting.environment
            case .file(let path): path
            case .defaultValue, .unset: nil
            }
        }

        func report(_ settings: Settings) -> Report {
            var entries: [String: Report.Entry] = [:]
            for setting in Setting.allCases {
                let value = settings[setting]
                let shown: ShownValue? =
                    switch setting.kind {
                    case _ where value.values.isEmpty: nil
                    case .integer, .number: value.text.flatMap(Double.init).map(ShownValue.number)
                    case .names:
                        .names(
                            Dictionary(
                                value.values.map { entry in
                                    let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
                                    return (parts[0], Redaction.display(parts.count > 1 ? parts[1] : "", for: setting))
                                }, uniquingKeysWith: { _, last in last }))
                    case .text: value.shown.map(ShownValue.text)
                    }
                entries[setting.key] = Report.Entry(
                    value: shown, source: value.source.name, from: from(value),
                    note: value.values.isEmpty ? setting.defaultNote : nil)
            }
            return Report(
                file: settings.file.map { .init(path: $0.path, source: $0.source.name) }, settings: entries)
        }

        func text(_ settings: Settings) -> String {
            var lines = [
                "configuration file: "
                    + (settings.file.map {
                        "\($0.path) (\($0.source == .flag ? "--config" : Settings.fileVariable))"
                    } ?? "none")
            ]
            let rows = Setting.allCases.map { setting in
                let value = settings[setting]
                let shown =
                    value.values.isEmpty
                    ? setting.defaultNote ?? "none"
                    : value.values.map { Redaction.display($0, for: setting) }.joined(separator: ", ")
                let source = [value.source.name, from(value)].compactMap { $0 }.joined(separator: " ")
                return [setting.key, shown, source]
            }
            let widths = (0..<2).map { column in rows.map { TextTable.width($0[column]) }.max() ?? 0 }
            lines += rows.map { row in
                TextTable.pad(row[0], widths[0]) + "  " + TextTable.pad(row[1], widths[1]) + "  " + row[2]
            }
            return lines.joined(separator: "\n") + "\n"
        }
    }
}
