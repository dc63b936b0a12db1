import Fluent
import FluentPostgresDriver
import Foundation
import NIOHTTP1
@testable import Shiftbridge
import SQLKit
import Testing
import Vapor
import VaporTesting

/// A cookie-keeping client for the in-memory tester: what a browser would carry between pages.
final class Browser: @unchecked Sendable {
    let app: Application
    private(set) var cookies: [String: String] = [:]

    init(_ app: Application) { self.app = app }

    /// Puts a cookie in the jar, as another site or person could.
    func setCookie(_ name: String, _ value: String) { cookies[name] = value }

    @discardableResult
    func request(_ method: HTTPMethod, _ path: String, form: [String: String]? = nil, headers extra: HTTPHeaders = [:]) async throws -> TestingHTTPResponse {
        var headers = extra
        if !cookies.isEmpty {
            headers.replaceOrAdd(name: .cookie, value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        }
        var body: ByteBuffer?
        if let form {
            headers.contentType = .urlEncodedForm
            let encoded = form.map { key, value in
                "\(key.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)=\(value.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)"
            }.joined(separator: "&")
            body = ByteBuffer(string: encoded)
        }
        let response = try await app.testing().sendRequest(method, path, headers: headers, body: body)
        for header in response.headers[.setCookie] {
            let pair = header.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
            if pair.count == 2 { cookies[String(pair[0])] = String(pair[1]) }
            // A cookie the server expires is dropped.
            if header.contains("Max-Age=0") || header.contains("1970") { cookies[String(header.split(separator: "=")[0])] = nil }
        }
        return response
    }

    /// The CSRF token a page embeds in its forms.
    func csrfToken(from response: TestingHTTPResponse) throws -> String {
        let html = response.body.string
        let marker = "name=\"_csrf\" value=\""
        let start = try #require(html.range(of: marker), "no CSRF field on the page")
        let rest = html[start.upperBound...]
        return String(rest[..<rest.firstIndex(of: "\"")!])
    }

    /// Signs in through the real form, CSRF token included.
    func signIn(email: String, password: String) async throws -> TestingHTTPResponse {
        let page = try await request(.GET, "/sign-in")
        return try await request(.POST, "/sign-in", form: ["email": email, "password": password, "_csrf": csrfToken(from: page)])
    }
}
