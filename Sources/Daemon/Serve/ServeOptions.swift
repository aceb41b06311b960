import ArgumentParser
import Foundation

/// The settings only `serve` reads: where it listens, the API token (environment or file only,
/// never a flag) and the lag /health/ready tolerates. Resolved with the other sources in `Settings`.
struct ServeOptions: ParsableArguments, SettingFlags {
    @Option(name: .customLong(Setting.httpHost.flag!), help: ArgumentHelp(Setting.httpHost.help))
    var httpHost: String?

    @Option(name: .customLong(Setting.httpPort.flag!), help: ArgumentHelp(Setting.httpPort.help))
    var httpPort: Int?

    @Option(name: .customLong(Setting.readyMaxLagSeconds.flag!), help: ArgumentHelp(Setting.readyMaxLagSeconds.help))
    var readyMaxLagSeconds: Int?

    var flagValues: [Setting: [String]] {
        [
            .httpHost: httpHost.map { [$0] } ?? [], .httpPort: httpPort.map { [String($0)] } ?? [],
            .readyMaxLagSeconds: readyMaxLagSeconds.map { [String($0)] } ?? [],
        ]
    }
}

extension Settings {
    /// The address and port to listen on.
    func listenAddress() throws -> (host: String, port: Int) {
        let host = text(.httpHost) ?? Setting.httpHost.defaultValue!
        return (host, try integer(.httpPort, in: 0...65_535, "a port number"))
    }

    /// The bearer token the API requires, nil when none is configured.
    var apiToken: String? { text(.apiToken) }

    /// Most seconds a projection may lag for /health/ready (a negative value counts as 0, as before).
    func readyMaximumLagSeconds() throws -> Int {
        max(0, try integer(.readyMaxLagSeconds, in: Int.min...Int.max, "a whole number of seconds"))
    }
}
