public import Foundation
public import Hummingbird
import Logging

/// The request context of every Lablog route: Hummingbird's core storage plus Lablog's body limit and coders.
public struct AppRequestContext: RequestContext {
    /// Hummingbird's own per-request storage: logger, parameters, endpoint path.
    public var coreContext: CoreRequestContextStorage

    /// Native metric batches of 10,000 points are about 800 KB; 8 MiB leaves room for large tag and param sets.
    public var maxUploadSize: Int { 8 * 1024 * 1024 }

    /// The encoder of every JSON response, error bodies included: sorted keys, and non-finite numbers as the
    /// strings MLflow uses (`"NaN"`, `"Infinity"`, `"-Infinity"`) instead of an encoding failure.
    public var responseEncoder: JSONEncoder { WireJSON.encoder }

    /// Makes the context of a new request.
    public init(source: Source) {
        coreContext = .init(source: source)
    }
}
