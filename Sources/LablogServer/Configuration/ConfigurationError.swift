/// A setting that stops start-up: the message names the variable or flag and says what was expected.
public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The environment variable or flag at fault, for example `PORT` or `--port`; nil for file-level errors.
    public var setting: String?
    /// The full, human-readable message.
    public var message: String

    /// Makes an error about one setting's value.
    /// - Parameters:
    ///   - setting: the variable or flag name.
    ///   - value: the refused value, or nil to keep it out of the message (secrets).
    ///   - expected: what a valid value looks like.
    public init(setting: String, value: String?, expected: String) {
        self.setting = setting
        if let value {
            message = "Invalid \(setting) '\(value)': \(expected)"
        } else {
            message = "Invalid \(setting): \(expected)"
        }
    }

    /// Makes an error that is not about one setting.
    public init(message: String) {
        self.setting = nil
        self.message = message
    }

    public var description: String { message }
}
