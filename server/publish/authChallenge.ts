// Parses `WWW-Authenticate` (RFC 7235): one or more challenges, each a
// scheme followed by comma-separated parameters whose quoted values may
// themselves hold commas (scope="repository:ml/x:pull,push").

export interface AuthChallenge {
  /** Lowercased scheme: `basic`, `bearer`, … */
  scheme: string;
  params: Record<string, string>;
}

export function parseAuthChallenges(header: string): AuthChallenge[] {
  const out: AuthChallenge[] = [];
  let i = 0;
  const n = header.length;
  const skipWs = (): void => {
    while (i < n && /[\s,]/.test(header[i]!)) i++;
  };
  const readToken = (): string => {
    const start = i;
    while (i < n && /[!#$%&'*+.^_`|~0-9A-Za-z-]/.test(header[i]!)) i++;
    return header.slice(start, i);
  };
  let current: AuthChallenge | undefined;
  while (i < n) {
    skipWs();
    if (i >= n) break;
    const save = i;
    const token = readToken();
    if (!token) {
      i++;
      continue;
    }
    let j = i;
    while (j < n && header[j] === ' ') j++;
    if (header[j] === '=' && current) {
      // a parameter of the current challenge
      i = j + 1;
      while (i < n && header[i] === ' ') i++;
      let value: string;
      if (header[i] === '"') {
        i++;
        let v = '';
        while (i < n && header[i] !== '"') {
          if (header[i] === '\\' && i + 1 < n) i++;
          v += header[i];
          i++;
        }
        i++;
        value = v;
      } else {
        const start = i;
        while (i < n && header[i] !== ',') i++;
        value = header.slice(start, i).trim();
      }
      current.params[token.toLowerCase()] = value;
    } else if (header[j] === '=' && !current) {
      // parameters before any scheme: malformed; skip the value
      i = j + 1;
      while (i < n && header[i] !== ',') i++;
    } else {
      current = { scheme: token.toLowerCase(), params: {} };
      out.push(current);
      if (i === save) i++;
    }
  }
  return out;
}
