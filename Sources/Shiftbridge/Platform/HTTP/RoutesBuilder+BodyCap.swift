import Vapor

extension RoutesBuilder {
    /// A route that takes a body of at most `cap`. The cap is kept on the route, so the
    /// input guard refuses a larger body (413) from its `Content-Length`, or as soon as that
    /// many bytes have arrived, before anything is collected; routes without one get the
    /// application's default.
    @discardableResult
    func on<Answer: AsyncResponseEncodable>(_ method: HTTPMethod, _ path: PathComponent..., bodyCap cap: ByteCount,
                                            use closure: @Sendable @escaping (Request) async throws -> Answer) -> Route {
        let route = on(method, path, body: .collect(maxSize: cap), use: closure)
        route.userInfo["bodyCap"] = cap.value
        return route
    }
}

extension Route {
    /// The most body this route takes, when it says (`on(_:_:bodyCap:use:)`).
    var bodyCap: Int? { userInfo["bodyCap"] as? Int }
}
