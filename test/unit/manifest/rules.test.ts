// One failing and one passing manifest per rule of the syntax, schema and
// manifest-only layers. The failing text marks with `#!` the line the
// diagnostic must point at.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { check, doc, expectAt, expectFriendly, expectNone, HEAD, markerLine, show } from './manifestFixture';

interface Case {
  code: string;
  name: string;
  bad: string;
  good: string;
  severity?: 'error' | 'warning' | 'info';
  /** Words the message must contain (what is wrong and how to fix it). */
  says?: RegExp[];
  data?: Record<string, unknown>;
}

const HEADER_ONLY = 'apiVersion: modelgate/v1\nkind: Model\n';
/** Metric gates need labelled validation data (MG211). */
const VALIDATION = 'data:\n  labelColumn: y\n  validation: [{path: v.csv}]\n';

const cases: Case[] = [
  { code: 'MG101', name: 'YAML syntax error', bad: doc('slo: {p99Ms: 50\nserving:  #!\n  threads: 1\n'), good: doc('slo: {p99Ms: 50}\n') },
  { code: 'MG102', name: 'duplicate key', bad: doc('slo:\n  p99Ms: 50\n  p99Ms: 60  #!\n'), good: doc('slo:\n  p99Ms: 50\n') },
  { code: 'MG103', name: 'tab indentation', bad: doc('slo:\n\tp99Ms: 50  #!\n'), good: doc('slo:\n  p99Ms: 50\n') },
  {
    code: 'MG104',
    name: 'wrong apiVersion',
    bad: HEAD.replace('apiVersion: modelgate/v1', 'apiVersion: modelgate/v2  #!'),
    good: HEAD,
    says: [/modelgate\/v1/],
  },
  { code: 'MG104', name: 'not a manifest (a list)', bad: '- a  #!\n- b\n', good: HEAD },
  { code: 'MG104', name: 'empty file', bad: '#!\n', good: HEAD, says: [/modelgate init/] },
  { code: 'MG104', name: 'kind lowercase', bad: HEAD.replace('kind: Model', 'kind: model  #!'), good: HEAD, says: [/kind: Model/] },
  {
    code: 'MG105',
    name: 'signature is a number',
    bad: doc('signature: 5  #!\n'),
    good: doc('signature:\n  inputs: [{name: x, dtype: float32, shape: [batch, 2]}]\n  outputs: [{name: y, dtype: float32, shape: [batch, 2]}]\n'),
    says: [/mapping/, /inputs, outputs/],
  },
  {
    code: 'MG105',
    name: 'inputs is a text',
    bad: doc('signature:\n  inputs: "x"  #!\n  outputs: [{name: y, dtype: float32, shape: [batch, 2]}]\n'),
    good: doc('signature:\n  inputs: [{name: x, dtype: float32, shape: [batch, 2]}]\n  outputs: [{name: y, dtype: float32, shape: [batch, 2]}]\n'),
    says: [/list/],
  },
  {
    code: 'MG105',
    name: 'version written as a number',
    bad: HEAD.replace('version: 1.0.0', 'version: 1.0  #!'),
    good: HEAD,
    says: [/quote/, /"1\.0\.0"/],
    data: { suggestion: '1.0.0' },
  },
  {
    code: 'MG106',
    name: 'task misspelled',
    bad: HEAD.replace('task: classification', 'task: clasification  #!'),
    good: HEAD,
    says: [/did you mean "classification"/],
    data: { suggestion: 'classification' },
  },
  {
    code: 'MG107',
    name: 'version missing, reported on its parent',
    bad: HEAD.replace('metadata:', 'metadata:  #!').replace('  version: 1.0.0\n', ''),
    good: HEAD,
    says: [/needs "version"/],
  },
  {
    code: 'MG107',
    name: 'gate without min or max',
    bad: doc('gates:\n  metrics:\n    - metric: accuracy  #!\ndata:\n  labelColumn: y\n  validation: [{path: v.csv}]\n'),
    good: doc('gates:\n  metrics:\n    - metric: accuracy\n      min: 0.9\ndata:\n  labelColumn: y\n  validation: [{path: v.csv}]\n'),
    says: [/"min" or "max"/],
  },
  { code: 'MG108', name: 'probability above 1', bad: doc('slo:\n  errorRate: 1.5  #!\n'), good: doc('slo:\n  errorRate: 0.001\n'), says: [/from 0 to 1/] },
  { code: 'MG108', name: 'one class label', bad: HEAD.replace('classLabels: [neg, pos]', 'classLabels: [neg]  #!'), good: HEAD, says: [/at least 2/] },
  {
    code: 'MG109',
    name: 'version not semver',
    bad: HEAD.replace('version: 1.0.0', 'version: "1.0"  #!'),
    good: HEAD,
    says: [/not a semantic version/, /MAJOR\.MINOR\.PATCH/, /"1\.0\.0"/],
    data: { suggestion: '1.0.0' },
  },
  { code: 'MG109', name: 'name not DNS-safe', bad: HEAD.replace('name: demo', 'name: My_Model  #!'), good: HEAD, says: [/DNS-safe/, /"my-model"/] },
  {
    code: 'MG109',
    name: 'duration with words',
    bad: doc('staleness:\n  maxModelAge: 90 days  #!\n'),
    good: doc('staleness:\n  maxModelAge: 90d\n'),
    says: [/not a duration/, /"90d"/],
  },
  {
    code: 'MG109',
    name: 'trainedAt without time zone',
    bad: HEAD.replace('  classLabels', '  trainedAt: 2026-11-01T12:00:00  #!\n  classLabels'),
    good: HEAD.replace('  classLabels', '  trainedAt: 2026-11-01T12:00:00Z\n  classLabels'),
    says: [/"2026-11-01T12:00:00Z"/],
  },
  {
    code: 'MG109',
    name: 'window date malformed',
    bad: doc('data:\n  training:\n    - path: t.csv\n      window: {start: 2026-13-01, end: 2026-10-31}  #!\n'),
    good: doc('data:\n  training:\n    - path: t.csv\n      window: {start: 2026-01-01, end: 2026-10-31}\n'),
  },
  {
    code: 'MG110',
    name: 'unknown key with suggestion',
    bad: HEAD.replace('classLabels', 'classlabels').replace('classlabels: [neg, pos]', 'classlabels: [neg, pos]  #!'),
    good: HEAD,
    severity: 'warning',
    says: [/did you mean "classLabels"/],
    data: { suggestion: 'classLabels', key: 'classlabels' },
  },
  { code: 'MG111', name: 'duplicate tag', bad: doc('serving:\n  labels: [stable, stable]  #!\n'), good: doc('serving:\n  labels: [stable, canary]\n') },
  { code: 'MG112', name: 'manifest too large', bad: '#!' + doc('# ' + 'x'.repeat(1_100_000) + '\n'), good: doc('# ' + 'x'.repeat(1000) + '\n') },
  {
    code: 'MG120',
    name: 'gate min above max',
    bad: doc(VALIDATION + 'gates:\n  metrics:\n    - metric: accuracy\n      min: 0.9\n      max: 0.8  #!\n'),
    good: doc(VALIDATION + 'gates:\n  metrics:\n    - metric: accuracy\n      min: 0.8\n      max: 0.9\n'),
  },
  {
    code: 'MG120',
    name: 'minmax min not below max',
    bad: doc(
      'signature:\n  inputs: [{name: x, dtype: float32, shape: [batch, 2]}]\n  outputs: [{name: y, dtype: float32, shape: [batch, 2]}]\npreprocessing:\n  - op: minmax\n    min: 16\n    max: 0  #!\n',
    ),
    good: doc(
      'signature:\n  inputs: [{name: x, dtype: float32, shape: [batch, 2]}]\n  outputs: [{name: y, dtype: float32, shape: [batch, 2]}]\npreprocessing:\n  - op: minmax\n    min: 0\n    max: 16\n',
    ),
  },
  {
    code: 'MG121',
    name: 'r2 on a classifier',
    bad: doc(VALIDATION + 'gates:\n  metrics:\n    - metric: r2  #!\n      min: 0.5\n'),
    good: doc(VALIDATION + 'gates:\n  metrics:\n    - metric: accuracy\n      min: 0.5\n'),
    says: [/regression metric/],
  },
  {
    code: 'MG122',
    name: 'accuracy threshold 1.3',
    bad: doc(VALIDATION + 'gates:\n  metrics:\n    - metric: accuracy\n      min: 1.3  #!\n'),
    good: doc(VALIDATION + 'gates:\n  metrics:\n    - metric: accuracy\n      min: 0.93\n'),
    says: [/never pass/],
  },
  {
    code: 'MG123',
    name: 'class not in classLabels',
    bad: doc(VALIDATION + 'gates:\n  metrics:\n    - metric: recall\n      class: Pos  #!\n      min: 0.9\n'),
    good: doc(VALIDATION + 'gates:\n  metrics:\n    - metric: recall\n      class: pos\n      min: 0.9\n'),
    data: { suggestion: 'pos' },
  },
  {
    code: 'MG124',
    name: 'batching delay at the p99 target',
    bad: doc('serving:\n  batching:\n    maxDelayMs: 60  #!\nslo:\n  p99Ms: 50\n'),
    good: doc('serving:\n  batching:\n    maxDelayMs: 2\nslo:\n  p99Ms: 50\n'),
  },
  {
    code: 'MG124',
    name: 'batching delay over half of p99',
    severity: 'warning',
    bad: doc('serving:\n  batching:\n    maxDelayMs: 30  #!\nslo:\n  p99Ms: 50\n'),
    good: doc('serving:\n  batching:\n    enabled: false\n    maxDelayMs: 30\nslo:\n  p99Ms: 50\n'),
  },
  {
    code: 'MG135',
    name: 'password in the queue URL',
    severity: 'warning',
    bad: doc('serving:\n  queue:\n    url: redis://scorer:hunter2@redis.internal:6379  #!\n'),
    good: doc('serving:\n  queue:\n    url: redis://scorer@redis.internal:6379\n'),
    says: [/MODELGATE_REDIS_PASSWORD/, /redis:\/\/scorer@redis\.internal:6379/],
  },
  {
    code: 'MG125',
    name: 'canary with raw mode',
    bad: doc('deploy:\n  kubernetes:\n    mode: raw\n    canaryPercent: 10  #!\n'),
    good: doc('deploy:\n  kubernetes:\n    mode: serverless\n    canaryPercent: 10\n'),
    says: [/RawDeployment/],
  },
  {
    code: 'MG126',
    name: 'rps beyond one CPU instance',
    severity: 'warning',
    bad: doc('slo:\n  rps: 20000  #!\n'),
    good: doc('slo:\n  rps: 20000\nserving:\n  instances: 4\n'),
    says: [/5000/],
  },
  {
    code: 'MG127',
    name: 'ks threshold is a p-value',
    bad: doc('staleness:\n  drift:\n    method: ks\n    threshold: 1.5  #!\n'),
    good: doc('staleness:\n  drift:\n    method: psi\n    threshold: 1.5\n'),
  },
  {
    code: 'MG127',
    name: 'per-feature threshold inherits the method',
    bad: doc('staleness:\n  drift:\n    method: chisquare\n    features:\n      age: {threshold: 2}  #!\n'),
    good: doc('staleness:\n  drift:\n    method: chisquare\n    features:\n      age: {method: psi, threshold: 2}\n'),
  },
  {
    code: 'MG128',
    name: 'maxDataAge without window',
    severity: 'warning',
    bad: doc('data:\n  training: [{path: t.csv}]\nstaleness:\n  maxDataAge: 90d  #!\n'),
    good: doc('data:\n  training: [{path: t.csv, window: {start: 2026-01-01, end: 2026-10-31}}]\nstaleness:\n  maxDataAge: 90d\n'),
  },
  {
    code: 'MG129',
    name: 'step names an unknown input',
    bad: doc(
      'signature:\n  inputs: [{name: features, dtype: float32, shape: [batch, 2]}]\n  outputs: [{name: y, dtype: float32, shape: [batch, 2]}]\npreprocessing:\n  - op: minmax\n    input: feature  #!\n    min: 0\n    max: 1\n',
    ),
    good: doc(
      'signature:\n  inputs: [{name: features, dtype: float32, shape: [batch, 2]}]\n  outputs: [{name: y, dtype: float32, shape: [batch, 2]}]\npreprocessing:\n  - op: minmax\n    input: features\n    min: 0\n    max: 1\n',
    ),
    data: { suggestion: 'features' },
  },
  {
    code: 'MG130',
    name: 'classifier without labels',
    severity: 'warning',
    bad: HEAD.replace('task: classification', 'task: classification  #!').replace('  classLabels: [neg, pos]\n', ''),
    good: HEAD,
  },
  {
    code: 'MG131',
    name: 'top-k above the class count',
    bad: doc('postprocessing:\n  - op: topk\n    k: 5  #!\n'),
    good: doc('postprocessing:\n  - op: topk\n    k: 2\n'),
  },
  {
    code: 'MG132',
    name: 'regression rule without a drop',
    severity: 'warning',
    bad: doc('gates:\n  maxRegression:\n    - metric: accuracy  #!\n'),
    good: doc('gates:\n  maxRegression:\n    - metric: accuracy\n      maxAbsoluteDrop: 0.01\n'),
  },
  {
    code: 'MG133',
    name: 'standardize without std',
    bad: doc('preprocessing:\n  - op: standardize  #!\n    mean: [1, 2]\n'),
    good: doc('preprocessing:\n  - op: standardize\n    mean: [1, 2]\n    std: [1, 1]\n'),
  },
  {
    code: 'MG134',
    name: 'drift setting for an input the model does not have',
    bad: doc(
      'signature:\n  inputs: [{name: image, dtype: float32, shape: [batch, 2], features: [a, b]}]\n  outputs: [{name: y, dtype: float32, shape: [batch, 2]}]\nstaleness:\n  drift:\n    inputs:\n      imag: {perFeature: false}  #!\n',
    ),
    good: doc(
      'signature:\n  inputs: [{name: image, dtype: float32, shape: [batch, 2], features: [a, b]}]\n  outputs: [{name: y, dtype: float32, shape: [batch, 2]}]\nstaleness:\n  drift:\n    inputs:\n      image: {perFeature: false}\n',
    ),
    says: [/the inputs are: image/],
  },
  {
    code: 'MG134',
    name: 'input tested as a whole without a features list',
    bad: doc(
      'signature:\n  inputs: [{name: image, dtype: float32, shape: [batch, 2]}]\n  outputs: [{name: y, dtype: float32, shape: [batch, 2]}]\nstaleness:\n  drift:\n    inputs:\n      image: {perFeature: false}  #!\n',
    ),
    good: doc(
      'signature:\n  inputs: [{name: image, dtype: float32, shape: [batch, 2], features: [a, b]}]\n  outputs: [{name: y, dtype: float32, shape: [batch, 2]}]\nstaleness:\n  drift:\n    inputs:\n      image: {perFeature: false}\n',
    ),
    says: [/features/],
  },
  {
    code: 'MG205',
    name: 'label frequencies sum to 0.9',
    bad: doc('data:\n  labelFrequencies: {neg: 0.5, pos: 0.4}  #!\n'),
    good: doc('data:\n  labelFrequencies: {neg: 0.6, pos: 0.405}\n'),
  },
  {
    code: 'MG206',
    name: 'label frequency for an unknown class',
    bad: doc('data:\n  labelFrequencies:\n    neg: 0.5\n    Pos: 0.5  #!\n'),
    good: doc('data:\n  labelFrequencies:\n    neg: 0.5\n    pos: 0.5\n'),
    data: { suggestion: 'pos', key: 'Pos' },
  },
  {
    code: 'MG206',
    name: 'label frequency missing a class',
    bad: doc('data:\n  labelFrequencies:  #!\n    neg: 1\n'),
    good: doc('data:\n  labelFrequencies:\n    neg: 0.5\n    pos: 0.5\n'),
  },
  {
    code: 'MG207',
    name: 'window ends after trainedAt',
    bad:
      HEAD.replace('  classLabels', '  trainedAt: 2026-06-01T00:00:00Z\n  classLabels') +
      'data:\n  training:\n    - path: t.csv\n      window:\n        start: 2026-01-01\n        end: 2026-07-01  #!\n',
    good:
      HEAD.replace('  classLabels', '  trainedAt: 2026-06-01T00:00:00Z\n  classLabels') +
      'data:\n  training:\n    - path: t.csv\n      window:\n        start: 2026-01-01\n        end: 2026-05-31\n',
  },
  {
    code: 'MG208',
    name: 'window start after end',
    bad: doc('data:\n  training:\n    - path: t.csv\n      window:\n        start: 2026-10-01  #!\n        end: 2026-01-01\n'),
    good: doc('data:\n  training:\n    - path: t.csv\n      window:\n        start: 2026-01-01\n        end: 2026-10-01\n'),
  },
  {
    code: 'MG209',
    name: 'trainedAt in the future',
    bad: HEAD.replace('  classLabels', '  trainedAt: 2027-01-01T00:00:00Z  #!\n  classLabels'),
    good: HEAD.replace('  classLabels', '  trainedAt: 2026-11-23T11:00:00Z\n  classLabels'),
  },
  {
    code: 'MG211',
    name: 'validation data without a label column',
    bad: doc('data:\n  validation:\n    - path: v.csv  #!\ngates:\n  metrics: [{metric: accuracy, min: 0.9}]\n'),
    good: doc('data:\n  labelColumn: target\n  validation:\n    - path: v.csv\ngates:\n  metrics: [{metric: accuracy, min: 0.9}]\n'),
  },
  {
    code: 'MG106',
    name: 'step op misspelled',
    bad: doc('preprocessing:\n  - op: standardise  #!\n    mean: [1, 2]\n    std: [1, 1]\n'),
    good: doc('preprocessing:\n  - op: standardize\n    mean: [1, 2]\n    std: [1, 1]\n'),
    says: [/did you mean "standardize"/, /minmax/],
    data: { suggestion: 'standardize' },
  },
  {
    code: 'MG133',
    name: 'onehot without categories, with an example from the schema',
    bad: doc(
      'signature:\n  inputs: [{name: x, dtype: float32, shape: [batch, 2], features: [a, b]}]\n  outputs: [{name: y, dtype: float32, shape: [batch, 2]}]\npreprocessing:\n  - op: onehot  #!\n    column: a\n',
    ),
    good: doc(
      'signature:\n  inputs: [{name: x, dtype: float32, shape: [batch, 3], features: [a, b]}]\n  outputs: [{name: y, dtype: float32, shape: [batch, 2]}]\npreprocessing:\n  - op: onehot\n    column: a\n    categories: [red, blue]\n',
    ),
    says: [/op: onehot/, /"categories"/, /e\.g\. categories: \[red, green, blue\]/],
    data: { missing: 'categories' },
  },
  {
    code: 'MG129',
    name: 'onehot on an input without features',
    bad: doc(
      'signature:\n  inputs: [{name: x, dtype: float32, shape: [batch, 3]}]\n  outputs: [{name: y, dtype: float32, shape: [batch, 2]}]\npreprocessing:\n  - op: onehot\n    column: color  #!\n    categories: [red, green]\n',
    ),
    good: doc(
      'signature:\n  inputs: [{name: x, dtype: float32, shape: [batch, 3], features: [n, color]}]\n  outputs: [{name: y, dtype: float32, shape: [batch, 2]}]\npreprocessing:\n  - op: onehot\n    column: color\n    categories: [red, green]\n',
    ),
    says: [/lists no features/, /signature\.inputs\[0\]\.features/],
  },
  {
    code: 'MG350',
    name: 'a string input serving cannot feed',
    bad: doc('signature:\n  inputs: [{name: x, dtype: string, shape: [batch, 2]}]  #!\n  outputs: [{name: y, dtype: float32, shape: [batch, 2]}]\n'),
    good: doc('signature:\n  inputs: [{name: x, dtype: float32, shape: [batch, 2]}]\n  outputs: [{name: y, dtype: float32, shape: [batch, 2]}]\n'),
    says: [/string/, /float32/],
  },
  {
    code: 'MG351',
    name: 'a row dimension of 0',
    bad: doc('signature:\n  inputs: [{name: x, dtype: float32, shape: [batch, 0]}]  #!\n  outputs: [{name: y, dtype: float32, shape: [batch, 2]}]\n'),
    good: doc('signature:\n  inputs: [{name: x, dtype: float32, shape: [batch, 2]}]\n  outputs: [{name: y, dtype: float32, shape: [batch, 2]}]\n'),
    says: [/shape\[1\] is 0/],
  },
  {
    code: 'MG307',
    name: 'features do not fill the shape',
    bad: doc(
      'signature:\n  inputs:\n    - name: x\n      dtype: float32\n      shape: [batch, 3]\n      features: [a, b]  #!\n  outputs: [{name: y, dtype: float32, shape: [batch, 2]}]\n',
    ),
    good: doc(
      'signature:\n  inputs:\n    - name: x\n      dtype: float32\n      shape: [batch, 3]\n      features: [a, b, c]\n  outputs: [{name: y, dtype: float32, shape: [batch, 2]}]\n',
    ),
  },
  {
    code: 'MG307',
    name: 'onehot widens the features',
    bad: doc(
      'signature:\n  inputs:\n    - name: x\n      dtype: float32\n      shape: [batch, 3]\n      features: [a, color]  #!\n  outputs: [{name: y, dtype: float32, shape: [batch, 2]}]\npreprocessing:\n  - op: onehot\n    column: color\n    categories: [red, green, blue]\n',
    ),
    good: doc(
      'signature:\n  inputs:\n    - name: x\n      dtype: float32\n      shape: [batch, 4]\n      features: [a, color]\n  outputs: [{name: y, dtype: float32, shape: [batch, 2]}]\npreprocessing:\n  - op: onehot\n    column: color\n    categories: [red, green, blue]\n',
    ),
  },
  {
    code: 'MG307',
    name: 'reshape does not fit the input',
    bad: doc(
      'signature:\n  inputs:\n    - name: image\n      dtype: float32\n      shape: [batch, 1, 2, 2]\n      features: [p0, p1, p2, p3]\n  outputs: [{name: y, dtype: float32, shape: [batch, 2]}]\npreprocessing:\n  - op: reshape\n    shape: [4, 1]  #!\n',
    ),
    good: doc(
      'signature:\n  inputs:\n    - name: image\n      dtype: float32\n      shape: [batch, 1, 2, 2]\n      features: [p0, p1, p2, p3]\n  outputs: [{name: y, dtype: float32, shape: [batch, 2]}]\npreprocessing:\n  - op: reshape\n    shape: [1, 2, 2]\n',
    ),
  },
  {
    code: 'MG308',
    name: 'mean and std lengths differ',
    bad: doc(
      'signature:\n  inputs: [{name: x, dtype: float32, shape: [batch, 2], features: [a, b]}]\n  outputs: [{name: y, dtype: float32, shape: [batch, 2]}]\npreprocessing:\n  - op: standardize\n    mean: [1, 2]\n    std: [1]  #!\n',
    ),
    good: doc(
      'signature:\n  inputs: [{name: x, dtype: float32, shape: [batch, 2], features: [a, b]}]\n  outputs: [{name: y, dtype: float32, shape: [batch, 2]}]\npreprocessing:\n  - op: standardize\n    mean: [1, 2]\n    std: [1, 1]\n',
    ),
  },
  {
    code: 'MG308',
    name: 'mean length differs from the features',
    bad: doc(
      'signature:\n  inputs: [{name: x, dtype: float32, shape: [batch, 2], features: [a, b]}]\n  outputs: [{name: y, dtype: float32, shape: [batch, 2]}]\npreprocessing:\n  - op: standardize\n    mean: [1, 2, 3]  #!\n    std: [1, 1, 1]\n',
    ),
    good: doc(
      'signature:\n  inputs: [{name: x, dtype: float32, shape: [batch, 2], features: [a, b]}]\n  outputs: [{name: y, dtype: float32, shape: [batch, 2]}]\npreprocessing:\n  - op: standardize\n    mean: [1, 2]\n    std: [1, 1]\n',
    ),
  },
];

