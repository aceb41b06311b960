import Commands
import EventStore
import Foundation

/// `projections.application_status` (DOMAIN.md §7.4): one row per application, with the ledger
/// state of §5.1 (InCart derived from the carts) and the label users see.
public struct ApplicationStatusProjection: Projection {
    public init() {}

    public let name = "application_status"
    public let tables = ["application_status"]
    public let eventTypes = [
        ApplicationSubmitted.eventType, ApplicationResubmitted.eventType, ApplicationPutOnHold.eventType,
        ApplicationApproved.eventType, ApplicationPaymentLinked.eventType, ApplicationPaymentReleased.eventType,
        ApplicationIssued.eventType, ApplicationWithdrawn.eventType, CartItemAdded.eventType,
        CartItemRemoved.eventType, CartCheckedOut.eventType,
    ]

    /// The label shown to users for a state (§5.1).
    static func label(_ state: String) -> String {
        switch state {
        case "submitted": "審査中"
        case "onHold": "保留"
        case "issued": "交付済"
        case "withdrawn": "取下げ"
        default: "承認"
        }
    }

    public func apply(_ events: [RecordedEvent], schema: String, on connection: isolated PGConnection) throws {
        var touched = Set<String>()
        var decoded: [(RecordedEvent, ApplicationEvent?, CartEvent?)] = []
        for event in events {
            let data = Data(event.data.utf8)
            if event.stream.category == "application" {
                touched.insert(event.stream.id)
                decoded.append((event, try ApplicationEvent.decode(eventType: event.eventType, data: data), nil))
            } else if let cart = try CartEvent.decode(eventType: event.eventType, data: data) {
                switch cart {
                case .itemAdded(let e): touched.insert(e.receptionNo.stringValue)
                case .itemRemoved(let e): touched.insert(e.receptionNo.stringValue)
                case .checkedOut(let e): touched.formUnion(e.receptionNos.map(\.stringValue))
                }
                decoded.append((event, nil, cart))
            }
        }
        var rows: [String: JSONValue] = [:]
        for row in try connection.query(ApplicationStatusSQL.select(schema), [PGTextArray(Array(touched))]).rows {
            let value = try JSONCoding.decoder.decode(JSONValue.self, from: Data(try row.decode(String.self, 0).utf8))
            if case .string(let key) = value["reception_no"] ?? .null { rows[key] = value }
        }
        var dirty = Set<String>()
        for (event, application, cart) in decoded {
            if let application {
                let key = event.stream.id
                rows[key] = Self.fold(rows[key], application, event)
                dirty.insert(key)
            } else if let cart {
                for (key, value) in Self.fold(rows, cart, event) {
                    rows[key] = value
                    dirty.insert(key)
                }
            }
        }
        var changed: [JSONRowTable.Row] = []
        for key in dirty.sorted() {
            if case .object(let row) = rows[key] ?? .null { changed.append(row) }
        }
        try Self.table.upsert(changed, schema: schema, on: connection)
    }

    typealias Row = [String: JSONValue]

    static let table = JSONRowTable(
        table: "application_status", key: ["reception_no"],
        columns: [
            "reception_no", "trade_reg_no", "chamber_id", "state", "status_label", "certificate_kind",
            "certificate_kind_label", "destination_country", "invoice_number", "exporter_name", "agent_name",
            "person_in_charge", "applicant_user_id", "applicant_name", "application_date", "applied_at",
            "issuance_channel", "payment_method", "fee_yen", "approval_date", "cart_user_id", "open_settlement_no",
            "settlement_no", "settlement_date", "certificate_number", "issued_at", "position",
        ])

    static func set(_ row: inout Row, _ state: String) {
        row["state"] = .string(state)
        row["status_label"] = .string(label(state))
    }

