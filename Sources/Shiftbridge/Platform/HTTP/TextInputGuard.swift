import Foundation
import NIOCore
import Vapor

/// Refuses text that no database keeps faithfully: a NUL character (PostgreSQL rejects it,
/// SQLite cuts the string there) or bytes that are not UTF-8, in the path, the query, a form
/// or a JSON body. Files (CSV, multipart) are checked where they are read, line by line.
/// A body over the route's cap is refused (413) before it is read: at once from its
/// `Content-Length`, or as soon as more than the cap has arrived.
struct TextInputGuard: AsyncMiddleware {
    static let message = "The request contains a NUL character or text that is not UTF-8; send UTF-8 text without NUL characters"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if !Self.isCleanPercentEncoded(Substring(request.url.path)) || !Self.isCleanPercentEncoded(Substring(request.url.query ?? "")) {
            throw AppError(.invalid, code: "invalid_text", Self.message)
        }
        let cap = request.route?.bodyCap ?? request.application.routes.defaultMaxBodySize.value
        if let declared = request.headers.first(name: .contentLength).flatMap(Int.init), declared > cap {
            throw Self.tooLarge(cap)
        }
        if request.method != .GET, request.method != .HEAD, let type = request.headers.contentType {
            let isJSON = type.type == "application" && (type.subType == "json" || type.subType.hasSuffix("+json"))
            let isForm = type == .urlEncodedForm
            if isJSON || isForm, let body = try await Self.collect(request, upTo: cap) {
                let bytes = body.readableBytesView
                let clean = isJSON ? Self.isCleanJSON(bytes) : Self.isCleanPercentEncoded(Substring(decoding: bytes, as: UTF8.self)) && Self.isCleanUTF8(bytes)
                guard clean else { throw AppError(.invalid, code: "invalid_text", Self.message) }
            }
        }
        return try await next.respond(to: request)
    }

    /// The body, at most `cap` bytes of it (a body already in memory is held to the cap too).
    static func collect(_ request: Request, upTo cap: Int) async throws -> ByteBuffer? {
        let body: ByteBuffer?
        do { body = try await request.body.collect(max: cap).get() } catch let error as any AbortError where error.status == .payloadTooLarge {
            throw tooLarge(cap)
        }
        guard (body?.readableBytes ?? 0) <= cap else { throw tooLarge(cap) }
        return body
    }

    static func tooLarge(_ cap: Int) -> AppError {
        let size = cap >= 1 << 20 ? "\(cap >> 20) MB" : "\(cap >> 10) KB"
        return AppError(.tooLarge, code: "payload_too_large", "The request body is over the \(size) this address takes; send less")
    }

    static func isCleanUTF8<Bytes: Sequence>(_ bytes: Bytes) -> Bool where Bytes.Element == UInt8 {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): if scalar.value == 0 { return false }
            case .emptyInput: return true
            case .error: return false
            }
        }
    }

    /// UTF-8 without NUL, and no `\u0000` escape inside a string.
    static func isCleanJSON(_ bytes: ByteBufferView) -> Bool {
        guard isCleanUTF8(bytes) else { return false }
        let backslash = UInt8(ascii: "\\"), u = UInt8(ascii: "u"), zero = UInt8(ascii: "0")
        var index = bytes.startIndex
        while index < bytes.endIndex {
            if bytes[index] == backslash, bytes.index(after: index) < bytes.endIndex {
                let escape = bytes.index(after: index)
                if bytes[escape] == u, bytes.distance(from: escape, to: bytes.endIndex) > 4,
                   (1...4).allSatisfy({ bytes[bytes.index(escape, offsetBy: $0)] == zero }) {
                    return false
                }
                index = bytes.index(after: escape)
                continue
            }
            index = bytes.index(after: index)
        }
        return true
    }

    /// After percent-decoding: UTF-8 without NUL.
    static func isCleanPercentEncoded(_ text: Substring) -> Bool {
        guard text.contains("%") else { return !text.unicodeScalars.contains("\0") }
        var decoded: [UInt8] = []
        var bytes = Array(text.utf8)[...]
        while let byte = bytes.popFirst() {
            if byte == UInt8(ascii: "%"), bytes.count >= 2, let value = UInt8(String(decoding: bytes.prefix(2), as: UTF8.self), radix: 16) {
                decoded.append(value)
                bytes = bytes.dropFirst(2)
            } else {
                decoded.append(byte)
            }
        }
        return isCleanUTF8(decoded)
    }
}
