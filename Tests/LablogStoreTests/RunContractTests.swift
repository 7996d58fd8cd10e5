import LablogCore
import Testing

@Suite("Run store contract")
struct RunContractTests {
    @Test("create a run with params, tags and metrics; read it back", arguments: Backend.allCases)
    func createAndRead(backend: Backend) async throws {
        let store = try await backend.makeStore()
        let experiment = try await store.makeExperiment()
        let run = try await store.makeRun(
            in: experiment.id, name: "baseline", params: ["lr": "0.01"], metrics: ["acc": 0.5], tags: ["team": "cv"])
        #expect(run.id.rawValue.count == 32)
        #expect(run.name == "baseline")
        #expect(run.status == .running)
        #expect(run.endTime == nil)
        #expect(run.params == [KeyValue(key: "lr", value: "0.01")])
        #expect(run.tags.map(\.key) == ["mlflow.runName", "team"])
        #expect(run.latestMetrics == [MetricPoint(key: "acc", value: 0.5, step: 0, timestamp: 1)])
        #expect(try await store.run(id: run.id) == run)
        #expect(try await store.experiment(id: experiment.id).runCount == 1)
    }

    @Test("a run without a name gets a generated one", arguments: Backend.allCases)
    func generatedName(backend: Backend) async throws {
        let store = try await backend.makeStore()
        let run = try await store.makeRun(in: 0)
        #expect(run.name == RunNames.name(for: run.id))
        #expect(value(of: "mlflow.runName", in: run.tags.map { KeyValue(key: $0.key, value: $0.value) }) == run.name)
    }

