import Foundation

/// One suspense item (`unresolved-<itemId>`), folded.
public struct UnresolvedMoneyState: Sendable, Hashable {
    /// `open` until staff resolve it, then `resolved`.
    public enum Status: String, Sendable, Hashable, CaseIterable {
        case open, resolved

    }

    /// The label staff see (status_label): 未処理, or 処理済 with how (e.g. 処理済（返金）).
    public static func label(_ resolution: UnresolvedResolution?) -> String {
        guard let resolution else { return "未処理" }
        return "処理済（\(resolution.label)）"
    }

    public var recorded: UnresolvedMoneyRecorded?
    public var resolved: UnresolvedMoneyResolved?
    public var refundsDue: [RefundBecameDue] = []
    public var refundsRecorded: [RefundRecorded] = []

    public init() {}

    public var exists: Bool { recorded != nil }
    public var status: Status? { recorded == nil ? nil : (resolved == nil ? .open : .resolved) }

    public static func evolve(_ state: UnresolvedMoneyState, _ event: UnresolvedMoneyEvent) -> UnresolvedMoneyState {
        var state = state
        switch event {
        case .recorded(let e): state.recorded = e
        case .resolved(let e): state.resolved = e
        case .refundDue(let e): state.refundsDue.append(e)
        case .refundRecorded(let e): state.refundsRecorded.append(e)
        }
        return state
    }

    /// The item as the caller of the recording command sees it (`result.unresolved`).
    public static func resultObject(_ item: UnresolvedMoneyRecorded) -> JSONValue {
        var object: [String: JSONValue] = [
            "itemId": .string(item.itemId.uuidString.lowercased()), "kind": .string(item.kind.rawValue),
            "reason": .string(item.reason.rawValue), "amountYen": .int(item.amountYen.value),
            "state": .string(Status.open.rawValue), "explanation": .string(item.explanation),
        ]
        if let tradeRegNo = item.tradeRegNo { object["tradeRegNo"] = .string(tradeRegNo.stringValue) }
        if let settlementNo = item.settlementNo { object["settlementNo"] = .string(settlementNo.stringValue) }
        if let orderNo = item.orderNo { object["orderNo"] = .string(orderNo.stringValue) }
        if let account = item.account { object["account"] = .string(account.description) }
        if let depositId = item.depositId { object["depositId"] = .string(depositId.stringValue) }
        return .object(object)
    }
}
