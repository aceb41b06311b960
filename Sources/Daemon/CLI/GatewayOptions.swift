import ArgumentParser
import Commands
import Foundation

/// The card gateway's status query (docs/gateway.md): where it is, how long one answer may take,
/// and how long an attempt that got no answer is asked again.
struct GatewayOptions: ParsableArguments {
    @Option(
        name: .customLong("gateway-url"),
        help:
            "Base URL of the card gateway's status query, GET {url}/settlements/{settlementNo} (default LEDGER_GATEWAY_URL; without one, overdue attempts are recorded unreachable and asked once a gateway is configured)"
    )
    var gatewayURL: String?

    @Option(
        name: .customLong("gateway-timeout"),
        help: "Seconds one status query may take before the attempt counts as unreachable (default 5)")
    var gatewayTimeout: Double = 5

    @Option(
        name: .customLong("gateway-retry-hours"),
        help: "Hours after an attempt's deadline during which an unanswered attempt is asked again (default 72)")
    var gatewayRetryHours: Double = GatewayInquiry.defaultRetryWindow / 3600

    /// The configured base URL (flag, else LEDGER_GATEWAY_URL), checked; nil when none is set.
    func baseURL() throws -> URL? {
        let text = gatewayURL ?? ProcessInfo.processInfo.environment["LEDGER_GATEWAY_URL"]
        guard let text, !text.isEmpty else { return nil }
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
            url.host != nil
        else {
            throw fail("--gateway-url / LEDGER_GATEWAY_URL must be an http(s) URL, not \(text)")
        }
        return url
    }

    /// The gateway client, or nil when none is configured.
    func gateway() throws -> (any PaymentGateway)? {
        guard gatewayTimeout > 0, gatewayTimeout <= 300 else {
            throw fail("--gateway-timeout must be between 0 and 300 seconds, not \(gatewayTimeout)")
        }
        guard let url = try baseURL() else { return nil }
        return HTTPPaymentGateway(baseURL: url, timeout: .milliseconds(Int64((gatewayTimeout * 1000).rounded())))
    }

    /// Which attempts are asked about, and for how long.
    func inquiry() throws -> GatewayInquiry {
        guard gatewayRetryHours >= 0, gatewayRetryHours <= 24 * 366 else {
            throw fail("--gateway-retry-hours must be between 0 and 8784, not \(gatewayRetryHours)")
        }
        return GatewayInquiry(retryWindow: gatewayRetryHours * 3600)
    }
}