for (const c of cases) {
  test(`${c.code} ${c.name}`, async () => {
    const bad = await check(c.bad);
    const d = expectAt(bad, c.code, markerLine(c.bad));
    assert.equal(d.severity, c.severity ?? (c.code === 'MG110' ? 'warning' : 'error'), `severity of ${c.code}`);
    for (const re of c.says ?? []) assert.match(d.message, re);
    if (c.data) for (const [k, v] of Object.entries(c.data)) assert.deepEqual(d.data?.[k], v, `data.${k}`);
    expectFriendly(bad);
    const good = await check(c.good);
    expectNone(good, c.code);
    assert.deepEqual(
      good.filter((x) => x.severity === 'error'),
      [],
      `the passing manifest has errors:\n${show(good)}`,
    );
  });
}

test('the base manifest is clean', async () => {
  assert.deepEqual(await check(HEAD), []);
  assert.deepEqual(await check(HEADER_ONLY + 'metadata: {name: a, version: 1.0.0}\nmodel: {artifact: m.onnx, task: regression}\n'), []);
});

test('an unknown key points at the key, a missing field at its parent key', async () => {
  const text = doc('slo:\n  p99ms: 50\n');
  const [d] = await check(text);
  assert.equal(d?.code, 'MG110');
  assert.equal(d?.range.start.line, 10);
  assert.equal(d?.range.start.character, 2);
  assert.equal(d?.range.end.character, 7, 'only the key is underlined');
});

