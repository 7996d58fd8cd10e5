import Hummingbird

/// A route as the router knows it: a method and a path pattern such as `/api/runs/{run_id}`.
package struct RouteKey: Hashable, Sendable, Comparable, CustomStringConvertible {
    package var method: String
    package var path: String

    package init(method: String, path: String) {
        self.method = method
        self.path = path
    }

    package var description: String { "\(method) \(path)" }

    package static func < (lhs: RouteKey, rhs: RouteKey) -> Bool {
        (lhs.path, lhs.method) < (rhs.path, rhs.method)
    }
}

extension Router {
    /// The methods a fallback answers 405 for when a path does not register them.
    static var fallbackMethods: [HTTPRequest.Method] { [.get, .post, .put, .patch, .delete] }

    /// Every registered route, as method and path pattern.
    package var routeKeys: Set<RouteKey> {
        Set(routes.map { RouteKey(method: $0.method.rawValue, path: $0.path.description) })
    }

    /// Registers, for every path, a handler for each method it lacks that answers 405 Method Not Allowed with an
    /// `Allow` header, instead of Hummingbird's 404. Call it after every real route is registered.
    /// - Returns: the fallback routes it added, so tools can tell them from real ones.
    @discardableResult
    func addMethodNotAllowedFallbacks() -> Set<RouteKey> {
        var methodsByPath: [String: (path: RouterPath, methods: [HTTPRequest.Method])] = [:]
        for route in routes {
            methodsByPath[route.path.description, default: (route.path, [])].methods.append(route.method)
        }
        var added: Set<RouteKey> = []
        for (description, entry) in methodsByPath {
            let allowed = entry.methods.map(\.rawValue).sorted()
            for method in Self.fallbackMethods where !entry.methods.contains(method) {
                on(entry.path, method: method) { request, _ -> Response in
                    throw TransportError.methodNotAllowed(method: request.method.rawValue, allowed: allowed)
                }
                added.insert(RouteKey(method: method.rawValue, path: description))
            }
        }
        return added
    }
}
