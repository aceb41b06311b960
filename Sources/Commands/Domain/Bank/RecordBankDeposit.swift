import Foundation

/// RecordBankDeposit (COMMANDS.md, actor bankFeed): the deposit enters the inbox until a check
/// finds it. Idempotent by `depositId` (I20).
public struct RecordBankDeposit: Sendable, Hashable, Codable {
    public var depositId: DepositId
    public var bankCode: BankCode
    public var branchCode: BranchCode
    public var accountNumber: BankAccountNumber
    public var amountYen: Yen
    public var depositedOn: JSTDate
    public var payerName: String?

    public init(
        depositId: DepositId, bankCode: BankCode, branchCode: BranchCode, accountNumber: BankAccountNumber,
        amountYen: Yen, depositedOn: JSTDate, payerName: String? = nil
    ) {
        self.depositId = depositId
        self.bankCode = bankCode
        self.branchCode = branchCode
        self.accountNumber = accountNumber
        self.amountYen = amountYen
        self.depositedOn = depositedOn
        self.payerName = payerName
    }

    private enum CodingKeys: String, CodingKey {
        case depositId, bankCode, branchCode, accountNumber, amountYen, depositedOn, payerName
    }

    /// Encodes every member, `payerName` as null when absent: the form `ledger deposits import`
    /// has always sent, so a file imported again has the same fingerprint and answers `exists`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(depositId, forKey: .depositId)
        try container.encode(bankCode, forKey: .bankCode)
        try container.encode(branchCode, forKey: .branchCode)
        try container.encode(accountNumber, forKey: .accountNumber)
        try container.encode(amountYen, forKey: .amountYen)
        try container.encode(depositedOn, forKey: .depositedOn)
        try container.encode(payerName, forKey: .payerName)
    }

    /// The deposit as recorded.
    public var deposit: BankDeposit {
        BankDeposit(
            depositId: depositId, bankCode: bankCode, branchCode: branchCode, accountNumber: accountNumber,
            amountYen: amountYen, depositedOn: depositedOn, payerName: payerName)
    }

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

    /// The result for the caller.
    public func result(recorded: Bool) -> JSONValue {
        .object([
            "depositId": .string(depositId.stringValue),
            "account": .string(deposit.accountKey.description),
            "amountYen": .int(amountYen.value),
            "recorded": .bool(recorded),
        ])
    }
}
