import Foundation

extension UUID {
    /// A UUID made from the first 16 bytes of a digest (SHA-256 of a stable name, computed by the
    /// caller), with the version-4 and RFC 4122 variant bits set so it reads as any other UUID.
    /// The same digest always gives the same UUID: that is what makes re-sent commands idempotent.
    public static func derived(fromDigest digest: some Sequence<UInt8>) -> UUID {
        var bytes = Array(digest.prefix(16))
        precondition(bytes.count == 16, "a digest of at least 16 bytes is needed")
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return UUID(
            uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
            ))
    }
}
