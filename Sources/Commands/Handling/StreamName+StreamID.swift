import EventStore

extension StreamName {
    /// The stored name of a domain stream.
    public init(_ stream: StreamID) { self.init(category: stream.category.rawValue, id: stream.id) }

    /// The domain category of this stream; nil for a category the domain does not know.
    public var streamCategory: StreamCategory? { StreamCategory(rawValue: category) }
}
