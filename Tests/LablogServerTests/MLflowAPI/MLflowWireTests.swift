import Foundation
import HTTPTypes
import HummingbirdTesting
import LablogCore
import LablogServer
import Testing

@Suite("MLflow API: wire rules and error shape")
struct MLflowWireTests {
    @Test(
        "Unknown MLflow endpoints are 404 ENDPOINT_NOT_FOUND in MLflow's shape",
        arguments: ["/api/2.0/mlflow/runs/log-param", "/api/2.0/mlflow/nothing", "/api/3.0/mlflow/traces/x"])
    func unknownEndpoint(path: String) async throws {
        try await withTestApp { client, _ in
            for method in [HTTPRequest.Method.get, .post] {
                try expectTrackingError(
                    try await client.send(method, path, body: "{}"), .notFound, "ENDPOINT_NOT_FOUND")
            }
        }
    }

    @Test("A wrong method is 405 in MLflow's shape with an Allow header; native paths keep the native shape")
    func wrongMethodAndNativeShape() async throws {
        try await withTestApp { client, _ in
            let response = try await client.send(.delete, MLflowPaths.runsLogMetric)
            try expectTrackingError(response, .methodNotAllowed, "ENDPOINT_NOT_FOUND")
            #expect(response.header("Allow") == "POST")
            let native = try await client.send(.get, "/api/runs/0123456789abcdef0123456789abcdef")
            #expect(native.status == .notFound)
            #expect(try native.jsonObject()["code"] as? String == "RUN_NOT_FOUND")
        }
    }

    @Test(
        "A body that is not JSON is 400 INVALID_PARAMETER_VALUE; an empty body reads as {}; content type is not checked"
    )
    func bodies() async throws {
        try await withTestApp { client, _ in
            try expectTrackingError(
                try await client.mlflowPost(MLflowPaths.experimentsCreate, "{not json"), .badRequest,
                "INVALID_PARAMETER_VALUE")
            try expectTrackingError(
                try await client.mlflowPost(MLflowPaths.experimentsCreate, #"{"name": ["a"]}"#), .badRequest,
                "INVALID_PARAMETER_VALUE")
            try expectTrackingError(
                try await client.mlflowPost(MLflowPaths.experimentsCreate, "[]"), .badRequest, "INVALID_PARAMETER_VALUE"
            )
            let empty = try await client.send(.post, MLflowPaths.runsSearch, body: "", contentType: nil)
            #expect(try mlflowSuccess(empty).isEmpty)
            let plain = try await client.send(
                .post, MLflowPaths.experimentsCreate, body: #"{"name": "plain"}"#, contentType: "text/plain")
            #expect(try mlflowSuccess(plain)["experiment_id"] as? String == "1")
        }
    }

    @Test("Python's bare NaN literal is read as NaN")
    func bareNaN() async throws {
        try await withTestApp { client, _ in
            let run = try await client.mlflowCreateRun("0")
            try await client.mlflowCall(
                MLflowPaths.runsLogMetric, #"{"run_id": "\#(run)", "key": "m", "value": NaN, "timestamp": 1}"#)
            #expect(
                metricValues((try await client.mlflowRun(run)["data"] as? [String: Any])?["metrics"]) == ["m": "NaN"])
        }
    }

    @Test("logged-models/search answers {}; server-info reports no multipart transfers")
    func mlflow3Extras() async throws {
        try await withTestApp { client, _ in
            let search = try await client.mlflowPost(
                MLflowPaths.loggedModelsSearch, #"{"experiment_ids": ["0"], "filter": "name = 'model'"}"#)
            #expect(try search.canonicalBody() == "{}")
            let info = try await client.send(.get, MLflowPaths.serverInfo)
            #expect(
                try info.canonicalBody()
                    == canonicalJSON(
                        #"{"store_type": "SqlStore", "multipart_uploads_enabled": false,"#
                            + #" "multipart_downloads_enabled": false}"#
                    ))
        }
    }
}
