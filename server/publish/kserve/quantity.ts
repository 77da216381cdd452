// Kubernetes resource quantities ("500m", "2Gi", "1e3"). The pattern is the
// one every CRD carries for int-or-string quantities (k8s.io/apimachinery
// resource.Quantity); parseQuantity turns one into a plain number so
// requests can be compared with limits.

export const QUANTITY_PATTERN = '^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$';
const QUANTITY_RE = new RegExp(QUANTITY_PATTERN);

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

export function isQuantity(q: string | number): boolean {
  if (typeof q === 'number') return Number.isInteger(q);
  return QUANTITY_RE.test(q);
}

/** The quantity in base units (cores, bytes, devices); NaN when it is not a quantity. */
export function parseQuantity(q: string | number): number {
  if (typeof q === 'number') return Number.isInteger(q) ? q : NaN;
  if (!QUANTITY_RE.test(q)) return NaN;
  const m = /^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(.*)$/.exec(q);
  if (!m) return NaN;
  const value = Number(m[1]);
  const suffix = m[2] ?? '';
  if (suffix in BINARY) return value * (BINARY[suffix] as number);
  if (suffix in DECIMAL) return value * (DECIMAL[suffix] as number);
  if (/^[eE]/.test(suffix)) return value * 10 ** Number(suffix.slice(1));
  return NaN;
}
