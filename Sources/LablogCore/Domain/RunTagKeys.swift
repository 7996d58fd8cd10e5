/// Run tag keys with a meaning of their own.
public enum RunTagKeys {
    /// MLflow's run-name tag, kept equal to the run's name.
    public static let runName = "mlflow.runName"
    /// MLflow's parent-run tag of nested runs.
    public static let parentRunID = "mlflow.parentRunId"
}
