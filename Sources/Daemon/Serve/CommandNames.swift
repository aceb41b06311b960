import Commands
import EventStore
import Foundation
import HTTPTypes
import Hummingbird
import Metrics
import Projections
import Prometheus

/// The command name of a request body, for metrics (bounded to known names).
enum CommandNames {
    static func name(of body: ByteBuffer) -> String {
        let value = try? JSONValue.decode(jsonData: Data(buffer: body))
        guard case .string(let name) = value?["command"] ?? .null, name.count <= 40,
            name.allSatisfy({ $0.isASCII && $0.isLetter })
        else { return "unknown" }
        return name
    }
}
