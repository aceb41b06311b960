import EventStore
import Foundation
import Synchronization
import TestSupport
import Testing

@Suite("concurrent writers")
struct ConcurrencyTests {
    @Test("16 writers on one stream: exactly one winner per version, the rest a typed conflict")
    func sixteenWritersOneStream() async throws {
        let test = try await TestDatabase.freshStore(maximumConnections: 16)
        let target = stream("company-8888000004")
        let attemptsPerWriter = 25
        let outcomes = try await withThrowingTaskGroup(of: (wins: [Int64], conflicts: Int).self) { group in
            for writer in 0..<16 {
                group.addTask {
                    var wins: [Int64] = []
                    var conflicts = 0
                    for attempt in 0..<attemptsPerWriter {
                        let version = try await test.store.version(of: target)
                        do {
                            let outcome = try await test.store.append(
                                [event("Bumped", writer * 1000 + attempt)], to: target, expected: .at(version))
                            wins += outcome.events.map(\.version)
                        } catch EventStoreError.wrongExpectedVersion(let name, _, let actual) {
                            #expect(name == target)
                            #expect(actual > version)
                            conflicts += 1
                        }
                    }
                    return (wins, conflicts)
                }
            }
            return try await group.reduce(into: [(wins: [Int64], conflicts: Int)]()) { $0.append($1) }
        }
        let wins = outcomes.flatMap(\.wins).sorted()
        let conflicts = outcomes.map(\.conflicts).reduce(0, +)
        #expect(wins.count + conflicts == 16 * attemptsPerWriter)
        #expect(conflicts > 0, "16 racing writers never conflicted: the test did not race")
        // One winner per version, versions contiguous from 1.
        #expect(wins == Array(1...Int64(wins.count)))
        let stored = try await test.store.readWholeStream(target)
        #expect(stored.map(\.streamVersion) == wins)
        #expect(stored.map(\.cursor) == stored.map(\.cursor).sorted(), "later versions must sort later")
    }

    @Test("one command delivered 8 times at once is written once")
    func concurrentRetriesOfOneCommand() async throws {
        let test = try await TestDatabase.freshStore(maximumConnections: 8)
        let identity = CommandIdentity(commandId: UUID(), fingerprint: "same")
        let outcomes = try await withThrowingTaskGroup(of: AppendOutcome.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    try await test.store.append(
                        [event("CouponsAdjustedByChamber")], to: stream("company-1"),
                        expected: .any, command: identity)
                }
            }
            return try await group.reduce(into: [AppendOutcome]()) { $0.append($1) }
        }
        let appended = outcomes.filter { if case .appended = $0 { true } else { false } }
        #expect(appended.count == 1)
        #expect(Set(outcomes.map(\.events)).count == 1, "every delivery reports the same events")
        #expect(try await eventCount(test) == 1)
    }
}
