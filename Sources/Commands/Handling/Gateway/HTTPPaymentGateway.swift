import Foundation
import Synchronization

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The gateway's status query over HTTP (docs/gateway.md):
/// `GET {base}/settlements/{settlementNo}` answering `{"status":"captured","amountYen":N,
/// "transactionId":"…"}` or `{"status":"notCaptured"}`; anything else is `unreachable`.
///
/// HTTP client: Foundation's `URLSession` (FoundationNetworking, libcurl underneath), which ships
/// with the toolchain. AsyncHTTPClient is mirrored here too, but it would bring swift-nio-ssl
/// (BoringSSL), nio-http2 and nio-extras into the Commands library and every target above it, a
/// few minutes more on every clean build of a 2-core machine, for one GET a minute.
///
/// The timeout bounds the whole exchange (connect, request, answer): URLSession's own timeouts
/// are set to it, and a deadline of the same length answers `unreachable` even if the transfer
/// would trickle on (the request is then cancelled).
public struct HTTPPaymentGateway: PaymentGateway {
    /// The base URL, e.g. `https://gateway.example/api`; queries go to `{base}/settlements/{no}`.
    public let baseURL: URL
    /// The longest the ledger waits for one answer.
    public let timeout: Duration
    private let session: URLSession

    public init(baseURL: URL, timeout: Duration = .seconds(5)) {
        self.baseURL = baseURL
        self.timeout = timeout
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = Self.seconds(timeout)
        configuration.timeoutIntervalForResource = Self.seconds(timeout)
        configuration.requestCachePolicy = .reloadIgnoringLocalAndRemoteCacheData
        configuration.urlCache = nil
        session = URLSession(configuration: configuration)
    }

    /// The query URL of one attempt.
    public func url(for settlementNo: SettlementNo) -> URL {
        baseURL.appendingPathComponent("settlements").appendingPathComponent(settlementNo.stringValue)
    }

    public func status(of settlementNo: SettlementNo) async -> GatewayAnswer {
        var request = URLRequest(url: url(for: settlementNo))
        request.httpMethod = "GET"
        request.timeoutInterval = Self.seconds(timeout)
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        let session = session
        let prepared = request
        let exchange: Exchange
        do {
            exchange = try await Self.within(timeout) {
                let (data, response) = try await session.data(for: prepared)
                return Exchange(status: (response as? HTTPURLResponse)?.statusCode ?? 0, body: data)
            }
        } catch is DeadlinePassed {
            return .unreachable(reason: "no answer within \(timeout)")
        } catch {
            return .unreachable(reason: "request failed: \(error.localizedDescription)")
        }
        return Self.answer(status: exchange.status, body: exchange.body)
    }

    /// Reads the gateway's HTTP answer (pure; docs/gateway.md). Only 200 with one of the two
    /// documented bodies is an answer; every other status (404 included: a wrong base URL looks
    /// the same) and every other body is `unreachable`, so the attempt is asked again.
    public static func answer(status: Int, body: Data) -> GatewayAnswer {
        guard status == 200 else { return .unreachable(reason: "the gateway answered HTTP \(status)") }
        guard let json = try? JSONCoding.decoder.decode(JSONValue.self, from: body), case .object = json else {
            return .unreachable(reason: "the gateway's answer is not a JSON object")
        }
        switch json["status"] {
        case .string("notCaptured"):
            return .notCaptured
        case .string("captured"):
            guard case .int(let amount) = json["amountYen"], amount > 0, let yen = Yen(exactly: amount) else {
                return .unreachable(reason: "a captured answer without a positive integer amountYen")
            }
            guard case .string(let text) = json["transactionId"],
                let transactionId = try? GatewayTransactionId(parsing: text, field: "transactionId")
            else {
                return .unreachable(reason: "a captured answer without a valid transactionId")
            }
            var brand: CardBrand?
            if case .string(let name) = json["cardBrand"] { brand = CardBrand(rawValue: name) ?? .other }
            return .captured(amountYen: yen, transactionId: transactionId, cardBrand: brand)
        default:
            return .unreachable(reason: "the gateway's answer has no known status")
        }
    }

    struct Exchange: Sendable {
        var status: Int
        var body: Data
    }

    struct DeadlinePassed: Error {}

    static func seconds(_ duration: Duration) -> TimeInterval {
        let (seconds, attoseconds) = duration.components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }

    /// Runs `operation`, answering `DeadlinePassed` after `limit` whether or not the operation
    /// notices its cancellation (the caller is never held past the deadline).
    static func within<T: Sendable>(
        _ limit: Duration, _ operation: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let race = Race<T>()
        return try await withCheckedThrowingContinuation { continuation in
            race.continuation.withLock { $0 = continuation }
            let timer = Task {
                try? await Task.sleep(for: limit)
                if race.finish(.failure(DeadlinePassed())) { race.work.withLock { $0 }?.cancel() }
            }
            let task = Task {
                let result: Result<T, any Error>
                do { result = .success(try await operation()) } catch { result = .failure(error) }
                _ = race.finish(result)
                timer.cancel()
            }
            race.work.withLock { $0 = task }
        }
    }

    /// The first of the operation and the deadline to finish resumes the caller.
    final class Race<T: Sendable>: Sendable {
        let continuation = Mutex<CheckedContinuation<T, any Error>?>(nil)
        let work = Mutex<Task<Void, Never>?>(nil)

        /// Resumes the caller with `result` unless it was resumed already; says whether it did.
        func finish(_ result: Result<T, any Error>) -> Bool {
            guard let continuation = continuation.withLock({ $0.take() }) else { return false }
            continuation.resume(with: result)
            return true
        }
    }
}
