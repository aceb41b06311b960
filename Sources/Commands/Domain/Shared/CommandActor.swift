/// Who sends a command (COMMANDS.md, envelope `actor`).
public struct CommandActor: Sendable, Hashable, Codable {
    /// The kinds of sender.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case companyUser, subUser, chamberStaff, daemon, gateway, bankFeed
    }

    public var kind: Kind
    public var id: String
    /// The company a company user or sub-ID acts for (vouched for by the front end).
    public var tradeRegNo: TradeRegNo?
    public var name: String?
    /// For a sub-ID: the main user who issued it.
    public var issuedBy: UserId?
    /// For chamber staff: their chamber.
    public var chamberId: ChamberId?

    public init(
        kind: Kind, id: String, tradeRegNo: TradeRegNo? = nil, name: String? = nil,
        issuedBy: UserId? = nil, chamberId: ChamberId? = nil
    ) {
        self.kind = kind
        self.id = id
        self.tradeRegNo = tradeRegNo
        self.name = name
        self.issuedBy = issuedBy
        self.chamberId = chamberId
    }

    /// A company user or sub-ID.
    public var isCompanyUser: Bool { kind == .companyUser || kind == .subUser }

    /// The actor as recorded in every event's metadata.
    public var metadataValue: JSONValue {
        var object: [String: JSONValue] = ["kind": .string(kind.rawValue), "id": .string(id)]
        if let tradeRegNo { object["tradeRegNo"] = .string(tradeRegNo.stringValue) }
        if let chamberId { object["chamberId"] = .string(chamberId.stringValue) }
        if let issuedBy { object["issuedBy"] = .string(issuedBy.stringValue) }
        return .object(object)
    }
}
