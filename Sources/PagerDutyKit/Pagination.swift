import Foundation

/// A classic-paginated list (`limit`/`offset`/`more`) as an async sequence. It advances the
/// offset by the results received, stops when `more` is false, and throws, never truncates,
/// at PagerDuty's 10,000 offset cap or on a page that cannot be read.
public struct ClassicPages<Element: Decodable & Sendable>: AsyncSequence, Sendable {
    let client: PagerDutyClient
    let path: String
    let key: String
    let query: [(String, String)]
    let pageSize: Int

    public func makeAsyncIterator() -> Iterator {
        Iterator(pages: self)
    }

    /// Every element, or an error: a caller never sees part of a list.
    public func collect() async throws -> [Element] {
        var all: [Element] = []
        for try await element in self { all.append(element) }
        return all
    }

    public struct Iterator: AsyncIteratorProtocol {
        let pages: ClassicPages
        var buffer: [Element] = []
        var offset = 0
        var more = true

        public mutating func next() async throws -> Element? {
            if buffer.isEmpty {
                guard more else { return nil }
                guard offset + pages.pageSize <= 10_000 else {
                    throw PagerDutyError.paginationLimitReached(path: pages.path, fetched: offset)
                }
                let key = pages.key
                let page = try await pages.client.send(
                    "GET", pages.path, query: pages.query + [("limit", "\(pages.pageSize)"), ("offset", "\(offset)")],
                    decode: { data in try ClassicPage<Element>.decode(data, key: key) })
                if page.items.isEmpty && page.more {
                    throw PagerDutyError.malformedResponse("\(pages.path) said more results follow but sent none")
                }
                offset += page.items.count
                more = page.more
                buffer = page.items.reversed()
            }
            return buffer.popLast()
        }
    }
}

struct ClassicPage<Element: Decodable & Sendable>: Sendable {
    let items: [Element]
    let more: Bool

    static func decode(_ data: Data, key: String) throws -> ClassicPage {
        let object = try JSONDecoder().decode(Raw.self, from: data)
        guard let items = object.items(key) else { throw PagerDutyError.malformedResponse("no '\(key)' list in the page") }
        return ClassicPage(items: items, more: object.more ?? false)
    }

    struct Raw: Decodable {
        let container: KeyedDecodingContainer<AnyKey>
        let more: Bool?
        init(from decoder: any Decoder) throws {
            container = try decoder.container(keyedBy: AnyKey.self)
            more = try container.decodeIfPresent(Bool.self, forKey: AnyKey("more"))
        }
        // Strict: one unreadable item fails the page, so it is fetched again rather than skipped.
        func items(_ key: String) -> [Element]? { try? container.decode([Element].self, forKey: AnyKey(key)) }
    }
}

/// A cursor-paginated list (`cursor`/`next_cursor`), such as `/audit/records`.
public struct CursorPages<Element: Decodable & Sendable>: AsyncSequence, Sendable {
    let client: PagerDutyClient
    let path: String
    let key: String
    let query: [(String, String)]
    let pageSize: Int

    public func makeAsyncIterator() -> Iterator { Iterator(pages: self) }

    public func collect() async throws -> [Element] {
        var all: [Element] = []
        for try await element in self { all.append(element) }
        return all
    }

    public struct Iterator: AsyncIteratorProtocol {
        let pages: CursorPages
        var buffer: [Element] = []
        var cursor: String?
        var finished = false

        public mutating func next() async throws -> Element? {
            if buffer.isEmpty {
                guard !finished else { return nil }
                let key = pages.key
                var query = pages.query + [("limit", "\(pages.pageSize)")]
                if let cursor { query.append(("cursor", cursor)) }
                let page = try await pages.client.send("GET", pages.path, query: query, decode: { data in
                    try CursorPage<Element>.decode(data, key: key)
                })
                cursor = page.nextCursor
                finished = page.nextCursor == nil
                buffer = page.items.reversed()
                if buffer.isEmpty { return nil }
            }
            return buffer.popLast()
        }
    }
}

struct CursorPage<Element: Decodable & Sendable>: Sendable {
    let items: [Element]
    let nextCursor: String?

    static func decode(_ data: Data, key: String) throws -> CursorPage {
        let raw = try JSONDecoder().decode(ClassicPage<Element>.Raw.self, from: data)
        guard let items = raw.items(key) else { throw PagerDutyError.malformedResponse("no '\(key)' list in the page") }
        let next = try? raw.container.decodeIfPresent(String.self, forKey: AnyKey("next_cursor"))
        return CursorPage(items: items, nextCursor: (next ?? nil).flatMap { $0.isEmpty ? nil : $0 })
    }
}
