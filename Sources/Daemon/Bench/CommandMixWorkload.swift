import Commands
import EventStore
import Foundation
import Synchronization

/// The `commands` workload: what a chamber's day looks like, through the command handler. Each
/// client owns one company and repeats one round of eight commands:
/// - a chamber adjustment (+2 coupons);
/// - an application paid with a coupon, then its approval (which uses the coupon);
/// - an application paid by card, its approval, the cart, the card payment and the gateway's
///   success (a settlement, a statement).
/// Every command must be accepted; a round's latency is reported per command.
enum CommandMixWorkload {
    static let staff = #"{"kind":"chamberStaff","id":"bench","chamberId":"kamikochi"}"#
    static let gateway = #"{"kind":"gateway","id":"gateway"}"#

    static func run(conninfo: String, clients: Int, seconds: Double) async throws -> Workloads.Result {
        let pool = ConnectionPool(.init(conninfo: conninfo, maximumConnections: clients))
        let handler = CommandHandler(store: PostgresEventStore(pool: pool))
        defer { Task { await pool.close() } }
        let prefix = Int.random(in: 100...999)
        @Sendable func company(_ client: Int) -> String { "\(prefix)\(String(format: "%07d", client))" }
        try await expectOK(
            handler,
            #"{"command":"PublishTariff","commandId":"\#(UUID())","actor":\#(staff),"chamberId":"kamikochi","effectiveFrom":"2026-04-01","applicationFeeYen":{"member":1210,"nonMember":3630},"registrationFeeYen":{"applicant":{"member":0,"nonMember":16500},"agent":{"member":0,"nonMember":null}},"couponProducts":[{"productCode":"M1","label":"1枚綴りクーポン","membership":"member","packSize":1,"priceYen":1210,"faceValueYen":1210}]}"#,
            allowRejected: true)
        for client in 0..<clients {
            try await expectOK(
                handler,
                #"{"command":"RegisterCompany","commandId":"\#(UUID())","actor":\#(staff),"tradeRegNo":"\#(company(client))","companyName":"bench","chamberId":"kamikochi","membership":"member","paymentMethods":["bankTransfer","card"]}"#
            )
        }
        let rejected = Mutex<[String]>([])
        var result = try await Workloads.timedRounds(clients: clients, seconds: seconds) { client, round in
            let user = #"{"kind":"companyUser","id":"user\#(client)","tradeRegNo":"\#(company(client))"}"#
            let base = (client * 1_000_000 + round * 2) % 1_000_000_000
            let couponReception = String(format: "%09d", base)
            let cardReception = String(format: "%09d", base + 1)
            func application(_ reception: String, _ method: String) -> String {
                #"{"command":"SubmitApplication","commandId":"\#(UUID())","actor":\#(user),"receptionNo":"\#(reception)","certificateKind":"originJapan","invoiceNumber":"INV\#(reception)","applicantName":"bench","destinationCountry":"タイ","applicationDate":"2026-11-27","issuanceChannel":"online","paymentMethod":"\#(method)"}"#
            }
            func approve(_ reception: String) -> String {
                #"{"command":"ApproveApplication","commandId":"\#(UUID())","actor":\#(staff),"receptionNo":"\#(reception)","certificateNumber":"8888642\#(reception.suffix(8))"}"#
            }
            var lines = [
                #"{"command":"AdjustCoupons","commandId":"\#(UUID())","actor":\#(staff),"tradeRegNo":"\#(company(client))","delta":2,"reason":"bench"}"#,
                application(couponReception, "coupon"), approve(couponReception),
                application(cardReception, "card"), approve(cardReception),
                #"{"command":"AddToCart","commandId":"\#(UUID())","actor":\#(user),"receptionNo":"\#(cardReception)"}"#,
                #"{"command":"StartCardPayment","commandId":"\#(UUID())","actor":\#(user)}"#,
            ]
            var latencies: [Double] = []
            var index = 0
            while index < lines.count {
                let started = ContinuousClock.now
                let outcome = await handler.execute(line: Data(lines[index].utf8))
                latencies.append(Workloads.milliseconds(ContinuousClock.now - started))
                guard outcome.succeeded else {
                    rejected.withLock { $0.append("\(outcome.jsonValue.jsonText.prefix(300))") }
                    return latencies
                }
                if index == lines.count - 1, lines.count == 7,
                    case .object(let fields)? = outcome.result,
                    case .string(let settlementNo)? = fields["settlementNo"],
                    case .int(let amount)? = fields["amountYen"]
                {
                    lines.append(
                        #"{"command":"RecordGatewayResult","commandId":"\#(UUID())","actor":\#(gateway),"settlementNo":"\#(settlementNo)","outcome":"succeeded","gatewayTransactionId":"GW-\#(UUID().uuidString.prefix(8))","capturedAmountYen":\#(amount),"cardBrand":"visa","threeDSecure":true}"#
                    )
                }
                index += 1
            }
            return latencies
        }
        let failures = rejected.withLock { $0 }
        result.lost = failures.count
        if let first = failures.first {
            FileHandle.standardError.write(
                Data("bench: \(failures.count) commands of the mix were not accepted; first: \(first)\n".utf8))
        }
        return result
    }

    static func expectOK(_ handler: CommandHandler, _ line: String, allowRejected: Bool = false) async throws {
        let outcome = await handler.execute(line: Data(line.utf8))
        guard outcome.succeeded || (allowRejected && outcome.status == .rejected) else {
            throw BenchFailure("setting up the command mix failed: \(outcome.jsonValue.jsonText.prefix(300))")
        }
    }
}
