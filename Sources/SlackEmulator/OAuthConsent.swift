import EmulatorSupport
import Foundation
import Vapor

/// Slack's install consent: `GET /oauth/v2/authorize` shows what the app asks for; Allow
/// sends the browser back to the app's redirect URL with a one-time code, Cancel with
/// `error=access_denied`.
struct OAuthConsent: Sendable {
    let workspace: SlackWorkspace

    func register(_ app: Application) {
        app.get("oauth", "v2", "authorize") { req -> Response in
            let query = FormArguments.parse(req.url.query ?? "")
            let clientID = query["client_id"] ?? ""
            guard let registered = workspace.withStorage({ $0.oauthApps[clientID] }) else { return page("Unknown app", "<p>client_id is not a registered app.</p>", status: .badRequest) }
            let redirect = query["redirect_uri"] ?? registered.redirectURI
            guard redirect == registered.redirectURI else {
                return page("Redirect not allowed", "<p>redirect_uri does not match the app's configured redirect URL.</p>", status: .badRequest)
            }
            let fields = ["client_id": clientID, "scope": query["scope"] ?? "", "user_scope": query["user_scope"] ?? "", "redirect_uri": redirect,
                          "state": query["state"] ?? ""]
            let hidden = fields.map { "<input type=\"hidden\" name=\"\($0.key)\" value=\"\(HTMLText.escape($0.value))\">" }.joined()
            let scopes = (fields["scope"] ?? "").split(separator: ",").map { "<li>\(HTMLText.escape(String($0)))</li>" }.joined()
            let userScopes = (fields["user_scope"] ?? "").split(separator: ",").map { "<li>\(HTMLText.escape(String($0)))</li>" }.joined()
            return page("Install on Shiftbridge Demo", """
                <p>The app is asking to:</p><ul>\(scopes)</ul>\(userScopes.isEmpty ? "" : "<p>and, on your behalf:</p><ul>\(userScopes)</ul>")
                <form method="post" action="/oauth/v2/authorize">\(hidden)<button name="decision" value="allow" id="allow">Allow</button>
                <button name="decision" value="cancel">Cancel</button></form>
                """)
        }
        app.post("oauth", "v2", "authorize") { req -> Response in
            let form = FormArguments.parse(req.body.string ?? "")
            let clientID = form["client_id"] ?? ""
            guard let registered = workspace.withStorage({ $0.oauthApps[clientID] }), form["redirect_uri"] == registered.redirectURI,
                  var target = URLComponents(string: registered.redirectURI) else { return page("Unknown app", "", status: .badRequest) }
            var items = target.queryItems ?? []
            if form["decision"] == "allow" {
                let code = workspace.withStorage { storage in
                    let code = storage.random.token(length: 40)
                    storage.codes[code] = OAuthCode(clientID: clientID, redirectURI: registered.redirectURI,
                                                    scopes: (form["scope"] ?? "").split(separator: ",").map(String.init),
                                                    userScopes: (form["user_scope"] ?? "").split(separator: ",").map(String.init),
                                                    expiresAt: storage.clock.now().addingTimeInterval(600))
                    return code
                }
                items.append(URLQueryItem(name: "code", value: code))
            } else {
                items.append(URLQueryItem(name: "error", value: "access_denied"))
            }
            items.append(URLQueryItem(name: "state", value: form["state"] ?? ""))
            target.queryItems = items
            return req.redirect(to: target.string ?? registered.redirectURI)
        }
    }

    private func page(_ title: String, _ body: String, status: HTTPResponseStatus = .ok) -> Response {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "text/html; charset=utf-8")
        return Response(status: status, headers: headers, body: .init(string:
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>\(HTMLText.escape(title))</title></head><body><main><h1>\(HTMLText.escape(title))</h1>\(body)</main></body></html>"))
    }
}
