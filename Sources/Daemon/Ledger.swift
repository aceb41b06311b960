import ArgumentParser
import Commands
import EventStore
import Foundation

/// The `ledger` executable: one subcommand per job (ARCHITECTURE.md, "The ledger executable").
@main
struct Ledger: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "An event-sourced ledger for certificate fees, card carts and prepaid coupons, on PostgreSQL.",
        subcommands: [
            Migrate.self, Exec.self, Project.self, Status.self, Demo.self, Verify.self, Journal.self, Events.self,
            Replay.self, Compare.self, Audit.self, Serve.self, Deposits.self, Accounts.self, CalendarCommand.self,
            Notify.self, Bench.self,
        ]
    )
}
