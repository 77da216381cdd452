// Display names for metric keys of the report (unknown keys show as they are).
const names: Record<string, string> = {
  accuracy: 'Accuracy',
  balanced_accuracy: 'Balanced accuracy',
  precision: 'Precision',
  recall: 'Recall',
  f1: 'F1',
  precision_macro: 'Precision (macro)',
  recall_macro: 'Recall (macro)',
  f1_macro: 'F1 (macro)',
  precision_weighted: 'Precision (weighted)',
  precision_micro: 'Precision (micro)',
  precision_binary: 'Precision (positive class)',
  recall_micro: 'Recall (micro)',
  recall_binary: 'Recall (positive class)',
  f1_micro: 'F1 (micro)',
  f1_binary: 'F1 (positive class)',
  recall_weighted: 'Recall (weighted)',
  f1_weighted: 'F1 (weighted)',
  roc_auc: 'ROC AUC',
  log_loss: 'Log loss',
  ece: 'ECE (calibration error)',
  mae: 'MAE',
  rmse: 'RMSE',
  mse: 'MSE',
  r2: 'R²',
  mape: 'MAPE',
};

// Where a smaller value is better; used to colour changes against the champion.
const lowerIsBetter = new Set(['log_loss', 'ece', 'mae', 'rmse', 'mse', 'mape', 'brier']);

export function metricName(key: string): string {
  return names[key] ?? key;
}

export function isLowerBetter(key: string): boolean {
  return lowerIsBetter.has(key);
}
