import Commands
import EventStore
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A failure of the benchmark itself (not of a measured operation).
struct BenchFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
