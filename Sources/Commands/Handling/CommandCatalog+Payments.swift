import EventStore
import Foundation

/// The glue of the cart and application-fee card payment commands.
extension CommandCatalog {
    static let paymentDefinitions: [String: Definition] = [
        "AddToCart": Definition(actors: user, decide: addToCart),
        "RemoveFromCart": Definition(actors: user, decide: removeFromCart),
        "StartCardPayment": Definition(actors: user, decide: startCardPayment),
        "AbandonCardPayment": Definition(actors: user, decide: abandonCardPayment),
        "RecordGatewayResult": Definition(actors: [.gateway], decide: recordGatewayResult),
        "SweepDeadlines": Definition(actors: [.daemon], decide: sweepDeadlines),
    ]

    static func cart(_ user: UserId) -> StreamName { StreamName(.cart(user)) }
    static func payment(_ settlementNo: SettlementNo) -> StreamName { StreamName(.payment(settlementNo)) }

    static func loadCart(_ session: CommandSession, _ user: UserId) async throws -> LoadedStream<CartState> {
        try await session.load(cart(user), CartState(), CartState.evolve)
    }

    static func loadPayment(_ session: CommandSession, _ settlementNo: SettlementNo) async throws -> LoadedStream<
        PaymentState
    > {
        try await session.load(payment(settlementNo), PaymentState(), PaymentState.evolve)
    }

    static func loadApplications(
        _ session: CommandSession, _ receptionNos: [ReceptionNo]
    ) async throws -> [ReceptionNo: LoadedStream<ApplicationState>] {
        var loaded: [ReceptionNo: LoadedStream<ApplicationState>] = [:]
        for receptionNo in receptionNos { loaded[receptionNo] = try await loadApplication(session, receptionNo) }
        return loaded
    }

    static func addToCart(_ session: CommandSession) async throws -> Decision {
        let command = try session.envelope.decode(AddToCart.self)
        let tradeRegNo = try session.actingCompany()
        let user = try session.actingUser()
        let application = try await loadApplication(session, command.receptionNo)
        let own = try await loadCart(session, user)
        let others = try await session.cartsHolding(command.receptionNo).filter { $0.key != user }
        let events = try command.decide(
            application.state, own.state, user: user, tradeRegNo: tradeRegNo,
            inOtherCart: !others.isEmpty)
        var decision = Decision()
        decision.add(own, events.map(\.pending))
        // Appending the application at its loaded version keeps a concurrent link or hold out.
        decision.add(application.name, expected: application.expected, [])
        decision.result = .object([
            "receptionNo": .string(command.receptionNo.stringValue),
            "cartTotalYen": .int(
                ((try? own.state.totalYen?.adding(
                    application.state.approved?.feeYen ?? .zero)) ?? nil)?.value ?? 0),
        ])
        return decision
    }

    static func removeFromCart(_ session: CommandSession) async throws -> Decision {
        let command = try session.envelope.decode(RemoveFromCart.self)
        let user = try session.actingUser()
        let own = try await loadCart(session, user)
        var decision = Decision()
        decision.add(own, try command.decide(own.state, user: user).map(\.pending))
        return decision
    }

    static func startCardPayment(_ session: CommandSession) async throws -> Decision {
        let command = try session.envelope.decode(StartCardPayment.self)
        let tradeRegNo = try session.actingCompany()
        let user = try session.actingUser()
        let own = try await loadCart(session, user)
        let applications = try await loadApplications(session, own.state.receptionNos)
        let reservation = try await session.reserveNumbers(
            "settlement", scope: "\(session.today.compactString)_\(tradeRegNo.stringValue)")
        guard
            let settlementNo = SettlementNo(
                date: session.today, tradeRegNo: tradeRegNo,
                sequence: reservation.sequences[0])
        else {
            throw Rejection(.invalidCommand, "the settlement numbers of \(tradeRegNo) for \(session.today) are used up")
        }
        let fee = try command.decide(
            own.state, applications: applications.mapValues(\.state), payer: user,
            tradeRegNo: tradeRegNo, settlementNo: settlementNo, now: session.now)
        var decision = Decision()
        decision.add(payment(settlementNo), expected: .noStream, fee.payment.map(\.pending))
        decision.add(reservation, numbers: [settlementNo.stringValue])
        add(fee, to: &decision, applications: applications, carts: [user: own])
        return decision
    }

    static func abandonCardPayment(_ session: CommandSession) async throws -> Decision {
        let command = try session.envelope.decode(AbandonCardPayment.self)
        let user = try session.actingUser()
        let payment = try await loadPayment(session, command.settlementNo)
        if payment.state.started?.purpose == .couponOrder {
            return try await abandonCouponOrderPayment(session, command, payment)
        }
        let applications = try await loadApplications(session, payment.state.items.map(\.receptionNo))
        let fee = try command.decide(
            payment.state, applications: applications.mapValues(\.state), user: user,
            now: session.now)
        var decision = Decision()
        decision.add(payment, fee.payment.map(\.pending))
        add(fee, to: &decision, applications: applications, carts: [:])
        return decision
    }

