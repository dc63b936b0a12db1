import Vapor

extension Request {
    /// `302 Found`: what an anonymous visitor to a page gets (Vapor's helper offers 303/307 only).
    func redirectFound(to location: String) -> Response {
        let response = Response(status: .found)
        response.headers.replaceOrAdd(name: .location, value: location)
        return response
    }
}
