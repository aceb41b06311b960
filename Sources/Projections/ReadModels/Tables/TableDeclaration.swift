/// A read-model table as its code declares it: name and ordered columns with their SQL types.
public struct TableDeclaration: Sendable {
    public var name: String
    public var columns: [(name: String, type: SQLType)]

    /// Every read-model table the projections write.
    public static let all: [TableDeclaration] = [
        CouponBalanceColumn.declaration, ApplicationStatusColumn.declaration, CreditStatementColumn.declaration,
        CouponHistoryColumn.declaration, CouponOrderColumn.declaration, PaymentAttemptColumn.declaration,
        RefundColumn.declaration, NotifierOrderColumn.declaration, NotificationOutboxColumn.declaration,
        UnresolvedMoneyColumn.declaration, MoneyReceivedColumn.declaration,
    ]
}
