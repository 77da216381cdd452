// Page styles, adopted as a constructable stylesheet so the strict CSP needs
// no 'unsafe-inline' (Lit does the same for the vscode-elements components).
// Inside VS Code the --vscode-* variables arrive as an inline style on <html>
// and override these fallbacks; standalone, the fallbacks give VS Code's
// Light Modern look, or Dark Modern under prefers-color-scheme: dark.
const light = `
  --vscode-font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", system-ui, Ubuntu, "Droid Sans", sans-serif;
  --vscode-font-size: 13px;
  --vscode-editor-font-family: Menlo, Monaco, Consolas, "DejaVu Sans Mono", "Courier New", monospace;
  --vscode-foreground: #3b3b3b;
  --vscode-descriptionForeground: #717171;
  --vscode-editor-background: #ffffff;
  --vscode-panel-background: #f8f8f8;
  --vscode-sideBar-background: #f8f8f8;
  --vscode-panel-border: #e5e5e5;
  --vscode-widget-border: #e5e5e5;
  --vscode-settings-headerBorder: #e5e5e5;
  --vscode-focusBorder: #005fb8;
  --vscode-textLink-foreground: #005fb8;
  --vscode-panelTitle-activeBorder: #005fb8;
  --vscode-panelTitle-activeForeground: #3b3b3b;
  --vscode-panelTitle-inactiveForeground: #717171;
  --vscode-badge-background: #cccccc;
  --vscode-badge-foreground: #3b3b3b;
  --vscode-button-background: #005fb8;
  --vscode-button-foreground: #ffffff;
  --vscode-button-hoverBackground: #0258a8;
  --vscode-dropdown-background: #ffffff;
  --vscode-dropdown-border: #cecece;
  --vscode-dropdown-foreground: #3b3b3b;
  --vscode-list-hoverBackground: #f2f2f2;
  --vscode-list-activeSelectionBackground: #e4e6f1;
  --vscode-keybindingTable-rowsBackground: rgba(97, 97, 97, 0.04);
  --vscode-textBlockQuote-background: #f8f8f8;
  --vscode-charts-foreground: #616161;
  --vscode-charts-lines: rgba(97, 97, 97, 0.35);
  --vscode-charts-red: #e51400;
  --vscode-charts-blue: #1a85ff;
  --vscode-charts-yellow: #bf8803;
  --vscode-charts-orange: #d18616;
  --vscode-charts-green: #388a34;
  --vscode-charts-purple: #652d90;
  --vscode-testing-iconPassed: #73c991;
  --vscode-testing-iconFailed: #f14c4c;
  --vscode-editorWarning-foreground: #bf8803;
`;
const dark = `
  --vscode-foreground: #cccccc;
  --vscode-descriptionForeground: #9d9d9d;
  --vscode-editor-background: #1f1f1f;
  --vscode-panel-background: #181818;
  --vscode-sideBar-background: #181818;
  --vscode-panel-border: #2b2b2b;
  --vscode-widget-border: #313131;
  --vscode-settings-headerBorder: #2b2b2b;
  --vscode-focusBorder: #0078d4;
  --vscode-textLink-foreground: #4daafc;
  --vscode-panelTitle-activeBorder: #0078d4;
  --vscode-panelTitle-activeForeground: #e7e7e7;
  --vscode-panelTitle-inactiveForeground: #9d9d9d;
  --vscode-badge-background: #616161;
  --vscode-badge-foreground: #f8f8f8;
  --vscode-button-background: #0078d4;
  --vscode-button-hoverBackground: #026ec1;
  --vscode-dropdown-background: #313131;
  --vscode-dropdown-border: #3c3c3c;
  --vscode-dropdown-foreground: #cccccc;
  --vscode-list-hoverBackground: #2a2d2e;
  --vscode-list-activeSelectionBackground: #04395e;
  --vscode-keybindingTable-rowsBackground: rgba(204, 204, 204, 0.04);
  --vscode-textBlockQuote-background: #2b2b2b;
  --vscode-charts-foreground: #cccccc;
  --vscode-charts-lines: rgba(204, 204, 204, 0.3);
  --vscode-charts-red: #f14c4c;
  --vscode-charts-blue: #3794ff;
  --vscode-charts-yellow: #cca700;
  --vscode-charts-green: #89d185;
  --vscode-charts-purple: #b180d7;
  --vscode-testing-iconPassed: #73c991;
  --vscode-testing-iconFailed: #f14c4c;
  --vscode-editorWarning-foreground: #cca700;
`;

