import ArgumentParser
import Commands
import Crypto
import EventStore
import Foundation

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
            let rows = try CSVFile.read(
                file,
                columns: [
                    "bank_code", "bank_name", "branch_code", "branch_name",
                    "account_type", "account_number", "account_holder",
                ])
            let actor = #"{"kind":"chamberStaff","id":\#(quote(staff)),"chamberId":\#(quote(chamber))}"#
            let lines = rows.map { line, row -> (Int, String) in
                let account =
                    #"{"bankCode":\#(quote(row["bank_code"])),"bankName":\#(quote(row["bank_name"])),"branchCode":\#(quote(row["branch_code"])),"branchName":\#(quote(row["branch_name"])),"accountType":\#(quote(row["account_type"])),"accountNumber":\#(quote(row["account_number"])),"accountHolder":\#(quote(row["account_holder"]))}"#
                let key = [row["bank_code"], row["branch_code"], row["account_number"]].map { $0 ?? "" }.joined(
                    separator: "-")
                return (
                    line,
                    #"{"command":"LoadVirtualAccounts","commandId":"\#(derivedId("account", key))","actor":\#(actor),"accounts":[\#(account)]}"#
                )
            }
            try await runImport(database, lines)
        }
    }
}
