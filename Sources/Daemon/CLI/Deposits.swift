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
            let rows = try CSVFile.read(
                file,
                columns: [
                    "deposit_id", "bank_code", "branch_code", "account_number",
                    "amount_yen", "credited_on", "payer_name",
                ])
            let lines = rows.map { line, row -> (Int, String) in
                let amount = Int64(row["amount_yen"] ?? "").map { String($0) } ?? "\"\(row["amount_yen"] ?? "")\""
                let body =
                    #""depositId":\#(quote(row["deposit_id"])),"bankCode":\#(quote(row["bank_code"])),"branchCode":\#(quote(row["branch_code"])),"accountNumber":\#(quote(row["account_number"])),"amountYen":\#(amount),"depositedOn":\#(quote(row["credited_on"])),"payerName":\#(quote(row["payer_name"]))"#
                return (
                    line,
                    #"{"command":"RecordBankDeposit","commandId":"\#(derivedId("deposit", row["deposit_id"] ?? "\(line)"))","actor":{"kind":"bankFeed","id":"import"},\#(body)}"#
                )
            }
            try await runImport(database, lines)
        }
    }
}