test('semantic rules skip parts the schema rejected', async () => {
  // min is a text: MG105 only, no MG120/MG122 noise about it.
  const diags = await check(doc('gates:\n  metrics:\n    - metric: accuracy\n      min: high\n      max: 0.5\n'));
  assert.deepEqual(
    diags.map((d) => d.code),
    ['MG105'],
  );
});

test('every processing problem is reported, not only the first', async () => {
  const diags = await check(
    doc(
      'signature:\n  inputs: [{name: x, dtype: float32, shape: [batch, 2], features: [a, b]}]\n  outputs: [{name: y, dtype: float32, shape: [batch, 2]}]\npreprocessing:\n  - op: standardize\n    mean: [1, 2, 3]\n    std: [1, 1, 1]\n  - op: minmax\n    min: 4\n    max: 1\npostprocessing:\n  - op: argmax\n    output: z\n',
    ),
  );
  assert.deepEqual(
    diags.filter((d) => d.severity === 'error').map((d) => d.code),
    ['MG308', 'MG308', 'MG120', 'MG129'],
    show(diags),
  );
});

test('an unknown key in a step names the fields of its op', async () => {
  const [d] = await check(doc('preprocessing:\n  - op: reshape\n    shape: [2]\n    categories: [a]\n'));
  assert.equal(d?.code, 'MG110');
  assert.match(d!.message, /op reshape takes op, input, shape/);
});

test('a step the schema rejects leaves the other steps checked', async () => {
  const diags = await check(
    doc(
      'signature:\n  inputs: [{name: x, dtype: float32, shape: [batch, 1]}]\n  outputs: [{name: y, dtype: float32, shape: [batch, 2]}]\npreprocessing:\n  - op: standardize\n    mean: high\n    std: [1]\n  - op: minmax\n    min: 4\n    max: 1\n',
    ),
  );
  assert.deepEqual(
    diags.map((d) => d.code),
    ['MG105', 'MG120'],
    show(diags),
  );
});
