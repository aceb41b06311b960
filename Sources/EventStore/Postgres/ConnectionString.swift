import CLibPQ

/// Building and rewriting libpq connection strings.
public enum ConnectionString {
    /// A keyword/value connection string with every value quoted.
    public static func keywordValue(_ pairs: [(String, String)]) -> String {
        pairs.map { key, value in
            key + "='"
                + value.replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "'", with: "\\'") + "'"
        }.joined(separator: " ")
    }

    /// The same connection (URI or keyword/value) pointed at another database, parsed by libpq
    /// itself. Returns nil when libpq cannot parse `conninfo`.
    public static func replacingDatabase(in conninfo: String, with database: String) -> String? {
        var error: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(conninfo, &error) else {
            if let error { PQfreemem(error) }
            return nil
        }
        defer { PQconninfoFree(options) }
        var pairs: [(String, String)] = []
        var index = 0
        while let keyword = options[index].keyword {
            let key = String(cString: keyword)
            if key != "dbname", let value = options[index].val {
                pairs.append((key, String(cString: value)))
            }
            index += 1
        }
        pairs.append(("dbname", database))
        return keywordValue(pairs)
    }
}
