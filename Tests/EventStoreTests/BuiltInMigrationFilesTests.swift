import EventStore
import Foundation
import TestSupport
import Testing

/// The migrations built into the binary (EmbedSchema plugin) are schema/'s files, byte for byte.
@Suite("built-in migrations")
struct BuiltInMigrationFilesTests {
    @Test("Migrator.builtIn has every NNNN_*.sql file of schema/, in order, with the same bytes")
    func sameAsSchemaFolder() throws {
        let builtIn = try Migrator.builtIn.migrations()
        let folder = try Migrator(directory: TestDatabase.schemaDirectory).migrations()
        #expect(builtIn.map(\.name) == folder.map(\.name))
        #expect(builtIn == folder)
        #expect(builtIn.first?.name == "0001_event_store.sql")
        #expect(Migrator.resolve(schemaDirectory: nil).source == .builtIn)
        #expect(Migrator.resolve(schemaDirectory: "/x").source == .directory(URL(fileURLWithPath: "/x")))
    }
}
