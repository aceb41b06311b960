import Commands
import EventStore
import Foundation
import TestSupport
import Testing

/// R21 end to end: a real `ledger serve` configured with `--gateway-url` asks a real gateway
/// simulator process about an overdue attempt and records the gateway's answer (docs/gateway.md).
@Suite("ledger serve asks the card gateway")
struct ServeGatewayTests {
    static let settlementNo = LedgerFixture.ex1SettlementNo

    @Test("the daemon's sweep records the gateway's capture of an overdue attempt, and refuses a bad --gateway-url")
    func serveAsksGateway() async throws {
        let ledger = try await LedgerFixture.startedCardAttempt()

        let refused = try await LedgerExecutable.run([
            "serve", "--database-url", ledger.test.conninfo, "--gateway-url", "ftp://gateway.invalid",
        ])
        #expect(refused.status == 2, "\(refused.errorOutput)")
        #expect(refused.errorOutput.contains("--gateway-url"))

        let simulator = try await GatewaySimulator.start()
        defer { simulator.stop() }
        try await simulator.answer(Self.settlementNo, .captured(amountYen: 2200, transactionId: "tx-serve-1"))
        let clockFile = FileManager.default.temporaryDirectory
            .appendingPathComponent("ledger-clock-\(UUID().uuidString)").path
        try "2025-03-17T10:07:30+09:00".write(toFile: clockFile, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: clockFile) }
        let serve = ServeTests()
        let (server, port) = try await serve.start(
            ledger.test.conninfo,
            extra: [
                "--gateway-url", simulator.baseURL.absoluteString, "--gateway-timeout", "5",
                "--clock-file", clockFile, "--scheduler-interval-ms", "200",
            ])
        var running = true
        defer {
            if running {
                server.kill(SIGKILL)
                _ = server.wait()
            }
        }
        let stream = StreamName("payment-\(Self.settlementNo)")!
        let captured = try await eventually {
            try await ledger.test.store.readWholeStream(stream).contains {
                $0.eventType == PaymentAttemptSucceeded.eventType
            }
        }
        #expect(captured, "the daemon recorded the gateway's capture")
        let events = try await ledger.test.store.readWholeStream(stream)
        #expect(!events.contains { $0.eventType == PaymentAttemptTimedOut.eventType }, "never timed out")
        let success = try #require(events.first { $0.eventType == PaymentAttemptSucceeded.eventType })
        let decoded = try JSONCoding.decoder.decode(PaymentAttemptSucceeded.self, from: Data(success.data.utf8))
        #expect(!decoded.late && decoded.gatewayTransactionId.stringValue == "tx-serve-1")
        #expect(try await simulator.requests().first == Self.settlementNo)
        let metrics = try await serve.call(port, "GET", "/metrics")
        #expect(
            metrics.body.contains(#"ledger_gateway_queries_total{answer="captured"}"#), "\(metrics.body.prefix(2000))")
        server.kill(SIGTERM)
        let exit = await server.wait(within: .seconds(60))
        running = false
        #expect(exit.status == 0, "\(exit.errorOutput)")
    }
}
