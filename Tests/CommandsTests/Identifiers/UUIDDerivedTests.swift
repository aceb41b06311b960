import Commands
import Foundation
import TestSupport
import Testing

/// Goal: one derivation for every derived id, giving the ids already in use (scheduler, imports).
@Suite("UUID.derived")
struct UUIDDerivedTests {
    @Test("SHA-256 of the name, first 16 bytes, version-4 layout: the ids the scheduler and imports always used")
    func knownValues() {
        // sha256("ledger-nightly-2026-04-06") = c0471fe1852fb8ccaec0755e810d40ee…
        #expect(
            UUID.derived(from: "ledger-nightly-2026-04-06").uuidString.lowercased()
                == "c0471fe1-852f-48cc-aec0-755e810d40ee")
        // sha256("ledger-import-deposit-D-1") = 030678634c0c09201ec8cca3a873c2af…
        #expect(
            UUID.derived(from: "ledger-import-deposit-D-1").uuidString.lowercased()
                == "03067863-4c0c-4920-9ec8-cca3a873c2af")
    }

    @Test("any digest gives a version-4, RFC 4122 variant UUID; the same digest the same UUID")
    func layout() {
        var random = SplitMix64(seed: 0x0D1D)
        for _ in 0..<500 {
            let digest = (0..<32).map { _ in UInt8.random(in: 0...255, using: &random) }
            let id = UUID.derived(fromDigest: digest)
            #expect(id.uuid.6 >> 4 == 4)
            #expect(id.uuid.8 >> 6 == 0b10)
            #expect(id == UUID.derived(fromDigest: digest))
            #expect(id.uuid.0 == digest[0] && id.uuid.15 == digest[15])
        }
        #expect(UUID.derived(from: "a") != UUID.derived(from: "b"))
    }
}
