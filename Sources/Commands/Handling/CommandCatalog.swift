import EventStore
import Foundation

/// Every command the handler knows: who may send it and how it is decided. The decide closures
/// only load streams and call the aggregates' pure `decide` functions.
package enum CommandCatalog {
    struct Definition: Sendable {
        var actors: Set<CommandActor.Kind>
        var decide: @Sendable (CommandSession) async throws -> Decision
    }

    static let user: Set<CommandActor.Kind> = [.companyUser, .subUser]
    static let staff: Set<CommandActor.Kind> = [.chamberStaff]

    /// Every command name the handler knows (for bounded metric labels).
    package static let commandNames: Set<String> = Set(definitions.keys)

    static let definitions: [String: Definition] =
        coreDefinitions
        .merging(paymentDefinitions) { first, _ in first }
        .merging(orderDefinitions) { first, _ in first }
        .merging(calendarDefinitions) { first, _ in first }
        .merging(suspenseDefinitions) { first, _ in first }

    static let coreDefinitions: [String: Definition] = [
        "PublishTariff": Definition(actors: staff, decide: publishTariff),
        "RegisterCompany": Definition(actors: staff, decide: registerCompany),
        "ChangeMembership": Definition(actors: staff, decide: changeMembership),
        "ConfigurePaymentMethods": Definition(actors: staff, decide: configurePaymentMethods),
        "AdjustCoupons": Definition(actors: staff, decide: adjustCoupons),
        "SubmitApplication": Definition(actors: user, decide: submitApplication),
        "PutApplicationOnHold": Definition(actors: staff, decide: putApplicationOnHold),
        "ResubmitApplication": Definition(actors: user, decide: resubmitApplication),
        "ApproveApplication": Definition(actors: staff, decide: approveApplication),
        "WithdrawApplication": Definition(actors: user.union(staff), decide: withdrawApplication),
    ]

    // MARK: Streams

    static func company(_ tradeRegNo: TradeRegNo) -> StreamName { StreamName(.company(tradeRegNo)) }
    static func application(_ receptionNo: ReceptionNo) -> StreamName { StreamName(.application(receptionNo)) }
    static func tariff(_ chamberId: ChamberId) -> StreamName { StreamName(.tariff(chamberId)) }

    package static func loadCompany(_ session: CommandSession, _ tradeRegNo: TradeRegNo) async throws -> LoadedStream<
        CompanyState
    > {
        try await session.load(company(tradeRegNo), CompanyState(), CompanyState.evolve)
    }

    static func loadApplication(
        _ session: CommandSession, _ receptionNo: ReceptionNo
    ) async throws -> LoadedStream<ApplicationState> {
        try await session.load(application(receptionNo), ApplicationState(), ApplicationState.evolve)
    }

    static func loadTariff(_ session: CommandSession, _ chamberId: ChamberId) async throws -> LoadedStream<TariffState>
    {
        try await session.load(tariff(chamberId), TariffState(), TariffState.evolve)
    }

    // MARK: Tariff and company

    static func publishTariff(_ session: CommandSession) async throws -> Decision {
        let command = try session.envelope.decode(PublishTariff.self)
        _ = try session.actingStaff()
        let loaded = try await loadTariff(session, command.chamberId)
        var decision = Decision()
        decision.add(loaded, try command.decide(loaded.state).map(\.pending))
        decision.result = .object([
            "chamberId": .string(command.chamberId.stringValue),
            "effectiveFrom": .string(command.effectiveFrom.stringValue),
        ])
        return decision
    }

    static func registerCompany(_ session: CommandSession) async throws -> Decision {
        let command = try session.envelope.decode(RegisterCompany.self)
        let (staffId, _) = try session.actingStaff()
        let loaded = try await loadCompany(session, command.tradeRegNo.canonical)
        var decision = Decision()
        decision.add(loaded, try command.decide(loaded.state, staff: staffId, today: session.today).map(\.pending))
        decision.result = .object(["tradeRegNo": .string(command.tradeRegNo.canonical.stringValue)])
        return decision
    }

    static func changeMembership(_ session: CommandSession) async throws -> Decision {
        let command = try session.envelope.decode(ChangeMembership.self)
        let (staffId, _) = try session.actingStaff()
        let loaded = try await loadCompany(session, command.tradeRegNo)
        var decision = Decision()
        decision.add(loaded, try command.decide(loaded.state, staff: staffId).map(\.pending))
        return decision
    }

    static func configurePaymentMethods(_ session: CommandSession) async throws -> Decision {
        let command = try session.envelope.decode(ConfigurePaymentMethods.self)
        let (staffId, chamberId) = try session.actingStaff()
        let loaded = try await loadCompany(session, command.tradeRegNo)
        var decision = Decision()
        decision.add(loaded, try command.decide(loaded.state, staff: staffId, chamber: chamberId).map(\.pending))
        return decision
    }

    static func adjustCoupons(_ session: CommandSession) async throws -> Decision {
        let command = try session.envelope.decode(AdjustCoupons.self)
        let (staffId, chamberId) = try session.actingStaff()
        let loaded = try await loadCompany(session, command.tradeRegNo)
        // The adjustment id derives from the command id, so a re-decided command keeps it.
        let events = try command.decide(
            loaded.state, staff: staffId, chamber: chamberId,
            adjustmentId: session.envelope.commandId)
        var decision = Decision()
        decision.add(loaded, events.map(\.pending))
        if case .couponsAdjusted(let adjusted) = events.first {
            decision.result = .object(["balanceAfter": .int(Int64(adjusted.balanceAfter.value))])
        }
        return decision
    }

    // MARK: Applications

    static func submitApplication(_ session: CommandSession) async throws -> Decision {
        let command = try session.envelope.decode(SubmitApplication.self)
        let tradeRegNo = try session.actingCompany()
        let user = try session.actingUser()
        let application = try await loadApplication(session, command.receptionNo)
        let company = try await loadCompany(session, tradeRegNo)
        let events = try command.decide(application.state, company.state, tradeRegNo: tradeRegNo, user: user)
        return applicationDecision(application, events.application, company, events.company)
    }

    static func putApplicationOnHold(_ session: CommandSession) async throws -> Decision {
        let command = try session.envelope.decode(PutApplicationOnHold.self)
        let (staffId, _) = try session.actingStaff()
        let application = try await loadApplication(session, command.receptionNo)
        let submitted = try application.state.require(command.receptionNo)
        let company = try await loadCompany(session, submitted.tradeRegNo)
        let events = try command.decide(application.state, company.state, staff: staffId)
        var decision = applicationDecision(application, events.application, company, events.company)
        try await removeFromCarts(session, command.receptionNo, into: &decision)
        return decision
    }

    /// An application that stops being payable leaves any cart holding it (A15, A16).
    static func removeFromCarts(
        _ session: CommandSession, _ receptionNo: ReceptionNo, into decision: inout Decision
    ) async throws {
        for (user, cart) in try await session.cartsHolding(receptionNo).sorted(by: {
            $0.key.stringValue < $1.key.stringValue
        }) {
            decision.add(cart, cart.state.removal(of: receptionNo, user: user, reason: .notPayable).map(\.pending))
        }
    }

    static func resubmitApplication(_ session: CommandSession) async throws -> Decision {
        let command = try session.envelope.decode(ResubmitApplication.self)
        let tradeRegNo = try session.actingCompany()
        let user = try session.actingUser()
        let application = try await loadApplication(session, command.receptionNo)
        let submitted = try application.state.require(command.receptionNo)
        try requireSameCompany(submitted, tradeRegNo)
        let company = try await loadCompany(session, submitted.tradeRegNo)
        let events = try command.decide(application.state, company.state, user: user)
        return applicationDecision(application, events.application, company, events.company)
    }

    static func approveApplication(_ session: CommandSession) async throws -> Decision {
        let command = try session.envelope.decode(ApproveApplication.self)
        let (staffId, _) = try session.actingStaff()
        let application = try await loadApplication(session, command.receptionNo)
        let submitted = try application.state.require(command.receptionNo)
        let company = try await loadCompany(session, submitted.tradeRegNo)
        let tariff = try await loadTariff(session, submitted.chamberId)
        let events = try command.decide(
            application.state, company.state, tariff.state, staff: staffId, now: session.now)
        var decision = Decision()
        decision.add(application, events.map(\.pending))
        // The fee was read from the membership and the tariff: decide on the versions read.
        decision.add(company, [])
        decision.add(tariff, [])
        if case .approved(let approved) = events.first {
            decision.result = .object([
                "feeYen": .int(approved.feeYen.value),
                "state": .string(events.count > 1 ? "issued" : "awaitingPayment"),
            ])
        }
        return decision
    }

    static func withdrawApplication(_ session: CommandSession) async throws -> Decision {
        let command = try session.envelope.decode(WithdrawApplication.self)
        let application = try await loadApplication(session, command.receptionNo)
        let submitted = try application.state.require(command.receptionNo)
        if session.actor.isCompanyUser { try requireSameCompany(submitted, try session.actingCompany()) }
        let company = try await loadCompany(session, submitted.tradeRegNo)
        let events = try command.decide(application.state, company.state)
        var decision = applicationDecision(application, events.application, company, events.company)
        try await removeFromCarts(session, command.receptionNo, into: &decision)
        return decision
    }

    static func requireSameCompany(_ submitted: ApplicationSubmitted, _ tradeRegNo: TradeRegNo) throws(Rejection) {
        guard submitted.tradeRegNo == tradeRegNo else {
            throw Rejection(.forbidden, "application \(submitted.receptionNo) belongs to another company")
        }
    }

    static func applicationDecision(
        _ application: LoadedStream<ApplicationState>, _ applicationEvents: [ApplicationEvent],
        _ company: LoadedStream<CompanyState>, _ companyEvents: [CompanyEvent]
    ) -> Decision {
        var decision = Decision()
        decision.add(application, applicationEvents.map(\.pending))
        decision.add(company, companyEvents.map(\.pending))
        var result: [String: JSONValue] = [:]
        for event in companyEvents {
            switch event {
            case .couponUsed(let used): result["balanceAfter"] = .int(Int64(used.balanceAfter.value))
            case .couponReturned(let returned): result["balanceAfter"] = .int(Int64(returned.balanceAfter.value))
            default: break
            }
        }
        decision.result = .object(result)
        return decision
    }
}
