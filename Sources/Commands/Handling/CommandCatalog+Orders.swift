import EventStore
import Foundation

/// The glue of the coupon-order, bank-feed and refund commands.
extension CommandCatalog {
    static let orderDefinitions: [String: Definition] = [
        "PlaceCouponOrder": Definition(actors: user, decide: placeCouponOrder),
        "CancelCouponOrder": Definition(actors: user.union(staff), decide: cancelCouponOrder),
        "RecordBankDeposit": Definition(actors: [.bankFeed], decide: recordBankDeposit),
        "RunNightlyDepositCheck": Definition(actors: [.daemon], decide: runNightlyDepositCheck),
        "CheckDepositManually": Definition(actors: staff, decide: checkDepositManually),
        "IssueScheduledCoupons": Definition(actors: [.daemon], decide: issueScheduledCoupons),
        "RecordRefund": Definition(actors: staff, decide: recordRefund),
        "LoadVirtualAccounts": Definition(actors: staff, decide: loadVirtualAccounts),
    ]

    static let accountPool = StreamName(.accountPool)

    static func couponOrder(_ orderNo: OrderNo) -> StreamName { StreamName(.couponOrder(orderNo)) }

    static func bankAccount(_ key: VirtualAccountKey) -> StreamName { StreamName(.bankAccount(key)) }

    static func depositStream(_ id: DepositId) -> StreamName { StreamName(.deposit(id)) }

    static func loadOrder(_ session: CommandSession, _ orderNo: OrderNo) async throws -> LoadedStream<CouponOrderState>
    {
        try await session.load(couponOrder(orderNo), CouponOrderState(), CouponOrderState.evolve)
    }

    /// A placed order and its company, loaded; nil when no order was placed under `orderNo`.
    static func loadPlacedOrder(
        _ session: CommandSession, _ orderNo: OrderNo
    ) async throws -> (order: LoadedStream<CouponOrderState>, company: LoadedStream<CompanyState>)? {
        let order = try await loadOrder(session, orderNo)
        guard let placed = order.state.placed else { return nil }
        return (order, try await loadCompany(session, placed.tradeRegNo))
    }

    /// Like `loadPlacedOrder`, refusing an unknown order with `unknownOrder`.
    static func requirePlacedOrder(
        _ session: CommandSession, _ orderNo: OrderNo
    ) async throws -> (order: LoadedStream<CouponOrderState>, company: LoadedStream<CompanyState>) {
        guard let loaded = try await loadPlacedOrder(session, orderNo) else {
            throw Rejection(
                .unknownOrder, "no coupon order \(orderNo) was placed",
                details: ["orderNo": .string(orderNo.stringValue)])
        }
        return loaded
    }

    static func deposits(_ session: CommandSession, into order: CouponOrderState) async throws -> [BankDeposit] {
        guard let key = order.account?.account.key else { return [] }
        return try await session.load(bankAccount(key), BankFeedState(), BankFeedState.evolve).state.deposits
    }

    /// Refund ids derived from the command id, so deciding again names the same refunds.
    static func refundIds(_ session: CommandSession, count: Int, offset: Int = 0) -> [UUID] {
        (0..<count).map { session.derivedId(UInt8(truncatingIfNeeded: 16 + offset + $0)) }
    }

    /// Adds a coupon-order decision's events for the order, its company and its payment stream.
    static func add(
        _ order: CouponOrderDecision, to decision: inout Decision, orderStream: LoadedStream<CouponOrderState>,
        company: LoadedStream<CompanyState>, payment: LoadedStream<PaymentState>?
    ) {
        decision.add(orderStream, order.order.map(\.pending))
        decision.add(company, order.company.map(\.pending))
        if let payment { decision.add(payment, order.payment.map(\.pending)) }
    }

