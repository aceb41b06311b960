import Commands
import Foundation
import Testing

/// Goal: every §4 identifier accepts the seed's values, refuses malformed ones with a message
/// that names the field and the rule, and travels as a JSON string in canonical form.
@Suite("Identifiers (§4)")
struct IdentifierTests {
    // MARK: Trade registration numbers

    @Test("Trade registration numbers: 9 digits are padded to the canonical 10 (Q16)")
    func tradeRegNoCanonicalForm() throws {
        #expect(try TradeRegNo(parsing: "8888000004").stringValue == "8888000004")
        #expect(try TradeRegNo(parsing: "0000000004").stringValue == "0000000004")
        #expect(try TradeRegNo(parsing: "888000001").stringValue == "0888000001")
        #expect(try TradeRegNo(parsing: "888000001") == TradeRegNo(parsing: "0888000001"))
        let asIssued = try TradeRegNoAsIssued(parsing: "888000001")
        #expect(asIssued.stringValue == "888000001")
        #expect(asIssued.canonical.stringValue == "0888000001")
    }

    @Test(
        "Malformed trade registration numbers are refused with the reason",
        arguments: [
            ("", FieldFormatError.Problem.empty),
            ("88880000", .wrongLength(actual: 8)),
            ("88880000041", .wrongLength(actual: 11)),
            ("8888-00004", .notAnASCIIDigit(position: 5, found: "-")),
            ("８８８８０００００４", .notAnASCIIDigit(position: 1, found: "８")),
            (" 8888000004", .surroundingWhitespace),
            ("T888800004", .notAnASCIIDigit(position: 1, found: "T")),
        ])
    func tradeRegNoRefused(_ row: (String, FieldFormatError.Problem)) {
        let error = #expect(throws: FieldFormatError.self) { try TradeRegNo(parsing: row.0, field: "actor.tradeRegNo") }
        #expect(error?.problem == row.1)
        #expect(error?.field == "actor.tradeRegNo")
        let prefix = "actor.tradeRegNo is not a valid trade registration number (貿易登録番号)"
        #expect(error?.message.hasPrefix(prefix) == true)
        #expect(error?.message.contains("9 or 10 ASCII digits") == true)
    }

    @Test("A full-width digit gets a message saying which ASCII digit to type")
    func fullWidthDigitMessage() {
        let error = #expect(throws: FieldFormatError.self) { try ReceptionNo(parsing: "００００04172") }
        #expect(error?.message.contains("full-width digit '０'") == true)
        #expect(error?.message.contains("ASCII digit '0'") == true)
    }

    // MARK: Reception numbers

    @Test(
        "The seed's reception numbers parse",
        arguments: ["000004172", "000012641", "000003441", "000001111", "000007081", "000007314", "000012721"])
    func receptionNoAccepted(_ text: String) throws {
        #expect(try ReceptionNo(parsing: text).stringValue == text)
    }

    @Test(
        "Malformed reception numbers are refused",
        arguments: [
            ("4172", FieldFormatError.Problem.wrongLength(actual: 4)),
            ("0000041720", .wrongLength(actual: 10)),
            ("00000417a", .notAnASCIIDigit(position: 9, found: "a")),
            ("000004172\n", .surroundingWhitespace),
        ])
    func receptionNoRefused(_ row: (String, FieldFormatError.Problem)) {
        let error = #expect(throws: FieldFormatError.self) { try ReceptionNo(parsing: row.0) }
        #expect(error?.problem == row.1)
        #expect(error?.field == "receptionNo")
        #expect(error?.message.contains("exactly 9 ASCII digits") == true)
    }

    // MARK: Settlement numbers

