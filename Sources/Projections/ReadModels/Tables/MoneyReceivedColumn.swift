/// The columns of `projections.money_received` (issue #13, under `daily_totals`), in table order.
public enum MoneyReceivedColumn: String, ReadModelColumn {
    case itemKey, kind, source, receivedOn, amountYen, settlementNo, tradeRegNo, depositId, bankCode, branchCode,
        accountNumber, unresolved, position

    public static let table = ReadModelTable<Self>(
        "money_received", key: [.itemKey],
        types: [.bigint: [.amountYen, .position], .date: [.receivedOn], .boolean: [.unresolved]])
}