// High Contrast (dark), for the standalone page under prefers-contrast: more;
// inside VS Code the theme's own variables arrive instead.
const highContrast = `
  --vscode-foreground: #ffffff;
  --vscode-descriptionForeground: #d6d6d6;
  --vscode-editor-background: #000000;
  --vscode-panel-background: #000000;
  --vscode-sideBar-background: #000000;
  --vscode-panel-border: #6fc3df;
  --vscode-widget-border: #6fc3df;
  --vscode-settings-headerBorder: #6fc3df;
  --vscode-contrastBorder: #6fc3df;
  --vscode-contrastActiveBorder: #f38518;
  --vscode-focusBorder: #f38518;
  --vscode-textLink-foreground: #21a6ff;
  --vscode-panelTitle-activeBorder: #6fc3df;
  --vscode-panelTitle-activeForeground: #ffffff;
  --vscode-panelTitle-inactiveForeground: #ffffff;
  --vscode-badge-background: #000000;
  --vscode-badge-foreground: #ffffff;
  --vscode-button-background: #000000;
  --vscode-button-foreground: #ffffff;
  --vscode-button-border: #6fc3df;
  --vscode-button-hoverBackground: #000000;
  --vscode-dropdown-background: #000000;
  --vscode-dropdown-border: #6fc3df;
  --vscode-dropdown-foreground: #ffffff;
  --vscode-list-hoverBackground: #000000;
  --vscode-list-activeSelectionBackground: #000000;
  --vscode-keybindingTable-rowsBackground: #000000;
  --vscode-textBlockQuote-background: #000000;
  --vscode-charts-foreground: #ffffff;
  --vscode-charts-lines: rgba(255, 255, 255, 0.5);
  --vscode-charts-red: #f14c4c;
  --vscode-charts-blue: #3794ff;
  --vscode-charts-yellow: #ffd700;
  --vscode-charts-orange: #d18616;
  --vscode-charts-green: #89d185;
  --vscode-charts-purple: #b180d7;
  --vscode-testing-iconPassed: #73c991;
  --vscode-testing-iconFailed: #f14c4c;
  --vscode-editorWarning-foreground: #ffd370;
`;

// Status colours for text: the theme's testing colours are made for icons and
// reach 2:1 on a light background (#73c991 on white); mixed with the theme's
// foreground they keep their hue and reach 4.5:1 in Light, Dark and High
// Contrast alike, because the foreground is made to contrast with the background.
const statusText = `
  --mg-pass: color-mix(in srgb, var(--vscode-testing-iconPassed) 30%, var(--vscode-foreground));
  --mg-fail: color-mix(in srgb, var(--vscode-testing-iconFailed) 40%, var(--vscode-foreground));
  --mg-warn: color-mix(in srgb, var(--vscode-editorWarning-foreground) 35%, var(--vscode-foreground));
  --mg-border: var(--vscode-contrastBorder, transparent);
`;

