// The report panel's page: an empty root and the nonce-tagged report bundle.
// Pure (no vscode import): the host passes the webview's CSP source and the
// bundle's webview URI.
export interface ReportHtmlInput {
  cspSource: string;
  scriptUri: string;
  nonce: string;
  title: string;
}

// Attributes are double-quoted, so single quotes (the CSP's keywords) stay readable.
function escapeAttr(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

export function reportHtml(input: ReportHtmlInput): string {
  const { cspSource, nonce } = input;
  if (!/^[A-Za-z0-9+/=_-]{16,}$/.test(nonce)) throw new Error('reportHtml: the nonce must be at least 16 base64 characters');
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    // The bundle styles itself with constructable stylesheets; the nonce covers the boot style.
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeAttr(input.title)}</title>
<style nonce="${nonce}">body { margin: 0; color: var(--vscode-foreground); background: var(--vscode-editor-background); font-family: var(--vscode-font-family); }</style>
</head>
<body>
<div id="app"></div>
<script nonce="${nonce}" src="${escapeAttr(input.scriptUri)}"></script>
</body>
</html>
`;
}
