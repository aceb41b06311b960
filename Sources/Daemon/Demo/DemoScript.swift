import Commands
import Foundation

/// The demo's commands: the guide's worked examples with the 2026-04-01 tariff, as typed values.
enum DemoScript {
    /// One step: a typed command, who sends it and when; command ids are fixed so the script
    /// reads the same every run.
    struct Step: Sendable {
        let name: String
        let id: UUID
        let actor: CommandActor
        let at: Date
        let command: any LedgerCommand

        func run(_ handler: CommandHandler) async -> CommandOutcome {
            await handler.execute(command, id: id, actor: actor, at: at)
        }
    }

    static func steps() throws -> [Step] {
        let company = try TradeRegNo(parsing: "8888000004")
        let chamber = try ChamberId(parsing: "kamikochi")
        let staff = CommandActor(kind: .chamberStaff, id: "kamikochi-staff", name: "上高地 担当", chamberId: chamber)
        let taro = CommandActor(kind: .companyUser, id: "taro", tradeRegNo: company, name: "日商 太郎")
        let ichiro = CommandActor(kind: .companyUser, id: "ichiro", tradeRegNo: company, name: "日商 一郎")
        let jiro = CommandActor(
            kind: .subUser, id: "jiro", tradeRegNo: company, name: "日商 次郎",
            issuedBy: try UserId(parsing: "taro"))
        let gateway = CommandActor(kind: .gateway, id: "gateway")

        var n = 0
        func step(_ name: String, _ actor: CommandActor, _ at: String, _ command: some LedgerCommand) throws -> Step {
            n += 1
            guard let id = UUID(uuidString: String(format: "00000000-0000-4000-8000-%012d", n)),
                let time = RFC3339.parse(at)
            else { throw fail("demo step \(name) has a malformed id or time") }
            return Step(name: name, id: id, actor: actor, at: time, command: command)
        }
        func application(
            _ name: String, _ actor: CommandActor, _ reception: String, _ kind: CertificateKind,
            _ invoice: String, _ method: PaymentMethod, _ at: String
        ) throws -> Step {
            try step(
                name, actor, at,
                SubmitApplication(
                    receptionNo: try ReceptionNo(parsing: reception), certificateKind: kind, destinationCountry: "タイ",
                    invoiceNumber: invoice, applicantName: "日商 一郎",
                    applicationDate: try JSTDate(parsing: String(at.prefix(10))),
                    issuanceChannel: .online, paymentMethod: method))
        }
        func approve(_ name: String, _ reception: String, _ at: String) throws -> Step {
            try step(
                name, staff, at,
                ApproveApplication(
                    receptionNo: try ReceptionNo(parsing: reception), certificateNumber: "8888642\(reception.suffix(8))"
                ))
        }
        func addToCart(_ name: String, _ actor: CommandActor, _ reception: String, _ at: String) throws -> Step {
            try step(name, actor, at, AddToCart(receptionNo: try ReceptionNo(parsing: reception)))
        }
        func start(_ name: String, _ actor: CommandActor, _ at: String) throws -> Step {
            try step(name, actor, at, StartCardPayment())
        }
        func gatewayResult(
            _ name: String, _ at: String, _ settlement: String, _ outcome: RecordGatewayResult.Outcome,
            _ transaction: String, captured: Yen? = nil, brand: CardBrand? = nil,
            errorCode: String? = nil, message: String? = nil
        ) throws -> Step {
            try step(
                name, gateway, at,
                RecordGatewayResult(
                    settlementNo: try SettlementNo(parsing: settlement), outcome: outcome,
                    gatewayTransactionId: try GatewayTransactionId(parsing: transaction), capturedAmountYen: captured,
                    cardBrand: brand, threeDSecure: outcome == .succeeded ? true : nil,
                    errorCode: try errorCode.map { try GatewayErrorCode(parsing: $0) }, gatewayMessage: message))
        }
        func couponOrder(_ name: String, _ method: CouponPaymentMethod, packs: Count, _ at: String) throws -> Step {
            try step(
                name, jiro, at,
                PlaceCouponOrder(
                    paymentMethod: method, lines: [.init(productCode: "M1", quantity: packs)], buyerName: "日商 次郎",
                    emailOptIn: true, email: "jiro@example.jp"))
        }
        func account(_ number: String) throws -> VirtualAccount {
            VirtualAccount(
                bankCode: try BankCode(parsing: "0310"), bankName: "ＧＭＯあおぞらネット銀行",
                branchCode: try BranchCode(parsing: "502"), branchName: "法人第二営業部", accountType: .ordinary,
                accountNumber: try BankAccountNumber(parsing: number), accountHolder: "ﾆﾂﾎﾟﾝｼﾖｳｺｳｶｲｷﾞｼﾖ")
        }
        let tariff = PublishTariff(
            chamberId: chamber, effectiveFrom: try JSTDate(parsing: "2026-04-01"),
            applicationFeeYen: MembershipPrices(member: 1210, nonMember: 3630),
            registrationFeeYen: RegistrationFees(
                applicant: MembershipPrices(member: 0, nonMember: 16500), agent: .init(member: 0, nonMember: nil)),
            couponProducts: [
                CouponProduct(
                    productCode: "M1", label: "1枚綴りクーポン", membership: .member, packSize: 1, priceYen: 1210,
                    faceValueYen: 1210),
                CouponProduct(
                    productCode: "M30", label: "30枚綴りクーポン", membership: .member, packSize: 30,
                    priceYen: 35090, faceValueYen: 36300),
                CouponProduct(
                    productCode: "N1", label: "1枚綴りクーポン", membership: .nonMember, packSize: 1,
                    priceYen: 3630, faceValueYen: 3630),
            ])
        let registration = RegisterCompany(
            tradeRegNo: try TradeRegNoAsIssued(parsing: "8888000004"), companyName: "日商テスト商事株式会社",
            address: "東京都千代田区丸の内3-2-2", department: "貿易部", chamberId: chamber, membership: .member,
            paymentMethods: [.bankTransfer, .card], effectiveFrom: try JSTDate(parsing: "2026-03-20"))
        guard let trialGrant = SignedCount(exactly: 1) else { throw fail("demo: a change of 1 must be valid") }
        return [
            try step("tariff", staff, "2026-03-20T09:00:00+09:00", tariff),
            try step("company", staff, "2026-03-20T09:10:00+09:00", registration),
            try step(
                "accounts", staff, "2026-03-20T09:20:00+09:00",
                LoadVirtualAccounts(accounts: [try account("6818564"), try account("6818565")])),
            // A card cart of two certificates (EX-1).
            try application(
                "apply-4172", ichiro, "000004172", .originForeign, "inv00024680", .card, "2026-04-06T09:00:00+09:00"),
            try application(
                "apply-12641", ichiro, "000012641", .originJapan, "inv00013569", .card, "2026-04-06T09:05:00+09:00"),
            try approve("approve-4172", "000004172", "2026-04-06T09:30:00+09:00"),
            try approve("approve-12641", "000012641", "2026-04-06T09:31:00+09:00"),
            try addToCart("cart-4172", ichiro, "000004172", "2026-04-06T09:59:00+09:00"),
            try addToCart("cart-12641", ichiro, "000012641", "2026-04-06T09:59:30+09:00"),
            try start("pay", ichiro, "2026-04-06T10:00:00+09:00"),
            try gatewayResult(
                "paid", "2026-04-06T10:02:00+09:00", "20260406-8888000004-00001", .succeeded, "GW-0001",
                captured: 2420, brand: .visa),
            // A failed attempt (EX-4).
            try application("apply-3441", taro, "000003441", .invoice, "NEI-0158", .card, "2026-04-06T11:00:00+09:00"),
            try approve("approve-3441", "000003441", "2026-04-06T11:30:00+09:00"),
            try addToCart("cart-3441", taro, "000003441", "2026-04-06T12:00:00+09:00"),
            try start("pay-3441", taro, "2026-04-06T12:01:00+09:00"),
            try gatewayResult(
                "failed", "2026-04-06T12:03:00+09:00", "20260406-8888000004-00002", .failed, "GW-0002",
                errorCode: "E11310004", message: "カード会社で取引が承認されませんでした"),
            // The coupon history with balance 6 and pending 11 (EX-10, at 2026 prices).
            try step(
                "adjust", staff, "2026-04-07T09:58:00+09:00",
                AdjustCoupons(tradeRegNo: company, delta: trialGrant, reason: "試用分の付与")),
            try couponOrder("card-order", .card, packs: 5, "2026-04-07T10:00:30+09:00"),
            try gatewayResult(
                "card-order-paid", "2026-04-07T10:01:00+09:00", "20260407-8888000004-00001", .succeeded,
                "GW-0003", captured: 6050, brand: .jcb),
            try couponOrder("bank-order", .bankTransfer, packs: 11, "2026-04-07T10:02:00+09:00"),
            // A coupon use and return.
            try application(
                "use", ichiro, "000099991", .signature, "inv00099991", .coupon, "2026-04-07T11:00:00+09:00"),
            try step(
                "return", staff, "2026-04-07T11:30:00+09:00",
                PutApplicationOnHold(
                    receptionNo: try ReceptionNo(parsing: "000099991"), reason: "インボイスの記載に不備があります")),
        ]
    }
}
