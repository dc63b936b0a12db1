import Foundation
@testable import Shiftbridge
import Testing

@Suite struct AppConfigTests {
    @Test func defaultsToEmbeddedSQLiteUnderData() throws {
        let config = try AppConfig.load(environment: [:])
        #expect(config.dataDirectory == "./data")
        #expect(config.storage == .sqlite(path: "./data/shiftbridge.sqlite"))
        #expect(config.secretKey == nil)
        #expect(config.secureCookies == false)
        #expect(config.loginAttemptsPerMinute == 10)
    }

    @Test func dataDirectoryMovesTheSQLiteFile() throws {
        let config = try AppConfig.load(environment: ["SHIFTBRIDGE_DATA_DIR": "/var/lib/shiftbridge"])
        #expect(config.storage == .sqlite(path: "/var/lib/shiftbridge/shiftbridge.sqlite"))
    }

    @Test func databaseURLSelectsPostgres() throws {
        let url = "postgres://sb:pw@127.0.0.1:5432/shiftbridge"
        let config = try AppConfig.load(environment: ["DATABASE_URL": url])
        #expect(config.storage == .postgres(url: url))
        let alias = try AppConfig.load(environment: ["DATABASE_URL": "postgresql://db.internal/sb"])
        #expect(alias.storage == .postgres(url: "postgresql://db.internal/sb"))
    }

    @Test(arguments: ["mysql://localhost/sb", "not a url", "postgres:///nohost"])
    func unusableDatabaseURLIsNamedInTheError(_ url: String) throws {
        let error = try #require(throws: AppConfig.InvalidSetting.self) {
            try AppConfig.load(environment: ["DATABASE_URL": url])
        }
        #expect(error.name == "DATABASE_URL")
        #expect(error.problem.contains("postgres://"))
    }

    @Test func secretKeyMustBe32Base64Bytes() throws {
        let good = Data(repeating: 7, count: 32).base64EncodedString()
        #expect(try AppConfig.load(environment: ["SHIFTBRIDGE_SECRET_KEY": good]).secretKey == good)
        for bad in ["short", Data(repeating: 1, count: 16).base64EncodedString()] {
            let error = try #require(throws: AppConfig.InvalidSetting.self) {
                try AppConfig.load(environment: ["SHIFTBRIDGE_SECRET_KEY": bad])
            }
            #expect(error.name == "SHIFTBRIDGE_SECRET_KEY")
        }
    }

    @Test func httpsPublicURLTurnsOnSecureCookies() throws {
        let config = try AppConfig.load(environment: ["SHIFTBRIDGE_PUBLIC_URL": "https://sb.example.com/"])
        #expect(config.publicURL == "https://sb.example.com")
        #expect(config.secureCookies)
        #expect(try AppConfig.load(environment: ["SHIFTBRIDGE_PUBLIC_URL": "http://localhost:8080"]).secureCookies == false)
        #expect(throws: AppConfig.InvalidSetting.self) {
            try AppConfig.load(environment: ["SHIFTBRIDGE_PUBLIC_URL": "sb.example.com"])
        }
    }

    @Test func loginAttemptLimitMustBePositive() throws {
        #expect(try AppConfig.load(environment: ["SHIFTBRIDGE_LOGIN_ATTEMPTS_PER_MINUTE": "3"]).loginAttemptsPerMinute == 3)
        #expect(throws: AppConfig.InvalidSetting.self) {
            try AppConfig.load(environment: ["SHIFTBRIDGE_LOGIN_ATTEMPTS_PER_MINUTE": "0"])
        }
    }

    @Test func blankVariablesCountAsUnset() throws {
        let config = try AppConfig.load(environment: ["DATABASE_URL": "  ", "SHIFTBRIDGE_SECRET_KEY": ""])
        #expect(config.storage == .sqlite(path: "./data/shiftbridge.sqlite"))
        #expect(config.secretKey == nil)
    }
}
