import Commands
import EventStore
import Foundation
import TestSupport
import Testing

@testable import Daemon

/// Goal: the demo's typed commands store exactly what its former JSON lines stored, so `ledger
/// demo` prints the same report.
@Suite("ledger demo: typed commands")
struct DemoTypedCommandsTests {
    static func handler(_ store: PostgresEventStore) throws -> CommandHandler {
        CommandHandler(
            store: store, clockMode: .input,
            chamberNames: [try ChamberId(parsing: "kamikochi"): "上高地商工会議所"])
    }

    @Test("every step gives the same result, events and metadata as the JSON line")
    func sameAsJSONLines() async throws {
        let json = try await TestDatabase.freshStore()
        let typed = try await TestDatabase.freshStore()
        let jsonHandler = try Self.handler(json.store)
        let typedHandler = try Self.handler(typed.store)
        let lines = DemoJSONLines.lines()
        let steps = try DemoScript.steps()
        #expect(lines.map(\.0) == steps.map(\.name))
        for ((name, line), step) in zip(lines, steps) {
            let fromLine = await jsonHandler.execute(line: Data(line.utf8))
            let fromStep = await step.run(typedHandler)
            #expect(fromLine.succeeded && fromStep.succeeded, "\(name): \(fromStep.jsonLine)")
            #expect(fromLine.jsonLine == fromStep.jsonLine, "\(name)")
            let parsed = try CommandEnvelope.parse(Data(line.utf8)).get()
            let made = try CommandEnvelope.make(step.command, id: step.id, actor: step.actor, at: step.at).get()
            #expect(made.commandId == parsed.commandId && made.at == parsed.at && made.actor == parsed.actor, "\(name)")
        }
        let fromLines = try await json.store.read(afterPosition: 0)
        let fromSteps = try await typed.store.read(afterPosition: 0)
        #expect(fromLines.count == fromSteps.count)
        for (a, b) in zip(fromLines, fromSteps) {
            #expect(a.stream == b.stream && a.streamVersion == b.streamVersion && a.eventType == b.eventType)
            #expect(a.data == b.data, "\(a.eventType)")
            #expect(a.metadata == b.metadata && a.occurredAt == b.occurredAt, "\(a.eventType)")
        }
    }
}
