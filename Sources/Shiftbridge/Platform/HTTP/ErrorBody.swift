import Vapor

/// The one error shape `/api/v1` answers with: `{"error":{"message":"…","code":"…"}}`, and
/// every problem where there can be many (a rejected import, invalid rules).
struct ErrorBody: Content {
    struct Detail: Content, Equatable {
        let message: String
        let code: String
        var problems: [AppError.Problem]? = nil
    }

    let error: Detail

    init(_ failure: AppError) {
        error = Detail(message: failure.message, code: failure.code, problems: failure.problems)
    }
}
