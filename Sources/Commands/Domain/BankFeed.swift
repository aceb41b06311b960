import Foundation

// The bank feed (inbox) and the virtual-account pool: facts from the bank. The glue keeps them as
// events (BankRecords.swift: `deposit-<id>`, `bankAccount-<…>`, `accountPool-virtual`).
// RecordBankDeposit records a deposit; the deposit checks find it by its account (R45, R49, R50).
// LoadVirtualAccounts fills the pool the orders draw from (I14).

/// One deposit as the bank feed reported it (COMMANDS.md `RecordBankDeposit`).
public struct BankDeposit: Sendable, Hashable, Codable {
    public var depositId: DepositId
    public var bankCode: BankCode
    public var branchCode: BranchCode
    public var accountNumber: BankAccountNumber
    public var amountYen: Yen
    /// The JST date the bank credited the deposit.
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

    /// The account the deposit went into.
    public var accountKey: VirtualAccountKey {
        VirtualAccountKey(bankCode: bankCode, branchCode: branchCode, accountNumber: accountNumber)
    }
}

/// RecordBankDeposit (COMMANDS.md, actor bankFeed): the deposit enters the inbox until a check
/// finds it. Idempotent by `depositId` (I20).
public struct RecordBankDeposit: Sendable, Hashable, Decodable {
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
            throw .invalid("depositedOn", "\(depositedOn) is after today (\(today)); a deposit is recorded once credited")
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

/// LoadVirtualAccounts (COMMANDS.md, actor chamberStaff): the accounts the bank issued, each
/// to be assigned to one order, ever (R45, I14).
public struct LoadVirtualAccounts: Sendable, Hashable, Decodable {
    public var accounts: [VirtualAccount]

    public init(accounts: [VirtualAccount]) { self.accounts = accounts }

    /// Decides what to add to the pool. `existing` are the pool's accounts with the same keys
    /// as some in the command (the glue looks them up). An account already in the pool with the
    /// same details is skipped (a re-load); with other details, or twice in the command, it is
    /// refused. Returns the accounts to insert, in command order.
    public func decide(existing: [VirtualAccount]) throws(Rejection) -> [VirtualAccount] {
        guard !accounts.isEmpty else { throw .invalid("accounts", "at least one account is needed") }
        let known = Dictionary(existing.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        var seen = Set<VirtualAccountKey>()
        var added: [VirtualAccount] = []
        for (index, account) in accounts.enumerated() {
            let field = "accounts[\(index)]"
            try TextRules.require(account.bankName, field: "\(field).bankName", maximum: 100)
            try TextRules.require(account.branchName, field: "\(field).branchName", maximum: 100)
            try TextRules.require(account.accountHolder, field: "\(field).accountHolder", maximum: 100)
            guard seen.insert(account.key).inserted else {
                throw .invalid(field, "account \(account.key) appears twice in this command")
            }
            if let old = known[account.key] {
                guard old == account else {
                    throw .invalid(field, "account \(account.key) is already in the pool with other details; "
                                   + "an account is loaded once and never changed (I14)")
                }
                continue
            }
            added.append(account)
        }
        return added
    }
}