    static func placeCouponOrder(_ session: CommandSession) async throws -> Decision {
        let command = try session.envelope.decode(PlaceCouponOrder.self)
        let tradeRegNo = try session.actingCompany()
        let buyer = try session.actingUser()
        let company = try await loadCompany(session, tradeRegNo)
        try company.state.requireRegistered(tradeRegNo)
        let tariff = try await loadTariff(session, company.state.profile!.chamberId)
        let scope = "\(session.today.compactString)_\(tradeRegNo.stringValue)"
        let orderReservation = try await session.reserveNumbers("order", scope: scope)
        guard
            let orderNo = OrderNo(date: session.today, tradeRegNo: tradeRegNo, sequence: orderReservation.sequences[0])
        else { throw Rejection(.invalidCommand, "the order numbers of \(tradeRegNo) for \(session.today) are used up") }
        let order = try await loadOrder(session, orderNo)
        var pool: LoadedStream<AccountPoolState>?
        var settlement: (NumberReservation, SettlementNo)?
        switch command.paymentMethod {
        case .bankTransfer:
            pool = try await session.load(accountPool, AccountPoolState(), AccountPoolState.evolve)
        case .card:
            let reservation = try await session.reserveNumbers("settlement", scope: scope)
            guard
                let number = SettlementNo(
                    date: session.today, tradeRegNo: tradeRegNo, sequence: reservation.sequences[0])
            else {
                throw Rejection(
                    .invalidCommand, "the settlement numbers of \(tradeRegNo) for \(session.today) are used up")
            }
            settlement = (reservation, number)
        }
        let account = pool?.state.nextFree
        let placed = try command.decide(
            order.state, company.state, tariff.state, buyer: buyer, tradeRegNo: tradeRegNo, orderNo: orderNo,
            virtualAccount: account, settlementNo: settlement?.1, now: session.now)
        var decision = Decision()
        decision.add(order.name, expected: .noStream, placed.order.map(\.pending))
        decision.add(company, placed.company.map(\.pending))
        decision.add(orderReservation, numbers: [orderNo.stringValue])
        if let (reservation, number) = settlement {
            decision.add(payment(number), expected: .noStream, placed.payment.map(\.pending))
            decision.add(reservation, numbers: [number.stringValue])
        }
        if let pool, let account {
            decision.add(
                pool, [AccountPoolEvent.taken(VirtualAccountTaken(account: account.key, orderNo: orderNo)).pending])
        }
        // A tariff published meanwhile would change the prices: decide on the version read.
        decision.add(tariff.name, expected: tariff.expected, [])
        decision.result = placed.result
        return decision
    }

    static func cancelCouponOrder(_ session: CommandSession) async throws -> Decision {
        let command = try session.envelope.decode(CancelCouponOrder.self)
        let (order, company) = try await requirePlacedOrder(session, command.orderNo)
        let actor: CouponOrderActor =
            session.actor.kind == .chamberStaff
            ? .chamberStaff(try session.actingStaff().0)
            : .companyUser(try session.actingUser(), tradeRegNo: try session.actingCompany())
        let attempt = try await orderPayment(session, order.state)
        let cancelled = try command.decide(
            order.state, company.state, payment: attempt?.state, actor: actor,
            now: session.now)
        var decision = Decision()
        add(cancelled, to: &decision, orderStream: order, company: company, payment: attempt)
        decision.result = cancelled.result
        return decision
    }

    /// The card attempt of a card order, if any.
    static func orderPayment(
        _ session: CommandSession, _ order: CouponOrderState
    ) async throws -> LoadedStream<PaymentState>? {
        guard let settlementNo = order.settlementNo else { return nil }
        return try await loadPayment(session, settlementNo)
    }

    static func recordBankDeposit(_ session: CommandSession) async throws -> Decision {
        let command = try session.envelope.decode(RecordBankDeposit.self)
        let stream = try await session.load(depositStream(command.depositId), BankFeedState(), BankFeedState.evolve)
        var decision = Decision()
        guard let deposit = try command.decide(existing: stream.state.deposits.first, today: session.today) else {
            decision.isRedelivery = true
            decision.result = command.result(recorded: false)
            if let known = try await knownItem(session, key: command.unresolvedItemKey) {
                decision.result = command.result(
                    recorded: false, unresolved: UnresolvedMoneyState.resultObject(known))
            }
            return decision
        }
        let event = BankFeedEvent.recorded(BankDepositRecorded(deposit: deposit)).pending
        decision.add(stream.name, expected: .noStream, [event])
        let pool = try await session.load(accountPool, AccountPoolState(), AccountPoolState.evolve)
        if let unfit = command.fit(pool: pool.state) {
            // Into no order's account: kept out of the bank feed the checks read, in the suspense
            // account instead. Decided on the pool's version: an order taking the account
            // meanwhile makes it decide again.
            let item = command.unresolvedItem(
                unfit, itemId: unresolvedItemId(command.unresolvedItemKey), now: session.now)
            addUnresolved(item, to: &decision)
            decision.add(pool.name, expected: pool.expected, [])
            decision.result = command.result(recorded: true, unresolved: UnresolvedMoneyState.resultObject(item))
            return decision
        }
        decision.add(bankAccount(deposit.accountKey), expected: .any, [event])
        decision.result = command.result(recorded: true)
        return decision
    }

