import NIOCore

/// Encodes whole HTTP/1.1 requests (head and body) into buffers, once, before a load sends them.
struct RequestEncoder: Sendable {
    /// The `Host` header's value.
    let host: String

    /// A `POST` of a JSON body.
    func post(_ path: String, json body: ByteBuffer) -> ByteBuffer {
        var request = ByteBuffer()
        request.reserveCapacity(body.readableBytes + path.utf8.count + 120)
        request.writeString(
            "POST \(path) HTTP/1.1\r\nHost: \(host)\r\nContent-Type: application/json\r\n"
                + "Content-Length: \(body.readableBytes)\r\n\r\n")
        request.writeImmutableBuffer(body)
        return request
    }

    /// A `POST` of a JSON body given as text.
    func post(_ path: String, json body: String) -> ByteBuffer {
        post(path, json: ByteBuffer(string: body))
    }

    /// A `GET` without a body.
    func get(_ path: String) -> ByteBuffer {
        ByteBuffer(string: "GET \(path) HTTP/1.1\r\nHost: \(host)\r\n\r\n")
    }
}
