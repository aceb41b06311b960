import Commands
import EventStore
import Foundation

/// `projections.application_status` (DOMAIN.md §7.4): one row per application, with the ledger
/// state of §5.1 (InCart derived from the carts) and the label users see.
public struct ApplicationStatusProjection: Projection {
    public init() {}

    public let name = "application_status"
    public let tables = [ApplicationStatusColumn.tableName]
    public let eventTypes = ApplicationEvent.eventTypes + CartEvent.eventTypes

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
            if event.stream.streamCategory == .application {
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
        var rows: [String: Row] = [:]
        for row in try Self.table.load(schema, where: .receptionNo, in: Array(touched), on: connection) {
            if let key = row[.receptionNo]?.text { rows[key] = row }
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
        try Self.table.upsert(dirty.sorted().compactMap { rows[$0] }, schema: schema, on: connection)
    }

    typealias Row = TableRow<ApplicationStatusColumn>
    static let table = JSONRowTable<ApplicationStatusColumn>()

    static func set(_ row: inout Row, _ state: String) {
        row[.state] = .string(state)
        row[.statusLabel] = .string(label(state))
    }

    /// The row after an application event; the state is the domain's (`ApplicationState.evolve`),
    /// except that an unchanged state keeps the row's (`inCart` is not the domain's, R15).
    static func fold(_ current: Row?, _ event: ApplicationEvent, _ recorded: RecordedEvent) -> Row {
        var row = current ?? [:]
        let stored = row[.state]?.text
        var state = ApplicationState()
        state.status = stored == "inCart" ? .awaitingPayment : stored.flatMap(ApplicationState.Status.init(rawValue:))
        let next = ApplicationState.evolve(state, event).status
        switch event {
        case .submitted(let e):
            row = [
                .receptionNo: .string(e.receptionNo.stringValue), .tradeRegNo: .string(e.tradeRegNo.stringValue),
                .chamberId: .string(e.chamberId.stringValue), .certificateKind: .string(e.certificateKind.rawValue),
                .certificateKindLabel: .string(e.certificateKindLabel),
                .destinationCountry: e.destinationCountry.map(JSONValue.string) ?? .null,
                .invoiceNumber: .string(e.invoiceNumber), .exporterName: e.exporterName.map(JSONValue.string) ?? .null,
                .agentName: e.agentName.map(JSONValue.string) ?? .null,
                .personInCharge: e.personInCharge.map(JSONValue.string) ?? .null,
                .applicantUserId: .string(e.applicantUserId.stringValue), .applicantName: .string(e.applicantName),
                .applicationDate: .string(e.applicationDate.stringValue),
                .appliedAt: .string(RFC3339.format(recorded.occurredAt)),
                .issuanceChannel: .string(e.issuanceChannel.rawValue),
                .paymentMethod: .string(e.paymentMethod.rawValue),
            ]
        case .resubmitted(let e):
            row[.paymentMethod] = .string(e.paymentMethod.rawValue)
        case .putOnHold:
            row[.cartUserId] = .null
        case .approved(let e):
            row[.feeYen] = .int(e.feeYen.value)
            row[.approvalDate] = .string(e.approvalDate.stringValue)
            if let number = e.certificateNumber { row[.certificateNumber] = .string(number) }
        case .paymentLinked(let e):
            row[.openSettlementNo] = .string(e.settlementNo.stringValue)
            row[.cartUserId] = .null
        case .paymentReleased:
            row[.openSettlementNo] = .null
        case .issued(let e):
            row[.openSettlementNo] = .null
            row[.cartUserId] = .null
            row[.settlementNo] = e.settlementNo.map { .string($0.stringValue) } ?? .null
            row[.settlementDate] = e.settlementDate.map { .string($0.stringValue) } ?? .null
            row[.issuedAt] = .string(RFC3339.format(e.issuedAt))
            if let number = e.certificateNumber { row[.certificateNumber] = .string(number) }
        case .withdrawn:
            row[.cartUserId] = .null
        }
        if let next, next != state.status || row[.state] == nil { set(&row, next.rawValue) }
        row[.position] = .int(recorded.globalPosition)
        return row
    }

    /// Cart events move rows between awaitingPayment and inCart.
    static func fold(_ rows: [String: Row], _ event: CartEvent, _ recorded: RecordedEvent) -> [String: Row] {
        var changed: [String: Row] = [:]
        func update(_ key: String, _ body: (inout Row) -> Void) {
            guard var row = changed[key] ?? rows[key] else { return }
            body(&row)
            row[.position] = .int(max(recorded.globalPosition, row[.position]?.integer ?? 0))
            changed[key] = row
        }
        switch event {
        case .itemAdded(let e):
            update(e.receptionNo.stringValue) { row in
                guard row[.state] == "awaitingPayment" else { return }
                row[.cartUserId] = .string(e.userId.stringValue)
                set(&row, "inCart")
            }
        case .itemRemoved(let e):
            update(e.receptionNo.stringValue) { row in
                guard row[.state] == "inCart", row[.cartUserId] == .string(e.userId.stringValue) else { return }
                row[.cartUserId] = .null
                set(&row, "awaitingPayment")
            }
        case .checkedOut(let e):
            for receptionNo in e.receptionNos {
                update(receptionNo.stringValue) { row in
                    if row[.cartUserId] == .string(e.userId.stringValue) { row[.cartUserId] = .null }
                }
            }
        }
        return changed
    }
}