const layout = `
body { margin: 0; padding: 0 20px 32px; background: var(--vscode-editor-background); color: var(--vscode-foreground);
  font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); line-height: 1.45; }
h1 { font-size: 20px; font-weight: 600; margin: 0; }
h2 { font-size: 15px; font-weight: 600; margin: 24px 0 8px; }
h3 { font-size: 13px; font-weight: 600; margin: 0 0 6px; }
.muted { color: var(--vscode-descriptionForeground); }
.mono, td.num { font-family: var(--vscode-editor-font-family); font-variant-numeric: tabular-nums; }
.pass { color: var(--mg-pass); }
.fail { color: var(--mg-fail); }
.warn { color: var(--mg-warn); }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
header.report { padding: 18px 0 12px; border-bottom: 1px solid var(--vscode-panel-border); margin-bottom: 12px; }
.title-row { display: flex; align-items: center; gap: 12px; flex-wrap: wrap; }
.title-row .spacer { flex: 1; }
.verdict { font-weight: 600; padding: 1px 10px; border-radius: 11px; font-size: 12px; border: 1px solid; background: var(--vscode-editor-background); }
.verdict.pass { color: var(--mg-pass); border-color: var(--vscode-testing-iconPassed); }
.verdict.fail { color: var(--mg-fail); border-color: var(--vscode-testing-iconFailed); }
.verdict.incomplete { color: var(--mg-warn); border-color: var(--vscode-editorWarning-foreground); }
.attention { margin: 12px 0 4px; }
.attention h2 { font-size: 13px; margin: 0 0 4px; }
.attention-list { list-style: none; margin: 0; padding: 0; }
.attention-list li { display: flex; gap: 8px; padding: 4px 0; border-top: 1px solid var(--vscode-panel-border); }
.attention-list li:first-child { border-top: 0; }
.attention-list .mark { font-weight: 700; width: 1em; flex: none; text-align: center; }
.attention p { margin: 4px 0; }
.meta { display: flex; flex-wrap: wrap; gap: 4px 20px; margin-top: 8px; }
.meta span b { font-weight: 600; color: var(--vscode-descriptionForeground); margin-right: 4px; }
.banner { margin: 10px 0; padding: 8px 12px; border-left: 4px solid; border-radius: 2px; }
.banner.warning { border-color: var(--vscode-editorWarning-foreground); background: color-mix(in srgb, var(--vscode-editorWarning-foreground) 8%, var(--vscode-editor-background)); }
.banner.error { border-color: var(--vscode-testing-iconFailed); background: color-mix(in srgb, var(--vscode-testing-iconFailed) 8%, var(--vscode-editor-background)); }
.banner ul { margin: 4px 0 0; padding-left: 18px; }
.suites { display: flex; gap: 8px; flex-wrap: wrap; margin-top: 10px; }
.chip { border: 1px solid var(--vscode-contrastBorder, var(--vscode-widget-border)); border-radius: 3px; padding: 3px 8px; background: var(--vscode-panel-background); }
.kpis { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(180px, 100%), 1fr)); gap: 10px; margin: 12px 0; }
.kpi { border: 1px solid var(--vscode-widget-border); border-radius: 4px; padding: 8px 12px; background: var(--vscode-panel-background); }
.kpi .label { color: var(--vscode-descriptionForeground); font-size: 12px; }
.kpi .value { overflow-wrap: anywhere; font-size: 18px; font-weight: 600; font-variant-numeric: tabular-nums; }
.kpi .sub { font-size: 12px; color: var(--vscode-descriptionForeground); }
.grid2 { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(460px, 100%), 1fr)); gap: 16px; align-items: start; margin-bottom: 16px; }
.grid3 { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(360px, 100%), 1fr)); gap: 16px; align-items: start; margin-bottom: 16px; }
.stack { display: flex; flex-direction: column; gap: 16px; min-width: 0; }
button.chip { cursor: pointer; font: inherit; color: inherit; }
button.chip:hover { background: var(--vscode-list-hoverBackground); }
.card { border: 1px solid var(--vscode-contrastBorder, var(--vscode-widget-border)); border-radius: 4px; padding: 10px 12px; min-width: 0; }
.card p.caption { margin: 4px 0 0; font-size: 12px; color: var(--vscode-descriptionForeground); }
.chart { position: relative; height: 300px; }
.chart.tall { height: auto; }
.scroll { overflow-x: auto; }
table.data { border-collapse: collapse; width: 100%; font-size: 12px; }
table.data th, table.data td { padding: 4px 8px; text-align: left; border-bottom: 1px solid var(--vscode-panel-border); vertical-align: top; }
table.data th { font-weight: 600; color: var(--vscode-descriptionForeground); white-space: nowrap; }
table.data td.num, table.data th.num { text-align: right; white-space: nowrap; }
table.data tbody tr:nth-child(even) { background: var(--vscode-keybindingTable-rowsBackground); }
table.data tbody tr.failed { background: color-mix(in srgb, var(--vscode-testing-iconFailed) 8%, var(--vscode-editor-background)); }
table.data tbody tr.undecided { background: color-mix(in srgb, var(--vscode-editorWarning-foreground) 6%, var(--vscode-editor-background)); }
/* Secondary text on a tinted row leans towards the foreground to keep 4.5:1. */
table.data tbody tr:is(.failed, .undecided) .muted { color: color-mix(in srgb, var(--vscode-descriptionForeground) 60%, var(--vscode-foreground)); }
table.data tbody tr.selectable { cursor: pointer; }
table.data tbody tr.selectable:hover { background: var(--vscode-list-hoverBackground); }
table.data tbody tr.selected { background: var(--vscode-list-activeSelectionBackground); }
td.status { width: 1.5em; font-weight: 700; text-align: center; }
.gate-msg { font-size: 12px; margin-top: 2px; }
table[data-table="gates"] td { overflow-wrap: anywhere; }
table[data-table="gates"] td.num { overflow-wrap: normal; }
.gate-how { font-size: 12px; margin-top: 2px; }
.gate-how summary { cursor: pointer; color: var(--vscode-textLink-foreground); width: max-content; }
.gate-how[open] summary { margin-bottom: 2px; }
@media (max-width: 560px) {
  body { padding: 0 10px 24px; }
  table.data .wide { display: none; }
  table.data th, table.data td { padding: 4px 4px; }
}
.gate-next { font-size: 12px; margin-top: 2px; }
button.link { background: none; border: 0; padding: 0; color: var(--vscode-textLink-foreground); cursor: pointer; font: inherit; text-decoration: underline; }
/* Every control shows where the keyboard is, in every theme (High Contrast: its active border). */
:is(button, select, summary, [tabindex], vscode-tab-header):focus-visible {
  outline: 2px solid var(--vscode-contrastActiveBorder, var(--vscode-focusBorder)); outline-offset: 2px; }
button.action { background: var(--vscode-button-background); color: var(--vscode-button-foreground);
  border: 1px solid var(--vscode-button-border, var(--mg-border)); border-radius: 2px; padding: 3px 11px; cursor: pointer; font: inherit; }
button.action:hover { background: var(--vscode-button-hoverBackground); }
button.action:disabled { opacity: 0.5; cursor: default; }
select { background: var(--vscode-dropdown-background); color: var(--vscode-dropdown-foreground); border: 1px solid var(--vscode-dropdown-border); padding: 2px 4px; font: inherit; border-radius: 2px; }
.toolbar { display: flex; gap: 8px; align-items: center; margin-bottom: 6px; flex-wrap: wrap; }
.notes { margin: 8px 0; padding-left: 18px; }
vscode-tabs { margin-top: 8px; }
vscode-tab-panel { padding: 4px 0; }
vscode-tab-header vscode-badge { margin-left: 6px; }
table.confusion { border-collapse: collapse; font-size: 12px; }
table.confusion th, table.confusion td { border: 1px solid var(--vscode-panel-border); padding: 4px 6px; text-align: center; min-width: 38px; }
table.confusion td { font-variant-numeric: tabular-nums; }
table.confusion td .share { display: block; font-size: 10px; }
table.confusion.compact th, table.confusion.compact td { min-width: 24px; padding: 3px 4px; }
table.confusion th.vertical { writing-mode: vertical-rl; transform: rotate(180deg); padding: 4px 2px; min-width: 0; }
table.confusion td.zero { color: var(--vscode-descriptionForeground); }
table.confusion th.axis { font-weight: 600; color: var(--vscode-descriptionForeground); border: 0; }
dl.kv { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 0; font-size: 12px; }
dl.kv dt { color: var(--vscode-descriptionForeground); }
dl.kv dd { margin: 0; }
`;

export const pageCss = `
:root { ${light} color-scheme: light dark; }
@media (prefers-color-scheme: dark) { :root { ${dark} } }
@media (prefers-contrast: more) { :root { ${highContrast} color-scheme: dark; } }
:root { ${statusText} }
${layout}
`;
