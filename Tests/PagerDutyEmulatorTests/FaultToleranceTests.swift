import Foundation
import PagerDutyEmulator
import PagerDutyKit
import Testing

/// The client against the emulator with faults injected: nothing lost, nothing doubled,
/// no partial list ever returned, 429s waited out.
@Suite struct FaultToleranceTests {
    func setFaults(_ server: EmulatorServer, _ plan: [String: Any]) async throws {
        #expect(try await server.http.call("POST", "/_emulator/faults", json: plan).status == 200)
    }

    @Test func listsAreWholeOrAnErrorUnderFaults() async throws {
        try await withEmulator { server in
            let key = try await server.http.createKey()
            let expected = Set(try await server.client(key: key).users().collect().map(\.id))
            #expect(expected.count == 60)
            try await setFaults(server, ["rate": 0.3, "kinds": ["500", "429", "malformed", "timeout"], "paths": ["/users"], "timeout_seconds": 0.3])
            let client = server.client(key: key, attempts: 10)
            var whole = 0
            for _ in 0..<8 {
                // 25 a page: three pages, each with a 30% chance to fail per try.
                do {
                    let users = try await client.users(pageSize: 25).collect()
                    #expect(users.count == 60)
                    #expect(Set(users.map(\.id)) == expected)
                    whole += 1
                } catch let error as PagerDutyError {
                    // Acceptable only as a clear failure, never as a short list.
                    #expect(error.isRetryable, "\(error)")
                }
            }
            #expect(whole >= 6)
            let stats = try await server.http.call("GET", "/_emulator/stats").json
            let statuses = stats["by_status"] as? [String: Int] ?? [:]
            #expect((statuses["500"] ?? 0) + (statuses["429"] ?? 0) + (statuses["504"] ?? 0) > 0, "faults were injected")
        }
    }

    @Test func writesFailingBeforeTheyHappenAreRetriedOnce() async throws {
        try await withEmulator(seed: .empty) { server in
            let key = try await server.http.createKey()
            try await setFaults(server, ["rate": 0.3, "kinds": ["500", "429"], "paths": ["/users"]])
            let client = server.client(key: key, attempts: 12)
            for index in 0..<20 {
                _ = try await client.createUser(PDUserInput(name: "Person \(index)", email: "person\(index)@example.com"))
            }
            _ = try await server.http.call("DELETE", "/_emulator/faults")
            let users = try await client.users().collect()
            #expect(users.count == 21)  // the owner and the twenty, each once
            #expect(Set(users.compactMap(\.email)).count == 21)
        }
    }

    @Test func writesWhoseAnswerIsLostAreAdoptedNotDoubled() async throws {
        try await withEmulator(seed: .empty) { server in
            let key = try await server.http.createKey()
            // The create happens, then the answer is lost: the retry finds the email taken.
            try await setFaults(server, ["rate": 0.5, "kinds": ["500"], "paths": ["/users"], "when": "after"])
            let client = server.client(key: key, attempts: 12)
            var adopted = 0
            for index in 0..<10 {
                let result = try await client.createOrAdoptUser(PDUserInput(name: "Person \(index)", email: "person\(index)@example.com"))
                #expect(result.user.email == "person\(index)@example.com")
                if result.adopted { adopted += 1 }
            }
            _ = try await server.http.call("DELETE", "/_emulator/faults")
            let users = try await client.users().collect()
            #expect(users.count == 11)
            #expect(adopted > 0, "the 'after' faults made at least one retry hit the existing user")
        }
    }

    @Test func rateLimitIsWaitedOutAndEveryRequestSucceeds() async throws {
        try await withEmulator(rateLimitPerMinute: 20, rateLimitWindow: 1) { server in
            let key = try await server.http.createKey()
            var configuration = PagerDutyClientConfiguration(baseURL: server.baseURL)
            configuration.maxAttempts = 5
            // A pacer far above the account's limit, so PagerDuty's 429s are what slows us.
            let client = PagerDutyClient(credential: .apiKey(key), configuration: configuration, pacer: RequestPacer(requestsPerMinute: 60_000, burst: 100))
            for _ in 0..<60 { _ = try await client.abilities() }
            let stats = try await server.http.call("GET", "/_emulator/stats").json
            let statuses = stats["by_status"] as? [String: Int] ?? [:]
            #expect(statuses["200"] == 60)
            // After each 429 the client waits for the reset instead of hammering: a couple per window at most.
            #expect((statuses["429"] ?? 0) <= 6, "\(statuses)")
        }
    }
}
