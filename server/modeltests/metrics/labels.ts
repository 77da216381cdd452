// Maps a dataset's label column onto class indices. A CSV may hold the
// class names themselves or their index into model.classLabels (0, 1, …);
// the rule is chosen once per column and reported, never guessed per row.

export interface LabelMapping {
  /** Class index per row; -1 where the value is missing or not a class. */
  indices: Int32Array;
  /** How values were read, for the report. */
  how: string;
  /** Rows whose value is no known class (excluded from metrics). */
  unknown: number;
  /** A few of the unknown values, to show the user. */
  unknownExamples: string[];
  /** True when values are read as class names, false when as indices into classLabels. */
  byName: boolean;
}

export function mapLabels(values: readonly string[], classLabels: readonly string[]): LabelMapping {
  const byName = new Map(classLabels.map((l, i) => [l, i]));
  const trimmed = values.map((v) => v.trim());
  const present = trimmed.filter((v) => v !== '');
  const allNames = present.length > 0 && present.every((v) => byName.has(v));
  const allIndices = present.length > 0 && present.every((v) => /^-?\d+(\.0+)?$/.test(v) && Number(v) >= 0 && Number(v) < classLabels.length);
  // Names win when both readings work (digits: labels "0".."9" and indices 0..9 agree anyway).
  const useNames = allNames || (!allIndices && present.filter((v) => byName.has(v)).length >= present.filter((v) => /^\d+$/.test(v)).length);
  const indices = new Int32Array(values.length);
  const unknownExamples: string[] = [];
  let unknown = 0;
  trimmed.forEach((v, i) => {
    let k: number;
    if (useNames) k = byName.get(v) ?? -1;
    else {
      const n = Number(v);
      k = v !== '' && Number.isInteger(n) && n >= 0 && n < classLabels.length ? n : -1;
    }
    indices[i] = k;
    if (k < 0) {
      unknown++;
      if (unknownExamples.length < 5 && !unknownExamples.includes(v)) unknownExamples.push(v === '' ? '(empty)' : v);
    }
  });
  const how = useNames
    ? 'label values are class names from model.classLabels'
    : `label values are indices into model.classLabels (0 = ${classLabels[0]}, ${classLabels.length - 1} = ${classLabels[classLabels.length - 1]})`;
  return { indices, how, unknown, unknownExamples, byName: useNames };
}