    static func recordGatewayResult(_ session: CommandSession) async throws -> Decision {
        let command = try session.envelope.decode(RecordGatewayResult.self)
        let payment = try await loadPayment(session, command.settlementNo)
        // A capture recorded in the suspense account before, delivered again (I20).
        if command.outcome == .succeeded, let known = try await recordedBefore(session, key: command.unresolvedItemKey)
        {
            return known
        }
        guard let started = payment.state.started else {
            return unresolvedCapture(session, command, try command.decideUnknownSettlement(), payment)
        }
        guard started.purpose == .applicationFees else {
            return try await recordCouponOrderGatewayResult(session, command, payment)
        }
        let receptionNos = payment.state.items.map(\.receptionNo)
        let applications = try await loadApplications(session, receptionNos)
        let company = try await loadCompany(session, started.tradeRegNo)
        var carts: [UserId: LoadedStream<CartState>] = [:]
        for receptionNo in receptionNos {
            for (user, cart) in try await session.cartsHolding(receptionNo) { carts[user] = cart }
        }
        let needed = RecordGatewayResult.issueNumbersNeeded(for: payment.state)
        let reservation = try await session.reserveNumbers("issue", scope: session.today.compactString, count: needed)
        let issueNumbers = reservation.sequences.compactMap { IssueNumber(date: session.today, sequence: $0) }
        let fee = try command.decide(
            payment.state, applications: applications.mapValues(\.state), company: company.state,
            carts: carts.mapValues(\.state), issueNumbers: issueNumbers, refundId: session.derivedId(1),
            chamberNames: session.chamberNames, now: session.now)
        if let unfit = fee.unfit { return unresolvedCapture(session, command, unfit, payment) }
        var decision = Decision()
        decision.isRedelivery = fee.isEmpty
        decision.add(payment, fee.payment.map(\.pending))
        let used = fee.issueNumbersUsed
        if !used.isEmpty {
            var partial = reservation
            partial.sequences = Array(reservation.sequences.prefix(used.count))
            decision.add(partial, numbers: used.map(\.stringValue))
        }
        add(fee, to: &decision, applications: applications, carts: carts)
        return decision
    }

    static func sweepDeadlines(_ session: CommandSession) async throws -> Decision {
        let command = try session.envelope.decode(SweepDeadlines.self)
        let answers = try command.answersBySettlement()
        let overdue = try await CommandQueries.streams(
            session, CommandQueries.overdueAttempts, [session.now, Int(CardPaymentRules.sweepGraceSeconds)])
        var decision = Decision()
        var swept: [JSONValue] = []
        var seen: Set<SettlementNo> = []
        for name in overdue {
            guard let settlementNo = try? SettlementNo(parsing: name.id, field: "settlementNo") else { continue }
            seen.insert(settlementNo)
            // No answer: nobody asked the gateway (none configured, or a hand-sent sweep); a
            // `captured` answer was recorded by RecordGatewayResult and is not timed out (R21).
            let answer = answers[settlementNo] ?? .unreachable
            guard let status = answer.timeoutStatus else { continue }
            let payment = try await loadPayment(session, settlementNo)
            guard payment.state.started?.purpose == .applicationFees else {
                swept += try await sweepCouponOrderAttempt(session, payment, gatewayStatus: status, into: &decision)
                continue
            }
            let applications = try await loadApplications(session, payment.state.items.map(\.receptionNo))
            let fee = try FeePaymentSweep.decide(
                payment.state, applications: applications.mapValues(\.state),
                now: session.now, gatewayStatus: status)
            guard !fee.isEmpty else { continue }
            decision.add(payment, fee.payment.map(\.pending))
            add(fee, to: &decision, applications: applications, carts: [:])
            swept.append(.string(settlementNo.stringValue))
        }
        var confirmed: [JSONValue] = []
        for (settlementNo, answer) in answers.sorted(by: { $0.key.stringValue < $1.key.stringValue })
        where answer == .notCaptured && !seen.contains(settlementNo) {
            let payment = try await loadPayment(session, settlementNo)
            let events = GatewayInquiry.confirmation(payment.state, now: session.now)
            guard !events.isEmpty else { continue }
            decision.add(payment, events.map(\.pending))
            confirmed.append(.string(settlementNo.stringValue))
        }
        swept += try await sweepExpiredOrders(session, into: &decision)
        decision.result = .object(["swept": .array(swept), "confirmedNotCaptured": .array(confirmed)])
        return decision
    }

    /// Adds a fee decision's application and cart events at the versions loaded.
    static func add(
        _ fee: FeePaymentDecision, to decision: inout Decision,
        applications: [ReceptionNo: LoadedStream<ApplicationState>], carts: [UserId: LoadedStream<CartState>]
    ) {
        for (receptionNo, events) in fee.applications.sorted(by: { $0.key.stringValue < $1.key.stringValue }) {
            if let loaded = applications[receptionNo] {
                decision.add(loaded, events.map(\.pending))
            }
        }
        // Every application read takes part at its version, changed or not (I6, EX-20).
        for (_, loaded) in applications.sorted(by: { $0.key.stringValue < $1.key.stringValue }) {
            decision.add(loaded.name, expected: loaded.expected, [])
        }
        for (user, events) in fee.carts.sorted(by: { $0.key.stringValue < $1.key.stringValue }) {
            if let loaded = carts[user] {
                decision.add(loaded, events.map(\.pending))
            } else {
                decision.add(cart(user), expected: .any, events.map(\.pending))
            }
        }
        decision.result = fee.result
    }
}

extension CommandSession {
    /// A UUID derived from the command id and `n`, so a command decided again (or retried) names
    /// the same refund or adjustment.
    func derivedId(_ n: UInt8) -> UUID {
        UUID.derived(from: "ledger-\(envelope.commandId.uuidString.lowercased())-\(n)")
    }
}
