// Model names and versions arrive in URL paths; only DNS-safe names and
// semantic versions reach the repository, so no path, dot-dot or control
// character can ever select anything but a loaded model.
import { badRequest } from './errors';

const NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const VERSION = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;
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

export function checkVersion(version: string): string {
  if (!VERSION.test(version)) {
    throw badRequest(
      `invalid version ${show(version)}: versions are semantic versions such as 1.0.0 (metadata.version); list them with GET /v1/models`,
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
