import ArgumentParser
import Commands
import Crypto
import EventStore
import Foundation

/// `ledger deposits import FILE`: the bank's deposit notifications into the bank feed.
struct Deposits: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Bank deposit notifications.", subcommands: [Import.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record the deposits of a CSV file in the bank feed, reporting each line; idempotent.",
            discussion: """
                Columns (header row required): deposit_id, bank_code, branch_code, account_number, amount_yen, \
                credited_on (YYYY-MM-DD), payer_name. Exit 0 when every line was recorded (or already was), 1 otherwise.
                """)

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The CSV file") var file: String

        func run() async throws {
            let rows = try CSVFile.read(file, columns: ["deposit_id", "bank_code", "branch_code", "account_number",
                                                        "amount_yen", "credited_on", "payer_name"])
            let lines = rows.map { line, row -> (Int, String) in
                let amount = Int64(row["amount_yen"] ?? "").map { String($0) } ?? "\"\(row["amount_yen"] ?? "")\""
                let body = #""depositId":\#(quote(row["deposit_id"])),"bankCode":\#(quote(row["bank_code"])),"branchCode":\#(quote(row["branch_code"])),"accountNumber":\#(quote(row["account_number"])),"amountYen":\#(amount),"depositedOn":\#(quote(row["credited_on"])),"payerName":\#(quote(row["payer_name"]))"#
                return (line, #"{"command":"RecordBankDeposit","commandId":"\#(derivedId("deposit", row["deposit_id"] ?? "\(line)"))","actor":{"kind":"bankFeed","id":"import"},\#(body)}"#)
            }
            try await runImport(database, lines)
        }
    }
}

/// `ledger accounts import FILE`: virtual accounts the bank issued, into the pool.
struct Accounts: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Virtual accounts.", subcommands: [Import.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Load the virtual accounts of a CSV file into the pool, reporting each line; idempotent.",
            discussion: """
                Columns (header row required): bank_code, bank_name, branch_code, branch_name, account_type (ordinary), \
                account_number, account_holder. Exit 0 when every line was loaded (or already was), 1 otherwise.
                """)

        @OptionGroup var database: DatabaseOptions
        @Option(help: "Chamber staff id recorded as the loader") var staff: String = "bank-import"
        @Option(help: "The loader's chamber id") var chamber: String = "jcci"
        @Argument(help: "The CSV file") var file: String

        func run() async throws {
            let rows = try CSVFile.read(file, columns: ["bank_code", "bank_name", "branch_code", "branch_name",
                                                        "account_type", "account_number", "account_holder"])
            let actor = #"{"kind":"chamberStaff","id":\#(quote(staff)),"chamberId":\#(quote(chamber))}"#
            let lines = rows.map { line, row -> (Int, String) in
                let account = #"{"bankCode":\#(quote(row["bank_code"])),"bankName":\#(quote(row["bank_name"])),"branchCode":\#(quote(row["branch_code"])),"branchName":\#(quote(row["branch_name"])),"accountType":\#(quote(row["account_type"])),"accountNumber":\#(quote(row["account_number"])),"accountHolder":\#(quote(row["account_holder"]))}"#
                let key = [row["bank_code"], row["branch_code"], row["account_number"]].map { $0 ?? "" }.joined(separator: "-")
                return (line, #"{"command":"LoadVirtualAccounts","commandId":"\#(derivedId("account", key))","actor":\#(actor),"accounts":[\#(account)]}"#)
            }
            try await runImport(database, lines)
        }
    }
}

/// Runs import commands one per line and reports each: accepted, already recorded, or refused.
func runImport(_ database: DatabaseOptions, _ lines: [(Int, String)]) async throws {
    let refused = try await withDatabase(database) { open in
        try await requireSchema(open)
        let pool = ConnectionPool(.init(conninfo: open.conninfo, maximumConnections: 2))
        let handler = CommandHandler(store: PostgresEventStore(pool: pool))
        var refused = 0
        for (line, command) in lines {
            let outcome = await handler.execute(line: Data(command.utf8))
            switch outcome.status {
            case .ok: print("line \(line): accepted")
            case .exists: print("line \(line): already recorded")
            case .rejected, .error:
                refused += 1
                print("line \(line): refused: \(outcome.error?.message ?? outcome.failure ?? "unknown")")
            }
        }
        await pool.close()
        return refused
    }
    print("\(lines.count - refused) accepted or already recorded, \(refused) refused")
    if refused > 0 { throw ExitStatus.rejected }
}

/// A JSON string literal, or null.
func quote(_ text: String?) -> String {
    guard let text else { return "null" }
    return JSONValue.string(text).jsonText
}

/// A command id derived from a stable key, so importing the same file again is idempotent.
func derivedId(_ kind: String, _ key: String) -> String {
    var bytes = Array(SHA256.hash(data: Data("ledger-import-\(kind)-\(key)".utf8)).prefix(16))
    bytes[6] = (bytes[6] & 0x0F) | 0x40
    bytes[8] = (bytes[8] & 0x3F) | 0x80
    return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                       bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
        .uuidString.lowercased()
}

/// RFC 4180 CSV with a header row: quoted fields, doubled quotes, CRLF or LF.
enum CSVFile {
    /// The data rows as (line number, column → value), checking the header names `columns`.
    static func read(_ path: String, columns: [String]) throws -> [(Int, [String: String])] {
        guard let data = FileManager.default.contents(atPath: path) else { throw fail("cannot read \(path)") }
        let text = String(decoding: data, as: UTF8.self)
        let records = parse(text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text)
        guard let header = records.first?.1.map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) else {
            throw fail("\(path) is empty: expected a header row \(columns.joined(separator: ","))")
        }
        let missing = columns.filter { !header.contains($0) }
        guard missing.isEmpty else {
            throw fail("\(path): the header lacks \(missing.joined(separator: ", ")); expected \(columns.joined(separator: ","))")
        }
        return records.dropFirst().filter { !($0.1.count == 1 && $0.1[0].isEmpty) }.map { line, fields in
            var row: [String: String] = [:]
            for (index, name) in header.enumerated() where index < fields.count { row[name] = fields[index] }
            return (line, row)
        }
    }

    static func parse(_ text: String) -> [(Int, [String])] {
        var records: [(Int, [String])] = []
        var fields: [String] = [], field = "", quoted = false, line = 1, recordLine = 1
        var iterator = text.makeIterator()
        var pending: Character?
        while let character = pending ?? iterator.next() {
            pending = nil
            if quoted {
                if character == "\"" {
                    if let next = iterator.next() {
                        if next == "\"" { field.append("\"") } else { quoted = false; pending = next }
                    } else { quoted = false }
                } else {
                    if character == "\n" || character == "\r\n" { line += 1 }
                    field.append(character)
                }
                continue
            }
            switch character {
            case "\"": quoted = true
            case ",": fields.append(field); field = ""
            case "\n", "\r\n", "\r":
                fields.append(field)
                records.append((recordLine, fields))
                fields = []; field = ""
                line += 1
                recordLine = line
            default: field.append(character)
            }
        }
        if !field.isEmpty || !fields.isEmpty {
            fields.append(field)
            records.append((recordLine, fields))
        }
        return records
    }
}
