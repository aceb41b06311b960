import Foundation

/// RecordBankDeposit (COMMANDS.md, actor bankFeed): the deposit enters the inbox until a check
/// finds it. Idempotent by `depositId` (I20).
public struct RecordBankDeposit: Sendable, Hashable, Codable {
    /// The deposit as the bank feed reported it: the command's fields are the deposit's.
    public var deposit: BankDeposit

    public init(
        depositId: DepositId, bankCode: BankCode, branchCode: BranchCode, accountNumber: BankAccountNumber,
        amountYen: Yen, depositedOn: JSTDate, payerName: String? = nil
    ) {
        deposit = BankDeposit(
            depositId: depositId, bankCode: bankCode, branchCode: branchCode, accountNumber: accountNumber,
            amountYen: amountYen, depositedOn: depositedOn, payerName: payerName)
    }

    public init(from decoder: any Decoder) throws { deposit = try BankDeposit(from: decoder) }

    private enum CodingKeys: String, CodingKey { case payerName }

    /// Encodes the deposit's fields, `payerName` as null when absent: the form `ledger deposits
    /// import` has always sent, so a file imported again has the same fingerprint and answers `exists`.
    public func encode(to encoder: any Encoder) throws {
        try deposit.encode(to: encoder)
        if deposit.payerName == nil {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encodeNil(forKey: .payerName)
        }
    }

    public var depositId: DepositId { deposit.depositId }
    public var amountYen: Yen { deposit.amountYen }
    public var depositedOn: JSTDate { deposit.depositedOn }
    public var payerName: String? { deposit.payerName }

    /// Decides the recording. `existing` is the deposit already stored under this `depositId`,
    /// if any. Returns the deposit to store, or nil when the same deposit is already stored (a
    /// re-delivery, I20). Refuses an amount of 0, a date after `today`, and the same id with
    /// other details (`existsWithDifferentPayload`).
    public func decide(existing: BankDeposit?, today: JSTDate) throws(Rejection) -> BankDeposit? {
        guard amountYen > .zero else { throw .invalid("amountYen", "a deposit is above 0 yen") }
        guard depositedOn <= today else {
            throw .invalid(
                "depositedOn", "\(depositedOn) is after today (\(today)); a deposit is recorded once credited")
        }
        try TextRules.optional(payerName, field: "payerName", maximum: 200)
        guard let existing else { return deposit }
        guard existing == deposit else {
            throw Rejection(
                .existsWithDifferentPayload,
                "deposit \(depositId) is already recorded with other details; a deposit id names one deposit (I20)",
                details: ["depositId": .string(depositId.stringValue)])
        }
        return nil
    }

    /// The result for the caller; `unresolved` is the suspense item when the deposit went into
    /// no order's account (issue #13).
    public func result(recorded: Bool, unresolved: JSONValue? = nil) -> JSONValue {
        var object: [String: JSONValue] = [
            "depositId": .string(depositId.stringValue),
            "account": .string(deposit.accountKey.description),
            "amountYen": .int(amountYen.value),
            "recorded": .bool(recorded),
        ]
        if let unresolved { object["unresolved"] = unresolved }
        return .object(object)
    }
}
