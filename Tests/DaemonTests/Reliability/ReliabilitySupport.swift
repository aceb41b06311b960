import Commands
import EventStore
import Foundation
import TestSupport

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Shared pieces of the reliability suite (issue #8): an HTTP client with a per-request deadline,
/// the long-variant switch, and a few command lines.
enum Reliability {
    /// `value` normally, `longValue` with `LEDGER_RELIABILITY_LONG=1` (TestSupport's LongRun).
    static func scale<T>(_ value: T, long longValue: T) -> T { LongRun.scale(value, long: longValue) }

    static let staff = #"{"kind":"chamberStaff","id":"s1","chamberId":"kamikochi"}"#

    static func register(_ tradeRegNo: String = "8888000004") -> String {
        #"{"command":"RegisterCompany","commandId":"\#(UUID())","actor":\#(staff),"tradeRegNo":"\#(tradeRegNo)","companyName":"日商テスト商事株式会社","chamberId":"kamikochi","membership":"member","paymentMethods":["card"]}"#
    }

    static func adjust(id: UUID, delta: Int, tradeRegNo: String = "8888000004") -> String {
        #"{"command":"AdjustCoupons","commandId":"\#(id.uuidString.lowercased())","actor":\#(staff),"tradeRegNo":"\#(tradeRegNo)","delta":\#(delta),"reason":"reliability"}"#
    }

    /// One HTTP exchange: status 0 and `failure` set when no answer came within `timeout`.
    struct Reply: Sendable {
        var status: Int
        var body: String
        var elapsed: Duration
        var failure: String?
        var json: JSONValue? { try? JSONCoding.decoder.decode(JSONValue.self, from: Data(body.utf8)) }
    }

    /// Sends a request with a deadline, so a hanging server shows up as a failure, not a stuck test.
    static func call(
        _ port: Int, _ method: String, _ path: String, body: Data? = nil, timeout: TimeInterval = 10,
        token: String = "secret"
    ) async -> Reply {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = method
        request.timeoutInterval = timeout
        request.httpBody = body
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        let started = ContinuousClock.now
        do {
            let (data, response) = try await URLSession.shared.data(for: request)
            return Reply(
                status: (response as? HTTPURLResponse)?.statusCode ?? 0,
                body: String(decoding: data, as: UTF8.self), elapsed: ContinuousClock.now - started)
        } catch {
            return Reply(status: 0, body: "", elapsed: ContinuousClock.now - started, failure: "\(error)")
        }
    }

    static func post(_ port: Int, _ body: String, timeout: TimeInterval = 10) async -> Reply {
        await call(port, "POST", "/v1/commands", body: Data(body.utf8), timeout: timeout)
    }

    /// Runs one query on a fresh connection and returns the first column of the first row.
    static func scalar<T: PGDecodable>(_ conninfo: String, _ sql: String, _ type: T.Type) async throws -> T {
        let connection = try await PGConnection.connect(conninfo)
        defer { Task { await connection.close() } }
        return try await connection.query(sql).singleRow().decode(T.self, 0)
    }

    /// Every `commandId` recorded in the store (the idempotency table, written with the events).
    static func recordedCommandIds(_ conninfo: String) async throws -> Set<String> {
        let connection = try await PGConnection.connect(conninfo)
        defer { Task { await connection.close() } }
        return Set(
            try await connection.query("SELECT command_id::text FROM ledger.commands").rows
                .map { try $0.decode(String.self, 0) })
    }
}
