// The code link of a ModelGate diagnostic (Problems panel): the language
// server points at docs/diagnostic-codes.md#mg102, which VS Code would open as
// raw markdown at line 1; the editor turns it into a command that opens the
// rendered page at that code's section. Pure, unit-tested without VS Code.
export const EXPLAIN_CODE = 'modelgate.explainCode';

/** True for a link into the shipped code list. */
export function isCodesDocLink(target: string): boolean {
  return /diagnostic-codes\.md(#|$)/.test(target);
}

/** `command:modelgate.explainCode?["MG102"]`, URI-encoded as VS Code reads command links. */
export function explainCodeHref(code: string): string {
  return `command:${EXPLAIN_CODE}?${encodeURIComponent(JSON.stringify([code]))}`;
}

/** The section anchor of a code in the rendered page (its `### MG102` heading). */
export function codeAnchor(code: string): string | undefined {
  return /^MG\d{3}$/i.test(code) ? code.toLowerCase() : undefined;
}
