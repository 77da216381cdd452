// The robustness fuzzer's mutations of a manifest: a wrong value at every
// place, and every key removed. Deterministic: the same text always gives
// the same mutations, in the same order, so a failure names one to replay.
import { isMap, isSeq, parseDocument, type Node } from 'yaml';

/** Values that are wrong almost everywhere. */
export const WRONG: readonly unknown[] = [5, 'x', null, [], { a: 1 }, [5, 'x', null]];

/** Every path in a YAML node, to put a wrong value at each. */
export function paths(node: Node | null | undefined, at: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [];
  if (isMap(node)) {
    for (const item of node.items) {
      const key = String((item.key as { value?: unknown })?.value);
      out.push([...at, key], ...paths(item.value as Node, [...at, key]));
    }
  } else if (isSeq(node)) {
    node.items.forEach((v, i) => out.push([...at, i], ...paths(v as Node, [...at, i])));
  }
  return out;
}

export interface Mutation {
  /** e.g. `preprocessing.0.mean = 5` or `remove signature.inputs.0.features` */
  what: string;
  text: string;
  path: (string | number)[];
  /** Absent for a removal. */
  value?: { v: unknown };
}

/** The manifest text with one more mutation applied (the second of a pair, say). */
export function apply(text: string, m: Mutation): string {
  const doc = parseDocument(text);
  if (m.value) doc.setIn(m.path, m.value.v);
  else doc.deleteIn(m.path);
  return doc.toString();
}

/** Each value at each path, then each path removed. */
export function* mutations(text: string, values: readonly unknown[] = WRONG): Generator<Mutation> {
  for (const path of paths(parseDocument(text).contents)) {
    for (const v of values) {
      const m = { what: `${path.join('.')} = ${JSON.stringify(v)}`, path, value: { v } };
      yield { ...m, text: apply(text, { ...m, text }) };
    }
    const m = { what: `remove ${path.join('.')}`, path };
    yield { ...m, text: apply(text, { ...m, text }) };
  }
}

/** A linear congruential generator: the same seed gives the same numbers in [0, 1). */
export function seeded(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (x * 1103515245 + 12345) >>> 0;
    return x / 2 ** 32;
  };
}

/** `n` items drawn without replacement, in a order fixed by `seed`. */
export function sample<T>(items: readonly T[], n: number, seed: number): T[] {
  const rnd = seeded(seed);
  const pool = [...items];
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, n);
}
