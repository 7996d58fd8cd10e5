import LablogCore
import Testing

@Suite("Experiment store contract")
struct ExperimentContractTests {
    @Test("the Default experiment exists with id 0", arguments: Backend.allCases)
    func defaultExperiment(backend: Backend) async throws {
        let store = try await backend.makeStore()
        let experiment = try await store.experiment(id: 0)
        #expect(experiment.name == "Default")
        #expect(experiment.lifecycle == .active)
    }

    @Test("create, read back by id and name, and refuse a duplicate name", arguments: Backend.allCases)
    func createAndRead(backend: Backend) async throws {
        let store = try await backend.makeStore()
        let created = try await store.createExperiment(
            NewExperiment(
                name: "vision", description: "resnets", status: .completed,
                tags: [KeyValue(key: "team", value: "cv"), KeyValue(key: "baseline", value: "")]))
        #expect(created.id > 0)
        #expect(created.description == "resnets")
        #expect(created.status == .completed)
        #expect(created.tags.map(\.key) == ["baseline", "team"])
        #expect(try await store.experiment(id: created.id) == created)
        #expect(try await store.experiment(named: "vision") == created)
        #expect(try await store.experiment(named: "nope") == nil)
        await #expect(throws: LablogError.alreadyExists("An experiment named 'vision' already exists")) {
            _ = try await store.createExperiment(NewExperiment(name: "vision"))
        }
    }

    @Test("names are validated", arguments: Backend.allCases)
    func validation(backend: Backend) async throws {
        let store = try await backend.makeStore()
        await #expect(throws: LablogError.self) { _ = try await store.createExperiment(NewExperiment(name: "  ")) }
        await #expect(throws: LablogError.self) {
            _ = try await store.createExperiment(NewExperiment(name: String(repeating: "x", count: 501)))
        }
        await #expect(throws: LablogError.notFound(.experiment, "42")) { _ = try await store.experiment(id: 42) }
    }

    @Test("partial update changes only the given fields", arguments: Backend.allCases)
    func update(backend: Backend) async throws {
        let store = try await backend.makeStore()
        let a = try await store.createExperiment(NewExperiment(name: "a", description: "first"))
        _ = try await store.createExperiment(NewExperiment(name: "b"))
        let renamed = try await store.updateExperiment(id: a.id, ExperimentUpdate(name: "a2"))
        #expect(renamed.name == "a2")
        #expect(renamed.description == "first")
        #expect(renamed.updatedAt > a.updatedAt)
        let cleared = try await store.updateExperiment(
            id: a.id, ExperimentUpdate(description: .some(nil), status: .failed))
        #expect(cleared.description == nil)
        #expect(cleared.status == .failed)
        await #expect(throws: LablogError.alreadyExists("An experiment named 'b' already exists")) {
            _ = try await store.updateExperiment(id: a.id, ExperimentUpdate(name: "b"))
        }
    }

    @Test(
        "delete moves the experiment and its runs to the trash; restore brings them back", arguments: Backend.allCases)
    func deleteAndRestore(backend: Backend) async throws {
        let store = try await backend.makeStore()
        let experiment = try await store.makeExperiment("trash-me")
        let run = try await store.makeRun(in: experiment.id)
        try await store.deleteExperiments(ids: [experiment.id])
        #expect(try await store.experiment(id: experiment.id).lifecycle == .deleted)
        #expect(try await store.run(id: run.id).lifecycle == .deleted)
        let active = try await store.listExperiments(ExperimentQuery())
        #expect(!active.items.contains { $0.id == experiment.id })
        let trash = try await store.listExperiments(ExperimentQuery(lifecycle: .deleted))
        #expect(trash.items.map(\.id) == [experiment.id])
        try await store.restoreExperiments(ids: [experiment.id])
        #expect(try await store.run(id: run.id).lifecycle == .active)
        await #expect(throws: LablogError.notFound(.experiment, "999")) {
            try await store.deleteExperiments(ids: [experiment.id, 999])
        }
        #expect(
            try await store.experiment(id: experiment.id).lifecycle == .active, "a failed bulk call changes nothing")
    }

    @Test("purge removes the experiment, its runs and histories", arguments: Backend.allCases)
    func purge(backend: Backend) async throws {
        let store = try await backend.makeStore()
        let experiment = try await store.makeExperiment()
        let run = try await store.makeRun(in: experiment.id, metrics: ["loss": 1])
        try await store.purgeExperiment(id: experiment.id)
        await #expect(throws: LablogError.notFound(.experiment, String(experiment.id))) {
            _ = try await store.experiment(id: experiment.id)
        }
        await #expect(throws: LablogError.notFound(.run, run.id.rawValue)) { _ = try await store.run(id: run.id) }
        let again = try await store.makeExperiment(experiment.name)
        #expect(again.name == experiment.name, "a purged name is free again")
    }

    @Test("list filters by name, status, tag and lifecycle, sorts and paginates", arguments: Backend.allCases)
    func list(backend: Backend) async throws {
        let store = try await backend.makeStore()
        for index in 0..<7 {
            _ = try await store.createExperiment(
                NewExperiment(
                    name: "Sweep-\(index)", status: index.isMultiple(of: 2) ? .running : .completed,
                    tags: index < 3 ? [KeyValue(key: "team", value: index == 0 ? "nlp" : "cv")] : []))
        }
        let named = try await store.listExperiments(ExperimentQuery(nameContains: "sweep", limit: 100))
        #expect(named.items.count == 7)
        #expect(named.totalCount == 7)
        let byStatus = try await store.listExperiments(ExperimentQuery(status: .completed))
        #expect(byStatus.items.map(\.name).sorted() == ["Sweep-1", "Sweep-3", "Sweep-5"])
        let tagged = try await store.listExperiments(ExperimentQuery(tags: [TagFilter(parsing: "team")]))
        #expect(tagged.items.count == 3)
        let cv = try await store.listExperiments(ExperimentQuery(tags: [TagFilter(parsing: "team:cv")]))
        #expect(cv.items.map(\.name).sorted() == ["Sweep-1", "Sweep-2"])
        var names: [String] = []
        var cursor: String?
        repeat {
            let page = try await store.listExperiments(
                ExperimentQuery(nameContains: "Sweep", sort: .name, ascending: true, limit: 3, cursor: cursor))
            names += page.items.map(\.name)
            cursor = page.nextCursor
        } while cursor != nil
        #expect(names == (0..<7).map { "Sweep-\($0)" })
        await #expect(throws: LablogError.self) {
            _ = try await store.listExperiments(ExperimentQuery(cursor: "garbage!"))
        }
    }

    @Test("experiment tags: upsert by key, delete by id and key", arguments: Backend.allCases)
    func tags(backend: Backend) async throws {
        let store = try await backend.makeStore()
        let experiment = try await store.makeExperiment()
        let first = try await store.setExperimentTag(experimentIDs: [experiment.id], KeyValue(key: "team", value: "a"))
        let second = try await store.setExperimentTag(experimentIDs: [experiment.id], KeyValue(key: "team", value: "b"))
        #expect(first[0].id == second[0].id)
        #expect(try await store.experiment(id: experiment.id).tags == [Tag(id: first[0].id, key: "team", value: "b")])
        try await store.setExperimentTag(experimentIDs: [experiment.id], KeyValue(key: "label", value: ""))
        try await store.deleteExperimentTag(experimentID: experiment.id, tagID: first[0].id)
        try await store.deleteExperimentTag(experimentID: experiment.id, key: "label")
        #expect(try await store.experiment(id: experiment.id).tags.isEmpty)
        await #expect(throws: LablogError.notFound(.tag, "label")) {
            try await store.deleteExperimentTag(experimentID: experiment.id, key: "label")
        }
    }
}
