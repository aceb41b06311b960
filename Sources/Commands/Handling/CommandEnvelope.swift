import EventStore
import Foundation

/// One command as it arrives (COMMANDS.md "Envelope"): validated, screened for card data, with
/// its canonical body for the idempotency fingerprint.
public struct CommandEnvelope: Sendable {
    /// The longest line accepted.
    public static let maximumBytes = 1 << 20

    public var command: String
    public var commandId: UUID
    public var actor: CommandActor
    /// The business time given by the caller (honoured only with the input clock).
    public var at: Date?
    /// The whole command object.
    public var body: JSONValue
    /// The original bytes, for decoding the command's own fields.
    public var raw: Data
    /// The body in canonical form (sorted keys, compact): same command ⇔ same text.
    public var fingerprint: String

    /// Fields holding identifiers, checked against their own formats rather than screened as
    /// free text (DOMAIN.md I18): a 24-digit order number is not a card number.
    public static let identifierKeys: Set<String> = [
        "commandId", "correlationId", "causationId", "eventId", "tradeRegNoAsIssued", "tradeRegNoAsPrinted", "number",
        "receptionNo", "receptionNos", "settlementNo", "orderNo", "issueNumber", "tradeRegNo", "accountNumber",
        "bankCode", "branchCode", "certificateNumber", "refundId", "adjustmentId", "effectiveFrom", "applicationDate",
        "approvalDate", "at", "businessDate", "date", "depositedOn", "paidOn",
    ]
    // Opaque outside references (gatewayTransactionId, depositId, errorCode, productCode) have no
    // format of their own to check, so they are screened like free text.

    /// Parses and screens one line; on failure returns the rejection and the command id if one
    /// could be read.
    public static func parse(_ line: Data) -> Result<CommandEnvelope, EnvelopeFailure> {
        guard line.count <= maximumBytes else {
            return .failure(
                EnvelopeFailure(
                    commandId: nil,
                    rejection: .invalid(
                        "(line)", "is \(line.count) bytes; a command may be at most \(maximumBytes) bytes")))
        }
        let body: JSONValue
        do {
            body = try JSONValue.decode(jsonData: line)
        } catch {
            return .failure(
                EnvelopeFailure(
                    commandId: nil,
                    rejection: .invalid(
                        "(line)", "is not a JSON object of strings, integers, booleans, arrays and objects")))
        }
        return validate(body, raw: line)
    }

    /// The checks every command passes however it arrived (a JSON line or a typed value): the
    /// envelope members, no NUL, no card data, and a strict `at`.
    static func validate(_ body: JSONValue, raw line: Data) -> Result<CommandEnvelope, EnvelopeFailure> {
        guard case .object(let members) = body else {
            return .failure(EnvelopeFailure(commandId: nil, rejection: .invalid("(line)", "must be a JSON object")))
        }
        guard case .string(let idText) = members["commandId"] ?? .null, let commandId = UUID(uuidString: idText) else {
            return .failure(EnvelopeFailure(commandId: nil, rejection: .invalid("commandId", "must be a UUID string")))
        }
        func fail(_ rejection: Rejection) -> Result<CommandEnvelope, EnvelopeFailure> {
            .failure(EnvelopeFailure(commandId: commandId, rejection: rejection))
        }
        for (path, value) in body.strings() where value.unicodeScalars.contains("\u{0}") {
            return fail(.invalid(path, "contains a NUL character"))
        }
        if let screened = screenCardData(body) { return fail(screened) }
        guard case .string(let command) = members["command"] ?? .null, !command.isEmpty else {
            return fail(.invalid("command", "must name a command (COMMANDS.md)"))
        }
        let actor: CommandActor
        do {
            guard let actorValue = members["actor"] else { return fail(.invalid("actor", "is required")) }
            actor = try JSONCoding.decoder.decode(CommandActor.self, from: JSONCoding.encoder.encode(actorValue))
        } catch {
            return fail(DecodingFailure.rejection(error, prefix: "actor"))
        }
        guard !actor.id.isEmpty, actor.id.count <= 128 else {
            return fail(.invalid("actor.id", "must be 1-128 characters"))
        }
        var at: Date?
        if let atValue = members["at"] {
            guard case .string(let text) = atValue, let date = RFC3339.parse(text) else {
                return fail(.invalid("at", "must be an RFC 3339 time with offset, e.g. 2025-03-17T10:00:00+09:00"))
            }
            at = date
        }
        return .success(
            CommandEnvelope(
                command: command, commandId: commandId, actor: actor, at: at, body: body, raw: line,
                fingerprint: body.jsonText))
    }

    /// `cardDataRejected` when a field is named like card data or free text holds a card number.
    public static func screenCardData(_ body: JSONValue) -> Rejection? {
        for (path, key) in body.keys() where CardDataScreen.isCardDataFieldName(key) {
            return Rejection(
                .cardDataRejected,
                "\(path): card data (number, expiry, name on card, security code) "
                    + "must never be sent; send only the gateway's references", details: ["field": .string(path)])
        }
        for (path, value) in body.strings() {
            let key = path.split(separator: ".").last.map { String($0.split(separator: "[").first ?? "") } ?? path
            if identifierKeys.contains(key) { continue }
            if CardDataScreen.containsCardNumber(value) {
                return Rejection(
                    .cardDataRejected,
                    "\(path) contains what looks like a card number; card numbers "
                        + "must never be sent (DOMAIN.md I18)", details: ["field": .string(path)])
            }
        }
        return nil
    }

    /// Decodes this command's own fields.
    public func decode<T: Decodable>(_ type: T.Type) throws(Rejection) -> T {
        do {
            return try JSONCoding.decoder.decode(T.self, from: raw)
        } catch {
            throw DecodingFailure.rejection(error, prefix: nil)
        }
    }
}

/// Why an envelope was refused, with the command id when it could be read.
public struct EnvelopeFailure: Error, Sendable {
    public var commandId: UUID?
    public var rejection: Rejection
}

/// Turns a decoding error into `invalidCommand` naming the field path.
enum DecodingFailure {
    static func rejection(_ error: any Error, prefix: String?) -> Rejection {
        func path(_ codingPath: [any CodingKey], _ last: (any CodingKey)? = nil) -> String {
            var parts = (prefix.map { [$0] } ?? [])
            for key in codingPath + (last.map { [$0] } ?? []) {
                if let index = key.intValue { parts.append("[\(index)]") } else { parts.append(key.stringValue) }
            }
            return parts.joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
        }
        guard let error = error as? DecodingError else { return .invalid(prefix ?? "(command)", "\(error)") }
        switch error {
        case .keyNotFound(let key, let context):
            return .invalid(path(context.codingPath, key), "is required")
        case .typeMismatch(let type, let context):
            return .invalid(path(context.codingPath), "has the wrong type (expected \(type))")
        case .valueNotFound(let type, let context):
            return .invalid(path(context.codingPath), "must not be null (expected \(type))")
        case .dataCorrupted(let context):
            if let format = context.underlyingError as? FieldFormatError {
                return .invalid(path(context.codingPath), format.message)
            }
            return .invalid(path(context.codingPath), context.debugDescription)
        @unknown default:
            return .invalid(prefix ?? "(command)", "could not be read")
        }
    }
}