    static func runNightlyDepositCheck(_ session: CommandSession) async throws -> Decision {
        let command = try session.envelope.decode(RunNightlyDepositCheck.self)
        var decision = Decision()
        let calendar = try await session.loadCalendar()
        var checked: [JSONValue] = []
        var offset = 0
        for name in try await CommandQueries.streams(session, CommandQueries.bankOrdersToCheck, []) {
            guard let orderNo = try? OrderNo(parsing: name.id, field: "orderNo") else { continue }
            guard let (order, company) = try await loadPlacedOrder(session, orderNo) else { continue }
            let deposits = try await deposits(session, into: order.state)
            let ids = refundIds(session, count: deposits.count + 1, offset: offset)
            offset += ids.count
            let result = try command.decide(
                order.state, company.state, deposits: deposits, refundIds: ids,
                calendar: calendar.state.calendar, now: session.now)
            guard !result.isEmpty else { continue }
            add(result, to: &decision, orderStream: order, company: company, payment: nil)
            checked.append(.string(orderNo.stringValue))
        }
        // The issue dates were counted on this calendar: decide again if it changes meanwhile.
        decision.add(calendar.name, expected: calendar.expected, [])
        decision.result = .object([
            "businessDate": .string(command.businessDate.stringValue), "orders": .array(checked),
        ])
        return decision
    }

    static func checkDepositManually(_ session: CommandSession) async throws -> Decision {
        let command = try session.envelope.decode(CheckDepositManually.self)
        let (staffId, _) = try session.actingStaff()
        let (order, company) = try await requirePlacedOrder(session, command.orderNo)
        let deposits = try await deposits(session, into: order.state)
        let calendar = try await session.loadCalendar()
        let result = try command.decide(
            order.state, company.state, deposits: deposits,
            refundIds: refundIds(session, count: deposits.count + 1), staff: staffId,
            calendar: calendar.state.calendar, now: session.now)
        var decision = Decision()
        add(result, to: &decision, orderStream: order, company: company, payment: nil)
        decision.add(calendar.name, expected: calendar.expected, [])
        decision.result = result.result
        return decision
    }

    static func issueScheduledCoupons(_ session: CommandSession) async throws -> Decision {
        let command = try session.envelope.decode(IssueScheduledCoupons.self)
        var decision = Decision()
        var issued: [JSONValue] = []
        let loadedCalendar = try await session.loadCalendar()
        let calendar = loadedCalendar.state.calendar
        for name in try await CommandQueries.streams(session, CommandQueries.confirmedDeposits, []) {
            guard let orderNo = try? OrderNo(parsing: name.id, field: "orderNo") else { continue }
            let order = try await loadOrder(session, orderNo)
            guard command.isDue(order.state, calendar: calendar), let placed = order.state.placed else {
                continue
            }
            let company = try await loadCompany(session, placed.tradeRegNo)
            let result = try command.decide(order.state, company.state, calendar: calendar, now: session.now)
            guard !result.isEmpty else { continue }
            add(result, to: &decision, orderStream: order, company: company, payment: nil)
            issued.append(.string(orderNo.stringValue))
        }
        decision.add(loadedCalendar.name, expected: loadedCalendar.expected, [])
        decision.result = .object(["date": .string(command.date.stringValue), "orders": .array(issued)])
        return decision
    }

    static func recordRefund(_ session: CommandSession) async throws -> Decision {
        let command = try session.envelope.decode(RecordRefund.self)
        let (staffId, _) = try session.actingStaff()
        let streams = try await CommandQueries.streams(
            session, CommandQueries.refundDue,
            [command.refundId.uuidString.lowercased()])
        guard let name = streams.first else {
            throw Rejection(
                .unknownRefund, "no refund \(command.refundId.uuidString.lowercased()) is due",
                details: ["refundId": .string(command.refundId.uuidString.lowercased())])
        }
        var decision = Decision()
        if name.streamCategory == .payment,
            let settlementNo = try? SettlementNo(parsing: name.id, field: "settlementNo")
        {
            let payment = try await loadPayment(session, settlementNo)
            let result = try command.decide(payment.state, staff: staffId, today: session.today)
            decision.add(payment, result.payment.map(\.pending))
            decision.result = result.result
        } else if name.streamCategory == .unresolved, let itemId = UUID(uuidString: name.id) {
            let item = try await loadUnresolved(session, itemId)
            let event = try command.recorded(
                due: item.state.refundsDue, recorded: item.state.refundsRecorded, staff: staffId, today: session.today)
            decision.add(item, [UnresolvedMoneyEvent.refundRecorded(event).pending])
            decision.result = command.result(event)
        } else if let orderNo = try? OrderNo(parsing: name.id, field: "orderNo") {
            let order = try await loadOrder(session, orderNo)
            let result = try command.decide(order.state, staff: staffId, today: session.today)
            decision.add(order, result.order.map(\.pending))
            decision.result = result.result
        }
        return decision
    }

