import Foundation

/// LoadVirtualAccounts (COMMANDS.md, actor chamberStaff): the accounts the bank issued, each
/// to be assigned to one order, ever (R45, I14).
public struct LoadVirtualAccounts: Sendable, Hashable, Codable {
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
                    throw .invalid(
                        field,
                        "account \(account.key) is already in the pool with other details; "
                            + "an account is loaded once and never changed (I14)")
                }
                continue
            }
            added.append(account)
        }
        return added
    }
}
