// The webview's link to its host. Inside VS Code, `acquireVsCodeApi` gives
// postMessage and a state slot that survives reloads; standalone (the HTML
// report) there is no host: messages go nowhere and state lives in memory.
import type { HostToWebviewMessage, WebviewState, WebviewToHostMessage } from '../server/protocol/webview';

interface VsCodeApi {
  postMessage(msg: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare global {
  // Provided by VS Code inside webviews only; may be called once per page.

  var acquireVsCodeApi: (() => VsCodeApi) | undefined;
}

export interface Host {
  /** true inside VS Code: source links and re-run buttons make sense. */
  readonly interactive: boolean;
  post(msg: WebviewToHostMessage): void;
  getState(): WebviewState;
  setState(patch: Partial<WebviewState>): void;
  onMessage(handler: (msg: HostToWebviewMessage) => void): void;
}

const hostTypes = new Set<HostToWebviewMessage['type']>(['report', 'theme', 'running']);

export function connectHost(): Host {
  const api = typeof globalThis.acquireVsCodeApi === 'function' ? globalThis.acquireVsCodeApi() : undefined;
  let memory: WebviewState = {};
  const getState = (): WebviewState => (api ? ((api.getState() as WebviewState | undefined) ?? {}) : memory);
  return {
    interactive: api !== undefined,
    post: (msg) => api?.postMessage(msg),
    getState,
    setState: (patch) => {
      const next = { ...getState(), ...patch };
      if (api) api.setState(next);
      else memory = next;
    },
    onMessage: (handler) => {
      window.addEventListener('message', (ev: MessageEvent) => {
        const msg = ev.data as HostToWebviewMessage | undefined;
        // Only well-formed host messages; anything else posted to the window is ignored.
        if (msg && typeof msg === 'object' && hostTypes.has(msg.type)) handler(msg);
      });
    },
  };
}
