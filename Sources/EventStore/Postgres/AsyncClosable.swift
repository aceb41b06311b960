/// Something that holds database resources until it is closed: a connection, the pool, a
/// leadership session.
public protocol AsyncClosable: Sendable {
    func close() async
}

extension AsyncClosable {
    /// Runs `body` with `self` and closes `self` afterwards on every path (Swift has no async
    /// `defer`), returning what `body` returns.
    public func closing<T>(after body: (Self) async throws -> T) async throws -> T {
        do {
            let value = try await body(self)
            await close()
            return value
        } catch {
            await close()
            throw error
        }
    }
}

extension PGConnection: AsyncClosable {}
extension ConnectionPool: AsyncClosable {}
extension Leadership: AsyncClosable {}