    static func fold(_ current: JSONValue?, _ event: ApplicationEvent, _ recorded: RecordedEvent) -> JSONValue? {
        var row: Row
        if case .object(let existing) = current ?? .null { row = existing } else { row = [:] }
        switch event {
        case .submitted(let e):
            row = [
                "reception_no": .string(e.receptionNo.stringValue), "trade_reg_no": .string(e.tradeRegNo.stringValue),
                "chamber_id": .string(e.chamberId.stringValue), "certificate_kind": .string(e.certificateKind.rawValue),
                "certificate_kind_label": .string(e.certificateKindLabel),
                "destination_country": e.destinationCountry.map(JSONValue.string) ?? .null,
                "invoice_number": .string(e.invoiceNumber),
                "exporter_name": e.exporterName.map(JSONValue.string) ?? .null,
                "agent_name": e.agentName.map(JSONValue.string) ?? .null,
                "person_in_charge": e.personInCharge.map(JSONValue.string) ?? .null,
                "applicant_user_id": .string(e.applicantUserId.stringValue), "applicant_name": .string(e.applicantName),
                "application_date": .string(e.applicationDate.stringValue),
                "applied_at": .string(RFC3339.format(recorded.occurredAt)),
                "issuance_channel": .string(e.issuanceChannel.rawValue),
                "payment_method": .string(e.paymentMethod.rawValue),
            ]
            set(&row, "submitted")
        case .resubmitted(let e):
            row["payment_method"] = .string(e.paymentMethod.rawValue)
            set(&row, "submitted")
        case .putOnHold:
            row["cart_user_id"] = .null
            set(&row, "onHold")
        case .approved(let e):
            row["fee_yen"] = .int(e.feeYen.value)
            row["approval_date"] = .string(e.approvalDate.stringValue)
            if let number = e.certificateNumber { row["certificate_number"] = .string(number) }
            if e.paymentMethod == .card { set(&row, "awaitingPayment") }
        case .paymentLinked(let e):
            row["open_settlement_no"] = .string(e.settlementNo.stringValue)
            row["cart_user_id"] = .null
            set(&row, "paymentPending")
        case .paymentReleased:
            row["open_settlement_no"] = .null
            set(&row, "awaitingPayment")
        case .issued(let e):
            row["open_settlement_no"] = .null
            row["cart_user_id"] = .null
            row["settlement_no"] = e.settlementNo.map { .string($0.stringValue) } ?? .null
            row["settlement_date"] = e.settlementDate.map { .string($0.stringValue) } ?? .null
            row["issued_at"] = .string(RFC3339.format(e.issuedAt))
            if let number = e.certificateNumber { row["certificate_number"] = .string(number) }
            set(&row, "issued")
        case .withdrawn:
            row["cart_user_id"] = .null
            set(&row, "withdrawn")
        }
        row["position"] = .int(recorded.globalPosition)
        return .object(row)
    }

    /// Cart events move rows between awaitingPayment and inCart.
    static func fold(_ rows: [String: JSONValue], _ event: CartEvent, _ recorded: RecordedEvent) -> [String: JSONValue]
    {
        var changed: [String: JSONValue] = [:]
        func update(_ key: String, _ body: (inout Row) -> Void) {
            guard case .object(var row) = changed[key] ?? rows[key] ?? .null else { return }
            body(&row)
            row["position"] = .int(
                max(recorded.globalPosition, { if case .int(let p) = row["position"] ?? .null { p } else { 0 } }()))
            changed[key] = .object(row)
        }
        switch event {
        case .itemAdded(let e):
            update(e.receptionNo.stringValue) { row in
                guard row["state"] == "awaitingPayment" else { return }
                row["cart_user_id"] = .string(e.userId.stringValue)
                set(&row, "inCart")
            }
        case .itemRemoved(let e):
            update(e.receptionNo.stringValue) { row in
                guard row["state"] == "inCart", row["cart_user_id"] == .string(e.userId.stringValue) else { return }
                row["cart_user_id"] = .null
                set(&row, "awaitingPayment")
            }
        case .checkedOut(let e):
            for receptionNo in e.receptionNos {
                update(receptionNo.stringValue) { row in
                    if row["cart_user_id"] == .string(e.userId.stringValue) { row["cart_user_id"] = .null }
                }
            }
        }
        return changed
    }
}

/// The statements of `application_status`: rows travel as JSON objects whose keys are the
/// column names (`jsonb_populate_record`), so one statement writes every column.
enum ApplicationStatusSQL {
    static func select(_ schema: String) -> String {
        "SELECT to_jsonb(a)::text FROM \(quoteIdentifier(schema)).application_status a WHERE reception_no = ANY ($1::text[])"
    }
}
