// Settings, start-up options and the custom messages shared by the language
// server and the VS Code client. Imports only sibling protocol types and the
// LSP protocol package both sides speak, so each message is declared once:
// its method, its parameter and result types, and the typed handle both
// sides send and register.
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';
import type { Report, SuiteId } from './report';

/** The `modelgate` configuration section, read per document. */
export interface ModelGateSettings {
  /** Lint manifests at all. */
  validate: boolean;
  /** Also check the manifest against its ONNX file and datasets (reads disk). */
  semantic: boolean;
  /** Most diagnostics published for one document. */
  maxProblems: number;
}

export const defaultSettings: ModelGateSettings = { validate: true, semantic: true, maxProblems: 200 };

/** `initializationOptions` the client may send with `initialize`. */
export interface ModelGateInitializationOptions {
  /** Quiet time after the last change before a document is re-validated (default 150 ms). */
  debounceMs?: number;
  /** Settings for clients that do not support `workspace/configuration`. */
  settings?: Partial<ModelGateSettings>;
}

// ---------------------------------------------------------------------------
// Engine requests: the editor runs the engine through the language server, so
// the extension never bundles engine code. Each message is declared once here,
// with its typed handle `type`.

/**
 * Run the test suites of one manifest. Supports work-done progress
 * (`workDoneToken`) and cancellation.
 *
 * Cancel contract (`$/cancelRequest` while the run is under way): the request
 * still answers with a Result, never with a RequestCancelled error, because a
 * cancelled run has measured something worth keeping. Its report has
 * `cancelled: true`, `complete: false` and `summary.verdict: 'cancelled'`;
 * suites that finished keep their results, and the gates of the suite that
 * was interrupted (and of any not started) are listed as `not run` with a
 * reason naming the cancel. The CLI gives the same report on Ctrl-C and exits
 * 130. Pinned by test/integration/engine/engineRequests.test.ts.
 */
export namespace RunTestsRequest {
  export const method = 'modelgate/runTests' as const;
  export interface Params {
    /** Absolute file-system path of the manifest. */
    manifest: string;
    /** Suites to run (default: all). */
    only?: SuiteId[];
    /** Per-point stress duration such as `5s`, overriding slo.duration. */
    duration?: string;
    /** Connection counts of the stress sweep, overriding slo.concurrency. */
    concurrency?: number[];
    /** Test this running server instead of starting one. */
    url?: string;
    workDoneToken?: string | number;
  }
  export interface Result {
    report: Report;
  }
  export const type = new RequestType<Params, Result, void>(method);
}

/** Serve one or more manifests on 127.0.0.1 from the language server process. */
export namespace ServeRequest {
  export const method = 'modelgate/serve' as const;
  export interface Params {
    manifests: string[];
    /** 0 or absent: any free port. */
    port?: number;
    workDoneToken?: string | number;
  }
  export interface Result {
    url: string;
    models: { name: string; version: string }[];
  }
  export const type = new RequestType<Params, Result, void>(method);
}

/** Stop the server started by `modelgate/serve` (no-op when none runs). */
export namespace StopRequest {
  export const method = 'modelgate/stop' as const;
  export type Params = Record<string, never>;
  export interface Result {
    stopped: boolean;
    url?: string;
  }
  export const type = new RequestType<Params, Result, void>(method);
}

/** Server → client: the local model server started or stopped (for the status bar). */
export namespace ServerStatusNotification {
  export const method = 'modelgate/serverStatus' as const;
  export interface Params {
    running: boolean;
    url?: string;
    models?: { name: string; version: string }[];
    /** Absolute paths of the manifests being served: the editor keys what it shows by manifest, not by model name. */
    manifests?: string[];
    /** HTTP requests per second answered over the last few seconds (sent again when it changes). */
    requestsPerSecond?: number;
  }
  export const type = new NotificationType<Params>(method);
}

/**
 * Publish a manifest's model, manifest and test report as an OCI artifact.
 * The editor passes the report it holds and, when the user stored some,
 * registry credentials from its SecretStorage (never logged or persisted).
 */
export namespace PublishRequest {
  export const method = 'modelgate/publish' as const;
  export interface Params {
    manifest: string;
    /** Repository (`host/path`) or OCI layout directory; default: deploy.oci, else a layout in .modelgate. */
    target?: string;
    /** The passing test report of this model version; without it, only `force` publishes (marked ungated). */
    report?: Report;
    /** Publish without a passing report, annotated ungated. */
    force?: boolean;
    credentials?: { username: string; password: string };
    workDoneToken?: string | number;
  }
  export interface Result {
    reference: string;
    digest: string;
    tags: string[];
    size: number;
    location: string;
    gated: boolean;
  }
  export const type = new RequestType<Params, Result, void>(method);
}

