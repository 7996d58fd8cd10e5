import Foundation

/// A small, fixed demo data set: a few experiments with runs, params, tags and metric histories.
///
/// Seeding is idempotent: the runs of an experiment are created only when the experiment itself was created by
/// this call, so seeding twice (or from two processes at once) creates nothing the second time.
public enum DemoData {
    /// What one seeding created.
    public struct Summary: Sendable, Equatable {
        /// Experiments this seeding created; those that already existed are not counted.
        public var experimentsCreated: Int
        /// Runs this seeding created.
        public var runsCreated: Int

        /// Makes a summary.
        public init(experimentsCreated: Int, runsCreated: Int) {
            self.experimentsCreated = experimentsCreated
            self.runsCreated = runsCreated
        }
    }

    /// The number of steps of every demo metric history.
    public static let steps = 20

    /// Creates the demo experiments that do not exist yet, each with its runs.
    /// - Parameters:
    ///   - store: the store to fill.
    ///   - now: the current time in milliseconds; runs are spread over the ten days before it.
    /// - Returns: how many experiments and runs were created.
    public static func seed(into store: any TrackingStore, now: Int64 = StoreEnvironment.systemNow()) async throws
        -> Summary
    {
        var summary = Summary(experimentsCreated: 0, runsCreated: 0)
        for (experimentIndex, demo) in experiments.enumerated() {
            let experiment: Experiment
            do {
                experiment = try await store.createExperiment(demo.experiment)
            } catch LablogError.alreadyExists(_) {
                continue
            }
            summary.experimentsCreated += 1
            for (runIndex, run) in demo.runs.enumerated() {
                let daysAgo = Int64(9 - 2 * experimentIndex - runIndex % 2)
                let start = now - daysAgo * 86_400_000 - Int64(runIndex) * 3_600_000
                try await create(run, in: experiment.id, startTime: start, store: store)
                summary.runsCreated += 1
            }
        }
        return summary
    }

    private static func create(
        _ run: DemoRun, in experimentID: ExperimentID, startTime: Int64, store: any TrackingStore
    )
        async throws
    {
        let params = [
            KeyValue(key: "lr", value: run.learningRate),
            KeyValue(key: "batch_size", value: String(run.batchSize)),
            KeyValue(key: "optimizer", value: run.optimizer),
        ]
        let created = try await store.createRun(
            NewRun(
                experimentID: experimentID, name: run.name, status: .running, startTime: startTime, params: params,
                tags: run.tags))
        let stepsDone = run.status == .failed ? steps / 2 : steps
        try await store.logBatch(
            runID: created.id, metrics: history(of: run, startTime: startTime, steps: stepsDone), params: [], tags: [])
        if run.status.isTerminal {
            let endTime = startTime + Int64(stepsDone) * 60_000
            _ = try await store.updateRun(id: created.id, RunUpdate(status: run.status, endTime: endTime))
        }
    }

    /// Loss decays and accuracy rises towards the run's final accuracy, one point a minute.
    static func history(of run: DemoRun, startTime: Int64, steps: Int) -> [MetricPoint] {
        var points: [MetricPoint] = []
        points.reserveCapacity(steps * 2)
        for step in 0..<steps {
            let progress: Double = 1.0 - exp(-run.speed * Double(step))
            let wobble: Double = 0.01 * sin(Double(step) * 1.7 + run.speed * 10.0)
            let loss: Double = 2.3 * (1.0 - progress) + (1.0 - run.finalAccuracy) + wobble
            let accuracy: Double = 0.1 + (run.finalAccuracy - 0.1) * progress - wobble / 2.0
            let timestamp = startTime + Int64(step) * 60_000
            points.append(MetricPoint(key: "loss", value: loss, step: Int64(step), timestamp: timestamp))
            points.append(MetricPoint(key: "accuracy", value: accuracy, step: Int64(step), timestamp: timestamp))
        }
        return points
    }
}

