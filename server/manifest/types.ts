// Generated from model.schema.json by `npm run gen:schema`. Do not edit.

/**
 * Describes one version of an ONNX model: what it is, how to feed it, which data it was trained and is validated on, and the gates (metrics, latency SLOs, staleness) it must pass before it is published.
 */
export interface ModelManifest {
  /**
   * Manifest format version. Always `modelgate/v1` for this schema.
   */
  apiVersion: 'modelgate/v1';
  /**
   * Resource kind. Always `Model`.
   */
  kind: 'Model';
  /**
   * Identity of the model version.
   */
  metadata: {
    /**
     * Model name, DNS-safe (lowercase letters, digits and `-`, starting and ending with a letter or digit, at most 63 characters) so it can be a URL path segment, a Kubernetes name and an OCI repository name.
     */
    name: string;
    /**
     * Semantic version of this model (MAJOR.MINOR.PATCH, e.g. `1.2.0`). Used as the OCI tag and to order versions when serving.
     */
    version: string;
    /**
     * What the model does, for people browsing the registry.
     */
    description?: string;
    /**
     * Team or person responsible for the model (a name or an e-mail address).
     */
    owner?: string;
    /**
     * License of the model as an SPDX expression (e.g. `Apache-2.0`, `MIT OR CC-BY-4.0`); published in the ModelPack config as `descriptor.licenses`.
     */
    license?: string;
    /**
     * Free-form tags for search and grouping.
     */
    tags?: string[];
    /**
     * `lean`: a small model that serves on shared CPU nodes; `mega`: a large model that needs dedicated resources.
     */
    type?: 'lean' | 'mega';
  };
  /**
   * The model artifact and what it predicts.
   */
  model: {
    /**
     * Runtime format of the artifact. ModelGate serves ONNX with onnxruntime.
     */
    framework?: 'onnx';
    /**
     * Version of the framework the artifact targets (e.g. the ONNX release `1.17` or opset `17`).
     */
    frameworkVersion?: string;
    /**
     * Path of the `.onnx` file, relative to this manifest.
     */
    artifact: string;
    /**
     * `classification`: the output holds one score per class; `regression`: the output holds a number per row.
     */
    task: 'classification' | 'regression';
    /**
     * Class names in the order of the classifier's output columns. Their count must equal the output width.
     *
     * @minItems 2
     */
    classLabels?: string[];
    /**
     * Framework the model was trained in before export to ONNX.
     */
    sourceFramework?: 'pytorch' | 'tensorflow' | 'keras' | 'sklearn' | 'xgboost' | 'lightgbm' | 'catboost' | 'other';
    /**
     * When training finished (ISO 8601, e.g. `2026-11-01T12:00:00Z`). Model age for the staleness gate is measured from here.
     */
    trainedAt?: string;
    /**
     * Informational size of the model (e.g. `1.2 MB`, `7B parameters`).
     */
    size?: string;
  };
  /**
   * Named inputs and outputs of the model, checked against the ONNX file. The quick fix "Fill signature from model" writes this section.
   */
  signature?: {
    /**
     * Model inputs.
     *
     * @minItems 1
     *
     * Items: A named input tensor of the model.
     */
    inputs: {
      /**
       * Name of the input exactly as it appears in the ONNX graph.
       */
      name: string;
      /**
       * Element type of the tensor, as ONNX names it (float32 = ONNX FLOAT, int64 = ONNX INT64, …).
       */
      dtype:
        | 'float32'
        | 'float64'
        | 'float16'
        | 'int8'
        | 'int16'
        | 'int32'
        | 'int64'
        | 'uint8'
        | 'uint16'
        | 'uint32'
        | 'uint64'
        | 'bool'
        | 'string';
      /**
       * Dimensions of the tensor. A positive integer is a fixed size; a name such as `batch` or -1 is a symbolic (dynamic) axis, usually the batch axis.
       *
       * @minItems 0
       * @maxItems 8
       */
      shape: (number | string)[];
      /**
       * Dataset columns that feed this input, in order. Their count must equal the product of the non-batch dimensions of `shape`.
       */
      features?: string[];
      /**
       * What this tensor holds.
       */
      description?: string;
    }[];
    /**
     * Model outputs.
     *
     * @minItems 1
     *
     * Items: A named output tensor of the model.
     */
    outputs: {
      /**
       * Name of the output exactly as it appears in the ONNX graph.
       */
      name: string;
      /**
       * Element type of the tensor, as ONNX names it (float32 = ONNX FLOAT, int64 = ONNX INT64, …).
       */
      dtype:
        | 'float32'
        | 'float64'
        | 'float16'
        | 'int8'
        | 'int16'
        | 'int32'
        | 'int64'
        | 'uint8'
        | 'uint16'
        | 'uint32'
        | 'uint64'
        | 'bool'
        | 'string';
      /**
       * Dimensions of the tensor. A positive integer is a fixed size; a name such as `batch` or -1 is a symbolic (dynamic) axis, usually the batch axis.
       *
       * @minItems 0
       * @maxItems 8
       */
      shape: (number | string)[];
      /**
       * What this tensor holds.
       */
      description?: string;
    }[];
  };
  /**
   * Steps applied, in order, to an input before the model runs (in serving and in bulk scoring).
   *
   * Items: One preprocessing step; `op` says which, and each op has its own fields.
   */
  preprocessing?: (StandardizeStep | MinmaxStep | OnehotStep | ReshapeStep)[];
  /**
   * Steps applied, in order, to an output after the model runs. Raw outputs stay available.
   *
   * Items: One postprocessing step; `op` says which, and each op has its own fields.
   */
  postprocessing?: (SoftmaxStep | ArgmaxStep | TopkStep)[];
  /**
   * Datasets (CSV with a header row) used to validate, test and monitor the model.
   */
  data?: {
    /**
     * Column holding the true label or target, for every dataset that does not set its own.
     */
    labelColumn?: string;
    /**
     * Datasets the model was trained on.
     *
     * Items: A training dataset.
     */
    training?: {
      /**
       * Location of the training data. A path relative to this manifest, or a URI (s3://, gs://, https://…) that is recorded but not fetched.
       */
      path: string;
      /**
       * Time span the training data covers. Data age for the staleness gate is measured from `end`.
       */
      window?: {
        /**
         * First timestamp covered (ISO 8601 date or date-time).
         */
        start: string;
        /**
         * Last timestamp covered (ISO 8601 date or date-time). Must not be after `model.trainedAt`.
         */
        end: string;
      };
      /**
       * Number of rows, for the record.
       */
      rows?: number;
    }[];
    /**
     * Share of each class label in the training data, one entry per `model.classLabels`, summing to 1. Baseline for prediction drift.
     */
    labelFrequencies?: {
      /**
       * Share of this class.
       */
      [k: string]: number;
    };
    /**
     * Labelled held-out datasets the metric gates are computed on.
     *
     * Items: A validation dataset.
     */
    validation?: {
      /**
       * Location of the validation data. A path relative to this manifest, or a URI (s3://, gs://, https://…) that is recorded but not fetched.
       */
      path: string;
      /**
       * Column holding the true label (default: `data.labelColumn`).
       */
      labelColumn?: string;
    }[];
    /**
     * Reference data for drift detection, usually a sample of the training data. A path relative to this manifest, or a URI (s3://, gs://, https://…) that is recorded but not fetched.
     */
    reference?: string;
    /**
     * Current (recent, production-like) data compared with the reference data for drift. A path relative to this manifest, or a URI (s3://, gs://, https://…) that is recorded but not fetched.
     */
    current?: string;
    /**
     * Largest share of a dataset's rows the tests may leave out: rows where a model feature is empty, marked missing (`n/a`, `NaN`, …) or not a number, and validation rows whose label is no class (or, for regression, no number). Every dataset a gate uses gets a gate `<suite>.data.<role>.droppedShare` (e.g. `metrics.data.validation.droppedShare`) that fails above this share and names the first dropped rows. Default 0.01: a stray row or two pass, a broken column does not.
     */
    maxDroppedShare?: number;
    /**
     * Fewest usable rows a metric gate may be computed on (the validation rows left after dropped rows, or the rows of the gate's slice); a gate on fewer rows fails. Default 30: below about 30 rows the sampling error swamps the thresholds people set (an accuracy of 0.9 measured on 30 rows has a 95 % interval of about ±0.11), and the normal approximation behind such intervals stops holding.
     */
    minRows?: number;
  };
  /**
   * Quality gates on the validation data. A model is published only if every gate passes.
   */
  gates?: {
    /**
     * Metric thresholds.
     *
     * Items: A gate on one metric: the measured value must be ≥ `min` and/or ≤ `max`.
     */
    metrics?: ({
      [k: string]: unknown;
    } & {
      /**
       * Metric to compute on the validation data. Classification: accuracy, precision, recall, f1, roc_auc, log_loss, ece (expected calibration error). Regression: mae, rmse, r2, mape.
       */
      metric:
        'accuracy' | 'precision' | 'recall' | 'f1' | 'roc_auc' | 'log_loss' | 'ece' | 'mae' | 'rmse' | 'r2' | 'mape';
      /**
       * Lowest acceptable value.
       */
      min?: number;
      /**
       * Highest acceptable value.
       */
      max?: number;
      /**
       * How per-class precision, recall and F1 are averaged (default `macro`; `binary` uses the positive class, the last of `classLabels`).
       */
      average?: 'macro' | 'weighted' | 'micro' | 'binary';
      /**
       * Compute the metric for this one class label only.
       */
      class?: string;
      /**
       * Restricts the gate to the validation rows of one slice: rows whose `column` equals `equals`, or lies within [`min`, `max`].
       */
      slice?: {
        /**
         * Dataset column that defines the slice.
         */
        column: string;
        /**
         * Keep rows whose column equals this value.
         */
        equals?: string | number | boolean;
        /**
         * Keep rows whose column is at least this value.
         */
        min?: number;
        /**
         * Keep rows whose column is at most this value.
         */
        max?: number;
        /**
         * Label for the slice in reports.
         */
        name?: string;
      };
    })[];
    /**
     * Champion/challenger rules: how much worse than the previous version a metric may get.
     *
     * Items: A regression rule on one metric, compared with the previous version (the baseline).
     */
    maxRegression?: {
      /**
       * Metric to compute on the validation data. Classification: accuracy, precision, recall, f1, roc_auc, log_loss, ece (expected calibration error). Regression: mae, rmse, r2, mape.
       */
      metric:
        'accuracy' | 'precision' | 'recall' | 'f1' | 'roc_auc' | 'log_loss' | 'ece' | 'mae' | 'rmse' | 'r2' | 'mape';
      /**
       * Largest allowed worsening in absolute terms (e.g. 0.01 = one accuracy point).
       */
      maxAbsoluteDrop?: number;
      /**
       * Largest allowed worsening relative to the baseline value (0.02 = 2 %).
       */
      maxRelativeDrop?: number;
    }[];
    /**
     * Largest allowed absolute difference between served and in-process predictions (training-serving skew).
     */
    skewTolerance?: number;
  };
  /**
   * How the model is served.
   */
  serving?: {
    /**
     * Adaptive batching: concurrent requests are merged into one inference, released as soon as the server is idle — a lone request never waits for a timer.
     */
    batching?: {
      /**
       * Merge concurrent requests into one inference.
       */
      enabled?: boolean;
      /**
       * Most rows in one inference.
       */
      maxBatchSize?: number;
      /**
       * Upper bound, in milliseconds, on how long a request may wait in the queue for others to join its batch.
       */
      maxDelayMs?: number;
    };
    /**
     * onnxruntime intra-op threads per worker (or for the inline session). 1 is fastest on small machines: extra spinning threads compete with the other workers and the HTTP event loop.
     */
    threads?: number;
    /**
     * Model instances in `modelgate serve`, each a worker thread with its own onnxruntime session, so inference never blocks HTTP, health checks or other models. `inline`: run on the server's main thread (for models whose batch runs in microseconds). `auto`: inline when one full batch takes under 2 ms at load, otherwise one worker per `threads` cores (see docs/serving.md).
     */
    workers?: number | ('auto' | 'inline');
    /**
     * Preferred hardware. `gpu` needs the CUDA build of onnxruntime-node (opt-in); `any` uses a GPU when one is available.
     */
    hardware?: 'cpu' | 'gpu' | 'any';
    /**
     * Number of serving replicas (pods) when deployed to a cluster; `workers` sets the model instances inside one server.
     */
    instances?: number;
    /**
     * Version labels (e.g. `stable`, `canary`) that point at this version when it is served.
     */
    labels?: string[];
    /**
     * Most rows accepted in one request.
     */
    maxInstancesPerRequest?: number;
    /**
     * Queue-fed serving (docs/queue.md): `modelgate serve` also consumes this model's Redis stream `modelgate:{name}:requests` in the consumer group `modelgate`, and `modelgate score --queue` sends its rows there. `--queue` on the command line overrides `url`.
     */
    queue?: {
      /**
       * Redis URL: `redis://host:port[/db]`, `rediss://` for TLS. Keep the password out of the manifest: write `redis://user@host:port` and set MODELGATE_REDIS_PASSWORD.
       */
      url?: string;
      /**
       * Requests a node reads from the stream at once (XREADGROUP COUNT).
       */
      readCount?: number;
      /**
       * Requests a node holds read but not yet answered; it reads no more until some are answered.
       */
      maxInflight?: number;
      /**
       * A request read by a node and not answered for this long is claimed by another (XAUTOCLAIM): the node is taken to be dead. Keep it well above the time one request takes.
       */
      claimIdleMs?: number;
      /**
       * Deliveries after which an unanswered request goes to the dead-letter stream `modelgate:{name}:dead` with the reason, instead of being claimed again. Requests read together with one that crashes a node are delivered again too, so keep it above 2.
       */
      maxDeliveries?: number;
      /**
       * Most requests waiting in the stream (XADD MAXLEN ~). A client waits while the stream is 90% full (the rest is headroom for clients adding at once, so no unanswered request is trimmed), and fails with MG365 when it stays so longer than its timeout.
       */
      maxLength?: number;
    };
    /**
     * A NaN or Infinity in a request (TF Serving clients may send the bare tokens): `reject` answers 400 (MG312) naming the feature and the value; `pass` hands it to the model, for models that treat NaN as a missing value (tree ensembles exported by skl2onnx, XGBoost, LightGBM). Integer inputs and one-hot columns never take one.
     */
    nonFinite?: 'reject' | 'pass';
  };
  /**
   * Service level objectives checked by the stress test.
   */
  slo?: {
    /**
     * 99th percentile latency limit in milliseconds, at the `rps` load.
     */
    p99Ms?: number;
    /**
     * Requests per second the model must sustain within `p99Ms`.
     */
    rps?: number;
    /**
     * Highest acceptable share of failed requests (0.001 = 0.1 %).
     */
    errorRate?: number;
    /**
     * Connection counts of the concurrency sweep.
     *
     * @minItems 1
     */
    concurrency?: number[];
    /**
     * How long each point of the sweep runs. A positive duration: a whole number followed by ms, s, m, h, d or w, e.g. `500ms`, `10s`, `90d`.
     */
    duration?: string;
  };
  /**
   * How old the model and its data may be, and how far current data may drift from the reference data.
   */
  staleness?: {
    /**
     * Largest allowed time since `model.trainedAt`. A positive duration: a whole number followed by ms, s, m, h, d or w, e.g. `500ms`, `10s`, `90d`.
     */
    maxModelAge?: string;
    /**
     * Largest allowed time since the end of the newest training window. A positive duration: a whole number followed by ms, s, m, h, d or w, e.g. `500ms`, `10s`, `90d`.
     */
    maxDataAge?: string;
    /**
     * Feature and prediction drift between `data.reference` and `data.current`.
     */
    drift?: {
      /**
       * Drift test. `auto` chooses by sample size and type as Evidently does: up to 1000 reference rows, Kolmogorov–Smirnov (numeric) or chi-square (categorical) at 0.95 confidence; more rows, normalised Wasserstein distance (numeric) or Jensen–Shannon distance (categorical) with threshold 0.1. `psi` is the population stability index on reference-quantile bins.
       */
      method?: 'auto' | 'psi' | 'ks' | 'wasserstein' | 'chisquare' | 'jensenshannon';
      /**
       * Drift threshold for the chosen method: a p-value (ks, chisquare: drift when p < 1 − confidence, default 0.05) or a distance (psi default 0.2, wasserstein and jensenshannon default 0.1).
       */
      threshold?: number;
      /**
       * Dataset-level gate: the largest share of features that may drift.
       */
      maxDriftedShare?: number;
      /**
       * Correction for testing many features at once. `benjamini-hochberg` (default): the p-values of the features tested with ks or chisquare are adjusted together, so the threshold bounds the expected share of false alarms among the features marked drifted (the false-discovery rate) — without it, 5% of features that did not change are marked drifted at p < 0.05. `none`: each feature is judged on its own p-value.
       */
      multipleTesting?: 'benjamini-hochberg' | 'none';
      /**
       * Per-input drift settings, keyed by the input name in `signature.inputs`.
       */
      inputs?: {
        /**
         * Drift settings for one model input.
         */
        [k: string]: {
          /**
           * `false` for inputs whose single features mean little on their own (image pixels, embedding dimensions): instead of one test per feature, the input is tested as a whole on three per-row summaries — mean, standard deviation, and distance to the reference centroid.
           */
          perFeature?: boolean;
        };
      };
      /**
       * Per-feature overrides, keyed by column name.
       */
      features?: {
        /**
         * Drift settings for one feature.
         */
        [k: string]: {
          /**
           * Drift test. `auto` chooses by sample size and type as Evidently does: up to 1000 reference rows, Kolmogorov–Smirnov (numeric) or chi-square (categorical) at 0.95 confidence; more rows, normalised Wasserstein distance (numeric) or Jensen–Shannon distance (categorical) with threshold 0.1. `psi` is the population stability index on reference-quantile bins.
           */
          method?: 'auto' | 'psi' | 'ks' | 'wasserstein' | 'chisquare' | 'jensenshannon';
          /**
           * Threshold for this feature.
           */
          threshold?: number;
          /**
           * Leave this feature out of drift checks.
           */
          ignore?: boolean;
        };
      };
      /**
       * Prediction drift: predicted-class distribution on current data against `data.labelFrequencies` and against predictions on the reference data (Jensen–Shannon distance).
       */
      prediction?: {
        /**
         * Largest allowed Jensen–Shannon distance (base 2, 0 to 1).
         */
        threshold?: number;
      };
    };
  };
  /**
   * Where `modelgate deploy` publishes the model after every gate passed.
   */
  deploy?: {
    /**
     * OCI registry reference (`oci://host[:port]/repo`) or a local OCI layout directory. Default: `.modelgate/registry` in the workspace.
     */
    oci?: string;
    /**
     * Artifact format: `modelpack`, the CNCF ModelPack layout that KitOps, modctl, Docker model runner and Harbor read; `modelgate`, the earlier ModelGate-only media types. Both are pulled and served. Overridden by `--format`.
     */
    format?: 'modelpack' | 'modelgate';
    /**
     * A KServe InferenceService generated for the published artifact.
     */
    kubernetes?: {
      /**
       * kubeconfig context (default: the current context).
       */
      context?: string;
      /**
       * Kubernetes namespace (default: the context's namespace).
       */
      namespace?: string;
      /**
       * KServe deployment mode. Canary traffic splitting works only in `serverless` mode.
       */
      mode?: 'serverless' | 'raw';
      /**
       * Share of traffic, in percent, sent to the new version while the previous one keeps the rest.
       */
      canaryPercent?: number;
    };
    /**
     * URL of a remote ModelGate node (`modelgate serve --admin-token-file`) to hot-deploy to.
     */
    remote?: string;
    /**
     * Canary share, in percent, for a remote node deployment.
     */
    canaryPercent?: number;
  };
  /**
   * Serving cost, used to report cost per million predictions.
   */
  cost?: {
    /**
     * US dollars per hour for one serving instance.
     */
    perHour?: number;
  };
}
/**
 * `standardize`: (x − mean) / std per feature.
 */
