import Commands
import Foundation
import Testing

@Suite("RFC 3339 text")
struct RFC3339Tests {
    @Test("parses times with an offset only, keeping microseconds; formats in JST")
    func parseAndFormat() {
        let instant = RFC3339.parse("2025-03-17T10:00:00.123456+09:00")
        #expect(instant == RFC3339.parse("2025-03-17T01:00:00.123456Z"))
        #expect(RFC3339.format(instant!) == "2025-03-17T10:00:00.123456+09:00")
        #expect(RFC3339.parse("2025-03-17T10:00:00+09:00") != nil)
        for bad in ["2025-03-17T10:00:00", "2025-03-17 10:00:00+09:00", "yesterday", "2025-03-17"] {
            #expect(RFC3339.parse(bad) == nil, "\(bad)")
        }
    }
}