    @Test("unknown experiment, unknown parent and deleted experiment are refused", arguments: Backend.allCases)
    func createErrors(backend: Backend) async throws {
        let store = try await backend.makeStore()
        await #expect(throws: LablogError.notFound(.experiment, "77")) {
            _ = try await store.createRun(NewRun(experimentID: 77))
        }
        let missing = RunID.random()
        await #expect(throws: LablogError.notFound(.run, missing.rawValue)) {
            _ = try await store.createRun(NewRun(experimentID: 0, parentRunID: missing))
        }
        let experiment = try await store.makeExperiment()
        try await store.deleteExperiments(ids: [experiment.id])
        await #expect(throws: LablogError.self) { _ = try await store.createRun(NewRun(experimentID: experiment.id)) }
    }

    @Test("parent runs are linked", arguments: Backend.allCases)
    func parent(backend: Backend) async throws {
        let store = try await backend.makeStore()
        let parent = try await store.makeRun(in: 0)
        let child = try await store.createRun(NewRun(experimentID: 0, parentRunID: parent.id))
        #expect(child.parentRunID == parent.id)
        #expect(child.tags.first { $0.key == RunTagKeys.parentRunID }?.value == parent.id.rawValue)
    }

    @Test("MAX_RUNS_PER_EXPERIMENT is enforced; 0 means unlimited", arguments: Backend.allCases)
    func runLimit(backend: Backend) async throws {
        let store = try await backend.makeStore(maxRunsPerExperiment: 2)
        let experiment = try await store.makeExperiment()
        _ = try await store.makeRun(in: experiment.id)
        _ = try await store.makeRun(in: experiment.id)
        await #expect(throws: LablogError.runLimitReached(experimentID: experiment.id, limit: 2)) {
            _ = try await store.makeRun(in: experiment.id)
        }
        let unlimited = try await backend.makeStore(maxRunsPerExperiment: 0)
        for _ in 0..<5 { _ = try await unlimited.makeRun(in: 0) }
        #expect(try await unlimited.experiment(id: 0).runCount == 5)
    }

    @Test("finishing a run sets status and end time; deleted runs refuse writes", arguments: Backend.allCases)
    func updateAndDelete(backend: Backend) async throws {
        let store = try await backend.makeStore()
        let run = try await store.makeRun(in: 0)
        let finished = try await store.updateRun(id: run.id, RunUpdate(status: .finished))
        #expect(finished.status == .finished)
        #expect((finished.endTime ?? 0) > run.startTime)
        let renamed = try await store.updateRun(id: run.id, RunUpdate(name: "renamed"))
        #expect(renamed.name == "renamed")
        #expect(renamed.tags.first { $0.key == "mlflow.runName" }?.value == "renamed")
        try await store.deleteRuns(ids: [run.id])
        #expect(try await store.run(id: run.id).lifecycle == .deleted)
        await #expect(throws: LablogError.self) {
            try await store.logBatch(
                runID: run.id, metrics: [MetricPoint(key: "a", value: 1, step: 0, timestamp: 0)], params: [],
                tags: [])
        }
        try await store.restoreRuns(ids: [run.id])
        #expect(try await store.run(id: run.id).lifecycle == .active)
    }

    @Test(
        "a run ends once: a repeat changes nothing, another ending is refused until it resumes",
        arguments: Backend.allCases)
    func endsOnce(backend: Backend) async throws {
        let store = try await backend.makeStore()
        let run = try await store.makeRun(in: 0)
        let ended = try await store.updateRun(id: run.id, RunUpdate(status: .killed, endTime: 5_000))
        #expect((ended.status, ended.endTime) == (.killed, 5_000))
        #expect(try await store.updateRun(id: run.id, RunUpdate(status: .killed)) == ended)
        #expect(try await store.updateRun(id: run.id, RunUpdate(status: .killed, endTime: 5_000)) == ended)
        for refused in [RunUpdate(status: .failed), RunUpdate(status: .killed, endTime: 6_000)] {
            await #expect(throws: LablogError.self) { _ = try await store.updateRun(id: run.id, refused) }
        }
        do {
            _ = try await store.updateRun(id: run.id, RunUpdate(status: .finished, endTime: 7_000))
            Issue.record("a second ending was accepted")
        } catch let error as LablogError {
            #expect(error.code == "INVALID_STATE")
            #expect(error.message.contains("already ended as KILLED at 5000"), "\(error.message)")
        }
        #expect(try await store.run(id: run.id) == ended)
        // The end time alone may be corrected; resuming allows another ending.
        #expect(try await store.updateRun(id: run.id, RunUpdate(endTime: 5_500)).endTime == 5_500)
        let resumed = try await store.updateRun(id: run.id, RunUpdate(status: .running))
        #expect((resumed.status, resumed.endTime) == (.running, 5_500))
        let again = try await store.updateRun(id: run.id, RunUpdate(status: .failed, endTime: 9_000))
        #expect((again.status, again.endTime) == (.failed, 9_000))
    }

    @Test("runs finished by many clients at once end once, as the single winner asked", arguments: Backend.allCases)
    func concurrentEndings(backend: Backend) async throws {
        let store = try await backend.makeStore()
        let endings: [RunStatus] = [.finished, .failed, .killed]
        for _ in 0..<10 {
            let run = try await store.makeRun(in: 0)
            let outcomes = await withTaskGroup(of: (Int, Bool).self) { group in
                for index in 0..<12 {
                    group.addTask {
                        let update = RunUpdate(status: endings[index % 3], endTime: Int64(10_000 + index))
                        return (index, (try? await store.updateRun(id: run.id, update)) != nil)
                    }
                }
                return await group.reduce(into: [Int: Bool]()) { $0[$1.0] = $1.1 }
            }
            let winners = outcomes.filter(\.value).map(\.key)
            #expect(winners.count == 1, "winners: \(winners)")
            let stored = try await store.run(id: run.id)
            if let winner = winners.first {
                #expect((stored.status, stored.endTime) == (endings[winner % 3], Int64(10_000 + winner)))
            }
        }
    }

    @Test("params are immutable: same value again is fine, a different one conflicts", arguments: Backend.allCases)
    func paramImmutability(backend: Backend) async throws {
        let store = try await backend.makeStore()
        let run = try await store.makeRun(in: 0, params: ["lr": "0.1"])
        try await store.logBatch(runID: run.id, metrics: [], params: [KeyValue(key: "lr", value: "0.1")], tags: [])
        await #expect(throws: LablogError.paramConflict(key: "lr", stored: "0.1", attempted: "0.2")) {
            try await store.logBatch(
                runID: run.id, metrics: [MetricPoint(key: "m", value: 1, step: 0, timestamp: 0)],
                params: [KeyValue(key: "lr", value: "0.2")], tags: [])
        }
        let after = try await store.run(id: run.id)
        #expect(after.latestMetrics.isEmpty, "a refused batch stores nothing")
        #expect(after.params == [KeyValue(key: "lr", value: "0.1")])
    }

    @Test("run tags: upsert, runName sync, delete by id and key", arguments: Backend.allCases)
    func runTags(backend: Backend) async throws {
        let store = try await backend.makeStore()
        let run = try await store.makeRun(in: 0)
        let tag = try await store.setRunTag(runID: run.id, KeyValue(key: "team", value: "a"))
        #expect(try await store.setRunTag(runID: run.id, KeyValue(key: "team", value: "b")).id == tag.id)
        try await store.setRunTag(runID: run.id, KeyValue(key: "mlflow.runName", value: "via-tag"))
        #expect(try await store.run(id: run.id).name == "via-tag")
        try await store.deleteRunTag(runID: run.id, tagID: tag.id)
        await #expect(throws: LablogError.notFound(.tag, "team")) {
            try await store.deleteRunTag(runID: run.id, key: "team")
        }
    }
}
