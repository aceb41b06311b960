import EventStore
import Foundation
import TestSupport
import Testing

@testable import Commands
@testable import Domain

/// R21 through the handler, PostgreSQL and a real HTTP gateway simulator process: the sweeper
/// asks the gateway about every attempt past its deadline and records what it says (EX-3(b),
/// EX-19), and asks again about those it could not get an answer for.
@Suite("gateway status query: the sweeper asks before declaring an attempt lost")
struct GatewaySweepTests {
    static let settlementNo = LedgerFixture.ex1SettlementNo
    static let daemon = CommandActor(kind: .daemon, id: "sweeper")

    /// EX-1's two applications in ichiro's cart, and attempt …-00001 started at 10:00 (deadline 10:05).
    func startedAttempt() async throws -> LedgerFixture { try await LedgerFixture.startedCardAttempt() }

    func sweep(
        _ ledger: LedgerFixture, _ simulator: GatewaySimulator?, timeout: Duration = .seconds(5)
    ) -> GatewaySweep {
        GatewaySweep(
            handler: ledger.handler,
            gateway: simulator.map { HTTPPaymentGateway(baseURL: $0.baseURL, timeout: timeout) }, daemon: Self.daemon)
    }

    static func time(_ text: String) -> Date { RFC3339.parse(text)! }

    func events(_ ledger: LedgerFixture, _ stream: String = "payment-\(settlementNo)") async throws -> [RecordedEvent] {
        try await ledger.test.store.readWholeStream(StreamName(stream)!)
    }

    func types(_ ledger: LedgerFixture, _ stream: String = "payment-\(settlementNo)") async throws -> [String] {
        try await events(ledger, stream).map(\.eventType)
    }

    func payload<E: DomainEvent>(_ type: E.Type, _ ledger: LedgerFixture) async throws -> E? {
        try await events(ledger).last { $0.eventType == E.eventType }
            .map { try JSONCoding.decoder.decode(E.self, from: Data($0.data.utf8)) }
    }

    func applicationsIssued(_ ledger: LedgerFixture) async throws -> Bool {
        for receptionNo in ["000004172", "000012641"] {
            guard try await types(ledger, "application-\(receptionNo)").last == ApplicationIssued.eventType else {
                return false
            }
        }
        return true
    }

