import Foundation

/// Turns a host name into the addresses a connection would use. Behind a protocol so tests
/// can make a name resolve differently on save and on send.
package protocol HostResolver: Sendable {
    func addresses(of host: String) async throws -> [NetworkAddress]
}

/// The system resolver (getaddrinfo), off the event loops.
package struct SystemHostResolver: HostResolver {
    package init() {}

    struct Failure: Error {}

    package func addresses(of host: String) async throws -> [NetworkAddress] {
        if let literal = NetworkAddress(host) { return [literal] }
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                var hints = addrinfo()
                hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
                var result: UnsafeMutablePointer<addrinfo>?
                guard getaddrinfo(host, nil, &hints, &result) == 0, let first = result else {
                    continuation.resume(throwing: Failure())
                    return
                }
                defer { freeaddrinfo(first) }
                var found: [NetworkAddress] = []
                var cursor: UnsafeMutablePointer<addrinfo>? = first
                while let entry = cursor {
                    if entry.pointee.ai_family == AF_INET, let raw = entry.pointee.ai_addr {
                        raw.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { address in
                            var value = address.pointee.sin_addr
                            if let parsed = NetworkAddress(bytes: withUnsafeBytes(of: &value) { Array($0) }) { found.append(parsed) }
                        }
                    } else if entry.pointee.ai_family == AF_INET6, let raw = entry.pointee.ai_addr {
                        raw.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { address in
                            var value = address.pointee.sin6_addr
                            if let parsed = NetworkAddress(bytes: withUnsafeBytes(of: &value) { Array($0) }) { found.append(parsed) }
                        }
                    }
                    cursor = entry.pointee.ai_next
                }
                continuation.resume(returning: found)
            }
        }
    }
}
