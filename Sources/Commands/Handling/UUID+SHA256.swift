import Crypto
import Foundation

extension UUID {
    /// The UUID derived from `name` (SHA-256 of its UTF-8 bytes, see `derived(fromDigest:)`): the
    /// one derivation for every command id or refund id that must come out the same when a
    /// command is sent or decided again (daily scheduler commands, bank imports, refund ids).
    public static func derived(from name: String) -> UUID {
        derived(fromDigest: SHA256.hash(data: Data(name.utf8)))
    }
}