/**
 * Test & Deploy: exactly `modelgate deploy` — lint, serve, every suite with
 * the champion of the target as the baseline, the reports, the same-version
 * rule, publish when the verdict is passed, then the manifest's Kubernetes
 * and remote steps. Work-done progress and cancellation as RunTests.
 */
export namespace DeployRequest {
  export const method = 'modelgate/deploy' as const;
  export interface Params {
    manifest: string;
    /** Repository or OCI layout directory (relative: to the project root); default: deploy.oci, else the project's .modelgate layout. */
    target?: string;
    /** Publish even when the verdict is not passed, annotated ungated. */
    force?: boolean;
    credentials?: { username: string; password: string };
    /** Per-point stress duration such as `5s`, overriding slo.duration. */
    duration?: string;
    /** Connection counts of the stress sweep, overriding slo.concurrency. */
    concurrency?: number[];
    workDoneToken?: string | number;
  }
  export interface Result {
    report: Report;
    /** Where the JSON and HTML reports were written. */
    reportPaths: { json: string; html: string };
    /** The verdict is passed. */
    passed: boolean;
    /** Why nothing was published, when the gate refused. */
    refused?: string;
    /** The published version compared against (gates.maxRegression), when the target held one. */
    champion?: { version: string; reference: string };
    published?: { reference: string; digest: string; gated: boolean };
    /** The same model and manifest were already published under this version: this run's report was attached. */
    alreadyPublished?: { reference: string; digest: string };
    /** Loud messages of the run (force, champion, re-run of a published version). */
    notices: string[];
    /** One line per Kubernetes or remote step that ran. */
    steps: string[];
  }
  export const type = new RequestType<Params, Result, void>(method);
}

/** The versions of a manifest's model already published where "Publish" would put it. */
export namespace VersionsRequest {
  export const method = 'modelgate/versions' as const;
  export interface Params {
    manifest: string;
    /** As for publish: repository or layout directory; default: deploy.oci, else the layout in .modelgate. */
    target?: string;
    credentials?: { username: string; password: string };
  }
  export interface Version {
    tag: string;
    digest: string;
    /** RFC 3339, from the artifact's annotations. */
    created?: string;
    /** true: published with every gate passed; false: forced (ungated). */
    gated?: boolean;
    /** e.g. "18/18 passed" */
    gates?: string;
    /** Other tags on the same artifact (stable, latest…). */
    aliases: string[];
  }
  export interface Result {
    /** `oci://host/repo` or the layout directory. */
    location: string;
    /** Newest first; empty when nothing was published there yet. */
    versions: Version[];
  }
  export const type = new RequestType<Params, Result, void>(method);
}

/** Build a starter manifest for an ONNX file (signature read from the model, datasets found next to it). */
export namespace CreateManifestRequest {
  export const method = 'modelgate/createManifest' as const;
  export interface Params {
    /** Absolute path of the .onnx file. */
    model: string;
    /** Where the manifest will be written (relative paths in it are resolved from there). */
    output: string;
  }
  export interface Result {
    text: string;
    /** What the starter guessed and what to check, one line each. */
    notes: string[];
    /** Files the manifest refers to that are to be written with it (a training/validation split of a single CSV). */
    files: Array<{ path: string; text: string }>;
  }
  export const type = new RequestType<Params, Result, void>(method);
}

/**
 * Score a CSV file with a manifest's model: exactly `modelgate score`
 * (predictions next to a row id, written to `output`). Work-done progress
 * (share of the file read) and cancellation; a cancelled or failed run leaves
 * no output file.
 */
export namespace ScoreRequest {
  export const method = 'modelgate/score' as const;
  export interface Params {
    manifest: string;
    /** Absolute path of the CSV to score; absent: the manifest's first local validation dataset. */
    input?: string;
    /** Where the predictions go; absent: next to the input, `x.csv` → `x.scored.csv`. */
    output?: string;
    /** Rows per inference (default 256). */
    batchSize?: number;
    /** Input column copied to the output to identify rows (default: "id" if present, else a 1-based "row" number). */
    idColumn?: string;
    /** Leave out rows the model cannot score (a numeric feature that is not a number) instead of failing. */
    skipInvalid?: boolean;
    /** Score through this Redis queue (redis://…, the nodes of `modelgate serve --queue`) instead of in the engine; an interrupted run resumes when asked again. */
    queue?: string;
    workDoneToken?: string | number;
  }
  export interface Result {
    model: { name: string; version: string };
    input: string;
    output: string;
    /** The output's header: the id column, then the prediction columns. */
    columns: string[];
    rows: number;
    /** Rows left out (skipInvalid), with the first few file lines and why. */
    skipped: { count: number; first: { line: number; reason: string }[] };
    seconds: number;
  }
  export const type = new RequestType<Params, Result, void>(method);
}
