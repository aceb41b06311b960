import ArgumentParser
import Commands
import Foundation

/// The card gateway's status query (docs/gateway.md): where it is, how long one answer may take,
/// and how long an attempt that got no answer is asked again. The values are resolved with the
/// other sources in `Settings`; the checks are in the extension below.
struct GatewayOptions: ParsableArguments, SettingFlags {
    @Option(name: .customLong(Setting.gatewayURL.flag!), help: ArgumentHelp(Setting.gatewayURL.help))
    var gatewayURL: String?

    @Option(name: .customLong(Setting.gatewayTimeout.flag!), help: ArgumentHelp(Setting.gatewayTimeout.help))
    var gatewayTimeout: Double?

    @Option(name: .customLong(Setting.gatewayRetryHours.flag!), help: ArgumentHelp(Setting.gatewayRetryHours.help))
    var gatewayRetryHours: Double?

    var flagValues: [Setting: [String]] {
        [
            .gatewayURL: gatewayURL.map { [$0] } ?? [],
            .gatewayTimeout: gatewayTimeout.map { [Settings.plain($0)] } ?? [],
            .gatewayRetryHours: gatewayRetryHours.map { [Settings.plain($0)] } ?? [],
        ]
    }
}

extension Settings {
    /// The configured base URL, checked; nil when none is set.
    func gatewayBaseURL() throws -> URL? {
        let value = self[.gatewayURL]
        guard let text = value.text else { return nil }
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
            url.host != nil
        else {
            throw invalid(value, "an http(s) URL")
        }
        return url
    }

    /// Seconds one status query may take (0 < t ≤ 300).
    func gatewayTimeoutSeconds() throws -> Double {
        let seconds = try number(.gatewayTimeout, in: 0...300, "a number of seconds")
        guard seconds > 0 else { throw invalid(self[.gatewayTimeout], "a number of seconds above 0, at most 300") }
        return seconds
    }

    /// The gateway client, or nil when none is configured.
    func gateway() throws -> (any PaymentGateway)? {
        let timeout = try gatewayTimeoutSeconds()
        guard let url = try gatewayBaseURL() else { return nil }
        return HTTPPaymentGateway(baseURL: url, timeout: .milliseconds(Int64((timeout * 1000).rounded())))
    }

    /// Which attempts are asked about, and for how long.
    func inquiry() throws -> GatewayInquiry {
        let hours = try number(.gatewayRetryHours, in: 0...(24 * 366), "a number of hours")
        return GatewayInquiry(retryWindow: hours * 3600)
    }
}
