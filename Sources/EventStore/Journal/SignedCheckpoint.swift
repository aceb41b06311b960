import Crypto
import Foundation

/// A journal checkpoint signed with an Ed25519 key held outside the database
/// (`ledger.journal_signatures`, docs/audit.md "Signed checkpoints"). The signed text is
/// `ledger-checkpoint v1 <ledgerSeq> <chainHash>`; keys are stored and read as the base64 of their
/// 32 raw bytes (swift-crypto's Curve25519, no key material of our own making).
public struct SignedCheckpoint: Sendable, Hashable, Codable {
    public var ledgerSeq: Int64
    public var chainHash: String
    /// Base64 of the signer's 32-byte public key.
    public var publicKey: String
    /// Base64 of the 64-byte signature.
    public var signature: String
    public var signedAt: String?

    /// What is signed: the entry and its chain value, with a prefix that names the purpose.
    public static func message(ledgerSeq: Int64, chainHash: String) -> Data {
        Data("ledger-checkpoint v1 \(ledgerSeq) \(chainHash)".utf8)
    }

    /// Whether the signature is the public key's over this entry and chain value.
    public func isValid(for key: Curve25519.Signing.PublicKey) -> Bool {
        guard publicKey == Self.encode(key), let signature = Data(base64Encoded: signature) else { return false }
        return key.isValidSignature(signature, for: Self.message(ledgerSeq: ledgerSeq, chainHash: chainHash))
    }

    /// Signs the journal's latest entry and stores the signature; nil when the journal is empty.
    /// Signing the same entry with the same key twice stores it once.
    public static func signHead(_ connection: PGConnection, with key: Curve25519.Signing.PrivateKey)
        async throws -> SignedCheckpoint?
    {
        guard
            let head = try await connection.query(
                "SELECT ledger_seq, chain_hash FROM ledger.journal ORDER BY ledger_seq DESC LIMIT 1"
            ).rows.first
        else { return nil }
        let seq = try head.decode(Int64.self, 0)
        let chain = try head.decode(String.self, 1)
        let signature = try key.signature(for: message(ledgerSeq: seq, chainHash: chain))
        _ = try await connection.query(
            """
            INSERT INTO ledger.journal_signatures (ledger_seq, chain_hash, public_key, signature)
            VALUES ($1, $2, $3, $4) ON CONFLICT (ledger_seq, public_key) DO NOTHING
            """, [seq, chain, encode(key.publicKey), signature.base64EncodedString()])
        let stored = try await connection.query(
            """
            SELECT signature, to_char(signed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
              FROM ledger.journal_signatures WHERE ledger_seq = $1 AND public_key = $2
            """, [seq, encode(key.publicKey)]
        ).singleRow()
        return SignedCheckpoint(
            ledgerSeq: seq, chainHash: chain, publicKey: encode(key.publicKey),
            signature: try stored.decode(String.self, 0), signedAt: try stored.decode(String.self, 1))
    }

    /// Every stored checkpoint signed by `key`, oldest entry first.
    public static func all(_ connection: PGConnection, signedBy key: Curve25519.Signing.PublicKey)
        async throws -> [SignedCheckpoint]
    {
        try await connection.query(
            """
            SELECT ledger_seq, chain_hash, signature, to_char(signed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
              FROM ledger.journal_signatures WHERE public_key = $1 ORDER BY ledger_seq
            """, [encode(key)]
        ).rows.map {
            SignedCheckpoint(
                ledgerSeq: try $0.decode(Int64.self, 0), chainHash: try $0.decode(String.self, 1),
                publicKey: encode(key), signature: try $0.decode(String.self, 2),
                signedAt: try $0.decode(String.self, 3))
        }
    }

    // MARK: Key files

    /// Base64 of a public key's raw bytes.
    public static func encode(_ key: Curve25519.Signing.PublicKey) -> String {
        key.rawRepresentation.base64EncodedString()
    }

    /// A key file's text: the base64 of the key's 32 raw bytes, on one line.
    public enum KeyFileError: Error, CustomStringConvertible {
        case unreadable(String)
        case malformed(String)

        public var description: String {
            switch self {
            case .unreadable(let path): "cannot read the key file \(path)"
            case .malformed(let path):
                "the key file \(path) does not hold the base64 of a 32-byte Ed25519 key "
                    + "(make one with `ledger journal keygen`)"
            }
        }
    }

    static func keyBytes(_ path: String) throws(KeyFileError) -> Data {
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable(path) }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let bytes = Data(base64Encoded: text), bytes.count == 32 else { throw .malformed(path) }
        return bytes
    }

    public static func privateKey(file path: String) throws(KeyFileError) -> Curve25519.Signing.PrivateKey {
        let bytes = try keyBytes(path)
        guard let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: bytes) else { throw .malformed(path) }
        return key
    }

    public static func publicKey(file path: String) throws(KeyFileError) -> Curve25519.Signing.PublicKey {
        let bytes = try keyBytes(path)
        guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: bytes) else { throw .malformed(path) }
        return key
    }
}