    @Test("Settlement numbers: components, canonical form, and the seed's legacy form (EX-3, EX-4)")
    func settlementNo() throws {
        let number = try SettlementNo(parsing: "20250317-8888000004-00001")
        #expect(number.date == JSTDate(year: 2025, month: 3, day: 17))
        #expect(number.tradeRegNo == (try TradeRegNo(parsing: "8888000004")))
        #expect(number.sequence == 1)
        #expect(number.stringValue == "20250317-8888000004-00001")

        let legacy = try SettlementNo(parsing: "20220302-888000001-00003")
        #expect(legacy.stringValue == "20220302-0888000001-00003")
        #expect(legacy == (try SettlementNo(parsing: "20220302-0888000001-00003")))

        let built = SettlementNo(
            date: JSTDate(year: 2025, month: 3, day: 17)!, tradeRegNo: number.tradeRegNo, sequence: 2)
        #expect(built?.stringValue == "20250317-8888000004-00002")
        #expect(SettlementNo(date: number.date, tradeRegNo: number.tradeRegNo, sequence: 0) == nil)
        #expect(SettlementNo(date: number.date, tradeRegNo: number.tradeRegNo, sequence: 100_000) == nil)
    }

    @Test(
        "Malformed settlement numbers are refused",
        arguments: [
            ("20250317-8888000004-00000", FieldFormatError.Problem.zeroSequence),
            ("20250230-8888000004-00001", .invalidDate(year: 2025, month: 2, day: 30)),
            ("20250317_8888000004-00001", .notAnASCIIDigit(position: 9, found: "_")),
            ("202503178888000004000001", .wrongPartCount(actual: 1, expected: 3)),
            ("20250317-8888000004-00001-1", .wrongPartCount(actual: 4, expected: 3)),
            ("20250317-8888000004-0001", .wrongPartLength(part: "sequence", actual: 4)),
            ("20250317-88880000-00001", .wrongPartLength(part: "trade registration number", actual: 8)),
            ("2025317-8888000004-00001", .wrongPartLength(part: "date", actual: 7)),
            (" 20250317-8888000004-00001", .notAnASCIIDigit(position: 1, found: " ")),
            ("2025031a-8888000004-00001", .notAnASCIIDigit(position: 8, found: "a")),
            ("", .empty),
        ])
    func settlementNoRefused(_ row: (String, FieldFormatError.Problem)) {
        let error = #expect(throws: FieldFormatError.self) { try SettlementNo(parsing: row.0) }
        #expect(error?.problem == row.1)
        #expect(error?.message.contains("credit settlement number") == true)
    }

    // MARK: Order numbers

    @Test("Order numbers: 24 digits = date + trade reg. no. + sequence (Q18)")
    func orderNo() throws {
        let bank = try OrderNo(parsing: "202401198888000004000001")
        #expect(bank.date == JSTDate(year: 2024, month: 1, day: 19))
        #expect(bank.tradeRegNo.stringValue == "8888000004")
        #expect(bank.sequence == 1)
        let card = try OrderNo(parsing: "202505228888000094000017")
        #expect(card.date == JSTDate(year: 2025, month: 5, day: 22))
        #expect(card.tradeRegNo.stringValue == "8888000094")
        #expect(card.sequence == 17)
        #expect(card.stringValue == "202505228888000094000017")
        let built = OrderNo(date: bank.date, tradeRegNo: bank.tradeRegNo, sequence: 1)
        #expect(built == bank)
        #expect(OrderNo(date: bank.date, tradeRegNo: bank.tradeRegNo, sequence: 1_000_000) == nil)
    }

    @Test(
        "Malformed order numbers are refused, including the seed's 23-digit typo (Appendix A #3)",
        arguments: [
            ("20240119888800000400001", FieldFormatError.Problem.wrongLength(actual: 23)),
            ("202401198888000004000000", .zeroSequence),
            ("202413198888000004000001", .invalidDate(year: 2024, month: 13, day: 19)),
            ("20240119-8888000004-000001", .notAnASCIIDigit(position: 9, found: "-")),
        ])
    func orderNoRefused(_ row: (String, FieldFormatError.Problem)) {
        let error = #expect(throws: FieldFormatError.self) { try OrderNo(parsing: row.0) }
        #expect(error?.problem == row.1)
        #expect(error?.message.contains("exactly 24 ASCII digits") == true)
    }

