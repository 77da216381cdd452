// Request bodies as TF Serving reads them: JSON plus the bare tokens NaN,
// Inf/Infinity and -Inf/-Infinity (tensorflow/serving util/json_tensor.cc parses with
// RapidJSON's kParseNanAndInfFlag). Plain JSON.parse runs first, so a body
// without such tokens costs nothing extra; only a body JSON.parse refuses is
// scanned, and the tokens found outside strings become numbers. Whether the
// model accepts a non-finite number is decided later, per input
// (serving.nonFinite), with an error that names the feature.

const MARK = '\u0000mg-nonfinite:';
// RapidJSON's spellings: NaN, Inf, Infinity, each infinity with an optional minus
const TOKEN = /^-?Inf(inity)?|^NaN/;
const valueOf = (token: string): number => (token === 'NaN' ? NaN : token.startsWith('-') ? -Infinity : Infinity);

const isWordChar = (c: string | undefined) => c !== undefined && /[A-Za-z0-9_.$]/.test(c);

/** The text with NaN/Infinity tokens outside strings replaced by marked strings, or undefined when it has none. */
function markNonFinite(text: string): string | undefined {
  let out = '';
  let last = 0;
  let found = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      // skip the string, escapes included
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
      continue;
    }
    if (c !== 'N' && c !== 'I' && c !== '-') continue;
    const m = TOKEN.exec(text.slice(i, i + 9));
    if (!m || isWordChar(text[i - 1]) || isWordChar(text[i + m[0].length])) continue;
    out += text.slice(last, i) + JSON.stringify(MARK + m[0]);
    i += m[0].length - 1;
    last = i + 1;
    found = true;
  }
  return found ? out + text.slice(last) : undefined;
}

function revive(_key: string, value: unknown): unknown {
  return typeof value === 'string' && value.startsWith(MARK) ? valueOf(value.slice(MARK.length)) : value;
}

/** JSON.parse that also reads NaN, Infinity and -Infinity; throws JSON.parse's own SyntaxError (with its position) otherwise. */
export function parseRequestJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const marked = text.length < 64 * 1024 * 1024 ? markNonFinite(text) : undefined;
    if (marked === undefined) throw err;
    try {
      return JSON.parse(marked, revive);
    } catch {
      throw err;
    }
  }
}
