// Champion/challenger: the version to beat is the highest semver version
// below this one in the same target. runTests pulls it (by digest) to a temp
// dir and the metrics suite scores it on the challenger's validation rows.
import semver from 'semver';
import { listVersions } from '../publish/listVersions';
import type { StoreOptions } from '../publish/openStore';
import { formatReference, type Target } from '../publish/reference';

export interface Champion {
  version: string;
  /** by tag, for people */
  reference: string;
  digest: string;
  /** by digest, what runTests pulls as the baseline */
  pinned: string;
}

/** Tags are versions with `+` written `_`; returns the highest one strictly below `version`. */
export function previousVersionTag(tags: readonly string[], version: string): string | undefined {
  const mine = semver.valid(version);
  if (!mine) return undefined;
  return tags
    .map((t) => ({ t, v: semver.valid(t.replace(/_/g, '+')) }))
    .filter((x): x is { t: string; v: string } => x.v !== null && semver.lt(x.v, mine))
    .sort((a, b) => semver.rcompare(a.v, b.v))[0]?.t;
}

export async function findChampion(
  target: Target,
  version: string,
  store: StoreOptions,
  say: (m: string) => void = () => undefined,
): Promise<Champion | undefined> {
  const repo = formatReference({ ...target, tag: undefined, digest: undefined } as Target);
  say(`looking for an earlier version in ${repo}`);
  const { versions } = await listVersions(repo, store);
  const tag = previousVersionTag(
    versions.map((v) => v.tag),
    version,
  );
  if (!tag) {
    say('no earlier version: nothing to compare with');
    return undefined;
  }
  const digest = versions.find((v) => v.tag === tag)!.digest;
  return { version: tag.replace(/_/g, '+'), reference: formatReference(target, { tag }), digest, pinned: formatReference(target, { tag: '', digest }) };
}
