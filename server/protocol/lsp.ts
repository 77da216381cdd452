// Settings and start-up options shared by the language server and the VS Code
// client. Imports nothing: the extension reads this module as types only.

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