    // MARK: Issue numbers

    @Test("Issue numbers: 17 digits = issue date + 9-digit sequence (Q19)")
    func issueNumber() throws {
        let number = try IssueNumber(parsing: "20240703888811531")
        #expect(number.date == JSTDate(year: 2024, month: 7, day: 3))
        #expect(number.sequence == 888_811_531)
        #expect(IssueNumber(date: number.date, sequence: 1)?.stringValue == "20240703000000001")
        #expect(IssueNumber(date: number.date, sequence: 0) == nil)
        #expect(throws: FieldFormatError.self) { try IssueNumber(parsing: "2024070388881153") }
        #expect(throws: FieldFormatError.self) { try IssueNumber(parsing: "20240703000000000") }
        #expect(throws: FieldFormatError.self) { try IssueNumber(parsing: "20240732888811531") }
    }

    // MARK: Opaque and other identifiers

    @Test("Opaque identifiers: non-empty, trimmed, no control characters, bounded")
    func opaqueIdentifiers() throws {
        #expect(try UserId(parsing: "ichiro").stringValue == "ichiro")
        #expect(try ChamberId(parsing: "kamikochi").stringValue == "kamikochi")
        #expect(try StaffId(parsing: "staff-01").stringValue == "staff-01")
        #expect(try CertificateNumber(parsing: "888864240001151").stringValue == "888864240001151")
        #expect(try GatewayErrorCode(parsing: "E11310004").stringValue == "E11310004")
        #expect(try GatewayTransactionId(parsing: "tx-1").stringValue == "tx-1")
        #expect(try DepositId(parsing: "dep-1").stringValue == "dep-1")

        #expect((#expect(throws: FieldFormatError.self) { try UserId(parsing: "") })?.problem == .empty)
        #expect(
            (#expect(throws: FieldFormatError.self) { try UserId(parsing: " taro") })?.problem == .surroundingWhitespace
        )
        #expect(
            (#expect(throws: FieldFormatError.self) { try UserId(parsing: "ta\u{0}ro") })?.problem
                == .controlCharacter(position: 3))
        #expect(
            (#expect(throws: FieldFormatError.self) { try UserId(parsing: String(repeating: "x", count: 129)) })?
                .problem
                == .tooLong(actual: 129, maximum: 128))
        let longCode = String(repeating: "E", count: 33)
        #expect(
            (#expect(throws: FieldFormatError.self) { try GatewayErrorCode(parsing: longCode) })?.problem
                == .tooLong(actual: 33, maximum: 32))
    }

    @Test("Invoice numbers are trimmed free text and not unique")
    func invoiceNumber() throws {
        #expect(try InvoiceNumber(parsing: "  NEI-0158 ").stringValue == "NEI-0158")
        #expect(try InvoiceNumber(parsing: "NEI-0158") == InvoiceNumber(parsing: "NEI-0158"))
        #expect(try InvoiceNumber(parsing: "20240703").stringValue == "20240703")
        #expect((#expect(throws: FieldFormatError.self) { try InvoiceNumber(parsing: "   ") })?.problem == .empty)
        #expect(throws: FieldFormatError.self) { try InvoiceNumber(parsing: String(repeating: "a", count: 101)) }
    }