/// One demo experiment and its runs.
struct DemoExperiment: Sendable {
    var experiment: NewExperiment
    var runs: [DemoRun]
}

/// One demo run: its params, tags, final status and the shape of its learning curves.
struct DemoRun: Sendable {
    var name: String
    var learningRate: String
    var batchSize: Int
    var optimizer: String
    var status: RunStatus
    var tags: [KeyValue]
    /// The accuracy the run converges to.
    var finalAccuracy: Double
    /// How fast the curves converge.
    var speed: Double
}

extension DemoData {
    /// The fixed catalogue; names are stable because idempotency depends on them.
    static let experiments: [DemoExperiment] = [
        DemoExperiment(
            experiment: NewExperiment(
                name: "mnist-cnn-baseline", description: "A small convolutional network on MNIST.",
                status: .completed,
                tags: [tag("team", "vision"), tag("dataset", "mnist"), tag("baseline", "")]),
            runs: [
                run("cnn-sgd-lr0.1", "0.1", 64, "sgd", .finished, 0.962, 0.35, model: "cnn"),
                run("cnn-adam-lr0.01", "0.01", 64, "adam", .finished, 0.981, 0.30, model: "cnn"),
                run("cnn-adam-lr0.001", "0.001", 128, "adam", .finished, 0.989, 0.22, model: "cnn"),
                run("cnn-sgd-lr0.01", "0.01", 128, "sgd", .finished, 0.947, 0.18, model: "cnn"),
            ]),
        DemoExperiment(
            experiment: NewExperiment(
                name: "cifar10-resnet18", description: "ResNet-18 on CIFAR-10 with standard augmentation.",
                status: .running, tags: [tag("team", "vision"), tag("dataset", "cifar10")]),
            runs: [
                run("resnet-sgd-lr0.1", "0.1", 128, "sgd", .finished, 0.912, 0.20, model: "resnet18"),
                run("resnet-adam-lr0.001", "0.001", 128, "adam", .finished, 0.897, 0.25, model: "resnet18"),
                run("resnet-adamw-lr0.001", "0.001", 256, "adamw", .running, 0.905, 0.15, model: "resnet18"),
            ]),
        DemoExperiment(
            experiment: NewExperiment(
                name: "imdb-sentiment-lstm", description: "A bidirectional LSTM for IMDB review sentiment.",
                status: .completed, tags: [tag("team", "nlp"), tag("dataset", "imdb")]),
            runs: [
                run("lstm-adam-lr0.001", "0.001", 32, "adam", .finished, 0.874, 0.28, model: "lstm"),
                run("lstm-rmsprop-lr0.01", "0.01", 32, "rmsprop", .failed, 0.612, 0.40, model: "lstm"),
                run("lstm-adam-lr0.0003", "0.0003", 64, "adam", .finished, 0.883, 0.19, model: "lstm"),
            ]),
        DemoExperiment(
            experiment: NewExperiment(
                name: "churn-mlp", description: "A tabular MLP predicting customer churn.", status: .failed,
                tags: [tag("team", "tabular"), tag("dataset", "churn")]),
            runs: [
                run("mlp-adam-lr0.01", "0.01", 256, "adam", .finished, 0.801, 0.33, model: "mlp"),
                run("mlp-sgd-lr0.1", "0.1", 256, "sgd", .killed, 0.742, 0.45, model: "mlp"),
            ]),
    ]

    private static func tag(_ key: String, _ value: String) -> KeyValue {
        KeyValue(key: key, value: value)
    }

    private static func run(
        _ name: String, _ learningRate: String, _ batchSize: Int, _ optimizer: String, _ status: RunStatus,
        _ finalAccuracy: Double, _ speed: Double, model: String
    ) -> DemoRun {
        DemoRun(
            name: name, learningRate: learningRate, batchSize: batchSize, optimizer: optimizer, status: status,
            tags: [tag("model", model), tag("source", "demo")], finalAccuracy: finalAccuracy, speed: speed)
    }
}
