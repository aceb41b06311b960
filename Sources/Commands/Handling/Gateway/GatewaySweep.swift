import EventStore
import Foundation

/// The deadline sweep with the gateway asked first (R21, P4; docs/gateway.md). One run:
/// 1. finds the attempts `GatewayInquiry.isDue` (Open past deadline + grace; ended without a
///    gateway answer within the retry window);
/// 2. asks the gateway about each (a few at a time, each bounded by the gateway's timeout);
/// 3. records each capture with `RecordGatewayResult` (actor kind `gateway`), then sends one
///    `SweepDeadlines` carrying the other answers, which times out the Open attempts with the
///    gateway's status and confirms the ended ones it answered `notCaptured`.
/// Without a gateway it sends the plain `SweepDeadlines`: overdue attempts are timed out as
/// `unreachable` and asked once a gateway is configured, within the retry window.
public struct GatewaySweep: Sendable {
    /// The identity a status-query answer is recorded under (RecordGatewayResult's actor kind).
    public static let statusQuery = CommandActor(kind: .gateway, id: "ledger-status-query")

    public let handler: CommandHandler
    public let gateway: (any PaymentGateway)?
    public let inquiry: GatewayInquiry
    /// The daemon identity SweepDeadlines is sent as.
    public let daemon: CommandActor
    /// How many queries run at once.
    public var parallelQueries = 8

    public init(
        handler: CommandHandler, gateway: (any PaymentGateway)?, inquiry: GatewayInquiry = GatewayInquiry(),
        daemon: CommandActor
    ) {
        self.handler = handler
        self.gateway = gateway
        self.inquiry = inquiry
        self.daemon = daemon
    }

    /// What one run did, for the scheduler's logs.
    public struct Report: Sendable {
        /// The gateway's answer for each attempt asked, in the order found.
        public var answers: [(settlementNo: SettlementNo, answer: GatewayAnswer)] = []
        /// The RecordGatewayResult outcome of each capture.
        public var captures: [(settlementNo: SettlementNo, outcome: CommandOutcome)] = []
        /// The SweepDeadlines outcome (nil if the run stopped before it).
        public var sweep: CommandOutcome?
        /// Why the run stopped before asking (the database failed), if it did.
        public var failure: String?
    }

    /// One sweep at `now` (default: the handler's clock). Commands carry `at: now` when the
    /// handler runs on the input clock, for tests and replays of a schedule.
    public func run(now: Date? = nil) async -> Report {
        let now = now ?? handler.clock()
        let at: Date? = handler.clockMode == .input ? now : nil
        var report = Report()
        var answers: [SweepDeadlines.GatewayAnswer] = []
        if let gateway {
            let due: [(SettlementNo, PaymentState)]
            do {
                due = try await attemptsDue(now: now)
            } catch {
                report.failure = "finding the attempts to ask the gateway about failed: \(error)"
                return report
            }
            report.answers = await ask(gateway, due.map(\.0))
            let states = Dictionary(due, uniquingKeysWith: { first, _ in first })
            for (settlementNo, answer) in report.answers {
                switch inquiry.record(answer, for: states[settlementNo] ?? PaymentState(), settlementNo: settlementNo) {
                case .capture(let command):
                    let outcome = await handler.execute(command, id: UUID(), actor: Self.statusQuery, at: at)
                    report.captures.append((settlementNo, outcome))
                    // Whatever RecordGatewayResult made of it, money was taken: never time it out.
                    answers.append(.init(settlementNo: settlementNo, answer: .captured))
                case .sweep(let answer):
                    answers.append(.init(settlementNo: settlementNo, answer: answer))
                case .askAgain:
                    break
                }
            }
        }
        report.sweep = await handler.execute(
            SweepDeadlines(gatewayAnswers: answers.isEmpty ? nil : answers), id: UUID(), actor: daemon, at: at)
        return report
    }

    /// The attempts to ask about at `now`, with their folded states.
    public func attemptsDue(now: Date) async throws -> [(SettlementNo, PaymentState)] {
        let candidates = try await CommandQueries.streams(
            handler.store, CommandQueries.gatewayInquiries,
            [now, Int(inquiry.grace.rounded(.up)), Int(inquiry.retryWindow.rounded(.up))])
        var due: [(SettlementNo, PaymentState)] = []
        for name in candidates {
            guard let settlementNo = try? SettlementNo(parsing: name.id, field: "settlementNo") else { continue }
            let state = try await payment(name)
            if inquiry.isDue(state, now: now) { due.append((settlementNo, state)) }
        }
        return due
    }

    /// The attempt's state folded from its stream.
    func payment(_ name: StreamName) async throws -> PaymentState {
        var state = PaymentState()
        for event in try await handler.store.readWholeStream(name) {
            guard let decoded = try PaymentEvent.decode(eventType: event.eventType, data: Data(event.data.utf8)) else {
                continue
            }
            state = PaymentState.evolve(state, decoded)
        }
        return state
    }

    /// Asks about every attempt, `parallelQueries` at a time; answers in the order asked.
    func ask(_ gateway: any PaymentGateway, _ settlementNos: [SettlementNo]) async -> [(
        settlementNo: SettlementNo, answer: GatewayAnswer
    )] {
        var answers = [GatewayAnswer?](repeating: nil, count: settlementNos.count)
        await withTaskGroup(of: (Int, GatewayAnswer).self) { group in
            var next = 0
            func startNext() {
                guard next < settlementNos.count else { return }
                let index = next
                next += 1
                group.addTask { (index, await gateway.status(of: settlementNos[index])) }
            }
            for _ in 0..<max(1, parallelQueries) { startNext() }
            for await (index, answer) in group {
                answers[index] = answer
                startNext()
            }
        }
        return zip(settlementNos, answers).map { ($0, $1 ?? .unreachable(reason: "not asked")) }
    }
}
