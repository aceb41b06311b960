import EventStore
import Foundation
import TestSupport
import Testing

@testable import Commands
@testable import Daemon
@testable import Domain

/// `JSONCoding.decodeEvent` (the flat-object fast path) must give exactly what `JSONDecoder` gives:
/// the same value, or an error where `JSONDecoder` fails.
@Suite("flat JSON decoder")
struct FlatJSONDecoderTests {
    /// Every event type, by name: whether both decoders agree on `data` (nil: the type is unknown).
    static func agree(_ eventType: String, _ data: Data) -> Bool? {
        func check<T: DomainEvent>(_ type: T.Type) -> (String, (Data) -> Bool) {
            (
                T.eventType,
                { data in
                    let reference = try? JSONCoding.decoder.decode(T.self, from: data)
                    let fast = FlatJSONDecoder.decode(T.self, from: data)
                    let combined = try? JSONCoding.decodeEvent(T.self, from: data)
                    // The fast path may decline (nil); when it answers it answers like JSONDecoder.
                    return (fast == nil || fast == reference) && combined == reference
                }
            )
        }
        let checks = Dictionary(uniqueKeysWithValues: [
            check(CompanyProfileRecorded.self),
            check(MembershipChanged.self),
            check(PaymentMethodsConfigured.self),
            check(CouponUsed.self),
            check(CouponReturned.self),
            check(CouponsAdjustedByChamber.self),
            check(CouponPurchaseOpened.self),
            check(CouponPurchaseClosed.self),
            check(CouponsIssued.self),
            check(ApplicationSubmitted.self),
            check(ApplicationResubmitted.self),
            check(ApplicationPutOnHold.self),
            check(ApplicationApproved.self),
            check(ApplicationPaymentLinked.self),
            check(ApplicationPaymentReleased.self),
            check(ApplicationIssued.self),
            check(ApplicationWithdrawn.self),
            check(VirtualAccountsLoaded.self),
            check(VirtualAccountTaken.self),
            check(BankDepositRecorded.self),
            check(TariffPublished.self),
            check(PaymentAttemptStarted.self),
            check(PaymentAttemptSucceeded.self),
            check(PaymentAttemptFailed.self),
            check(PaymentAttemptTimedOut.self),
            check(PaymentAttemptAbandoned.self),
            check(StatementIssued.self),
            check(RefundBecameDue.self),
            check(RefundRecorded.self),
            check(CartItemAdded.self),
            check(CartItemRemoved.self),
            check(CartCheckedOut.self),
            check(CouponOrderPlaced.self),
            check(VirtualAccountAssigned.self),
            check(BankDepositChecked.self),
            check(BankDepositReceived.self),
            check(CouponOrderFulfilled.self),
            check(CouponOrderCancelled.self),
            check(CouponOrderExpired.self),
            check(CouponOrderClosedUnderpaid.self),
            check(CouponOrderPaymentFailed.self),
            check(NumberAllocated.self),
        ])
        return checks[eventType].map { $0(data) }
    }

    @Test("the demo's events, as jsonb prints them, decode the same both ways")
    func demoEvents() async throws {
        let test = try await TestDatabase.freshStore()
        let handler = CommandHandler(
            store: test.store, clockMode: .input,
            chamberNames: [try ChamberId(parsing: "kamikochi"): "上高地商工会議所"])
        for step in try DemoScript.steps() {
            let outcome = await step.run(handler)
            #expect(outcome.succeeded, "\(step.name)")
        }
        let events = try await test.store.read(afterPosition: 0)
        #expect(events.count > 30)
        var types = Set<String>()
        for event in events {
            let agreed = Self.agree(event.eventType, Data(event.data.utf8))
            #expect(agreed != false, "\(event.eventType): \(event.data)")
            if agreed != nil { types.insert(event.eventType) }
        }
        #expect(types.count > 15, "\(types.sorted())")
    }

