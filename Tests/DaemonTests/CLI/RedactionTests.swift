import Foundation
import Testing

@testable import Daemon

/// The forms of secrets `Redaction` masks (#19 item 2): URL passwords, conninfo and query
/// `password=` values, whole values named secret/password/token; nothing else is changed.
@Suite("configuration: redaction of secrets")
struct RedactionTests {
    static let cases: [(value: String, setting: Setting, shown: String)] = [
        ("postgresql://ledger:pw@db/ledger", .databaseURL, "postgresql://ledger:********@db/ledger"),
        ("postgres://u:p@ss@db:5432/x", .databaseURL, "postgres://u:********@db:5432/x"),
        (
            "postgresql://u:pw@h1,h2/db?sslmode=require", .databaseURL,
            "postgresql://u:********@h1,h2/db?sslmode=require"
        ),
        (
            "postgresql://db/x?user=u&password=pw&sslmode=require", .databaseURL,
            "postgresql://db/x?user=u&password=********&sslmode=require"
        ),
        ("host=db password=pw dbname=x", .databaseURL, "host=db password=******** dbname=x"),
        ("host=db PASSWORD = 'p w\\'x' dbname=x", .databaseURL, "host=db PASSWORD = '********' dbname=x"),
        ("postgresql://ledger@db/ledger", .databaseURL, "postgresql://ledger@db/ledger"),
        ("host=db dbname=x", .databaseURL, "host=db dbname=x"),
        ("https://user:gw@gateway.example/api", .gatewayURL, "https://user:********@gateway.example/api"),
        ("smtp://u:pw@relay:25", .smtpURL, "smtp://u:********@relay:25"),
        ("anything at all", .apiToken, "********"),
        ("127.0.0.1", .httpHost, "127.0.0.1"),
    ]

    @Test("each form is masked, and only the secret", arguments: cases)
    func masked(_ entry: (value: String, setting: Setting, shown: String)) {
        #expect(Redaction.display(entry.value, for: entry.setting) == entry.shown)
    }

    @Test("settings named secret, password or token are secrets as a whole")
    func namedSecrets() {
        #expect(Setting.apiToken.isSecret)
        #expect(Setting.allCases.filter(\.isSecret) == [.apiToken])
    }

    @Test("scrub masks a password= value a message spells out")
    func scrub() {
        #expect(
            Redaction.scrub("missing \"=\" after \"x\" in host=db password=hunter2 x")
                == "missing \"=\" after \"x\" in host=db password=******** x")
    }

    @Test("the catalog: every setting has a variable, a section of the file and, if numeric, a default")
    func catalog() {
        #expect(Set(Setting.allCases.map(\.environment)).count == Setting.allCases.count)
        #expect(Set(Setting.allCases.compactMap(\.flag)).count == Setting.allCases.count - 1)
        for setting in Setting.allCases where [.integer, .number].contains(setting.kind) {
            #expect(setting.defaultValue != nil, "\(setting.key)")
        }
        #expect(Setting.sections == ["database", "serve", "domain", "gateway", "mail"])
    }
}
