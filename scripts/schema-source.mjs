// Source of server/manifest/model.schema.json, written in JS so the schema can
// share fragments and carry comments. `npm run gen:schema` regenerates the JSON
// and the TypeScript types; a unit test fails when either is out of date.
const dur = (d) => ({
  type: 'string',
  pattern: '^[1-9][0-9]*(ms|s|m|h|d|w)$',
  description: d + ' A positive duration: a whole number followed by ms, s, m, h, d or w, e.g. `500ms`, `10s`, `90d`.',
});
const prob = (d) => ({ type: 'number', minimum: 0, maximum: 1, description: d });
const pathOrUri = (d) => ({
  type: 'string',
  minLength: 1,
  description: d + ' A path relative to this manifest, or a URI (s3://, gs://, https://…) that is recorded but not fetched.',
});
const dtype = {
  type: 'string',
  enum: ['float32', 'float64', 'float16', 'int8', 'int16', 'int32', 'int64', 'uint8', 'uint16', 'uint32', 'uint64', 'bool', 'string'],
  description: 'Element type of the tensor, as ONNX names it (float32 = ONNX FLOAT, int64 = ONNX INT64, …).',
};
const shape = {
  type: 'array',
  minItems: 0,
  maxItems: 8,
  items: {
    anyOf: [
      { type: 'integer', minimum: -1 },
      { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
    ],
  },
  description:
    'Dimensions of the tensor. A positive integer is a fixed size; a name such as `batch` or -1 is a symbolic (dynamic) axis, usually the batch axis.',
};
const tensor = (kind) => ({
  type: 'object',
  additionalProperties: false,
  required: ['name', 'dtype', 'shape'],
  description: `A named ${kind} tensor of the model.`,
  properties: {
    name: { type: 'string', minLength: 1, description: `Name of the ${kind} exactly as it appears in the ONNX graph.` },
    dtype,
    shape,
    ...(kind === 'input'
      ? {
          features: {
            type: 'array',
            items: { type: 'string', minLength: 1 },
            uniqueItems: true,
            description: 'Dataset columns that feed this input, in order. Their count must equal the product of the non-batch dimensions of `shape`.',
          },
        }
      : {}),
    description: { type: 'string', description: 'What this tensor holds.' },
  },
});
const metricName = {
  type: 'string',
  enum: ['accuracy', 'precision', 'recall', 'f1', 'roc_auc', 'log_loss', 'ece', 'mae', 'rmse', 'r2', 'mape'],
  description:
    'Metric to compute on the validation data. Classification: accuracy, precision, recall, f1, roc_auc, log_loss, ece (expected calibration error). Regression: mae, rmse, r2, mape.',
};
const slice = {
  type: 'object',
  additionalProperties: false,
  required: ['column'],
  description: 'Restricts the gate to the validation rows of one slice: rows whose `column` equals `equals`, or lies within [`min`, `max`].',
  properties: {
    column: { type: 'string', minLength: 1, description: 'Dataset column that defines the slice.' },
    equals: { type: ['string', 'number', 'boolean'], description: 'Keep rows whose column equals this value.' },
    min: { type: 'number', description: 'Keep rows whose column is at least this value.' },
    max: { type: 'number', description: 'Keep rows whose column is at most this value.' },
    name: { type: 'string', description: 'Label for the slice in reports.' },
  },
};
const driftMethod = {
  type: 'string',
  enum: ['auto', 'psi', 'ks', 'wasserstein', 'chisquare', 'jensenshannon'],
  description:
    'Drift test. `auto` chooses by sample size and type as Evidently does: up to 1000 reference rows, Kolmogorov–Smirnov (numeric) or chi-square (categorical) at 0.95 confidence; more rows, normalised Wasserstein distance (numeric) or Jensen–Shannon distance (categorical) with threshold 0.1. `psi` is the population stability index on reference-quantile bins.',
};
// A pre- or postprocessing step: one subschema per `op`, told apart by
// ajv's discriminator, so a step gets only the errors of its own op and the
// generated types are a union discriminated on `op`.
const step = (title, op, what, target, params) => ({
  title,
  type: 'object',
  additionalProperties: false,
  required: ['op', ...Object.keys(params)],
  description: `\`${op}\`: ${what}`,
  properties: {
    op: { const: op, description: `\`${op}\`: ${what}` },
    [target]: { type: 'string', description: `Name of the model ${target} the step applies to (default: the first ${target}).` },
    ...params,
  },
});
const steps = (description, oneOf) => ({ type: 'object', required: ['op'], description, discriminator: { propertyName: 'op' }, oneOf });
const schema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://modelgate.dev/schemas/model.v1.json',
  title: 'ModelGate model manifest (model.yaml), v1',
  description:
    'Describes one version of an ONNX model: what it is, how to feed it, which data it was trained and is validated on, and the gates (metrics, latency SLOs, staleness) it must pass before it is published.',
  type: 'object',
  additionalProperties: false,
  required: ['apiVersion', 'kind', 'metadata', 'model'],
  properties: {
    apiVersion: { const: 'modelgate/v1', description: 'Manifest format version. Always `modelgate/v1` for this schema.' },
    kind: { const: 'Model', description: 'Resource kind. Always `Model`.' },
    metadata: {
      type: 'object',
      additionalProperties: false,
      required: ['name', 'version'],
      description: 'Identity of the model version.',
      properties: {
        name: {
          type: 'string',
          pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
          maxLength: 63,
          description:
            'Model name, DNS-safe (lowercase letters, digits and `-`, starting and ending with a letter or digit, at most 63 characters) so it can be a URL path segment, a Kubernetes name and an OCI repository name.',
        },
        version: {
          type: 'string',
          pattern:
            '^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?$',
          description: 'Semantic version of this model (MAJOR.MINOR.PATCH, e.g. `1.2.0`). Used as the OCI tag and to order versions when serving.',
        },
        description: { type: 'string', description: 'What the model does, for people browsing the registry.' },
        owner: { type: 'string', description: 'Team or person responsible for the model (a name or an e-mail address).' },
        license: {
          type: 'string',
          minLength: 1,
          description:
            'License of the model as an SPDX expression (e.g. `Apache-2.0`, `MIT OR CC-BY-4.0`); published in the ModelPack config as `descriptor.licenses`.',
          examples: ['Apache-2.0'],
        },
        tags: { type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true, description: 'Free-form tags for search and grouping.' },
        type: {
          type: 'string',
          enum: ['lean', 'mega'],
          default: 'lean',
          description: '`lean`: a small model that serves on shared CPU nodes; `mega`: a large model that needs dedicated resources.',
        },
      },
    },
    model: {
      type: 'object',
      additionalProperties: false,
      required: ['artifact', 'task'],
      description: 'The model artifact and what it predicts.',
      properties: {
        framework: { type: 'string', enum: ['onnx'], default: 'onnx', description: 'Runtime format of the artifact. ModelGate serves ONNX with onnxruntime.' },
        frameworkVersion: { type: 'string', description: 'Version of the framework the artifact targets (e.g. the ONNX release `1.17` or opset `17`).' },
        artifact: { type: 'string', minLength: 1, description: 'Path of the `.onnx` file, relative to this manifest.' },
        task: {
          type: 'string',
          enum: ['classification', 'regression'],
          description: '`classification`: the output holds one score per class; `regression`: the output holds a number per row.',
        },
        classLabels: {
          type: 'array',
          items: { type: 'string', minLength: 1 },
          uniqueItems: true,
          minItems: 2,
          description: "Class names in the order of the classifier's output columns. Their count must equal the output width.",
        },
        sourceFramework: {
          type: 'string',
          enum: ['pytorch', 'tensorflow', 'keras', 'sklearn', 'xgboost', 'lightgbm', 'catboost', 'other'],
          description: 'Framework the model was trained in before export to ONNX.',
        },
        trainedAt: {
          type: 'string',
          format: 'date-time',
          description: 'When training finished (ISO 8601, e.g. `2026-11-01T12:00:00Z`). Model age for the staleness gate is measured from here.',
        },
        size: { type: 'string', description: 'Informational size of the model (e.g. `1.2 MB`, `7B parameters`).' },
      },
    },
    signature: {
      type: 'object',
      additionalProperties: false,
      required: ['inputs', 'outputs'],
      description: 'Named inputs and outputs of the model, checked against the ONNX file. The quick fix "Fill signature from model" writes this section.',
      properties: {
        inputs: { type: 'array', minItems: 1, items: tensor('input'), description: 'Model inputs.' },
        outputs: { type: 'array', minItems: 1, items: tensor('output'), description: 'Model outputs.' },
      },
    },
    preprocessing: {
      type: 'array',
      description: 'Steps applied, in order, to an input before the model runs (in serving and in bulk scoring).',
      items: steps('One preprocessing step; `op` says which, and each op has its own fields.', [
        step('StandardizeStep', 'standardize', '(x − mean) / std per feature.', 'input', {
          mean: { type: 'array', items: { type: 'number' }, description: 'Mean per feature, in feature order.', examples: [[14.1, 19.3]] },
          std: {
            type: 'array',
            items: { type: 'number', exclusiveMinimum: 0 },
            description: 'Standard deviation per feature, in feature order (all > 0).',
            examples: [[3.5, 4.3]],
          },
        }),
        step('MinmaxStep', 'minmax', '(x − min) / (max − min).', 'input', {
          min: {
            anyOf: [{ type: 'number' }, { type: 'array', items: { type: 'number' } }],
            description: 'Minimum, one number for every feature or one per feature.',
            examples: [0],
          },
          max: {
            anyOf: [{ type: 'number' }, { type: 'array', items: { type: 'number' } }],
            description: 'Maximum, one number for every feature or one per feature (above min).',
            examples: [16],
          },
        }),
        step('OnehotStep', 'onehot', 'expand one categorical column into one column per category.', 'input', {
          column: { type: 'string', description: "The categorical column to expand: one of the input's `features`.", examples: ['color'] },
          categories: {
            type: 'array',
            items: { type: ['string', 'number'] },
            minItems: 1,
            description: 'The categories, in output order.',
            examples: [['red', 'green', 'blue']],
          },
        }),
        step('ReshapeStep', 'reshape', 'reshape each row to `shape` (without the batch axis).', 'input', {
          shape: {
            type: 'array',
            items: { type: 'integer', minimum: 1 },
            minItems: 1,
            description: 'Target shape of one row, without the batch axis.',
            examples: [[1, 8, 8]],
          },
        }),
      ]),
    },
    postprocessing: {
      type: 'array',
      description: 'Steps applied, in order, to an output after the model runs. Raw outputs stay available.',
      items: steps('One postprocessing step; `op` says which, and each op has its own fields.', [
        step('SoftmaxStep', 'softmax', 'turn scores into probabilities.', 'output', {}),
        step('ArgmaxStep', 'argmax', 'the most likely class, named by `model.classLabels`.', 'output', {}),
        step('TopkStep', 'topk', 'the `k` most likely classes with their scores.', 'output', {
          k: { type: 'integer', minimum: 1, description: 'Number of classes to return.', examples: [3] },
        }),
      ]),
    },
    data: {
      type: 'object',
      additionalProperties: false,
      description: 'Datasets (CSV with a header row) used to validate, test and monitor the model.',
      properties: {
        labelColumn: { type: 'string', minLength: 1, description: 'Column holding the true label or target, for every dataset that does not set its own.' },
        training: {
          type: 'array',
          description: 'Datasets the model was trained on.',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['path'],
            description: 'A training dataset.',
            properties: {
              path: pathOrUri('Location of the training data.'),
              window: {
                type: 'object',
                additionalProperties: false,
                required: ['start', 'end'],
                description: 'Time span the training data covers. Data age for the staleness gate is measured from `end`.',
                properties: {
                  start: { type: 'string', format: 'date-or-date-time', description: 'First timestamp covered (ISO 8601 date or date-time).' },
                  end: {
                    type: 'string',
                    format: 'date-or-date-time',
                    description: 'Last timestamp covered (ISO 8601 date or date-time). Must not be after `model.trainedAt`.',
                  },
                },
              },
              rows: { type: 'integer', minimum: 0, description: 'Number of rows, for the record.' },
            },
          },
        },
        labelFrequencies: {
          type: 'object',
          additionalProperties: prob('Share of this class.'),
          description: 'Share of each class label in the training data, one entry per `model.classLabels`, summing to 1. Baseline for prediction drift.',
        },
        validation: {
          type: 'array',
          description: 'Labelled held-out datasets the metric gates are computed on.',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['path'],
            description: 'A validation dataset.',
            properties: {
              path: pathOrUri('Location of the validation data.'),
              labelColumn: { type: 'string', minLength: 1, description: 'Column holding the true label (default: `data.labelColumn`).' },
            },
          },
        },
        reference: pathOrUri('Reference data for drift detection, usually a sample of the training data.'),
        current: pathOrUri('Current (recent, production-like) data compared with the reference data for drift.'),
        maxDroppedShare: {
          ...prob(
            "Largest share of a dataset's rows the tests may leave out: rows where a model feature is empty, marked missing (`n/a`, `NaN`, …) or not a number, and validation rows whose label is no class (or, for regression, no number). Every dataset a gate uses gets a gate `<suite>.data.<role>.droppedShare` (e.g. `metrics.data.validation.droppedShare`) that fails above this share and names the first dropped rows. Default 0.01: a stray row or two pass, a broken column does not.",
          ),
          default: 0.01,
        },
        minRows: {
          type: 'integer',
          minimum: 1,
          default: 30,
          description:
            "Fewest usable rows a metric gate may be computed on (the validation rows left after dropped rows, or the rows of the gate's slice); a gate on fewer rows fails. Default 30: below about 30 rows the sampling error swamps the thresholds people set (an accuracy of 0.9 measured on 30 rows has a 95 % interval of about ±0.11), and the normal approximation behind such intervals stops holding.",
        },
      },
    },
    gates: {
      type: 'object',
      additionalProperties: false,
      description: 'Quality gates on the validation data. A model is published only if every gate passes.',
      properties: {
        metrics: {
          type: 'array',
          description: 'Metric thresholds.',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['metric'],
            anyOf: [{ required: ['min'] }, { required: ['max'] }],
            description: 'A gate on one metric: the measured value must be ≥ `min` and/or ≤ `max`.',
            properties: {
              metric: metricName,
              min: { type: 'number', description: 'Lowest acceptable value.' },
              max: { type: 'number', description: 'Highest acceptable value.' },
              average: {
                type: 'string',
                enum: ['macro', 'weighted', 'micro', 'binary'],
                description:
                  'How per-class precision, recall and F1 are averaged (default `macro`; `binary` uses the positive class, the last of `classLabels`).',
              },
              class: { type: 'string', description: 'Compute the metric for this one class label only.' },
              slice,
            },
          },
        },
        maxRegression: {
          type: 'array',
          description: 'Champion/challenger rules: how much worse than the previous version a metric may get.',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['metric'],
            description: 'A regression rule on one metric, compared with the previous version (the baseline).',
            properties: {
              metric: metricName,
              maxAbsoluteDrop: { type: 'number', minimum: 0, description: 'Largest allowed worsening in absolute terms (e.g. 0.01 = one accuracy point).' },
              maxRelativeDrop: prob('Largest allowed worsening relative to the baseline value (0.02 = 2 %).'),
            },
          },
        },
        skewTolerance: {
          type: 'number',
          exclusiveMinimum: 0,
          default: 0.0001,
          description: 'Largest allowed absolute difference between served and in-process predictions (training-serving skew).',
        },
      },
    },
    serving: {
      type: 'object',
      additionalProperties: false,
      description: 'How the model is served.',
      properties: {
        batching: {
          type: 'object',
          additionalProperties: false,
          description:
            'Adaptive batching: concurrent requests are merged into one inference, released as soon as the server is idle — a lone request never waits for a timer.',
          properties: {
            enabled: { type: 'boolean', default: true, description: 'Merge concurrent requests into one inference.' },
            maxBatchSize: { type: 'integer', minimum: 1, maximum: 4096, default: 32, description: 'Most rows in one inference.' },
            maxDelayMs: {
              type: 'number',
              minimum: 0,
              maximum: 1000,
              default: 2,
              description: 'Upper bound, in milliseconds, on how long a request may wait in the queue for others to join its batch.',
            },
          },
        },
        threads: {
          type: 'integer',
          minimum: 1,
          maximum: 256,
          default: 1,
          description:
            'onnxruntime intra-op threads per worker (or for the inline session). 1 is fastest on small machines: extra spinning threads compete with the other workers and the HTTP event loop.',
        },
        workers: {
          anyOf: [
            { type: 'integer', minimum: 1, maximum: 64 },
            { type: 'string', enum: ['auto', 'inline'] },
          ],
          default: 'auto',
          description:
            "Model instances in `modelgate serve`, each a worker thread with its own onnxruntime session, so inference never blocks HTTP, health checks or other models. `inline`: run on the server's main thread (for models whose batch runs in microseconds). `auto`: inline when one full batch takes under 2 ms at load, otherwise one worker per `threads` cores (see docs/serving.md).",
          examples: ['auto', 2, 'inline'],
        },
        hardware: {
          type: 'string',
          enum: ['cpu', 'gpu', 'any'],
          default: 'cpu',
          description: 'Preferred hardware. `gpu` needs the CUDA build of onnxruntime-node (opt-in); `any` uses a GPU when one is available.',
        },
        instances: {
          type: 'integer',
          minimum: 1,
          maximum: 1024,
          default: 1,
          description: 'Number of serving replicas (pods) when deployed to a cluster; `workers` sets the model instances inside one server.',
        },
        labels: {
          type: 'array',
          items: { type: 'string', pattern: '^[a-z][a-z0-9-]*$' },
          uniqueItems: true,
          description: 'Version labels (e.g. `stable`, `canary`) that point at this version when it is served.',
        },
        maxInstancesPerRequest: { type: 'integer', minimum: 1, default: 1024, description: 'Most rows accepted in one request.' },
        queue: {
          type: 'object',
          additionalProperties: false,
          description:
            "Queue-fed serving (docs/queue.md): `modelgate serve` also consumes this model's Redis stream `modelgate:{name}:requests` in the consumer group `modelgate`, and `modelgate score --queue` sends its rows there. `--queue` on the command line overrides `url`.",
          properties: {
            url: {
              type: 'string',
              pattern: '^rediss?://',
              description:
                'Redis URL: `redis://host:port[/db]`, `rediss://` for TLS. Keep the password out of the manifest: write `redis://user@host:port` and set MODELGATE_REDIS_PASSWORD.',
              examples: ['redis://127.0.0.1:6379', 'rediss://modelgate@redis.internal:6380/1'],
            },
            readCount: {
              type: 'integer',
              minimum: 1,
              maximum: 1000,
              default: 32,
              description: 'Requests a node reads from the stream at once (XREADGROUP COUNT).',
            },
            maxInflight: {
              type: 'integer',
              minimum: 1,
              maximum: 100000,
              default: 128,
              description: 'Requests a node holds read but not yet answered; it reads no more until some are answered.',
            },
            claimIdleMs: {
              type: 'integer',
              minimum: 100,
              maximum: 86400000,
              default: 30000,
              description:
                'A request read by a node and not answered for this long is claimed by another (XAUTOCLAIM): the node is taken to be dead. Keep it well above the time one request takes.',
            },
            maxDeliveries: {
              type: 'integer',
              minimum: 1,
              maximum: 1000,
              default: 5,
              description:
                'Deliveries after which an unanswered request goes to the dead-letter stream `modelgate:{name}:dead` with the reason, instead of being claimed again. Requests read together with one that crashes a node are delivered again too, so keep it above 2.',
            },
            maxLength: {
              type: 'integer',
              minimum: 100,
              maximum: 100000000,
              default: 100000,
              description:
                'Most requests waiting in the stream (XADD MAXLEN ~). A client waits while the stream is 90% full (the rest is headroom for clients adding at once, so no unanswered request is trimmed), and fails with MG365 when it stays so longer than its timeout.',
            },
          },
        },
        nonFinite: {
          type: 'string',
          enum: ['reject', 'pass'],
          default: 'reject',
          description:
            'A NaN or Infinity in a request (TF Serving clients may send the bare tokens): `reject` answers 400 (MG312) naming the feature and the value; `pass` hands it to the model, for models that treat NaN as a missing value (tree ensembles exported by skl2onnx, XGBoost, LightGBM). Integer inputs and one-hot columns never take one.',
        },
      },
    },
    slo: {
      type: 'object',
      additionalProperties: false,
      description: 'Service level objectives checked by the stress test.',
      properties: {
        p99Ms: { type: 'number', exclusiveMinimum: 0, description: '99th percentile latency limit in milliseconds, at the `rps` load.' },
        rps: { type: 'number', exclusiveMinimum: 0, description: 'Requests per second the model must sustain within `p99Ms`.' },
        errorRate: prob('Highest acceptable share of failed requests (0.001 = 0.1 %).'),
        concurrency: {
          type: 'array',
          items: { type: 'integer', minimum: 1, maximum: 1024 },
          minItems: 1,
          uniqueItems: true,
          default: [1, 4, 16, 64],
          description: 'Connection counts of the concurrency sweep.',
        },
        duration: dur('How long each point of the sweep runs.'),
      },
    },
    staleness: {
      type: 'object',
      additionalProperties: false,
      description: 'How old the model and its data may be, and how far current data may drift from the reference data.',
      properties: {
        maxModelAge: dur('Largest allowed time since `model.trainedAt`.'),
        maxDataAge: dur('Largest allowed time since the end of the newest training window.'),
        drift: {
          type: 'object',
          additionalProperties: false,
          description: 'Feature and prediction drift between `data.reference` and `data.current`.',
          properties: {
            method: driftMethod,
            threshold: {
              type: 'number',
              exclusiveMinimum: 0,
              description:
                'Drift threshold for the chosen method: a p-value (ks, chisquare: drift when p < 1 − confidence, default 0.05) or a distance (psi default 0.2, wasserstein and jensenshannon default 0.1).',
            },
            maxDriftedShare: prob('Dataset-level gate: the largest share of features that may drift.'),
            multipleTesting: {
              type: 'string',
              enum: ['benjamini-hochberg', 'none'],
              default: 'benjamini-hochberg',
              description:
                'Correction for testing many features at once. `benjamini-hochberg` (default): the p-values of the features tested with ks or chisquare are adjusted together, so the threshold bounds the expected share of false alarms among the features marked drifted (the false-discovery rate) — without it, 5% of features that did not change are marked drifted at p < 0.05. `none`: each feature is judged on its own p-value.',
            },
            inputs: {
              type: 'object',
              description: 'Per-input drift settings, keyed by the input name in `signature.inputs`.',
              additionalProperties: {
                type: 'object',
                additionalProperties: false,
                description: 'Drift settings for one model input.',
                properties: {
                  perFeature: {
                    type: 'boolean',
                    default: true,
                    description:
                      '`false` for inputs whose single features mean little on their own (image pixels, embedding dimensions): instead of one test per feature, the input is tested as a whole on three per-row summaries — mean, standard deviation, and distance to the reference centroid.',
                  },
                },
              },
            },
            features: {
              type: 'object',
              description: 'Per-feature overrides, keyed by column name.',
              additionalProperties: {
                type: 'object',
                additionalProperties: false,
                description: 'Drift settings for one feature.',
                properties: {
                  method: driftMethod,
                  threshold: { type: 'number', exclusiveMinimum: 0, description: 'Threshold for this feature.' },
                  ignore: { type: 'boolean', description: 'Leave this feature out of drift checks.' },
                },
              },
            },
            prediction: {
              type: 'object',
              additionalProperties: false,
              description:
                'Prediction drift: predicted-class distribution on current data against `data.labelFrequencies` and against predictions on the reference data (Jensen–Shannon distance).',
              properties: { threshold: prob('Largest allowed Jensen–Shannon distance (base 2, 0 to 1).') },
            },
          },
        },
      },
    },
    deploy: {
      type: 'object',
      additionalProperties: false,
      description: 'Where `modelgate deploy` publishes the model after every gate passed.',
      properties: {
        oci: {
          type: 'string',
          pattern: '^(oci://[^\\s]+|[^\\s:]+[^\\s]*)$',
          description: 'OCI registry reference (`oci://host[:port]/repo`) or a local OCI layout directory. Default: `.modelgate/registry` in the workspace.',
        },
        format: {
          type: 'string',
          enum: ['modelpack', 'modelgate'],
          default: 'modelpack',
          description:
            'Artifact format: `modelpack`, the CNCF ModelPack layout that KitOps, modctl, Docker model runner and Harbor read; `modelgate`, the earlier ModelGate-only media types. Both are pulled and served. Overridden by `--format`.',
        },
        kubernetes: {
          type: 'object',
          additionalProperties: false,
          description: 'A KServe InferenceService generated for the published artifact.',
          properties: {
            context: { type: 'string', description: 'kubeconfig context (default: the current context).' },
            namespace: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', description: "Kubernetes namespace (default: the context's namespace)." },
            mode: {
              type: 'string',
              enum: ['serverless', 'raw'],
              default: 'serverless',
              description: 'KServe deployment mode. Canary traffic splitting works only in `serverless` mode.',
            },
            canaryPercent: {
              type: 'integer',
              minimum: 0,
              maximum: 100,
              description: 'Share of traffic, in percent, sent to the new version while the previous one keeps the rest.',
            },
          },
        },
        remote: {
          type: 'string',
          pattern: '^https?://',
          description: 'URL of a remote ModelGate node (`modelgate serve --admin-token-file`) to hot-deploy to.',
        },
        canaryPercent: { type: 'integer', minimum: 0, maximum: 100, description: 'Canary share, in percent, for a remote node deployment.' },
      },
    },
    cost: {
      type: 'object',
      additionalProperties: false,
      description: 'Serving cost, used to report cost per million predictions.',
      properties: { perHour: { type: 'number', minimum: 0, description: 'US dollars per hour for one serving instance.' } },
    },
  },
};
import { writeFileSync } from 'node:fs';
writeFileSync(process.argv[2], JSON.stringify(schema, null, 2) + '\n');
