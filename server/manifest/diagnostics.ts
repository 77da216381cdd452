// A problem found in a manifest, with its place in the source text. Offsets
// index the manifest text; line/character come from the same LineCounter, so
// the CLI, the language server and reports agree on every position.

export type Severity = 'error' | 'warning' | 'info';

export interface Position {
  /** 0-based line */
  line: number;
  /** 0-based UTF-16 column */
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export interface ManifestDiagnostic {
  /** Stable code: MG1xx manifest, MG2xx data, MG3xx model. */
  code: string;
  severity: Severity;
  /** What is wrong and how to fix it. */
  message: string;
  range: Range;
  /** Offset and length in the manifest text. */
  offset: number;
  length: number;
  /** Path of the offending node in the manifest, e.g. ['signature','inputs',0,'shape']. */
  path: (string | number)[];
  /** Data for code actions (e.g. the suggested key of a "did you mean"). */
  data?: Record<string, unknown>;
}
