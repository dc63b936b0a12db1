import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOConcurrencyHelpers
import NIOHTTP1

/// One HTTP exchange, the only thing a client needs from the network. The live transport
/// uses AsyncHTTPClient; tests may substitute their own.
public protocol HTTPTransport: Sendable {
    func send(_ request: TransportRequest) async throws -> TransportResponse
}

public struct TransportRequest: Sendable {
    public var method: String
    public var url: String
    public var headers: [(String, String)]
    public var body: Data?
    /// The whole exchange must finish within this many seconds.
    public var timeout: TimeInterval
    /// Larger responses fail rather than fill memory.
    public var maxResponseBytes: Int
    /// The address to connect to instead of resolving the URL's host again: the one that was
    /// checked (TLS still names and verifies the host). Nil resolves as usual.
    public var connectTo: String?

    public init(method: String, url: String, headers: [(String, String)] = [], body: Data? = nil, timeout: TimeInterval = 30, maxResponseBytes: Int = 16 << 20,
                connectTo: String? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.maxResponseBytes = maxResponseBytes
        self.connectTo = connectTo
    }
}

public struct TransportResponse: Sendable {
    public var status: Int
    /// Header names in lower case.
    public var headers: [String: String]
    public var body: Data

    public init(status: Int, headers: [String: String] = [:], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// Failures below HTTP: no answer, a deadline passed, a response too large.
public enum TransportError: Error, Sendable, Equatable {
    case timedOut
    case connection(String)
    case responseTooLarge(limit: Int)
}

public struct AsyncHTTPClientTransport: HTTPTransport {
    let client: HTTPClient

    /// A process-wide client that never follows redirects: a PagerDuty API answer is final,
    /// and an OAuth redirect is for the browser, not for us.
    public static let sharedClient: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.timeout = .init(connect: .seconds(5), read: .seconds(60))
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    public init(client: HTTPClient = AsyncHTTPClientTransport.sharedClient) {
        self.client = client
    }

    /// Clients that connect to a checked address for a host (AsyncHTTPClient's DNS override),
    /// a few kept for reuse; the oldest is shut down when more are needed.
    private static let pinnedClients = NIOLockedValueBox<[(key: String, client: HTTPClient)]>([])
    private static let maxPinnedClients = 16

    static func client(for host: String, at address: String) -> HTTPClient {
        let key = host.lowercased() + "|" + address
        let (client, evicted) = pinnedClients.withLockedValue { clients -> (HTTPClient, HTTPClient?) in
            if let index = clients.firstIndex(where: { $0.key == key }) {
                let found = clients.remove(at: index)
                clients.append(found)
                return (found.client, nil)
            }
            var configuration = HTTPClient.Configuration()
            configuration.redirectConfiguration = .disallow
            configuration.timeout = .init(connect: .seconds(5), read: .seconds(60))
            configuration.dnsOverride = [host: address]
            let made = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
            clients.append((key, made))
            return (made, clients.count > maxPinnedClients ? clients.removeFirst().client : nil)
        }
        if let evicted { Task { try? await evicted.shutdown() } }
        return client
    }

    public func send(_ request: TransportRequest) async throws -> TransportResponse {
        let client: HTTPClient
        if let address = request.connectTo, let host = URLComponents(string: request.url)?.host {
            client = Self.client(for: host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host, at: address)
        } else {
            client = self.client
        }
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = HTTPMethod(rawValue: request.method)
        for (name, value) in request.headers { outgoing.headers.add(name: name, value: value) }
        if let body = request.body { outgoing.body = .bytes(ByteBuffer(data: body)) }
        let deadline = NIODeadline.now() + .milliseconds(Int64(request.timeout * 1000))
        do {
            let response = try await client.execute(outgoing, deadline: deadline)
            let body: ByteBuffer
            do {
                body = try await response.body.collect(upTo: request.maxResponseBytes)
            } catch is NIOTooManyBytesError {
                throw TransportError.responseTooLarge(limit: request.maxResponseBytes)
            }
            var headers: [String: String] = [:]
            for header in response.headers { headers[header.name.lowercased()] = header.value }
            return TransportResponse(status: Int(response.status.code), headers: headers, body: Data(buffer: body))
        } catch let error as TransportError {
            throw error
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            throw TransportError.timedOut
        } catch {
            throw TransportError.connection(String(describing: error))
        }
    }
}
