// What the editor says after scoring a CSV file (no vscode import, so unit tests can load it).
import type { ScoreRequest } from '../server/protocol/lsp';

/** The code of a row the model cannot score (a numeric feature that is not a number). */
export const NOT_A_NUMBER = 'MG212';
export const SKIP_ROWS = 'Score without those rows';

/** One line for the notification and the log: how many rows, with what, where to; and the rows left out. */
export function scoreSummaryText(r: ScoreRequest.Result, where: (path: string) => string): string {
  let text = `scored ${r.rows} rows of ${where(r.input)} with ${r.model.name} ${r.model.version} in ${r.seconds.toFixed(1)} s → ${where(r.output)}`;
  if (r.skipped.count) {
    const first = r.skipped.first
      .slice(0, 3)
      .map((s) => `line ${s.line}: ${s.reason}`)
      .join('; ');
    text += `; left out ${r.skipped.count} row(s) the model cannot score (${first}${r.skipped.count > 3 ? '; …' : ''})`;
  }
  return text;
}
