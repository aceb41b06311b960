import Foundation

/// The demo as JSON lines, as `ledger demo` sent them before it sent typed commands: the typed
/// script must store exactly what these store.
enum DemoJSONLines {
    static let staff = #"{"kind":"chamberStaff","id":"kamikochi-staff","chamberId":"kamikochi","name":"上高地 担当"}"#
    static let taro = #"{"kind":"companyUser","id":"taro","tradeRegNo":"8888000004","name":"日商 太郎"}"#
    static let ichiro = #"{"kind":"companyUser","id":"ichiro","tradeRegNo":"8888000004","name":"日商 一郎"}"#
    static let jiro = #"{"kind":"subUser","id":"jiro","tradeRegNo":"8888000004","issuedBy":"taro","name":"日商 次郎"}"#
    static let gateway = #"{"kind":"gateway","id":"gateway"}"#

    /// (step name, JSON line); command ids are fixed so the script reads the same every run.
    static func lines() -> [(String, String)] {
        var n = 0
        func id() -> String {
            n += 1
            return String(format: "00000000-0000-4000-8000-%012d", n)
        }
        func application(
            _ actor: String, _ reception: String, _ kind: String, _ invoice: String, _ method: String,
            _ at: String
        ) -> String {
            #"{"command":"SubmitApplication","commandId":"\#(id())","actor":\#(actor),"at":"\#(at)","receptionNo":"\#(reception)","certificateKind":"\#(kind)","invoiceNumber":"\#(invoice)","applicantName":"日商 一郎","destinationCountry":"タイ","applicationDate":"\#(at.prefix(10))","issuanceChannel":"online","paymentMethod":"\#(method)"}"#
        }
        func approve(_ reception: String, _ at: String) -> String {
            #"{"command":"ApproveApplication","commandId":"\#(id())","actor":\#(staff),"at":"\#(at)","receptionNo":"\#(reception)","certificateNumber":"8888642\#(reception.suffix(8))"}"#
        }
        func addToCart(_ actor: String, _ reception: String, _ at: String) -> String {
            #"{"command":"AddToCart","commandId":"\#(id())","actor":\#(actor),"at":"\#(at)","receptionNo":"\#(reception)"}"#
        }
        func start(_ actor: String, _ at: String) -> String {
            #"{"command":"StartCardPayment","commandId":"\#(id())","actor":\#(actor),"at":"\#(at)"}"#
        }
        return [
            (
                "tariff",
                #"{"command":"PublishTariff","commandId":"\#(id())","actor":\#(staff),"at":"2026-03-20T09:00:00+09:00","chamberId":"kamikochi","effectiveFrom":"2026-04-01","applicationFeeYen":{"member":1210,"nonMember":3630},"registrationFeeYen":{"applicant":{"member":0,"nonMember":16500},"agent":{"member":0,"nonMember":null}},"couponProducts":[{"productCode":"M1","label":"1枚綴りクーポン","membership":"member","packSize":1,"priceYen":1210,"faceValueYen":1210},{"productCode":"M30","label":"30枚綴りクーポン","membership":"member","packSize":30,"priceYen":35090,"faceValueYen":36300},{"productCode":"N1","label":"1枚綴りクーポン","membership":"nonMember","packSize":1,"priceYen":3630,"faceValueYen":3630}]}"#
            ),
            (
                "company",
                #"{"command":"RegisterCompany","commandId":"\#(id())","actor":\#(staff),"at":"2026-03-20T09:10:00+09:00","tradeRegNo":"8888000004","companyName":"日商テスト商事株式会社","address":"東京都千代田区丸の内3-2-2","department":"貿易部","chamberId":"kamikochi","membership":"member","paymentMethods":["bankTransfer","card"],"effectiveFrom":"2026-03-20"}"#
            ),
            (
                "accounts",
                #"{"command":"LoadVirtualAccounts","commandId":"\#(id())","actor":\#(staff),"at":"2026-03-20T09:20:00+09:00","accounts":[{"bankCode":"0310","bankName":"ＧＭＯあおぞらネット銀行","branchCode":"502","branchName":"法人第二営業部","accountType":"ordinary","accountNumber":"6818564","accountHolder":"ﾆﾂﾎﾟﾝｼﾖｳｺｳｶｲｷﾞｼﾖ"},{"bankCode":"0310","bankName":"ＧＭＯあおぞらネット銀行","branchCode":"502","branchName":"法人第二営業部","accountType":"ordinary","accountNumber":"6818565","accountHolder":"ﾆﾂﾎﾟﾝｼﾖｳｺｳｶｲｷﾞｼﾖ"}]}"#
            ),
            // A card cart of two certificates (EX-1).
            (
                "apply-4172",
                application(ichiro, "000004172", "originForeign", "inv00024680", "card", "2026-04-06T09:00:00+09:00")
            ),
            (
                "apply-12641",
                application(ichiro, "000012641", "originJapan", "inv00013569", "card", "2026-04-06T09:05:00+09:00")
            ),
            ("approve-4172", approve("000004172", "2026-04-06T09:30:00+09:00")),
            ("approve-12641", approve("000012641", "2026-04-06T09:31:00+09:00")),
            ("cart-4172", addToCart(ichiro, "000004172", "2026-04-06T09:59:00+09:00")),
            ("cart-12641", addToCart(ichiro, "000012641", "2026-04-06T09:59:30+09:00")),
            ("pay", start(ichiro, "2026-04-06T10:00:00+09:00")),
            (
                "paid",
                #"{"command":"RecordGatewayResult","commandId":"\#(id())","actor":\#(gateway),"at":"2026-04-06T10:02:00+09:00","settlementNo":"20260406-8888000004-00001","outcome":"succeeded","gatewayTransactionId":"GW-0001","capturedAmountYen":2420,"cardBrand":"visa","threeDSecure":true}"#
            ),
            // A failed attempt (EX-4).
            ("apply-3441", application(taro, "000003441", "invoice", "NEI-0158", "card", "2026-04-06T11:00:00+09:00")),
            ("approve-3441", approve("000003441", "2026-04-06T11:30:00+09:00")),
            ("cart-3441", addToCart(taro, "000003441", "2026-04-06T12:00:00+09:00")),
            ("pay-3441", start(taro, "2026-04-06T12:01:00+09:00")),
            (
                "failed",
                #"{"command":"RecordGatewayResult","commandId":"\#(id())","actor":\#(gateway),"at":"2026-04-06T12:03:00+09:00","settlementNo":"20260406-8888000004-00002","outcome":"failed","gatewayTransactionId":"GW-0002","errorCode":"E11310004","gatewayMessage":"カード会社で取引が承認されませんでした"}"#
            ),
            // The coupon history with balance 6 and pending 11 (EX-10, at 2026 prices).
            (
                "adjust",
                #"{"command":"AdjustCoupons","commandId":"\#(id())","actor":\#(staff),"at":"2026-04-07T09:58:00+09:00","tradeRegNo":"8888000004","delta":1,"reason":"試用分の付与"}"#
            ),
            (
                "card-order",
                #"{"command":"PlaceCouponOrder","commandId":"\#(id())","actor":\#(jiro),"at":"2026-04-07T10:00:30+09:00","paymentMethod":"card","lines":[{"productCode":"M1","quantity":5}],"buyerName":"日商 次郎","emailOptIn":true,"email":"jiro@example.jp"}"#
            ),
            (
                "card-order-paid",
                #"{"command":"RecordGatewayResult","commandId":"\#(id())","actor":\#(gateway),"at":"2026-04-07T10:01:00+09:00","settlementNo":"20260407-8888000004-00001","outcome":"succeeded","gatewayTransactionId":"GW-0003","capturedAmountYen":6050,"cardBrand":"jcb","threeDSecure":true}"#
            ),
            (
                "bank-order",
                #"{"command":"PlaceCouponOrder","commandId":"\#(id())","actor":\#(jiro),"at":"2026-04-07T10:02:00+09:00","paymentMethod":"bankTransfer","lines":[{"productCode":"M1","quantity":11}],"buyerName":"日商 次郎","emailOptIn":true,"email":"jiro@example.jp"}"#
            ),
            // A coupon use and return.
            (
                "use",
                application(ichiro, "000099991", "signature", "inv00099991", "coupon", "2026-04-07T11:00:00+09:00")
            ),
            (
                "return",
                #"{"command":"PutApplicationOnHold","commandId":"\#(id())","actor":\#(staff),"at":"2026-04-07T11:30:00+09:00","receptionNo":"000099991","reason":"インボイスの記載に不備があります"}"#
            ),
        ]
    }
}