    @Test("Bank codes and the qualified-invoice registration number")
    func bankAndRegistration() throws {
        #expect(try BankCode(parsing: "0310").stringValue == "0310")
        #expect(try BranchCode(parsing: "502").stringValue == "502")
        #expect(try BankAccountNumber(parsing: "6818564").stringValue == "6818564")
        #expect(throws: FieldFormatError.self) { try BankCode(parsing: "310") }
        #expect(throws: FieldFormatError.self) { try BranchCode(parsing: "0502") }
        #expect(throws: FieldFormatError.self) { try BankAccountNumber(parsing: "681856") }
        #expect(BankAccountType.ordinary.japaneseLabel == "普通")

        #expect(QualifiedInvoiceRegistrationNumber.japanChamberOfCommerce.stringValue == "T5010005003975")
        let noT = #expect(throws: FieldFormatError.self) {
            try QualifiedInvoiceRegistrationNumber(parsing: "5010005003975")
        }
        #expect(noT?.problem == .unexpectedCharacter(position: 1, found: "5", expected: "'T'"))
        let short = #expect(throws: FieldFormatError.self) {
            try QualifiedInvoiceRegistrationNumber(parsing: "T501000500397")
        }
        #expect(short?.problem == .wrongLength(actual: 13))
        let letter = #expect(throws: FieldFormatError.self) {
            try QualifiedInvoiceRegistrationNumber(parsing: "T50100050039x5")
        }
        #expect(letter?.problem == .notAnASCIIDigit(position: 13, found: "x"))
    }

    // MARK: JSON

    struct Envelope: Codable, Equatable {
        var tradeRegNo: TradeRegNo
        var receptionNos: [ReceptionNo]
        var settlementNo: SettlementNo
        var orderNo: OrderNo
        var issueNumber: IssueNumber
        var userId: UserId
        var chamberId: ChamberId
    }

    @Test("Identifiers are JSON strings in canonical form")
    func jsonStrings() throws {
        let json = #"""
            {"tradeRegNo":"888000001","receptionNos":["000004172","000012641"],
             "settlementNo":"20220302-888000001-00003","orderNo":"202401198888000004000001",
             "issueNumber":"20240703888811531","userId":"ichiro","chamberId":"kamikochi"}
            """#
        let decoded = try JSONDecoder().decode(Envelope.self, from: Data(json.utf8))
        #expect(decoded.tradeRegNo.stringValue == "0888000001")
        #expect(decoded.receptionNos.map(\.stringValue) == ["000004172", "000012641"])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let text = String(decoding: try encoder.encode(decoded), as: UTF8.self)
        #expect(
            text == #"{"chamberId":"kamikochi","issueNumber":"20240703888811531","orderNo":"202401198888000004000001","#
                + #""receptionNos":["000004172","000012641"],"settlementNo":"20220302-0888000001-00003","#
                + #""tradeRegNo":"0888000001","userId":"ichiro"}"#)
        #expect(try JSONDecoder().decode(Envelope.self, from: Data(text.utf8)) == decoded)
    }

    @Test("A malformed identifier in JSON reports the field path and the rule")
    func jsonErrorNamesThePath() {
        let json = #"""
            {"tradeRegNo":"8888000004","receptionNos":["000004172","4172"],
             "settlementNo":"20250317-8888000004-00001","orderNo":"202401198888000004000001",
             "issueNumber":"20240703888811531","userId":"ichiro","chamberId":"kamikochi"}
            """#
        let error = #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(Envelope.self, from: Data(json.utf8))
        }
        guard case .dataCorrupted(let context) = error else {
            Issue.record("expected dataCorrupted, got \(String(describing: error))")
            return
        }
        let underlying = context.underlyingError as? FieldFormatError
        #expect(underlying?.field == "receptionNos[1]")
        #expect(underlying?.problem == .wrongLength(actual: 4))
        let prefix = "receptionNos[1] is not a valid reception number (発給受付番号)"
        #expect(context.debugDescription.hasPrefix(prefix))
    }

    @Test("Identifiers are Hashable by their canonical value")
    func hashable() throws {
        let set: Set<TradeRegNo> = [try TradeRegNo(parsing: "888000001"), try TradeRegNo(parsing: "0888000001")]
        #expect(set.count == 1)
        let settlements: Set<SettlementNo> = [
            try SettlementNo(parsing: "20220302-888000001-00003"),
            try SettlementNo(parsing: "20220302-0888000001-00003"),
        ]
        #expect(settlements.count == 1)
    }
}