    static func loadVirtualAccounts(_ session: CommandSession) async throws -> Decision {
        let command = try session.envelope.decode(LoadVirtualAccounts.self)
        _ = try session.actingStaff()
        let pool = try await session.load(accountPool, AccountPoolState(), AccountPoolState.evolve)
        let added = try command.decide(existing: pool.state.existing(Set(command.accounts.map(\.key))))
        var decision = Decision()
        if !added.isEmpty {
            decision.add(pool, [AccountPoolEvent.loaded(VirtualAccountsLoaded(accounts: added)).pending])
        }
        decision.result = .object([
            "accepted": .int(Int64(added.count)), "skipped": .int(Int64(command.accounts.count - added.count)),
            "available": .int(Int64(pool.state.accounts.count + added.count - pool.state.taken.count)),
        ])
        return decision
    }

    // MARK: Card coupon orders (called from the payment glue)

    static func recordCouponOrderGatewayResult(
        _ session: CommandSession, _ command: RecordGatewayResult, _ payment: LoadedStream<PaymentState>
    ) async throws -> Decision {
        guard let orderNo = payment.state.started?.orderNo else {
            throw Rejection.wrongState("card attempt \(command.settlementNo) names no coupon order", state: "unknown")
        }
        let (order, company) = try await requirePlacedOrder(session, orderNo)
        let reservation = try await session.reserveNumbers("issue", scope: session.today.compactString)
        guard let issueNumber = IssueNumber(date: session.today, sequence: reservation.sequences[0]) else {
            throw Rejection(.invalidCommand, "the issue numbers of \(session.today) are used up")
        }
        let result = try command.decideCouponOrder(
            payment.state, order: order.state, company: company.state, issueNumber: issueNumber,
            refundId: session.derivedId(1), now: session.now)
        if let unfit = result.unfit { return unresolvedCapture(session, command, unfit, payment) }
        var decision = Decision()
        if result.isEmpty { decision.isRedelivery = true }
        add(result, to: &decision, orderStream: order, company: company, payment: payment)
        let used = result.issueNumbersUsed
        if !used.isEmpty { decision.add(reservation, numbers: used.map(\.stringValue)) }
        decision.result = result.result
        return decision
    }

    static func abandonCouponOrderPayment(
        _ session: CommandSession, _ command: AbandonCardPayment, _ payment: LoadedStream<PaymentState>
    ) async throws -> Decision {
        guard let orderNo = payment.state.started?.orderNo else {
            throw Rejection.wrongState("card attempt \(command.settlementNo) names no coupon order", state: "unknown")
        }
        let (order, company) = try await requirePlacedOrder(session, orderNo)
        let result = try command.decideCouponOrder(
            payment.state, order: order.state, user: try session.actingUser(),
            now: session.now)
        var decision = Decision()
        add(result, to: &decision, orderStream: order, company: company, payment: payment)
        decision.result = result.result
        return decision
    }

    static func sweepCouponOrderAttempt(
        _ session: CommandSession, _ payment: LoadedStream<PaymentState>, gatewayStatus: GatewayStatus,
        into decision: inout Decision
    ) async throws -> [JSONValue] {
        guard let orderNo = payment.state.started?.orderNo else { return [] }
        guard let (order, company) = try await loadPlacedOrder(session, orderNo) else { return [] }
        let result = try CouponOrderPaymentSweep.decide(
            payment.state, order: order.state, now: session.now, gatewayStatus: gatewayStatus)
        guard !result.isEmpty else { return [] }
        add(result, to: &decision, orderStream: order, company: company, payment: payment)
        return [.string(payment.name.id)]
    }

    static func sweepExpiredOrders(_ session: CommandSession, into decision: inout Decision) async throws -> [JSONValue]
    {
        var expired: [JSONValue] = []
        for name in try await CommandQueries.streams(session, CommandQueries.openBankOrders, []) {
            guard let orderNo = try? OrderNo(parsing: name.id, field: "orderNo") else { continue }
            guard let (order, company) = try await loadPlacedOrder(session, orderNo) else { continue }
            let result = CouponOrderExpirySweep.decide(
                order.state, company.state,
                deposits: try await deposits(session, into: order.state),
                now: session.now)
            guard !result.isEmpty else { continue }
            add(result, to: &decision, orderStream: order, company: company, payment: nil)
            expired.append(.string(orderNo.stringValue))
        }
        return expired
    }
}
