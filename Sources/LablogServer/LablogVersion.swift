/// The version of this Lablog build, shown by `lablog --version` and in the OpenAPI document.
public enum LablogVersion {
    /// The semantic version.
    public static let current = "0.1.0"
}
