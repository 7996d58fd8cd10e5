import Foundation

/// The one error shape of the native API: `{"error": "...", "code": "..."}`, plus details some errors carry.
struct ErrorBody: Codable, Equatable, Sendable {
    /// A human-readable message.
    var error: String
    /// A stable machine-readable code, for example `EXPERIMENT_NOT_FOUND`.
    var code: String
    /// The character offset of a filter syntax error.
    var position: Int?
    /// The input field a validation error is about.
    var field: String?

    init(error: String, code: String, position: Int? = nil, field: String? = nil) {
        self.error = error
        self.code = code
        self.position = position
        self.field = field
    }
}
