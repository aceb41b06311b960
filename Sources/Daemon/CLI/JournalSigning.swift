import ArgumentParser
import Crypto
import EventStore
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

extension Journal {
    /// `ledger journal keygen`: a new Ed25519 key pair for signed checkpoints (swift-crypto).
    struct Keygen: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a new Ed25519 key pair for signing journal checkpoints.",
            discussion: """
                The private key file is created with mode 0600 and refused if it exists; keep it outside \\
                the database (the daemon's host only). Give the public key file to auditors: \\
                `ledger verify --public-key FILE`. Each file holds the base64 of the key's 32 bytes.
                """)

        @Option(help: "Where to write the private key (created 0600; must not exist)")
        var privateKey: String

        @Option(help: "Where to write the public key")
        var publicKey: String

        func run() async throws {
            let key = Curve25519.Signing.PrivateKey()
            let descriptor = open(privateKey, O_WRONLY | O_CREAT | O_EXCL, 0o600)
            guard descriptor >= 0 else {
                throw fail(
                    "cannot create \(privateKey): \(String(cString: strerror(errno)))",
                    hint: "choose a path that does not exist yet: a key is never overwritten")
            }
            let text = key.rawRepresentation.base64EncodedString() + "\n"
            let written = text.utf8CString.withUnsafeBufferPointer {
                write(descriptor, $0.baseAddress, text.utf8.count)
            }
            close(descriptor)
            guard written == text.utf8.count else { throw fail("cannot write \(privateKey)") }
            do {
                try (SignedCheckpoint.encode(key.publicKey) + "\n").write(
                    toFile: publicKey, atomically: true, encoding: .utf8)
            } catch {
                throw fail("cannot write \(publicKey): \(error.localizedDescription)")
            }
            print("public key \(SignedCheckpoint.encode(key.publicKey)) written to \(publicKey)")
        }
    }

    /// `ledger journal checkpoint --sign --key FILE`: sign the journal's head now.
    struct Checkpoint: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sign the journal's latest entry with an Ed25519 key and store the signed checkpoint.",
            discussion: "Journal new events first (ledger project --once). "
                + EnvironmentHelp.text(EnvironmentHelp.database))

        @OptionGroup var database: DatabaseOptions

        @Flag(help: "Sign the head (required: the only kind of checkpoint this stores)")
        var sign = false

        @Option(help: "The private key file (`ledger journal keygen`)")
        var key: String

        @Flag(help: "Print the signed checkpoint as one JSON object")
        var json = false

        func run() async throws {
            guard sign else {
                throw fail(
                    "journal checkpoint stores signed checkpoints only: pass --sign",
                    hint: "ledger journal checkpoint --sign --key FILE")
            }
            let privateKey: Curve25519.Signing.PrivateKey
            do { privateKey = try SignedCheckpoint.privateKey(file: key) } catch { throw fail(error.description) }
            let signed = try await withDatabase(database) { open in
                try await requireSchema(open)
                return try await PGConnection.withConnection(open.conninfo, purpose: .cli) { connection in
                    try await SignedCheckpoint.signHead(connection, with: privateKey)
                }
            }
            guard let signed else { throw fail("the journal is empty: run `ledger project --once` first") }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                print(String(decoding: try encoder.encode(signed), as: UTF8.self))
            } else {
                print(
                    "signed journal entry \(signed.ledgerSeq) (chain \(signed.chainHash)) at \(signed.signedAt ?? "?")")
            }
        }
    }
}
