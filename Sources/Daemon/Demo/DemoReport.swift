import Commands
import EventStore
import Foundation

/// What the demo prints: the screens and documents of the guide, from the read models and events.
struct DemoReport {
    let connection: PGConnection
    let results: [String: CommandOutcome]

    func render() async throws -> String {
        var out = ""
        out += try await balance()
        out += try await history()
        out += try await applications()
        out += try await statement()
        out += try await transferRequest()
        return out
    }

    func rows(_ sql: String, _ parameters: [(any PGEncodable)?] = []) async throws -> [[String]] {
        let result = try await connection.query(sql, parameters)
        return result.rows.map { row in (0..<result.columnCount).map { result.text(row: row.index, column: $0) ?? "" } }
    }

    func balance() async throws -> String {
        let row =
            try await rows(
                """
                SELECT available, pending_purchase FROM projections.coupon_balance WHERE trade_reg_no = '8888000004'
                """
            ).first ?? ["0", "0"]
        return "\n■ クーポン残高 (貿易登録番号 8888000004 日商テスト商事株式会社)\n"
            + "  現在のクーポン残高: \(row[0])枚    クーポン購入手続中: \(row[1])枚\n"
    }

    func history() async throws -> String {
        let data = try await rows(
            """
            SELECT operation, to_char(occurred_at AT TIME ZONE 'Asia/Tokyo', 'YYYY/MM/DD HH24:MI'),
                   CASE WHEN confirmed THEN '済' ELSE '-' END, coalesce(content, ''),
                   coalesce(to_char(purchase_amount_yen, 'FM999,999,999') || '円', ''),
                   coalesce(to_char(deposit_amount_yen, 'FM999,999,999') || '円', ''),
                   coalesce(to_char(settled_amount_yen, 'FM999,999,999') || '円', ''),
                   coalesce(purchased || '枚', ''), coalesce(used || '枚', ''),
                   CASE WHEN confirmed THEN coalesce(balance_after || '枚', '') ELSE '' END
              FROM projections.coupon_history WHERE trade_reg_no = '8888000004' ORDER BY occurred_at DESC
            """)
        return "\n■ クーポン履歴一覧 (検索件数: \(data.count))\n"
            + TextTable.render(
                ["操作", "日時", "確定フラグ", "内容", "購入金額", "入金金額", "支払金額", "購入数", "使用数", "クーポン残数"], data)
    }

    func applications() async throws -> String {
        let data = try await rows(
            """
            SELECT certificate_kind_label, reception_no, to_char(applied_at AT TIME ZONE 'Asia/Tokyo', 'YYYY/MM/DD HH24:MI'),
                   invoice_number, status_label,
                   CASE payment_method WHEN 'card' THEN 'クレジット' ELSE 'クーポン' END, coalesce(to_char(fee_yen, 'FM999,999') || '円', '')
              FROM projections.application_status WHERE trade_reg_no = '8888000004' ORDER BY applied_at DESC
            """)
        return "\n■ 発給申請状況一覧\n"
            + TextTable.render(
                ["証明種別", "受付番号", "申請日", "インボイス番号", "状態", "決済方法", "手数料"], data)
    }

    func statement() async throws -> String {
        let events = try await rows(
            """
            SELECT data::text FROM ledger.events WHERE event_type = 'StatementIssued' ORDER BY global_position LIMIT 1
            """)
        guard let text = events.first?.first else { return "" }
        let s = try JSONCoding.decoder.decode(StatementIssued.self, from: Data(text.utf8))
        let lines = [
            "クレジットカード決済 利用明細(控)",
            "\(s.issuerName)  登録番号: \(s.issuerRegistrationNumber)",
            "発行日: \(Self.japaneseDate(s.issueDate))    発行番号: \(s.issueNumber)",
            "貿易登録番号: \(s.tradeRegNoAsPrinted)    企業名: \(s.companyName)",
            "証明書発給商工会議所: \(s.issuingChamberName ?? "")",
            "内容: \(s.content)    証明書番号: \(s.certificateNumber ?? "")    インボイス番号: \(s.invoiceNumber ?? "")",
            "決済日: \(Self.japaneseDate(s.settlementDate))",
            "決済金額: \(s.amountYen.printed) (内課税対象額 \(s.taxableAmountYen.printed))",
            "内 消費税額(10%): \(s.consumptionTaxYen.printed)",
            "支払区分: 一括",
        ]
        return "\n■ クレジット利用明細 (支払者: \(s.payerUserId))\n" + TextTable.box(lines)
    }

    func transferRequest() async throws -> String {
        guard let orderNo = results["bank-order"]?.result?["orderNo"], case .string(let number) = orderNo else {
            return ""
        }
        let order = try await rows(
            """
            SELECT o.trade_reg_no, b.company_name, to_char(o.order_date, 'YYYY"年"MM"月"DD"日"'),
                   to_char(o.amount_yen, 'FM999,999,999'), to_char(o.taxable_amount_yen, 'FM999,999,999'),
                   to_char(o.consumption_tax_yen, 'FM999,999,999'), o.bank_name, o.bank_code, o.branch_name, o.branch_code,
                   o.account_number, o.account_holder, to_char(o.valid_until, 'YYYY"年"MM"月"DD"日"'), o.lines::text
              FROM projections.coupon_order o JOIN projections.coupon_balance b USING (trade_reg_no)
             WHERE o.order_no = $1
            """, [number]
        ).first
        guard let order else { return "" }
        let lines = try JSONCoding.decoder.decode([CouponLine].self, from: Data(order[13].utf8))
        let purchases = lines.map { "\($0.label) \($0.unitPriceYen.groupedDigits)円 × \($0.quantity)" }
        let text =
            [
                "振込依頼書",
                "日本商工会議所  登録番号: T5010005003975",
                "以下の金額にしまして指定口座への御振込みをお願い致します。",
                "【ご購入内容】",
                "注文番号: \(number)",
                "貿易登録番号: \(order[0])    企業名: \(order[1])",
                "購入申込日: \(order[2])",
            ] + purchases.map { "購入内容: \($0)" } + [
                "決済種別: 銀行振り込み",
                "支払金額: \(order[3]) 円 (内課税対象額: \(order[4])円、内消費税額(10%): \(order[5])円)",
                "【振込先情報】",
                "振込先銀行名: \(order[6]) (\(order[7]))    振込先支店名: \(order[8]) (\(order[9]))",
                "振込先口座種別: 普通    振込先口座番号: \(order[10])",
                "振込先名義人名: \(order[11])",
                "振込口座有効期限: \(order[12])",
            ]
        return "\n■ 振込依頼書 (PDF)\n" + TextTable.box(text)
    }

    static func japaneseDate(_ date: JSTDate) -> String {
        String(format: "%04d年%02d月%02d日", date.year, date.month, date.day)
    }
}
