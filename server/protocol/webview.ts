// Messages between the VS Code report panel (host) and the report webview.
// The same webview bundle also runs standalone in the HTML report, where no
// host exists and the report is read from the embedded JSON instead.
// Crosses a process boundary: types only, discriminated on `type`.
import type { Report, SuiteId } from './report';

/** Host → webview. */
export type HostToWebviewMessage =
  /** Show this report (replaces the current one). */
  | { type: 'report'; report: Report }
  /** The colour theme changed: re-read the CSS variables and redraw charts. */
  | { type: 'theme' }
  /** A re-run started or finished for a suite; the webview disables its buttons meanwhile. */
  | { type: 'running'; suite: SuiteId | 'all'; running: boolean };

/** Webview → host. */
export type WebviewToHostMessage =
  /** The webview has loaded and listens; the host answers with `report`. */
  | { type: 'ready' }
  /** Open the report's manifest at this 1-based line/column (a gate's source). */
  | { type: 'openSource'; line: number; column?: number; gateId?: string }
  /** Run a suite (or all of them) again for the report's manifest. */
  | { type: 'rerun'; suite: SuiteId | 'all' };

/** What the webview keeps in VS Code's webview state to survive a reload. */
export interface WebviewState {
  report?: Report;
  /** Selected tab: 'gates' | SuiteId */
  tab?: string;
  /** Feature whose distribution is plotted in the staleness section. */
  feature?: string;
  /** The report (its createdAt) that feature was picked in: another report opens on its own most drifted feature. */
  featureReport?: string;
}

/**
 * The page contract, for any host that builds the HTML: the bundle renders
 * into `<div id="app">` (created when missing) and, when no VS Code API is
 * present, reads the report from `<script type="application/json" id="report">`.
 */
export type WebviewPageIds = { root: 'app'; reportJson: 'report' };
