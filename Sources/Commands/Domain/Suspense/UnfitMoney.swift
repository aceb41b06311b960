import Foundation

/// Outside money that does not fit where it arrived: what a recording decision says instead of
/// refusing it (issue #13). The glue turns it into `UnresolvedMoneyRecorded` on a new
/// `unresolved-<itemId>` stream, the item id derived from the fact (so the same fact delivered
/// again finds its item and answers `exists`).
public struct UnfitMoney: Sendable, Hashable {
    public var reason: UnresolvedReason
    /// A sentence for the person who resolves it.
    public var explanation: String

    public init(_ reason: UnresolvedReason, _ explanation: String) {
        self.reason = reason
        self.explanation = explanation
    }
}

extension RecordGatewayResult {
    /// The stable name a capture's suspense item id is derived from (one item per settlement
    /// number and gateway transaction id, I20).
    public var unresolvedItemKey: String {
        "unresolved-\(UnresolvedMoneyKind.cardCapture.rawValue)-\(settlementNo.stringValue)-\(gatewayTransactionId.stringValue)"
    }

    /// A capture under a settlement number no attempt has: recorded as `unknownSettlement` (the
    /// settlement number still names the company). A failure report for it moves no money and is
    /// refused (`unknownSettlement`); malformed fields are refused as always (`invalidCommand`).
    public func decideUnknownSettlement() throws(Rejection) -> UnfitMoney {
        try validateFields()
        guard outcome == .succeeded else {
            throw Rejection(
                .unknownSettlement, "no card payment attempt \(settlementNo) was started",
                details: ["settlementNo": .string(settlementNo.stringValue)])
        }
        return UnfitMoney(
            .unknownSettlement,
            "the gateway captured \(capturedAmountYen!.printed) under a settlement number "
                + "the ledger never started")
    }

    /// The suspense item for this capture.
    public func unresolvedItem(
        _ unfit: UnfitMoney, itemId: UUID, attempt: PaymentState, now: Date
    ) -> UnresolvedMoneyRecorded {
        let captured = capturedAmountYen ?? .zero
        return UnresolvedMoneyRecorded(
            itemId: itemId, kind: .cardCapture, reason: unfit.reason, amountYen: captured,
            tradeRegNo: attempt.started?.tradeRegNo ?? settlementNo.tradeRegNo, settlementNo: settlementNo,
            orderNo: attempt.started?.orderNo, account: nil, depositId: nil, gatewayTransactionId: gatewayTransactionId,
            receivedAt: now, receivedOn: JSTDate(instant: now),
            capture: UnresolvedCapture(
                settlementNo: settlementNo, gatewayTransactionId: gatewayTransactionId, capturedAmountYen: captured,
                cardBrand: cardBrand, threeDSecure: threeDSecure, attemptAmountYen: attempt.started?.amountYen,
                attemptState: attempt.status?.rawValue),
            payerName: nil, explanation: unfit.explanation)
    }

    /// The caller's result for a capture recorded into the suspense account.
    public func unresolvedResult(_ item: UnresolvedMoneyRecorded) -> JSONValue {
        .object([
            "settlementNo": .string(settlementNo.stringValue), "outcome": .string("unresolved"),
            "unresolved": UnresolvedMoneyState.resultObject(item),
        ])
    }
}

extension RecordBankDeposit {
    /// The stable name a deposit's suspense item id is derived from (one per deposit id, I20).
    public var unresolvedItemKey: String {
        "unresolved-\(UnresolvedMoneyKind.bankDeposit.rawValue)-\(depositId.stringValue)"
    }

    /// Where the deposit went, as the pool knows it: an account no order was given
    /// (`accountNeverAssigned`) or one the pool does not hold (`unknownAccount`) does not fit;
    /// an account assigned to an order fits (the deposit checks of that order decide it).
    public func fit(pool: AccountPoolState) -> UnfitMoney? {
        let key = deposit.accountKey
        if pool.taken.contains(key) { return nil }
        if pool.accounts.contains(where: { $0.key == key }) {
            return UnfitMoney(
                .accountNeverAssigned,
                "\(amountYen.printed) was credited on \(depositedOn) to a virtual account of the pool that no order was given"
            )
        }
        return UnfitMoney(
            .unknownAccount,
            "\(amountYen.printed) was credited on \(depositedOn) to an account that is not one of "
                + "the ledger's virtual accounts")
    }

    /// The suspense item for this deposit.
    public func unresolvedItem(_ unfit: UnfitMoney, itemId: UUID, now: Date) -> UnresolvedMoneyRecorded {
        UnresolvedMoneyRecorded(
            itemId: itemId, kind: .bankDeposit, reason: unfit.reason, amountYen: amountYen, tradeRegNo: nil,
            settlementNo: nil, orderNo: nil, account: deposit.accountKey, depositId: depositId,
            gatewayTransactionId: nil, receivedAt: now, receivedOn: depositedOn, capture: nil, payerName: payerName,
            explanation: unfit.explanation)
    }
}
