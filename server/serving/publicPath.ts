// Paths shown to HTTP clients. A server must not tell the network where its
// files live (home directories, user names, mount points): a path inside the
// directory the server runs in is shown relative to it, any other as its
// last folder and file name.
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, relative, sep } from 'node:path';

export function publicPath(path: string, cwd = process.cwd()): string {
  if (!isAbsolute(path)) return path.split(sep).join('/');
  const rel = relative(cwd, path);
  if (rel && !rel.startsWith('..') && !isAbsolute(rel)) return rel.split(sep).join('/');
  return `…/${basename(dirname(path))}/${basename(path)}`;
}

/** A message for HTTP clients: absolute paths under the working directory made relative, the home directory written as ~. */
export function publicText(text: string, cwd = process.cwd(), home = homedir()): string {
  let out = text.split(cwd + sep).join('');
  if (home && home !== sep) out = out.split(home + sep).join('~' + sep);
  return out;
}
