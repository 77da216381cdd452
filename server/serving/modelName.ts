// Model names and versions arrive in URL paths; only DNS-safe names and
// semantic versions reach the repository, so no path, dot-dot or control
// character can ever select anything but a loaded model.
import { badRequest } from './errors';

const NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const VERSION = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;
const NUMBER = /^\d{1,19}$/;
const LABEL = /^[A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?$/;

const show = (s: string) => JSON.stringify(s.length > 80 ? s.slice(0, 80) + '…' : s);

export function checkModelName(name: string): string {
  if (!NAME.test(name)) {
    throw badRequest(
      `invalid model name ${show(name)}: names are lowercase letters, digits and "-" (at most 63, as in metadata.name); list the served models with GET /v1/models`,
      'MG311',
    );
  }
  return name;
}

/**
 * TF Serving's integer version of a semantic version, as a digit string:
 * MAJOR × 1,000,000 + MINOR × 1,000 + PATCH (1.2.3 → "1002003"). Derived, so
 * it is the same on every server and after every restart, and it sorts as
 * the versions do. Pre-releases (1.0.0-rc.1) and versions with a MINOR or
 * PATCH above 999 have none: they are reached by their semantic version.
 */
export function v1VersionNumber(version: string): string | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)(\+[0-9A-Za-z.-]+)?$/.exec(version);
  if (!m) return undefined;
  const [major, minor, patch] = [BigInt(m[1]!), BigInt(m[2]!), BigInt(m[3]!)];
  if (minor > 999n || patch > 999n) return undefined;
  const n = major * 1_000_000n + minor * 1_000n + patch;
  return n <= 9_223_372_036_854_775_807n ? n.toString() : undefined;
}

/** A version in a URL: a semantic version, or TF Serving's integer form of one. */
export function checkVersion(version: string): string {
  if (!VERSION.test(version) && !NUMBER.test(version)) {
    throw badRequest(
      `invalid version ${show(version)}: versions are semantic versions such as 1.0.0 (metadata.version), or their integer form for TF Serving clients (1.2.3 → 1002003); list them with GET /v1/models`,
      'MG311',
    );
  }
  return version;
}

export function checkLabel(label: string): string {
  if (!LABEL.test(label)) {
    throw badRequest(`invalid label ${show(label)}: labels are letters, digits, "_", "." and "-" (serving.labels in the manifest)`, 'MG311');
  }
  return label;
}
