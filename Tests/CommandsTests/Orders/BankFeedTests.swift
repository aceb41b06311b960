import Foundation
import Testing

@testable import Commands
@testable import Domain

/// Goal: the bank feed records each deposit once (I20) and the virtual-account pool holds each
/// account once, unchanged (I14); the coupon-order events survive their codec and unknown types
/// are not decoded (I17); EX-15's adjustment limits hold on the same coupon account.
@Suite("Bank feed, account pool and coupon-order codec")
struct BankFeedTests {
    typealias F = OrderFixture

    static func record(_ id: String = "dep-1", amount: Int64 = 13_200, on day: String = "2024-01-22")
        -> RecordBankDeposit
    {
        let deposit = F.deposit(id, amount, on: day)
        return RecordBankDeposit(
            depositId: deposit.depositId, bankCode: deposit.bankCode, branchCode: deposit.branchCode,
            accountNumber: deposit.accountNumber, amountYen: deposit.amountYen, depositedOn: deposit.depositedOn,
            payerName: deposit.payerName)
    }

    @Test("RecordBankDeposit: new, re-delivered, conflicting, zero and future deposits")
    func recordDeposit() throws {
        let today = F.date("2024-01-22")
        let command = Self.record()
        let stored = try #require(try command.decide(existing: nil, today: today))
        #expect(stored == F.deposit("dep-1", 13_200, on: "2024-01-22"))
        #expect(stored.accountKey.description == "0310-502-6818564")
        #expect(try command.decide(existing: stored, today: today) == nil, "a re-delivery is a no-op")
        #expect(F.bool(command.result(recorded: false)["recorded"]) == false)
        let conflicting = F.rejection { try Self.record(amount: 14_000).decide(existing: stored, today: today) }
        #expect(conflicting?.code == .existsWithDifferentPayload)
        #expect(
            F.rejection { try Self.record(amount: 0).decide(existing: nil, today: today) }?.details["field"]
                == .string("amountYen"))
        #expect(
            F.rejection { try Self.record(on: "2024-01-23").decide(existing: nil, today: today) }?.details["field"]
                == .string("depositedOn"))
        let json =
            #"{"depositId":"dep-9","bankCode":"0310","branchCode":"502","accountNumber":"6818564","amountYen":13200,"#
            + #""depositedOn":"2024-01-22"}"#
        let decoded = try JSONCoding.decoder.decode(RecordBankDeposit.self, from: Data(json.utf8))
        #expect(decoded.deposit.payerName == nil && decoded.amountYen == 13_200)
    }

    @Test("LoadVirtualAccounts: new accounts are added, identical re-loads skipped, conflicts and duplicates refused")
    func loadAccounts() throws {
        let json =
            #"{"accounts":[{"bankCode":"0310","bankName":"ジ-エム-アオジ ネット","branchCode":"502","branchName":"アジサイ","#
            + #""accountType":"ordinary","accountNumber":"6818564","accountHolder":"GMO-EPネットケイシヨウメイハツキョウ"},"#
            + #"{"bankCode":"0310","bankName":"ジ-エム-アオジ ネット","branchCode":"502","branchName":"アジサイ","#
            + #""accountType":"ordinary","accountNumber":"6818565","accountHolder":"GMO-EPネットケイシヨウメイハツキョウ"}]}"#
        let command = try JSONCoding.decoder.decode(LoadVirtualAccounts.self, from: Data(json.utf8))
        #expect(try command.decide(existing: []) == [F.account("6818564"), F.account("6818565")])
        #expect(try command.decide(existing: [F.account("6818564")]) == [F.account("6818565")])
        var renamed = F.account("6818564")
        renamed.accountHolder = "GMO-EPN 株式会社"
        #expect(F.rejection { try command.decide(existing: [renamed]) }?.details["field"] == .string("accounts[0]"))
        let twice = LoadVirtualAccounts(accounts: [F.account(), F.account()])
        #expect(F.rejection { try twice.decide(existing: []) }?.details["field"] == .string("accounts[1]"))
        #expect(F.rejection { try LoadVirtualAccounts(accounts: []).decide(existing: []) }?.code == .invalidCommand)
        var unnamed = F.account()
        unnamed.bankName = ""
        #expect(
            F.rejection { try LoadVirtualAccounts(accounts: [unnamed]).decide(existing: []) }?.details["field"]
                == .string("accounts[0].bankName"))
        let current = json.replacingOccurrences(
            of: #""accountType":"ordinary","accountNumber":"6818565""#,
            with: #""accountType":"current","accountNumber":"6818565""#)
        #expect(throws: DecodingError.self) {
            try JSONCoding.decoder.decode(LoadVirtualAccounts.self, from: Data(current.utf8))
        }
    }

    @Test("Every coupon-order event type round-trips; an unknown type is not decoded")
    func codec() throws {
        let orderNo = F.orderNo("202401198888000004000001")
        let now = F.at("2024-01-19 10:00:00")
        let events: [CouponOrderEvent] = [
            .placed(
                CouponOrderPlaced(
                    orderNo: orderNo, tradeRegNo: F.tradeRegNo, chamberId: F.chamber, buyerUserId: F.jiro,
                    buyerName: "日商 次郎",
                    membership: .member, paymentMethod: .card,
                    lines: [
                        CouponLine(
                            productCode: "ten-pack", label: "10枚綴りクーポン", packSize: 10, unitPriceYen: 3_300,
                            faceValueYen: 12_100, quantity: 4, lineAmountYen: 13_200)
                    ],
                    totalCoupons: 40, amountYen: 13_200, taxableAmountYen: 12_000, consumptionTaxYen: 1_200,
                    emailOptIn: true,
                    email: "test@ccci.or.jp", orderDate: F.date("2024-01-19"), placedAt: now,
                    settlementNo: F.settlementNo("20240119-8888000004-00001"))),
            .virtualAccountAssigned(
                VirtualAccountAssigned(orderNo: orderNo, account: F.account(), validUntil: F.date("2024-02-18"))),
            .depositChecked(
                BankDepositChecked(
                    orderNo: orderNo, trigger: .nightly, staffId: nil, checkedAt: now, found: true,
                    businessDate: F.date("2024-01-22"))),
            .depositReceived(
                BankDepositReceived(
                    orderNo: orderNo, depositId: F.depositId("d"), amountYen: 12_980, depositedOn: F.date("2024-01-22"),
                    payerName: nil, detectedAt: now, detectedBy: .manual, staffId: F.staff, deltaYen: -220,
                    acceptedForOrder: false,
                    scheduledIssueDate: nil)),
            .fulfilled(
                CouponOrderFulfilled(
                    orderNo: orderNo, coupons: 40, settledAmountYen: 13_200,
                    confirmationDate: F.date("2024-01-23"), settlementNo: nil, late: false)),
            .cancelled(CouponOrderCancelled(orderNo: orderNo, by: .buyer, byId: "jiro", reason: nil)),
            .expired(CouponOrderExpired(orderNo: orderNo, validUntil: F.date("2024-02-18"), expiredAt: now)),
            .closedUnderpaid(
                CouponOrderClosedUnderpaid(
                    orderNo: orderNo, depositId: F.depositId("d"), receivedYen: 12_980,
                    orderAmountYen: 13_200)),
            .paymentFailed(
                CouponOrderPaymentFailed(
                    orderNo: orderNo, settlementNo: F.settlementNo("20240119-8888000004-00001"),
                    cause: .failed, errorCode: try GatewayErrorCode(parsing: "E11310004"))),
            .refundDue(
                RefundBecameDue(
                    refundId: F.uuid(1), reason: .underpayment, basisYen: 12_980, costsDeductible: false,
                    depositId: F.depositId("d"), settlementNo: nil, tradeRegNo: F.tradeRegNo,
                    refundingChamberId: F.chamber)),
            .refundRecorded(
                RefundRecorded(
                    refundId: F.uuid(1), paidYen: 12_980, deductedCostsYen: 0, paidOn: F.date("2024-01-30"),
                    staffId: F.staff, method: .bankTransfer, reference: "振込 123")),
        ]
        #expect(Set(events.map(\.pending.eventType)).count == 11)
        for event in events {
            let pending = event.pending
            #expect(
                try CouponOrderEvent.decode(eventType: pending.eventType, data: Data(pending.data.utf8)) == event,
                "\(pending.eventType)")
        }
        #expect(try CouponOrderEvent.decode(eventType: "CouponUsed", data: Data("{}".utf8)) == nil)
        // The wire names of the enums are the ones of DOMAIN.md §6.
        let received = events[3].pending.data
        #expect(received.contains(#""detectedBy":"manual""#) && received.contains(#""deltaYen":-220"#))
        #expect(events[1].pending.data.contains(#""accountType":"ordinary""#))
        #expect(events[1].pending.data.contains(#""validUntil":"2024-02-18""#))
    }

    /// EX-15: (available, delta, reason, rejected code or nil, balance after).
    static let ex15: [(String, Int32, Int32, String, RejectionCode?, Int32?)] = [
        ("remove 2 of 1", 1, -2, "誤発行の取消", .insufficientCoupons, nil),
        ("remove 1 of 1", 1, -1, "誤発行の取消", nil, 0),
        ("add 3 without a reason", 1, 3, "", .invalidCommand, nil),
    ]

    @Test("EX-15 chamber adjustments never make the balance negative and need a reason", arguments: ex15)
    func ex15Adjustments(_ row: (String, Int32, Int32, String, RejectionCode?, Int32?)) {
        let company = F.company(available: row.1)
        let command = AdjustCoupons(tradeRegNo: F.tradeRegNo, delta: SignedCount(exactly: row.2)!, reason: row.3)
        do {
            let events = try command.decide(company, staff: F.staff, chamber: F.chamber, adjustmentId: F.uuid(15))
            #expect(row.4 == nil, "\(row.0) was accepted")
            if case .couponsAdjusted(let adjusted)? = events.first { #expect(adjusted.balanceAfter.value == row.5) }
        } catch {
            #expect(error.code == row.4, "\(row.0)")
        }
    }
}
