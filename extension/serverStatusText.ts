// The status bar text for the local model server (no vscode import, so unit tests can load it).
import type { ServerStatusNotification } from '../server/protocol/lsp';

/** What the item shows for a server state; undefined hides it. Pure, for tests. */
export function serverStatusText(s: ServerStatusNotification.Params): { text: string; tooltip: string } | undefined {
  if (!s.running || !s.url) return undefined;
  const models = (s.models ?? []).map((m) => `${m.name} ${m.version}`).join(', ') || 'no models';
  const rate = s.requestsPerSecond ?? 0;
  const rateText = `${rate >= 1000 ? `${(rate / 1000).toFixed(1)}k` : rate} req/s`;
  return {
    text: `$(server-process) ${s.url.replace(/^https?:\/\//, '')} · ${rateText}`,
    tooltip: `ModelGate is serving ${models} at ${s.url} (${rate} requests/s over the last seconds).\nClick to open the last report; stop it with "ModelGate: Stop server".`,
  };
}
