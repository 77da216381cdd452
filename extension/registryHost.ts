// The registry a publish target talks to, as the key of its credentials in
// SecretStorage. Pure, unit-tested.

/** `ghcr.io/acme/churn` → `ghcr.io`; `localhost:5000/m` → `localhost:5000`; a layout path or empty → undefined. */
export function registryHost(target: string | undefined): string | undefined {
  const t = (target ?? '').trim().replace(/^oci:\/\//i, '');
  if (!t || t.startsWith('.') || t.startsWith('/') || /^[A-Za-z]:[\\/]/.test(t)) return undefined;
  const slash = t.indexOf('/');
  if (slash < 0) return undefined;
  const host = t.slice(0, slash);
  // As in Docker: the first segment is a registry when it has a dot, a port, or is localhost.
  return host.includes('.') || host.includes(':') || host === 'localhost' ? host.toLowerCase() : undefined;
}

export function secretKey(host: string): string {
  return `modelgate.registry.${host}`;
}
