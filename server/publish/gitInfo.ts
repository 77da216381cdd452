// Source repository URL and commit for the `source`/`revision` annotations.
// Credentials embedded in a remote URL (https://user:token@host/…) are
// stripped: annotations are public.
import { execFile } from 'node:child_process';

function git(dir: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('git', ['-C', dir, ...args], { timeout: 5000 }, (err, stdout) => resolve(err ? undefined : stdout.trim() || undefined));
  });
}

export function publicRemoteUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString().replace(/\/$/, '');
  } catch {
    // scp-like git@host:org/repo.git has no secret to strip
    return url;
  }
}

export async function gitInfo(dir: string): Promise<{ source?: string; revision?: string }> {
  const [revision, remote] = await Promise.all([git(dir, ['rev-parse', 'HEAD']), git(dir, ['config', '--get', 'remote.origin.url'])]);
  const out: { source?: string; revision?: string } = {};
  if (revision && /^[0-9a-f]{40,64}$/.test(revision)) out.revision = revision;
  if (remote) out.source = publicRemoteUrl(remote);
  return out;
}
