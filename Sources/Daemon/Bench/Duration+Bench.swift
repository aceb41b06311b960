extension Duration {
    /// This duration in seconds, as the benchmark reports rates.
    var inSeconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }

    /// This duration in milliseconds, as the benchmark reports latencies.
    var inMilliseconds: Double { inSeconds * 1000 }
}
