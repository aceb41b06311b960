import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The sd_notify protocol (systemd.service `Type=notify`): a datagram such as `READY=1` to the
/// unix socket named by `NOTIFY_SOCKET` (a path, or `@name` in the abstract namespace). Written
/// here rather than linking libsystemd for two messages; without `NOTIFY_SOCKET` it does nothing.
enum SystemdNotifier {
    /// Sends `state` (e.g. "READY=1", "STOPPING=1"); false when there is no socket or it failed.
    @discardableResult
    static func notify(_ state: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        guard let path = environment["NOTIFY_SOCKET"], !path.isEmpty else { return false }
        #if canImport(Glibc)
            let socket = Glibc.socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard socket >= 0 else { return false }
            defer { close(socket) }
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            var bytes = Array(path.utf8)
            if bytes.first == UInt8(ascii: "@") { bytes[0] = 0 }
            let capacity = MemoryLayout.size(ofValue: address.sun_path)
            guard bytes.count < capacity else { return false }
            withUnsafeMutableBytes(of: &address.sun_path) { buffer in
                for (index, byte) in bytes.enumerated() { buffer[index] = byte }
            }
            let length = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count + (bytes.first == 0 ? 0 : 1))
            let message = Array(state.utf8)
            let sent = withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                    sendto(socket, message, message.count, Int32(MSG_NOSIGNAL), socketAddress, length)
                }
            }
            return sent == message.count
        #else
            return false
        #endif
    }
}
