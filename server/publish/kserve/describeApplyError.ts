// Turns what the Kubernetes client throws into a message that says what went
// wrong with which object in which cluster, and what to do. Pure, so the
// wording is tested without a cluster.
import type { KubeObject } from './objects';

export interface ApplyTarget {
  object: KubeObject;
  /** kubeconfig context name. */
  context: string;
  /** API server URL of that context. */
  server?: string;
}

function statusCode(err: unknown): number | undefined {
  const e = err as { code?: unknown; statusCode?: unknown; response?: { statusCode?: unknown } } | null;
  for (const c of [e?.code, e?.statusCode, e?.response?.statusCode]) if (typeof c === 'number') return c;
  return undefined;
}

/** The API server's own explanation (a Status object's message), when there is one. */
function serverMessage(err: unknown): string | undefined {
  const body = (err as { body?: unknown } | null)?.body;
  if (typeof body === 'string') {
    try {
      const m = (JSON.parse(body) as { message?: unknown }).message;
      if (typeof m === 'string') return m;
    } catch {
      return body.slice(0, 500);
    }
  } else if (body && typeof (body as { message?: unknown }).message === 'string') return (body as { message: string }).message;
  return undefined;
}

export function describeApplyError(err: unknown, t: ApplyTarget): string {
  const o = t.object;
  const what = `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;
  const where = `context "${t.context}"${t.server ? ` (${t.server})` : ''}`;
  const raw = err instanceof Error ? err.message : String(err);
  const code = statusCode(err);
  const detail = serverMessage(err) ?? raw;
  const netCode = err as { code?: unknown; cause?: { code?: unknown } } | null;
  const sysCode = typeof netCode?.code === 'string' ? netCode.code : typeof netCode?.cause?.code === 'string' ? netCode.cause.code : undefined;

  if (/Unrecognized API version and kind/i.test(raw) || (code === 404 && /could not find the requested resource/i.test(detail))) {
    return `cannot apply ${what} in ${where}: the cluster has no ${o.apiVersion} ${o.kind} API. Install KServe (0.11 or later) there, or pick the context that has it (deploy.kubernetes.context or --context).`;
  }
  if (code === 401)
    return `cannot apply ${what} in ${where}: the API server did not accept the credentials (401). Log in again (refresh the kubeconfig token) and retry.`;
  if (code === 403)
    return `cannot apply ${what} in ${where}: forbidden (403): ${detail}. Ask for RBAC permission to patch ${o.kind.toLowerCase()}s${o.metadata.namespace ? ` in namespace ${o.metadata.namespace}` : ' (cluster-scoped: needs a ClusterRole)'}.`;
  if (code === 404)
    return `cannot apply ${what} in ${where}: not found (404): ${detail}. Check that namespace "${o.metadata.namespace ?? ''}" exists (kubectl create namespace …).`;
  if (code === 409)
    return `cannot apply ${what} in ${where}: conflict (409): ${detail}. Another field manager owns these fields; retry, or resolve the conflict with kubectl.`;
  if (code === 400 || code === 422) return `cannot apply ${what} in ${where}: rejected by the API server or the KServe webhook (${code}): ${detail}`;
  if (sysCode === 'ECONNREFUSED' || sysCode === 'ENOTFOUND' || sysCode === 'ETIMEDOUT' || sysCode === 'EHOSTUNREACH') {
    return `cannot reach the API server of ${where} (${sysCode}). Check the cluster is running and the kubeconfig points at it (kubectl --context ${t.context} get ns).`;
  }
  return `cannot apply ${what} in ${where}${code ? ` (HTTP ${code})` : ''}: ${detail}`;
}
