import ArgumentParser
import Commands
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
                account_number, account_holder. Exit 0 when every line was loaded (or already was), 1 otherwise. Shows progress on a \
                terminal (stderr). \(EnvironmentHelp.text(EnvironmentHelp.database))
                """)

        @OptionGroup var database: DatabaseOptions
        @Option(help: "Chamber staff id recorded as the loader") var staff: String = "bank-import"
        @Option(help: "The loader's chamber id") var chamber: String = "jcci"
        @Argument(help: "The CSV file") var file: String
        @Flag(help: "Print one JSON object: each line's outcome and the counts") var json = false

        func run() async throws {
            let rows = try CSVFile.read(
                file,
                columns: [
                    "bank_code", "bank_name", "branch_code", "branch_name",
                    "account_type", "account_number", "account_holder",
                ])
            let actor: Result<CommandActor, Rejection>
            do throws(FieldFormatError) {
                let chamberId = try ChamberId(parsing: chamber, field: "actor.chamberId")
                actor = .success(CommandActor(kind: .chamberStaff, id: staff, chamberId: chamberId))
            } catch {
                actor = .failure(.invalid("actor.chamberId", error.message))
            }
            let lines = rows.map { line, values in
                let key = [values["bank_code"], values["branch_code"], values["account_number"]].map { $0 ?? "" }
                    .joined(separator: "-")
                return ImportLine(line: line, commandId: derivedId("account", key)) {
                    () throws(Rejection) -> LoadVirtualAccounts in
                    let row = CSVRow(values)
                    return LoadVirtualAccounts(accounts: [
                        VirtualAccount(
                            bankCode: try row.value("bank_code", field: "accounts[0].bankCode"),
                            bankName: try row.text("bank_name", field: "accounts[0].bankName"),
                            branchCode: try row.value("branch_code", field: "accounts[0].branchCode"),
                            branchName: try row.text("branch_name", field: "accounts[0].branchName"),
                            accountType: try row.choice("account_type", field: "accounts[0].accountType"),
                            accountNumber: try row.value("account_number", field: "accounts[0].accountNumber"),
                            accountHolder: try row.text("account_holder", field: "accounts[0].accountHolder"))
                    ])
                }
            }
            try await runImport(database, json: json, actor: actor, lines)
        }
    }
}
