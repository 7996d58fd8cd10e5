import HTTPTypes
import Hummingbird
import NIOCore

/// Serves the compiled-in assets with `Cache-Control: public, max-age=STATIC_FILE_CACHE` and an `ETag`.
struct AssetRoutes {
    let maxAge: Int

    func addRoutes(to router: Router<AppRequestContext>) {
        for asset in Assets.all {
            router.get(RouterPath("/assets/\(asset.name)")) { request, _ in
                serve(asset, request: request)
            }
        }
    }

    private func serve(_ asset: Asset, request: Request) -> Response {
        var headers = HTTPFields()
        let etag = "\"\(asset.fingerprint)\""
        headers[.eTag] = etag
        headers[.cacheControl] = "public, max-age=\(maxAge)"
        if request.headers[.ifNoneMatch] == etag {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentType] = asset.contentType
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: asset.body)))
    }
}
