// Confusion matrix as an HTML table heat-map: readable by screen readers and
// exact for counts. Shade = share of the actual class (row), so recall per
// class reads along the diagonal; errors are tinted in a second colour.
import { alpha, readPalette } from '../charts';
import { h } from '../dom';
import { int, pct } from '../format';

export function confusionTable(labels: string[], matrix: number[][]): HTMLTableElement {
  const p = readPalette();
  // Many classes: counts only (the share is in the tooltip), so 10 × 10 fits a column.
  const compact = labels.length > 5;
  const colTotals = labels.map((_, j) => matrix.reduce((s, row) => s + (row[j] ?? 0), 0));
  const head = h(
    'thead',
    null,
    h(
      'tr',
      null,
      h('th', { class: 'axis', attrs: { colspan: 2, rowspan: 2 } }),
      h('th', { class: 'axis', attrs: { colspan: labels.length } }, 'Predicted →'),
      h('th', { class: 'axis', attrs: { rowspan: 2 } }, 'Total'),
    ),
    h(
      'tr',
      null,
      labels.map((l) => h('th', { attrs: { scope: 'col' } }, l)),
    ),
  );
  const body = h('tbody', null);
  matrix.forEach((row, i) => {
    const total = row.reduce((a, b) => a + b, 0);
    const tr = h('tr', null);
    if (i === 0) tr.appendChild(h('th', { class: 'axis vertical', attrs: { rowspan: labels.length } }, 'Actual'));
    tr.appendChild(h('th', { attrs: { scope: 'row' } }, labels[i] ?? String(i)));
    row.forEach((count, j) => {
      const share = total ? count / total : 0;
      const td = h(
        'td',
        { data: { cell: `${i}-${j}`, count }, title: `actual ${labels[i]}, predicted ${labels[j]}: ${int(count)} (${pct(share)} of actual ${labels[i]})` },
        int(count),
        compact ? null : h('span', { class: 'share' }, pct(share, 0)),
      );
      if (count === 0) td.classList.add('zero');
      if (count > 0) {
        // CSSOM writes are allowed under the CSP; style attributes would not be.
        // At most 42 % of the chart colour: the count stays in the theme's own
        // text colour at 4.5:1 on the darkest cell, in light and dark themes.
        td.style.backgroundColor = alpha(i === j ? p.blue : p.red, 0.08 + 0.34 * share);
      }
      tr.appendChild(td);
    });
    tr.appendChild(h('td', { class: 'muted' }, int(total)));
    body.appendChild(tr);
  });
  body.appendChild(
    h(
      'tr',
      null,
      h('th', { class: 'axis', attrs: { colspan: 2 } }, 'Total'),
      colTotals.map((t) => h('td', { class: 'muted' }, int(t))),
      h('td', { class: 'muted' }, int(colTotals.reduce((a, b) => a + b, 0))),
    ),
  );
  return h(
    'table',
    {
      class: compact ? 'confusion compact' : 'confusion',
      data: { table: 'confusion' },
      attrs: { 'aria-label': 'Confusion matrix: rows actual class, columns predicted class' },
    },
    head,
    body,
  );
}
