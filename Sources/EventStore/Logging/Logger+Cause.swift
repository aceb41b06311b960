import Logging

extension Logger.Metadata {
    /// The documented keys of a failure's cause: `error` (its description, which for a
    /// `DatabaseError` never holds statement parameters) and `sqlstate` when the server sent one.
    public static func cause(_ error: any Error) -> Logger.Metadata {
        var metadata: Logger.Metadata = ["error": .string("\(error)")]
        if let sqlState = DatabaseError.unwrap(error)?.sqlState { metadata["sqlstate"] = .string(sqlState) }
        return metadata
    }
}
