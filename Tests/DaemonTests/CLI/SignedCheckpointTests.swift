import EventStore
import Foundation
import TestSupport
import Testing

/// Signed checkpoints (#20 item 5): `ledger journal keygen`, `ledger journal checkpoint --sign`,
/// `ledger verify --public-key`. The tamperer here is a superuser who rewrites an early event and
/// recomputes every hash and the whole chain consistently, which the chain alone cannot catch.
@Suite("signed journal checkpoints")
struct SignedCheckpointTests {
    let journal = JournalTests()

    /// A fresh folder with a key pair made by `ledger journal keygen`.
    static func keys(_ name: String = "checkpoint") async throws -> (
        folder: String, privateKey: String, publicKey: String
    ) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-keys-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let (privateKey, publicKey) = (folder + "/\(name).key", folder + "/\(name).pub")
        let made = try await LedgerExecutable.run([
            "journal", "keygen", "--private-key", privateKey, "--public-key", publicKey,
        ])
        #expect(made.status == 0, "\(made.errorOutput)")
        return (folder, privateKey, publicKey)
    }

    func sign(_ test: TestStore, _ key: String) async throws -> ChildProcess.Result {
        try await LedgerExecutable.run([
            "journal", "checkpoint", "--sign", "--key", key, "--database-url", test.conninfo,
        ])
    }

    @Test("with only the public key an auditor finds a consistent rewrite before the latest signed checkpoint")
    func rewriteIsCaught() async throws {
        let test = try await journal.journaledStore()
        let keys = try await Self.keys()
        defer { try? FileManager.default.removeItem(atPath: keys.folder) }
        let mode = try FileManager.default.attributesOfItem(atPath: keys.privateKey)[.posixPermissions] as? Int
        #expect(mode == 0o600, "the private key is readable by its owner only")
        let again = try await LedgerExecutable.run([
            "journal", "keygen", "--private-key", keys.privateKey, "--public-key", keys.folder + "/other.pub",
        ])
        #expect(again.status == 2 && again.errorOutput.contains("never overwritten"), "\(again.errorOutput)")

        let signed = try await sign(test, keys.privateKey)
        #expect(signed.status == 0, "\(signed.errorOutput)")
        #expect(signed.output.hasPrefix("signed journal entry 30 "), "\(signed.output)")
        let before = try await journal.verify(test, ["--public-key", keys.publicKey])
        #expect(before.status == 0, "\(before.output) \(before.errorOutput)")
        #expect(before.output.contains("1 checkpoint(s) signed by the key, the latest at journal entry 30"))

        // Rewrite event 3 and recompute the events' journal from scratch, as a superuser could.
        try await journal.tamper(
            test,
            """
            UPDATE ledger.events SET data = '{"n": 2, "text": "forged"}' WHERE global_position = 3;
            DELETE FROM ledger.journal_checkpoints; DELETE FROM ledger.journal;
            """)
        _ = try await JournalSequencer(store: test.store, conninfo: test.conninfo).catchUp()
        #expect(try await journal.verify(test).status == 0, "the rewrite is consistent: the chain alone passes")
        let after = try await journal.verify(test, ["--public-key", keys.publicKey, "--json"])
        #expect(after.status == 1, "\(after.output) \(after.errorOutput)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(after.output.utf8)) as? [String: Any])
        let problems = report["problems"] as? [[String: Any]] ?? []
        #expect(problems.count == 1, "\(problems)")
        #expect(problems.first?["ledgerSeq"] as? Int == 30, "the signed checkpoint is named: \(problems)")
        #expect(
            (problems.first?["message"] as? String)?.hasPrefix("the chain differs from the checkpoint signed at")
                == true,
            "\(problems)")
        #expect(report["latestSignedSeq"] as? Int == 30)
    }

    @Test("each key verifies what it signed; an altered signature, a key that signed nothing, a bad key file")
    func keysAndRefusals() async throws {
        let test = try await journal.journaledStore()
        let old = try await Self.keys("old")
        let new = try await Self.keys("new")
        let unused = try await Self.keys("unused")
        defer { for keys in [old, new, unused] { try? FileManager.default.removeItem(atPath: keys.folder) } }
        #expect(try await sign(test, old.privateKey).status == 0)
        #expect(try await sign(test, old.privateKey).status == 0, "signing the same head again is a no-op")
        #expect(try await sign(test, new.privateKey).status == 0, "a new key is simply used from then on")
        for keys in [old, new] {
            let result = try await journal.verify(test, ["--public-key", keys.publicKey])
            #expect(result.status == 0, "\(result.output)")
            #expect(result.output.contains("1 checkpoint(s) signed by the key"), "\(result.output)")
        }
        let none = try await journal.verify(test, ["--public-key", unused.publicKey])
        #expect(none.status == 1 && none.output.contains("no checkpoint signed by this public key"), "\(none.output)")

        // A stored checkpoint moved to another chain value no longer carries its key's signature.
        try await journal.tamper(
            test,
            """
            UPDATE ledger.journal_signatures SET chain_hash = repeat('0', 64)
             WHERE public_key = '\(try String(contentsOfFile: new.publicKey, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines))'
            """)
        let forged = try await journal.verify(test, ["--public-key", new.publicKey])
        #expect(forged.status == 1 && forged.output.contains("signature is not this key's"), "\(forged.output)")
        #expect(try await journal.verify(test, ["--public-key", old.publicKey]).status == 0, "the old key's stands")

        let missing = try await journal.verify(test, ["--public-key", old.folder + "/nothing.pub"])
        #expect(
            missing.status == 2 && missing.errorOutput.contains("cannot read the key file"), "\(missing.errorOutput)")
        try "not a key\n".write(toFile: old.folder + "/bad.pub", atomically: true, encoding: .utf8)
        let bad = try await journal.verify(test, ["--public-key", old.folder + "/bad.pub"])
        #expect(bad.status == 2 && bad.errorOutput.contains("ledger journal keygen"), "\(bad.errorOutput)")
        let unsigned = try await LedgerExecutable.run([
            "journal", "checkpoint", "--key", old.privateKey, "--database-url", test.conninfo,
        ])
        #expect(unsigned.status == 2, "--sign is required: \(unsigned.errorOutput)")
    }
}
