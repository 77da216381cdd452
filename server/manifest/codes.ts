// Every diagnostic code a manifest check can produce. Codes are stable: the
// README, docs/diagnostic-codes.md, editor hovers and CI logs refer to them,
// so a code is never reused for a different problem. A unit test checks that
// every code used in server/ is listed here and in the doc.
import type { Severity } from './diagnostics';

export interface CodeInfo {
  /** Short name of the problem. */
  title: string;
  /** Usual severity; a few checks lower or raise it, as `note` says. */
  severity: Severity;
  /** One line: what the check looks for. */
  meaning: string;
  /** One line: how to fix it. */
  fix: string;
}

export const CODES = {
  // MG1xx: the manifest itself
  MG100: {
    title: 'Check failed',
    severity: 'warning',
    meaning: 'A check stopped on an unexpected internal error; the other checks still ran.',
    fix: 'Report it with the manifest; the message names the check.',
  },
  MG101: {
    title: 'YAML syntax error',
    severity: 'error',
    meaning: 'The file is not valid YAML, so nothing else can be checked.',
    fix: 'Fix indentation, quotes, colons and brackets at the reported place.',
  },
  MG102: {
    title: 'Duplicate key',
    severity: 'error',
    meaning: 'The same key appears twice in one mapping; YAML would keep only one.',
    fix: 'Remove or rename one of the two keys.',
  },
  MG103: { title: 'Tab indentation', severity: 'error', meaning: 'A tab is used for indentation; YAML allows only spaces.', fix: 'Indent with spaces.' },
  MG104: {
    title: 'Not a ModelGate manifest',
    severity: 'error',
    meaning: 'The document is not a mapping, or `apiVersion`/`kind` are missing or not `modelgate/v1`/`Model`.',
    fix: 'Start the file with `apiVersion: modelgate/v1` and `kind: Model` (or run `modelgate init model.onnx`).',
  },
  MG105: {
    title: 'Wrong type',
    severity: 'error',
    meaning: 'A value has the wrong type (e.g. a number where a list is expected).',
    fix: 'Write the value with the type the message names.',
  },
  MG106: {
    title: 'Value not allowed',
    severity: 'error',
    meaning: 'A value is not one of the allowed choices.',
    fix: 'Use one of the values the message lists.',
  },
  MG107: {
    title: 'Required field missing',
    severity: 'error',
    meaning: 'A required field is missing (reported on its parent key).',
    fix: 'Add the field the message names.',
  },
  MG108: {
    title: 'Out of range',
    severity: 'error',
    meaning: 'A number, list or text is too small or too large.',
    fix: 'Use a value inside the range the message gives.',
  },
  MG109: {
    title: 'Wrong format',
    severity: 'error',
    meaning: 'A text does not have the required format (DNS name, semantic version, duration, date, URL).',
    fix: 'Rewrite the value in the format the message shows, e.g. `1.0.0`, `90d`, `2026-11-01T12:00:00Z`.',
  },
  MG110: {
    title: 'Unknown key',
    severity: 'warning',
    meaning: 'A key that manifest v1 does not define; it is ignored (often a typo).',
    fix: 'Rename it to the suggested key or remove it.',
  },
  MG111: {
    title: 'Duplicate list item',
    severity: 'error',
    meaning: 'A list that must hold distinct items holds the same item twice.',
    fix: 'Remove the repeated item.',
  },
  MG112: {
    title: 'Manifest too large',
    severity: 'error',
    meaning: 'The file is larger than a manifest can reasonably be (over 1 MB); it is not parsed.',
    fix: 'Keep data in CSV files and the model in the ONNX file; the manifest only points at them.',
  },
  MG113: {
    title: 'Manifest not found',
    severity: 'error',
    meaning: 'The model.yaml a command was given (or the directory searched for one) does not exist or cannot be read.',
    fix: 'Check the path, or create a manifest with `modelgate init model.onnx`.',
  },
  MG120: {
    title: 'Minimum above maximum',
    severity: 'error',
    meaning: 'A gate, slice or min-max scaling step has `min` greater than `max`, so nothing can pass.',
    fix: 'Swap or correct the two bounds.',
  },
  MG121: {
    title: 'Metric does not fit the task',
    severity: 'error',
    meaning: 'A classification metric on a regression model or the reverse (e.g. `r2` on a classifier).',
    fix: 'Use accuracy, precision, recall, f1, roc_auc, log_loss or ece for classification; mae, rmse, r2 or mape for regression.',
  },
  MG122: {
    title: 'Threshold outside the metric range',
    severity: 'error',
    meaning: 'A gate threshold the metric can never reach or always meets (e.g. accuracy ≥ 1.3).',
    fix: "Use a threshold inside the metric's range (0 to 1 for accuracy, precision, recall, f1, roc_auc, ece).",
  },
  MG123: {
    title: 'Gate option does not fit the model',
    severity: 'error',
    meaning: 'A gate names a class that is not in `model.classLabels`, or uses `average`/`class` where they have no meaning.',
    fix: 'Name one of `model.classLabels`, or remove the option.',
  },
  MG124: {
    title: 'Batching delay does not fit the latency SLO',
    severity: 'error',
    meaning: '`serving.batching.maxDelayMs` is at least `slo.p99Ms` (error) or more than half of it (warning).',
    fix: 'Lower `maxDelayMs` well below `slo.p99Ms`, or raise the SLO.',
  },
  MG125: {
    title: 'Canary with KServe raw mode',
    severity: 'error',
    meaning: 'KServe ignores `canaryTrafficPercent` in RawDeployment mode, so the canary split would silently not happen.',
    fix: 'Use `mode: serverless`, or remove `canaryPercent`.',
  },
  MG126: {
    title: 'Implausible throughput per instance',
    severity: 'warning',
    meaning: '`slo.rps` divided by `serving.instances` is above what one instance plausibly serves (5000 rps on CPU, 20000 on GPU).',
    fix: 'Raise `serving.instances` or lower `slo.rps`.',
  },
  MG127: {
    title: 'Drift threshold out of range',
    severity: 'error',
    meaning: 'A drift threshold outside the range of its method: p-value methods (ks, chisquare, auto) and jensenshannon need a value below 1.',
    fix: 'Use e.g. 0.05 for ks/chisquare/auto, 0.1 for jensenshannon/wasserstein, 0.2 for psi.',
  },
  MG128: {
    title: 'Data age without a training window',
    severity: 'warning',
    meaning: '`staleness.maxDataAge` is set but no `data.training[].window` says when the data ends, so data age cannot be measured.',
    fix: 'Add `window: {start, end}` to a training dataset, or remove `maxDataAge`.',
  },
  MG129: {
    title: 'Step names an unknown tensor or column',
    severity: 'error',
    meaning: 'A pre- or postprocessing step names an input, output or feature column that is not in `signature`.',
    fix: "Use a name from `signature.inputs`/`signature.outputs` or from the input's `features`.",
  },
  MG130: {
    title: 'Class labels do not fit the task',
    severity: 'warning',
    meaning: 'A classifier without `classLabels`, or a regression model with class labels or class postprocessing.',
    fix: 'Add `model.classLabels` in output order, or remove what belongs to the other task.',
  },
  MG131: {
    title: 'top-k larger than the class count',
    severity: 'error',
    meaning: 'A `topk` step asks for more classes than `model.classLabels` has, or than its output has columns.',
    fix: 'Lower `k` to at most the number of classes.',
  },
  MG132: {
    title: 'Regression rule checks nothing',
    severity: 'warning',
    meaning: 'A `gates.maxRegression` rule has neither `maxAbsoluteDrop` nor `maxRelativeDrop`.',
    fix: 'Add `maxAbsoluteDrop` or `maxRelativeDrop`, or remove the rule.',
  },
  MG133: {
    title: 'Step is missing a parameter',
    severity: 'error',
    meaning: 'A pre- or postprocessing step lacks a field its `op` requires (e.g. standardize needs mean and std); the schema lists the fields of each op.',
    fix: 'Add the parameter the message names.',
  },
  MG134: {
    title: 'Drift setting for an unknown input',
    severity: 'error',
    meaning:
      'A `staleness.drift.inputs` entry names an input that is not in `signature.inputs`, or an input without a `features` list, so there is nothing to summarise.',
    fix: "Use a name from `signature.inputs` and list the input's dataset columns under its `features`.",
  },
  MG135: {
    title: 'Password in the manifest',
    severity: 'warning',
    meaning: '`serving.queue.url` holds a password: the manifest is committed and published with the model, so the password goes wherever it goes.',
    fix: 'Write the URL without the password (redis://user@host:port) and set MODELGATE_REDIS_PASSWORD where the node and the client run.',
  },
  // MG2xx: data
  MG201: {
    title: 'Data file missing',
    severity: 'error',
    meaning: 'A dataset path does not exist or cannot be read.',
    fix: 'Correct the path (relative to the manifest) or create the file.',
  },
  MG202: {
    title: 'CSV unreadable',
    severity: 'error',
    meaning: 'A dataset is empty, binary, or has rows with a different number of fields than the header.',
    fix: 'Export the data again as CSV with a header row and one value per column in every row.',
  },
  MG203: {
    title: 'CSV without header',
    severity: 'error',
    meaning: 'The first row of a dataset is all numbers, so the columns have no names.',
    fix: 'Add a first line with the column names.',
  },
  MG204: {
    title: 'Column missing',
    severity: 'error',
    meaning: 'A column the manifest names (feature, label, slice, drift feature) is not in the dataset.',
    fix: 'Correct the column name in the manifest or add the column to the data.',
  },
  MG205: {
    title: 'Label frequencies do not sum to 1',
    severity: 'error',
    meaning: '`data.labelFrequencies` must sum to 1 (±0.01).',
    fix: 'Recompute the shares of each class in the training data.',
  },
  MG206: {
    title: 'Label frequencies do not match the classes',
    severity: 'error',
    meaning: '`data.labelFrequencies` must have exactly one entry per `model.classLabels`.',
    fix: 'Add the missing classes and remove the unknown ones.',
  },
  MG207: {
    title: 'Training window ends after training',
    severity: 'error',
    meaning: 'A training window ends after `model.trainedAt`: a model cannot be trained on data that did not exist yet.',
    fix: 'Correct the window end or `model.trainedAt`.',
  },
  MG208: { title: 'Training window reversed', severity: 'error', meaning: 'A training window starts after it ends.', fix: 'Swap `start` and `end`.' },
  MG209: {
    title: 'Date in the future',
    severity: 'error',
    meaning: '`model.trainedAt` or a training window end lies in the future.',
    fix: 'Use the real date, with its time zone (e.g. `Z` for UTC).',
  },
  MG210: {
    title: 'URI not checked',
    severity: 'info',
    meaning: 'A dataset given as a URI is recorded but not fetched, so its columns are not checked.',
    fix: 'Nothing to fix; use a local path to have it checked.',
  },
  MG211: {
    title: 'No labelled validation data',
    severity: 'error',
    meaning: 'Metric gates need labels, but `data.validation` is missing, or a validation dataset has no `labelColumn` and `data.labelColumn` is not set.',
    fix: "Add `data.validation` and set `data.labelColumn` or the dataset's `labelColumn`.",
  },
  MG212: {
    title: 'Not a number in a numeric column',
    severity: 'error',
    meaning:
      'A column the model takes as a number (a `signature.inputs[].features` column that no `onehot` step expands) holds empty, missing-marked (`n/a`, `NaN`, …) or non-numeric cells; the tests drop those rows. An error when the rows holding one exceed `data.maxDroppedShare` (the dropped-share gate would fail), else a warning.',
    fix: 'Fill in or impute the values, remove the rows when exporting, or, if leaving them out is intended, raise `data.maxDroppedShare`.',
  },
  // MG3xx: the model, and serving it
  MG300: {
    title: 'Model cannot be served',
    severity: 'error',
    meaning: 'Serving could not load the model or answer a request, for a reason the message gives.',
    fix: 'Follow the message; run `modelgate lint` on the manifest first.',
  },
  MG301: {
    title: 'Model artifact missing',
    severity: 'error',
    meaning: '`model.artifact` does not exist or cannot be read.',
    fix: 'Correct the path (relative to the manifest) or export the model there.',
  },
  MG302: {
    title: 'Not an ONNX model',
    severity: 'error',
    meaning: 'The artifact exists but onnxruntime cannot load it as an ONNX model.',
    fix: 'Export the model again to ONNX (torch.onnx.export, tf2onnx, skl2onnx).',
  },
  MG303: {
    title: 'Tensor not in the model',
    severity: 'error',
    meaning: 'A signature input or output name does not exist in the ONNX graph.',
    fix: 'Use the name from the model (the message suggests the closest one).',
  },
  MG304: {
    title: 'Data type mismatch',
    severity: 'error',
    meaning: "A signature dtype differs from the model's.",
    fix: 'Set `dtype` to the type the model declares.',
  },
  MG305: {
    title: 'Shape mismatch',
    severity: 'error',
    meaning: "A signature shape differs from the model's (a name or -1 matches any dimension; fixed sizes must be equal).",
    fix: 'Copy the shape from the model, keeping a name such as `batch` for dynamic axes.',
  },
  MG306: {
    title: 'Class count does not match the output',
    severity: 'error',
    meaning: "The number of `model.classLabels` differs from the width of the classifier's output.",
    fix: 'List exactly one label per output column, in output order.',
  },
  MG307: {
    title: 'Feature count does not match the input',
    severity: 'error',
    meaning: "The number of `features` (after onehot and reshape steps) differs from the product of the input's non-batch dimensions.",
    fix: 'List one column per input value, or correct the shape or the preprocessing.',
  },
  MG308: {
    title: 'Preprocessing parameter length mismatch',
    severity: 'error',
    meaning: 'A standardize or minmax step has per-feature lists whose lengths differ from each other or from the feature count.',
    fix: 'Give one value per feature, in feature order.',
  },
  MG309: {
    title: 'Model input missing from the signature',
    severity: 'error',
    meaning: 'The model has an input the signature does not describe, so requests cannot feed it.',
    fix: 'Add the input to `signature.inputs` (the quick fix fills the signature from the model).',
  },
  MG310: {
    title: 'No signature',
    severity: 'info',
    meaning: 'The manifest has no `signature`; inputs and outputs are taken from the model.',
    fix: 'Add `signature` (the quick fix fills it from the model) to have shapes and features checked.',
  },
  MG350: {
    title: 'Input type cannot be served',
    severity: 'error',
    meaning: 'A model input has a type serving cannot feed (string, float16, or a non-tensor type): requests carry numbers and booleans.',
    fix: 'Export the model with a numeric or bool input (float32, float64, int8–int64, uint8–uint64, bool).',
  },
  MG351: {
    title: 'Dynamic dimension after the batch axis',
    severity: 'error',
    meaning: 'An input dimension other than the first is dynamic (a name or -1) in the signature and in the model, or is 0, so the size of a row is unknown.',
    fix: 'Give every axis after the batch axis its fixed size in `signature.inputs[].shape`, e.g. `[batch, 30]`.',
  },
  MG352: {
    title: 'Fixed batch size',
    severity: 'warning',
    meaning:
      "The model's input has a fixed first dimension (e.g. [1, 13]): it was exported without a dynamic batch axis and takes exactly that many rows per run. ModelGate still serves and tests it, running rows in chunks of that size (the last one padded), with batching set to that size; it is said in the model's metadata.",
    fix: "For batched inference, export it again with a dynamic batch axis: torch.onnx.export(..., dynamic_axes={'input': {0: 'batch'}}); tf2onnx and skl2onnx: give the batch axis as None.",
  },

  // Serving requests (HTTP 4xx/5xx bodies carry these codes)
  MG311: {
    title: 'Invalid model name, version or label',
    severity: 'error',
    meaning: 'A request names a model, version or label that is not well formed.',
    fix: 'Use a DNS-safe name, a semantic version, or a label as in the manifest.',
  },
  MG312: {
    title: 'Missing or non-finite value',
    severity: 'error',
    meaning:
      'A request holds null, NaN or Infinity where the model does not take one (serving.nonFinite is reject, the default, or the input is an integer or one-hot input).',
    fix: 'Impute missing values and send finite numbers; for a model that treats NaN as missing, set serving.nonFinite: pass.',
  },
  MG313: {
    title: 'Wrong data type in request',
    severity: 'error',
    meaning:
      'A request value or datatype does not fit the input: a fraction or an out-of-range number for an integer input (its dtype\'s range, or the rows of the table the model looks it up in), a {"b64": …} value for a numeric input.',
    fix: 'Send the datatype and the values the model metadata lists (the range is in modelgate.inputs[].range).',
  },
  MG314: {
    title: 'Malformed request tensor',
    severity: 'error',
    meaning: 'A request body, tensor shape or data layout is not what the protocol expects.',
    fix: 'Send the layout the message shows (v1 instances/inputs or v2 inputs with name, shape, datatype, data).',
  },
  MG315: {
    title: 'Unknown category',
    severity: 'error',
    meaning: 'A categorical feature value is not one of its onehot categories.',
    fix: 'Send one of the categories listed in the manifest.',
  },
  MG316: { title: 'Empty request', severity: 'error', meaning: 'A request holds no instances.', fix: 'Send at least one instance.' },
  MG317: {
    title: 'Too many instances',
    severity: 'error',
    meaning: 'A request holds more rows than `serving.maxInstancesPerRequest`.',
    fix: 'Split the request.',
  },
  MG318: {
    title: 'Unknown or missing input',
    severity: 'error',
    meaning: 'A request names an input the model does not have, repeats one, or leaves one out.',
    fix: 'Send every model input once, by its signature name.',
  },
  MG319: {
    title: 'Wrong endpoint for the task',
    severity: 'error',
    meaning: 'A classify call on a regression model or a regress call on a classifier.',
    fix: 'Use :predict, or the endpoint that fits the task.',
  },
  MG320: {
    title: 'Not found',
    severity: 'error',
    meaning: 'The requested resource does not exist on this server.',
    fix: 'Check the URL; GET /v1/models lists what is served.',
  },
  MG321: { title: 'Model not served', severity: 'error', meaning: 'No model with this name is served.', fix: 'Serve it, or use a name GET /v1/models lists.' },
  MG322: { title: 'Version not served', severity: 'error', meaning: 'The model is served, but not in this version.', fix: 'Use a served version.' },
  MG323: {
    title: 'Label not defined',
    severity: 'error',
    meaning: 'No served version carries this label.',
    fix: 'Use an existing label, or set `serving.labels` in a manifest.',
  },
  MG324: {
    title: 'Labels not in the v2 protocol',
    severity: 'error',
    meaning: 'The v2 protocol selects versions by number, not by label.',
    fix: 'Use /v2/models/{name}/versions/{version}/infer, or the v1 label route.',
  },
  MG330: {
    title: 'Version unloading',
    severity: 'error',
    meaning: 'The request reached a version that is being unloaded.',
    fix: 'Retry; it goes to the version now serving.',
  },
  MG331: {
    title: 'Queue timeout',
    severity: 'error',
    meaning: 'A request waited in the batching queue longer than the request timeout.',
    fix: 'Lower the load, raise `serving.workers`, or raise the timeout.',
  },
  MG332: {
    title: 'Input rejected by the model',
    severity: 'error',
    meaning:
      'The request passed the signature checks, but onnxruntime could not compute on it (e.g. an index or category id outside the range the model was built for). Only this request fails; others in the same batch are answered.',
    fix: 'Check the named values against what the model was trained on.',
  },
  MG333: {
    title: 'Model worker stopped',
    severity: 'error',
    meaning: 'The worker thread computing this request stopped before answering; it is replaced, and other requests are unaffected.',
    fix: 'Retry the request; if it keeps happening, see the server log for why the worker stopped.',
  },
  MG340: {
    title: 'Request body too large',
    severity: 'error',
    meaning: "The body exceeds the server's body limit.",
    fix: 'Send fewer instances per request, or raise --body-limit.',
  },
  MG341: {
    title: 'Empty or truncated body',
    severity: 'error',
    meaning: 'The body is empty or shorter than Content-Length.',
    fix: 'Send a complete JSON body.',
  },
  MG342: {
    title: 'Unsupported content type',
    severity: 'error',
    meaning: 'The body is not sent as application/json.',
    fix: 'Send JSON with Content-Type: application/json.',
  },
  MG343: {
    title: 'Invalid request',
    severity: 'error',
    meaning: "The request does not match the route's schema.",
    fix: 'See docs/serving.md for the request formats.',
  },
  MG344: { title: 'Body is not JSON', severity: 'error', meaning: 'The body cannot be parsed as JSON.', fix: 'Check brackets, commas and quotes.' },
  MG345: {
    title: 'Request rejected',
    severity: 'error',
    meaning: 'The server rejected the request for the reason in the message.',
    fix: 'Follow the message.',
  },
  MG346: {
    title: 'Malformed binary tensor data',
    severity: 'error',
    meaning:
      'A v2 request with binary tensors has an Inference-Header-Content-Length or binary_data_size that does not match the body, the shape or the datatype.',
    fix: "Set Inference-Header-Content-Length to the JSON header's byte length and each binary_data_size to rows × values per row × bytes per element.",
  },
  MG347: {
    title: 'Method not allowed',
    severity: 'error',
    meaning: 'The path exists, but not for this HTTP method (e.g. GET on :predict); the Allow header lists the methods it answers.',
    fix: 'Use the method in the Allow header: POST for :predict, :classify, :regress and /infer, GET for status and metadata.',
  },
  MG348: {
    title: 'Unsupported or broken Content-Encoding',
    severity: 'error',
    meaning: 'The body is compressed with an encoding the server does not decode (415), or is not valid data of the encoding it names (400).',
    fix: 'Send the body uncompressed, or compressed with gzip or deflate and the matching Content-Encoding header.',
  },
  MG349: {
    title: 'Unknown signature',
    severity: 'error',
    meaning: 'A v1 request names a signature_name other than serving_default; a ModelGate model serves one signature.',
    fix: 'Send "signature_name": "serving_default", or leave it out.',
  },
  // The queue (Redis Streams; docs/queue.md)
  MG360: {
    title: 'Queue URL invalid',
    severity: 'error',
    meaning: 'The queue URL (`--queue`, `serving.queue.url`) is not a Redis URL the queue can use.',
    fix: 'Write redis://host:port, redis://user:password@host:port/db, or rediss://… for TLS.',
  },
  MG361: {
    title: 'Redis unreachable or login refused',
    severity: 'error',
    meaning: 'Redis at the queue URL cannot be reached, refused the login (ACL user or password), or stopped answering.',
    fix: 'Start redis-server there, or fix the host, port, user and password (MODELGATE_REDIS_PASSWORD); an interrupted `modelgate score --queue` resumes when run again.',
  },
  MG362: {
    title: 'Queue request unreadable',
    severity: 'error',
    meaning:
      'A request stream entry lacks a field (id, reply_to, body) or has one that cannot be read; it is answered (or dead-lettered when it names no reply) and acknowledged.',
    fix: 'Send the fields listed in docs/queue.md.',
  },
  MG363: {
    title: 'Request dead-lettered',
    severity: 'error',
    meaning:
      'A queue request was delivered more than `serving.queue.maxDeliveries` times without an answer (each node that read it stopped), and was moved to modelgate:{model}:dead with the reason.',
    fix: "Read the entry in the dead-letter stream (XRANGE modelgate:{model}:dead - +) and the nodes' logs; send it to HTTP /v2 infer to see the error.",
  },
  MG364: {
    title: 'No queue reply in time',
    severity: 'error',
    meaning: 'No reply came within the client timeout (`--queue-timeout`), or a request passed its deadline before a node read it.',
    fix: 'Start nodes (`modelgate serve --queue …`) or add some; then run the same command again to resume.',
  },
  MG365: {
    title: 'Queue full',
    severity: 'error',
    meaning: 'The request stream held `serving.queue.maxLength` requests for longer than the client timeout: the nodes do not keep up, or none runs.',
    fix: 'Add nodes, or raise serving.queue.maxLength; then run the same command again to resume.',
  },
  MG399: { title: 'Internal server error', severity: 'error', meaning: 'The server failed unexpectedly.', fix: 'Report it with the server log.' },
  // MG4xx: publish and deploy (errors of the engine, not manifest checks; the CLI exits with the code each states)
  MG401: {
    title: 'Registry refused the request',
    severity: 'error',
    meaning: 'The OCI registry answered an upload, tag or read with an HTTP error other than a refused login (e.g. 400 MANIFEST_INVALID, 404, 429, 5xx).',
    fix: 'Follow the fix in the message: check the repository name and tag, retry later, or use a registry that follows the OCI distribution spec 1.1.',
  },
  MG402: {
    title: 'Registry login refused',
    severity: 'error',
    meaning: 'The registry answered 401 (no or wrong credentials) or 403 (the account may not push or pull this repository).',
    fix: 'Run `docker login HOST`, set MODELGATE_REGISTRY_USERNAME/PASSWORD, or in the editor use "ModelGate: Set registry credentials".',
  },
  MG403: {
    title: 'Registry unreachable',
    severity: 'error',
    meaning: 'The registry could not be reached at all: connection refused or reset, DNS, TLS, or a timeout.',
    fix: 'Check the host and port, that the registry runs, and `--plain-http` for a registry without TLS on loopback.',
  },
  MG404: {
    title: 'Not a model reference',
    severity: 'error',
    meaning:
      'A publish target, `--baseline`, pull or deploy reference cannot be read: no repository, an invalid tag or digest, or a host that is not host[:port].',
    fix: 'Write `oci://HOST[:PORT]/REPOSITORY[:TAG|@sha256:DIGEST]` or an OCI layout directory, e.g. oci://127.0.0.1:5000/ml/breast-cancer.',
  },
  MG405: {
    title: 'Publish refused',
    severity: 'error',
    meaning:
      'Nothing was published: the verdict does not allow a gated publish (exit 1 or 3), the report is of another version or model file, the target names a tag, or the version already holds other content.',
    fix: 'Do what the message says: run every suite until the verdict passes (or publish with --force, marked UNGATED), test this version again, or bump metadata.version.',
  },
  MG406: {
    title: 'Report unusable',
    severity: 'error',
    meaning: 'The test report given to publish cannot be read as a ModelGate report (missing, not JSON, or another format).',
    fix: 'Pass the `--json` report that `modelgate test` wrote for this model, or run the tests again.',
  },
  MG407: {
    title: 'Content digest mismatch',
    severity: 'error',
    meaning: 'A file or blob does not have the sha256 digest it was published or requested with.',
    fix: 'Retry; if it persists, check the source file and the registry storage.',
  },
  MG408: {
    title: 'Artifact input missing',
    severity: 'error',
    meaning: 'A file the artifact needs (model, manifest, report) is missing or unreadable, or the artifact metadata is invalid.',
    fix: 'Check the paths in the manifest and the report options.',
  },
  MG409: {
    title: 'OCI layout unreadable',
    severity: 'error',
    meaning: 'A local OCI layout directory is not a layout (no oci-layout or index.json) or is damaged.',
    fix: 'Point at the directory that `modelgate deploy` or `publish` wrote (e.g. .modelgate/registry/NAME), or publish again.',
  },
  MG410: {
    title: 'Pull failed',
    severity: 'error',
    meaning: 'A published version could not be pulled: not a ModelGate artifact, a layer missing, or a file name that would leave the target directory.',
    fix: 'Check the reference with `modelgate versions`; publish the version again if it is damaged.',
  },
  MG411: {
    title: 'Report not attached',
    severity: 'error',
    meaning: "The run's report could not be attached to an already published version.",
    fix: 'Retry; the published artifact itself is unchanged.',
  },
  MG412: {
    title: 'Publish cancelled',
    severity: 'error',
    meaning: 'The publish was cancelled (Ctrl-C, Cancel in the editor) before the version tag was written.',
    fix: 'Run the publish again: it finishes it and skips the blobs already stored.',
  },
  MG420: {
    title: 'Deploy cannot start',
    severity: 'error',
    meaning: '`modelgate deploy` was asked for something it cannot do as given (e.g. two report options with the same file name).',
    fix: 'Change the options the message names.',
  },
  MG421: {
    title: 'Remote node refused the deploy',
    severity: 'error',
    meaning: 'The remote ModelGate node (`deploy.remote`) could not be reached or refused to load or activate the version.',
    fix: 'Check that `modelgate serve --admin-token-file …` runs there, the token, and the message from the node.',
  },
  MG422: {
    title: 'KServe deployment cannot be generated',
    severity: 'error',
    meaning: 'The KServe InferenceService for the published version cannot be generated or applied as the manifest asks.',
    fix: 'Fix the `deploy.kubernetes` field the message names, or the cluster access it describes.',
  },
  MG423: {
    title: 'Published manifest unusable',
    severity: 'error',
    meaning: 'The model.yaml inside a published version (used as a baseline or for a remote deploy) cannot be read.',
    fix: 'Use another published version as the baseline, or publish this one again.',
  },
} as const satisfies Record<string, CodeInfo>;

export type DiagnosticCode = keyof typeof CODES;

export function codeInfo(code: string): CodeInfo | undefined {
  return (CODES as Record<string, CodeInfo>)[code];
}