    @Test("captured while the attempt is still open: a normal capture, no timeout, asked once")
    func capturedOpen() async throws {
        let ledger = try await startedAttempt()
        let simulator = try await GatewaySimulator.start()
        defer { simulator.stop() }
        try await simulator.answer(Self.settlementNo, .captured(amountYen: 2200, transactionId: "tx-open-1"))
        let early = await sweep(ledger, simulator).run(now: Self.time("2025-03-17T10:06:59+09:00"))
        #expect(early.answers.isEmpty, "nothing is asked before deadline + 120 s")
        let report = await sweep(ledger, simulator).run(now: Self.time("2025-03-17T10:07:00+09:00"))
        #expect(report.captures.map { $0.outcome.status } == [.ok], "\(report.captures.map { $0.outcome.jsonLine })")
        let succeeded = try #require(try await payload(PaymentAttemptSucceeded.self, ledger))
        #expect(!succeeded.late && succeeded.capturedAmountYen == 2200)
        #expect(succeeded.gatewayTransactionId.stringValue == "tx-open-1")
        #expect(!(try await types(ledger)).contains(PaymentAttemptTimedOut.eventType))
        #expect(try await applicationsIssued(ledger))
        let recorder = try #require(try await events(ledger).last { $0.eventType == PaymentAttemptSucceeded.eventType })
        #expect(
            recorder.metadata.contains("ledger-status-query"), "recorded as the gateway's answer: \(recorder.metadata)")
        _ = await sweep(ledger, simulator).run(now: Self.time("2025-03-17T10:08:00+09:00"))
        #expect(try await simulator.requests() == [Self.settlementNo], "a captured attempt is not asked again")
        #expect(try await ledger.auditFailures() == [])
    }

    @Test(
        "captured late: timed out unreachable with no gateway configured, then the gateway's capture is a late capture")
    func capturedLate() async throws {
        let ledger = try await startedAttempt()
        let unasked = await sweep(ledger, nil).run(now: Self.time("2025-03-17T10:07:00+09:00"))
        #expect(unasked.answers.isEmpty && unasked.sweep?.status == .ok, "\(unasked.sweep?.jsonLine ?? "")")
        #expect(try await payload(PaymentAttemptTimedOut.self, ledger)?.gatewayStatus == .unreachable)
        // The gateway is configured later the same day; it did capture the attempt.
        let simulator = try await GatewaySimulator.start()
        defer { simulator.stop() }
        try await simulator.answer(Self.settlementNo, .captured(amountYen: 2200, transactionId: "tx-late-1"))
        let report = await sweep(ledger, simulator).run(now: Self.time("2025-03-17T11:00:00+09:00"))
        #expect(report.answers.count == 1)
        #expect(report.captures.map { $0.outcome.status } == [.ok], "\(report.captures.map { $0.outcome.jsonLine })")
        let succeeded = try #require(try await payload(PaymentAttemptSucceeded.self, ledger))
        #expect(succeeded.late, "P6/R25: a capture after the timeout is a late capture")
        #expect(try await applicationsIssued(ledger), "both applications were still unpaid, so they are issued")
        _ = await sweep(ledger, simulator).run(now: Self.time("2025-03-17T11:01:00+09:00"))
        #expect(try await simulator.requests().count == 1, "the answered attempt is not asked again")
        #expect(try await ledger.auditFailures() == [])
    }

    @Test("not captured: timed out with gatewayStatus notCaptured, applications released, not asked again")
    func notCaptured() async throws {
        let ledger = try await startedAttempt()
        let simulator = try await GatewaySimulator.start()
        defer { simulator.stop() }
        try await simulator.answer(Self.settlementNo, .notCaptured)
        let report = await sweep(ledger, simulator).run(now: Self.time("2025-03-17T10:07:00+09:00"))
        #expect(report.answers.map { $0.answer } == [.notCaptured])
        #expect(report.sweep?.result?["swept"] == [.string(Self.settlementNo)], "\(report.sweep?.jsonLine ?? "")")
        let timedOut = try #require(try await payload(PaymentAttemptTimedOut.self, ledger))
        #expect(timedOut.gatewayStatus == .notCaptured, "EX-3(b)")
        for receptionNo in ["000004172", "000012641"] {
            #expect(try await types(ledger, "application-\(receptionNo)").last == ApplicationPaymentReleased.eventType)
        }
        _ = await sweep(ledger, simulator).run(now: Self.time("2025-03-17T10:30:00+09:00"))
        #expect(try await simulator.requests() == [Self.settlementNo])
        #expect(!(try await types(ledger)).contains(PaymentGatewayStatusConfirmed.eventType))
    }

    @Test("slow beyond the timeout: unreachable within the bound, asked again on later sweeps, then resolved")
    func slowThenResolved() async throws {
        let ledger = try await startedAttempt()
        let simulator = try await GatewaySimulator.start()
        defer { simulator.stop() }
        try await simulator.answer(
            Self.settlementNo, .captured(amountYen: 2200, transactionId: "tx-slow"), delay: .seconds(15))
        let clock = ContinuousClock()
        var report = GatewaySweep.Report()
        let took = await clock.measure {
            report = await sweep(ledger, simulator, timeout: .seconds(1)).run(
                now: Self.time("2025-03-17T10:07:00+09:00"))
        }
        // The gateway answers after 15 s; a 1 s timeout (plus the sweep's own commands, slower on a
        // loaded machine) ends well before.
        #expect(took < .seconds(10), "the query is bounded by its timeout, not by the gateway (\(took))")
        guard case .unreachable = report.answers.first?.answer else {
            Issue.record("expected unreachable, got \(report.answers)")
            return
        }
        #expect(try await payload(PaymentAttemptTimedOut.self, ledger)?.gatewayStatus == .unreachable)
        #expect(!(try await types(ledger)).contains(PaymentAttemptSucceeded.eventType))
        // Still slow on the next sweep: asked again, nothing recorded.
        let again = await sweep(ledger, simulator, timeout: .seconds(1)).run(
            now: Self.time("2025-03-17T10:08:00+09:00"))
        #expect(again.answers.count == 1 && again.sweep?.events.isEmpty == true)
        // The gateway answers in time now: not captured after all. The ledger records that and stops asking.
        try await simulator.answer(Self.settlementNo, .notCaptured)
        let resolved = await sweep(ledger, simulator).run(
            now: Self.time("2025-03-17T10:09:00+09:00"))
        #expect(
            resolved.sweep?.result?["confirmedNotCaptured"] == [.string(Self.settlementNo)],
            "\(resolved.answers) \(resolved.sweep?.jsonLine ?? "")")
        let confirmed = try #require(try await payload(PaymentGatewayStatusConfirmed.self, ledger))
        #expect(confirmed.gatewayStatus == .notCaptured)
        #expect(try await simulator.requests().count == 3)
        _ = await sweep(ledger, simulator).run(now: Self.time("2025-03-17T10:10:00+09:00"))
        #expect(try await simulator.requests().count == 3, "a confirmed attempt is not asked again")
        // The first, slow request's answer never reached the ledger.
        #expect(!(try await types(ledger)).contains(PaymentAttemptSucceeded.eventType))
    }

    @Test("connection refused: unreachable, then asked again once the gateway listens and resolved as a late capture")
    func connectionRefused() async throws {
        let ledger = try await startedAttempt()
        let simulator = try await GatewaySimulator.start()
        defer { simulator.stop() }
        try await simulator.answer(Self.settlementNo, .captured(amountYen: 2200, transactionId: "tx-refused"))
        try await simulator.refuseConnections()
        let refused = await sweep(ledger, simulator).run(now: Self.time("2025-03-17T10:07:00+09:00"))
        guard case .unreachable(let reason) = refused.answers.first?.answer else {
            Issue.record("expected unreachable, got \(refused.answers)")
            return
        }
        #expect(!reason.isEmpty)
        #expect(try await payload(PaymentAttemptTimedOut.self, ledger)?.gatewayStatus == .unreachable)
        // A broken answer (HTTP 503, then a body that is not JSON) is no answer either.
        try await simulator.reopen()
        try await simulator.answer(Self.settlementNo, .httpStatus(503))
        let failing = await sweep(ledger, simulator).run(now: Self.time("2025-03-17T12:00:00+09:00"))
        try await simulator.answer(Self.settlementNo, .rawBody("<html>maintenance</html>"))
        let garbled = await sweep(ledger, simulator).run(now: Self.time("2025-03-17T13:00:00+09:00"))
        for report in [failing, garbled] {
            guard case .unreachable = report.answers.first?.answer else {
                Issue.record("expected unreachable, got \(report.answers)")
                return
            }
        }
        #expect(try await simulator.requests().count == 2, "the refused connection reached no server")
        try await simulator.answer(Self.settlementNo, .captured(amountYen: 2200, transactionId: "tx-refused"))
        let report = await sweep(ledger, simulator).run(now: Self.time("2025-03-18T09:00:00+09:00"))
        #expect(report.captures.map { $0.outcome.status } == [.ok], "\(report.captures.map { $0.outcome.jsonLine })")
        #expect(try await payload(PaymentAttemptSucceeded.self, ledger)?.late == true)
        #expect(try await applicationsIssued(ledger))
        #expect(try await ledger.auditFailures() == [])
    }

    @Test("a capture of another amount is never timed out: the attempt stays for RecordGatewayResult's rules (P2)")
    func capturedOtherAmount() async throws {
        let ledger = try await startedAttempt()
        let simulator = try await GatewaySimulator.start()
        defer { simulator.stop() }
        try await simulator.answer(Self.settlementNo, .captured(amountYen: 9999, transactionId: "tx-odd"))
        let report = await sweep(ledger, simulator).run(now: Self.time("2025-03-17T10:07:00+09:00"))
        #expect(report.captures.count == 1, "the capture went to RecordGatewayResult")
        #expect(report.sweep?.status == .ok, "\(report.sweep?.jsonLine ?? "")")
        let types = try await types(ledger)
        #expect(!types.contains(PaymentAttemptTimedOut.eventType), "money was taken: not declared lost")
        #expect(!types.contains(PaymentAttemptSucceeded.eventType), "another amount is never a success (P2, I7)")
        #expect(try await ledger.auditFailures() == [])
    }

    @Test("an abandoned attempt is asked too (the browser is not the truth); none is asked past the retry window")
    func abandonedAndWindow() async throws {
        let ledger = try await startedAttempt()
        let abandoned = await ledger.run(
            "AbandonCardPayment", LedgerFixture.ichiro, at: "2025-03-17T10:06:00+09:00",
            ["settlementNo": .string(Self.settlementNo)])
        #expect(abandoned.status == .ok)
        let simulator = try await GatewaySimulator.start()
        defer { simulator.stop() }
        try await simulator.answer(Self.settlementNo, .httpStatus(500))
        let window = GatewayInquiry(retryWindow: 3600)
        let gateway = HTTPPaymentGateway(baseURL: simulator.baseURL, timeout: .seconds(5))
        let sweep = GatewaySweep(handler: ledger.handler, gateway: gateway, inquiry: window, daemon: Self.daemon)
        _ = await sweep.run(now: Self.time("2025-03-17T10:07:00+09:00"))
        #expect(try await simulator.requests().count == 1)
        // Past deadline + 1 h: no longer asked, and nothing is recorded.
        try await simulator.answer(Self.settlementNo, .notCaptured)
        let late = await sweep.run(now: Self.time("2025-03-17T11:05:00+09:00"))
        #expect(late.answers.isEmpty && late.sweep?.events.isEmpty == true)
        #expect(try await simulator.requests().count == 1)
        // Within the default 72 h it is asked and the answer recorded.
        let report = await GatewaySweep(handler: ledger.handler, gateway: gateway, daemon: Self.daemon).run(
            now: Self.time("2025-03-18T10:00:00+09:00"))
        #expect(report.sweep?.result?["confirmedNotCaptured"] == [.string(Self.settlementNo)])
        #expect(try await types(ledger).last == PaymentGatewayStatusConfirmed.eventType)
    }

    @Test("a card coupon order captured while open is fulfilled by the sweeper's query")
    func couponOrderCaptured() async throws {
        let ledger = try await LedgerFixture.make()
        try await ledger.setUp()
        let placed = await ledger.run(
            "PlaceCouponOrder", LedgerFixture.jiro, at: "2026-04-02T10:00:00+09:00",
            LedgerFixture.order("card", [("M1", 2)]))
        #expect(placed.status == .ok, "\(placed.jsonLine)")
        let settlementNo = try #require(placed.result?["settlementNo"]?.stringValue)
        let amount = try #require(placed.result?["amountYen"])
        guard case .int(let yen) = amount else { throw TestDatabaseError("no amount") }
        let simulator = try await GatewaySimulator.start()
        defer { simulator.stop() }
        try await simulator.answer(settlementNo, .captured(amountYen: yen, transactionId: "tx-coupons"))
        let report = await sweep(ledger, simulator).run(now: Self.time("2026-04-02T10:07:00+09:00"))
        #expect(report.captures.map { $0.outcome.status } == [.ok], "\(report.captures.map { $0.outcome.jsonLine })")
        let orderNo = try #require(placed.result?["orderNo"]?.stringValue)
        #expect(try await types(ledger, "couponOrder-\(orderNo)").contains(CouponOrderFulfilled.eventType))
        #expect(try await ledger.company().available == 2)
    }
}