    @Test("edge cases: escapes, unicode, nulls, numbers, nesting, duplicates, wrong types")
    func edgeCases() {
        let uuid = "6ba7b810-9dad-11d1-80b4-00c04fd430c8"
        func adjusted(
            _ reason: String, delta: String = "1", balance: String = "5", staff: String = "\"s1\"",
            extra: String = ""
        ) -> String {
            #"{"delta": \#(delta), "reason": \#(reason), "staffId": \#(staff), "chamberId": "kamikochi", "adjustmentId": "\#(uuid)", "balanceAfter": \#(balance)\#(extra)}"#
        }
        let cases = [
            adjusted("\"bench 1\""), adjusted("\"会議所 操作 👩‍👩‍👧\""), adjusted(#""a\"b""#), adjusted(#""a\b""#),
            adjusted(#""\u00e9""#), adjusted(#""tab\there""#), adjusted("\"\""), adjusted("null"), adjusted("5"),
            adjusted("\"x\"", delta: "-3"), adjusted("\"x\"", delta: "0"), adjusted("\"x\"", delta: "-0"),
            adjusted("\"x\"", delta: "1.0"), adjusted("\"x\"", delta: "1e2"), adjusted("\"x\"", delta: "01"),
            adjusted("\"x\"", delta: "2147483648"), adjusted("\"x\"", delta: "-2147483648"),
            adjusted("\"x\"", delta: "99999999999999999999"), adjusted("\"x\"", delta: "\"1\""),
            adjusted("\"x\"", balance: "-1"), adjusted("\"x\"", balance: "true"), adjusted("\"x\"", staff: "\" s1\""),
            adjusted("\"x\"", staff: "null"), adjusted("\"x\"", staff: "\"\""),
            adjusted("\"x\"", extra: #", "more": [1, 2]"#),
            adjusted("\"x\"", extra: #", "more": {"a": 1}"#), adjusted("\"x\"", extra: #", "reason": "again""#),
            adjusted("\"x\"", extra: #", "unknown": null"#), "{}", "[]", "null", "", "{", #"{"delta": 1,}"#,
            #"  {"delta":1,"reason":"r","staffId":"s","chamberId":"c","adjustmentId":"\#(uuid)","balanceAfter":0}  "#,
            #"{"delta":1,"reason":"r","staffId":"s","chamberId":"c","adjustmentId":"\#(uuid.uppercased())","balanceAfter":0}"#,
            #"{"delta":1,"reason":"r","staffId":"s","chamberId":"c","adjustmentId":"not-a-uuid","balanceAfter":0}"#,
        ]
        for text in cases {
            #expect(Self.agree(CouponsAdjustedByChamber.eventType, Data(text.utf8)) == true, "\(text)")
        }
        // Invalid UTF-8 inside a string.
        var bytes = Data(adjusted("\"ab\"").utf8)
        bytes[bytes.firstRange(of: Data("ab".utf8))!.lowerBound] = 0xFF
        #expect(Self.agree(CouponsAdjustedByChamber.eventType, bytes) == true)
        // A plain payload takes the fast path.
        #expect(FlatJSONDecoder.decode(CouponsAdjustedByChamber.self, from: Data(adjusted("\"bench 1\"").utf8)) != nil)
        // Optional fields absent or null; dates and nested values decline to JSONDecoder.
        for text in [
            #"{"orderNo": "x", "outcome": "fulfilled"}"#,
            #"{"membership": "member", "effectiveFrom": "2026-04-01", "staffId": "s1"}"#,
            #"{"membership": "member", "effectiveFrom": "2026-02-30", "staffId": "s1"}"#,
        ] {
            #expect(Self.agree(CouponPurchaseClosed.eventType, Data(text.utf8)) == true, "\(text)")
            #expect(Self.agree(MembershipChanged.eventType, Data(text.utf8)) == true, "\(text)")
        }
    }
}
