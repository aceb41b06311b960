import Foundation

/// The card gateway's status query (R21; docs/gateway.md): asked by the sweeper for every
/// attempt past its deadline before the ledger declares it lost. An implementation never throws:
/// every failure (refused connection, HTTP error, unreadable answer, no answer within its
/// timeout) is `GatewayAnswer.unreachable` with the reason, and it returns within its timeout.
public protocol PaymentGateway: Sendable {
    /// What the gateway knows of the attempt `settlementNo`.
    func status(of settlementNo: SettlementNo) async -> GatewayAnswer
}
