import EventStore
import Foundation

/// The glue of the suspense account (issue #13): recording outside money that fits nowhere, and
/// ResolveUnresolvedMoney.
extension CommandCatalog {
    static let suspenseDefinitions: [String: Definition] = [
        "ResolveUnresolvedMoney": Definition(actors: staff, decide: resolveUnresolvedMoney)
    ]

    static func unresolved(_ itemId: UUID) -> StreamName { StreamName(.unresolved(itemId)) }

    /// The item id of a fact, from its stable key (`unresolvedItemKey`).
    static func unresolvedItemId(_ key: String) -> UUID { UUID.derived(from: "ledger-\(key)") }

    static func loadUnresolved(_ session: CommandSession, _ itemId: UUID) async throws -> LoadedStream<
        UnresolvedMoneyState
    > {
        try await session.load(unresolved(itemId), UnresolvedMoneyState(), UnresolvedMoneyState.evolve)
    }

    /// The fact's suspense item, when it was recorded before.
    static func knownItem(_ session: CommandSession, key: String) async throws -> UnresolvedMoneyRecorded? {
        try await loadUnresolved(session, unresolvedItemId(key)).state.recorded
    }

    /// An empty decision answering `exists` when the fact's suspense item is already recorded.
    static func recordedBefore(_ session: CommandSession, key: String) async throws -> Decision? {
        guard let recorded = try await knownItem(session, key: key) else { return nil }
        var decision = Decision()
        decision.isRedelivery = true
        decision.result = .object([
            "outcome": .string("alreadyRecorded"), "unresolved": UnresolvedMoneyState.resultObject(recorded),
        ])
        return decision
    }

    /// Adds the suspense item's first event on its own new stream.
    static func addUnresolved(_ item: UnresolvedMoneyRecorded, to decision: inout Decision) {
        decision.add(unresolved(item.itemId), expected: .noStream, [UnresolvedMoneyEvent.recorded(item).pending])
    }

    /// A capture that fits nowhere: recorded in the suspense account, decided on the attempt's
    /// version (when there is an attempt).
    static func unresolvedCapture(
        _ session: CommandSession, _ command: RecordGatewayResult, _ unfit: UnfitMoney,
        _ payment: LoadedStream<PaymentState>
    ) -> Decision {
        let item = command.unresolvedItem(
            unfit, itemId: unresolvedItemId(command.unresolvedItemKey), attempt: payment.state, now: session.now)
        var decision = Decision()
        addUnresolved(item, to: &decision)
        if payment.state.exists { decision.add(payment.name, expected: payment.expected, []) }
        decision.result = command.unresolvedResult(item)
        return decision
    }

    static func resolveUnresolvedMoney(_ session: CommandSession) async throws -> Decision {
        let command = try session.envelope.decode(ResolveUnresolvedMoney.self)
        let (staffId, chamberId) = try session.actingStaff()
        let item = try await loadUnresolved(session, command.itemId)
        var target: (order: LoadedStream<CouponOrderState>, company: LoadedStream<CompanyState>)?
        if command.resolution == .applyToOrder, let orderNo = command.orderNo, item.state.status == .open {
            target = try await loadPlacedOrder(session, orderNo)
        }
        let resolved = try command.decide(
            item.state, order: target?.order.state, company: target?.company.state, staff: staffId,
            chamber: chamberId, refundIds: refundIds(session, count: 2), now: session.now)
        var decision = Decision()
        decision.add(item, resolved.unresolved.map(\.pending))
        if let target {
            decision.add(target.order, resolved.order.map(\.pending))
            decision.add(target.company, resolved.company.map(\.pending))
        }
        decision.result = resolved.result
        return decision
    }
}