export interface StandardizeStep {
  /**
   * `standardize`: (x − mean) / std per feature.
   */
  op: 'standardize';
  /**
   * Name of the model input the step applies to (default: the first input).
   */
  input?: string;
  /**
   * Mean per feature, in feature order.
   */
  mean: number[];
  /**
   * Standard deviation per feature, in feature order (all > 0).
   */
  std: number[];
}
/**
 * `minmax`: (x − min) / (max − min).
 */
export interface MinmaxStep {
  /**
   * `minmax`: (x − min) / (max − min).
   */
  op: 'minmax';
  /**
   * Name of the model input the step applies to (default: the first input).
   */
  input?: string;
  /**
   * Minimum, one number for every feature or one per feature.
   */
  min: number | number[];
  /**
   * Maximum, one number for every feature or one per feature (above min).
   */
  max: number | number[];
}
/**
 * `onehot`: expand one categorical column into one column per category.
 */
export interface OnehotStep {
  /**
   * `onehot`: expand one categorical column into one column per category.
   */
  op: 'onehot';
  /**
   * Name of the model input the step applies to (default: the first input).
   */
  input?: string;
  /**
   * The categorical column to expand: one of the input's `features`.
   */
  column: string;
  /**
   * The categories, in output order.
   *
   * @minItems 1
   */
  categories: (string | number)[];
}
/**
 * `reshape`: reshape each row to `shape` (without the batch axis).
 */
export interface ReshapeStep {
  /**
   * `reshape`: reshape each row to `shape` (without the batch axis).
   */
  op: 'reshape';
  /**
   * Name of the model input the step applies to (default: the first input).
   */
  input?: string;
  /**
   * Target shape of one row, without the batch axis.
   *
   * @minItems 1
   */
  shape: number[];
}
/**
 * `softmax`: turn scores into probabilities.
 */
export interface SoftmaxStep {
  /**
   * `softmax`: turn scores into probabilities.
   */
  op: 'softmax';
  /**
   * Name of the model output the step applies to (default: the first output).
   */
  output?: string;
}
/**
 * `argmax`: the most likely class, named by `model.classLabels`.
 */
export interface ArgmaxStep {
  /**
   * `argmax`: the most likely class, named by `model.classLabels`.
   */
  op: 'argmax';
  /**
   * Name of the model output the step applies to (default: the first output).
   */
  output?: string;
}
/**
 * `topk`: the `k` most likely classes with their scores.
 */
export interface TopkStep {
  /**
   * `topk`: the `k` most likely classes with their scores.
   */
  op: 'topk';
  /**
   * Name of the model output the step applies to (default: the first output).
   */
  output?: string;
  /**
   * Number of classes to return.
   */
  k: number;
}
