import Commands
import EventStore
import Foundation
import HTTPTypes
import Hummingbird
import Metrics
import Projections
import Prometheus

/// The command name of a request body, for metric labels: one of the catalog's names, else
/// `unknown`, so a client cannot grow the label set.
enum CommandNames {
    static func name(of body: ByteBuffer) -> String {
        let value = try? JSONValue.decode(jsonData: Data(buffer: body))
        guard case .string(let name) = value?["command"] ?? .null, CommandCatalog.commandNames.contains(name)
        else { return "unknown" }
        return name
    }
}
