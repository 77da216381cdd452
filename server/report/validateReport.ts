// Validates a report against server/report/schema.json, so every writer
// (CLI, editor, publish) and every test checks the same contract.
import Ajv, { type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import type { Report } from '../protocol/report';
import schema from './schema.json';

let compiled: (((data: unknown) => boolean) & { errors?: ErrorObject[] | null }) | undefined;

function validator() {
  if (!compiled) {
    const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
    addFormats(ajv);
    compiled = ajv.compile(schema);
  }
  return compiled;
}

/** Problems with `report` as `path: message` lines; empty when it is valid. */
export function reportSchemaErrors(report: unknown): string[] {
  const v = validator();
  if (v(report)) return [];
  return (v.errors ?? []).map(
    (e) =>
      `${e.instancePath || '/'}: ${e.message ?? 'invalid'}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`,
  );
}

export function isValidReport(report: unknown): report is Report {
  return reportSchemaErrors(report).length === 0;
}
