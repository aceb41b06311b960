import Commands
import EventStore
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The card gateway simulator (`gateway_simulator.py`, docs/gateway.md) as a real child process:
/// told per settlement number to answer captured or not captured, to answer slowly, with an HTTP
/// error or a broken body; and able to stop listening so that connections are refused.
public struct GatewaySimulator: Sendable {
    /// One settlement number's behaviour.
    public enum Behaviour: Sendable {
        case captured(amountYen: Int64, transactionId: String)
        case notCaptured
        /// An HTTP error status with a small JSON body.
        case httpStatus(Int)
        /// HTTP 200 with this body as is.
        case rawBody(String)
    }

    public let process: ChildProcess.Running
    public let gatewayPort: Int
    public let controlPort: Int

    /// What the ledger is configured with (`--gateway-url`).
    public var baseURL: URL { URL(string: "http://127.0.0.1:\(gatewayPort)")! }

    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("gateway_simulator.py").path

    /// Starts the simulator and waits until both its servers listen.
    public static func start() async throws -> GatewaySimulator {
        let portsFile = FileManager.default.temporaryDirectory
            .appendingPathComponent("gateway-simulator-\(UUID().uuidString).json").path
        let process = try ChildProcess.start("/usr/bin/env", ["python3", script, "--ports-file", portsFile])
        var ports: [String: Int]?
        let ready = try await eventually(within: .seconds(20)) {
            guard let data = FileManager.default.contents(atPath: portsFile) else { return false }
            ports = try? JSONDecoder().decode([String: Int].self, from: data)
            return ports != nil
        }
        try? FileManager.default.removeItem(atPath: portsFile)
        guard ready, let gateway = ports?["gateway"], let control = ports?["control"] else {
            process.kill(SIGKILL)
            let result = process.wait()
            throw TestDatabaseError("the gateway simulator did not start: \(result.output) \(result.errorOutput)")
        }
        return GatewaySimulator(process: process, gatewayPort: gateway, controlPort: control)
    }

    /// Tells the simulator how to answer for `settlementNo`, after `delay` (a slow gateway).
    public func answer(_ settlementNo: String, _ behaviour: Behaviour, delay: Duration = .zero) async throws {
        var body: [String: JSONValue]
        switch behaviour {
        case .captured(let amount, let transactionId):
            body = ["status": "captured", "amountYen": .int(amount), "transactionId": .string(transactionId)]
        case .notCaptured: body = ["status": "notCaptured"]
        case .httpStatus(let status): body = ["httpStatus": .int(Int64(status))]
        case .rawBody(let text): body = ["rawBody": .string(text)]
        }
        let (seconds, attoseconds) = delay.components
        if delay > .zero {
            body["delaySeconds"] = .string(String(Double(seconds) + Double(attoseconds) / 1e18))
        }
        try await control("PUT", "/settlements/\(settlementNo)", body: JSONValue.object(body).jsonText)
    }

    /// Every settlement number the gateway was asked about, in order.
    public func requests() async throws -> [String] {
        let data = try await control("GET", "/requests")
        return try JSONDecoder().decode([String].self, from: data)
    }

    /// Stops listening on the gateway port: connections are refused until `reopen()`.
    public func refuseConnections() async throws { try await control("POST", "/gateway/close") }

    /// Listens on the gateway port again.
    public func reopen() async throws { try await control("POST", "/gateway/open") }

    /// Stops the process (SIGKILL: nothing of the simulator's state needs a graceful stop).
    public func stop() {
        process.kill(SIGKILL)
        _ = process.wait()
    }

    @discardableResult
    func control(_ method: String, _ path: String, body: String? = nil) async throws -> Data {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(controlPort)\(path)")!)
        request.httpMethod = method
        if let body { request.httpBody = Data(body.utf8) }
        let (data, response) = try await URLSession.shared.data(for: request)
        guard (response as? HTTPURLResponse)?.statusCode == 200 else {
            throw TestDatabaseError("gateway simulator \(method) \(path): \(String(decoding: data, as: UTF8.self))")
        }
        return data
    }
}
