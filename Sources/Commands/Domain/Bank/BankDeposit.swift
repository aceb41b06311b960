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
