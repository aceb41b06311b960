import Foundation

/// A failure of the benchmark itself (not of a measured operation).
struct BenchFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
