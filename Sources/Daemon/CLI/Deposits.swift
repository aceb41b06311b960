import ArgumentParser
import Commands
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
                credited_on (YYYY-MM-DD), payer_name. Exit 0 when every line was recorded (or already was), 1 otherwise. Shows progress on a \
                terminal (stderr). \(EnvironmentHelp.text(EnvironmentHelp.database))
                """)

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The CSV file") var file: String
        @Flag(help: "Print one JSON object: each line's outcome and the counts") var json = false

        func run() async throws {
            let rows = try CSVFile.read(
                file,
                columns: [
                    "deposit_id", "bank_code", "branch_code", "account_number",
                    "amount_yen", "credited_on", "payer_name",
                ])
            let lines = rows.map { line, values in
                ImportLine(line: line, commandId: derivedId("deposit", values["deposit_id"] ?? "\(line)")) {
                    () throws(Rejection) -> RecordBankDeposit in
                    let row = CSVRow(values)
                    return RecordBankDeposit(
                        depositId: try row.value("deposit_id", field: "depositId"),
                        bankCode: try row.value("bank_code", field: "bankCode"),
                        branchCode: try row.value("branch_code", field: "branchCode"),
                        accountNumber: try row.value("account_number", field: "accountNumber"),
                        amountYen: try row.yen("amount_yen", field: "amountYen"),
                        depositedOn: try row.value("credited_on", field: "depositedOn"),
                        payerName: row.optionalText("payer_name"))
                }
            }
            try await runImport(
                database, json: json, actor: .success(CommandActor(kind: .bankFeed, id: "import")), lines)
        }
    }
}
