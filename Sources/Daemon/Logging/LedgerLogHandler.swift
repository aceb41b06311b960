import Logging

/// The swift-log handler of every `ledger` subcommand: one line per event on standard error, as
/// JSON (`LEDGER_LOG_FORMAT=json`) or text (docs/operations.md lists the keys). The logger's label
/// is the line's `component`.
struct LedgerLogHandler: LogHandler {
    let label: String
    let format: LogSettings.Format
    /// Text lines start with the syslog priority, for journald (`LogSink.standardErrorIsJournal`).
    var priorityPrefix = false
    let sink: LogSink
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    init(
        label: String, format: LogSettings.Format, level: Logger.Level, sink: LogSink = .standardError,
        metadataProvider: Logger.MetadataProvider? = nil
    ) {
        self.label = label
        self.format = format
        self.logLevel = level
        self.sink = sink
        self.metadataProvider = metadataProvider
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        sink.write(line(event, time: LogRecord.now()))
    }

    /// The line for `event`: the handler's metadata, then the provider's, then the event's (later
    /// ones win), and the event's error as `error` when the metadata has none.
    func line(_ event: LogEvent, time: String) -> String {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let own = event.metadata { merged.merge(own) { _, new in new } }
        if let error = event.error, merged["error"] == nil { merged["error"] = .string("\(error)") }
        let record = LogRecord(
            time: time, level: event.level, component: label, message: event.message.description, metadata: merged)
        switch format {
        case .json: return record.json
        case .text: return priorityPrefix ? "<\(Self.syslogPriority(event.level))>" + record.text : record.text
        }
    }

    /// syslog(3) priorities: debug 7 … critical 2.
    static func syslogPriority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }
}
