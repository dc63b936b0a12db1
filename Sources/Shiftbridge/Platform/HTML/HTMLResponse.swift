import Plot
import Vapor

enum HTMLResponse {
    static func make(status: HTTPResponseStatus = .ok, html: String) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .html
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return Response(status: status, headers: headers, body: .init(string: html))
    }
}
