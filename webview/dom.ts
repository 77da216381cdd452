// DOM building without HTML strings: every value from a report becomes a
// text node or an attribute value, so names like `<img onerror=…>` stay text.
export type Child = Node | string | number | null | undefined | false;

export interface Props {
  class?: string;
  title?: string;
  /** data-* attributes (keys without the `data-` prefix) */
  data?: Record<string, string | number>;
  attrs?: Record<string, string | number | boolean>;
  on?: Partial<{ [K in keyof HTMLElementEventMap]: (ev: HTMLElementEventMap[K]) => void }>;
}

// Attributes that would turn data into code or inline style (blocked by the CSP anyway).
const forbidden = /^(on|style$|srcdoc$|href$|src$)/i;

export function append(parent: Node, children: (Child | Child[])[]): void {
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    parent.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

/** Creates an element (standard or custom) with props and children. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props?: Props | null, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K];
export function h(tag: string, props?: Props | null, ...children: (Child | Child[])[]): HTMLElement;
export function h(tag: string, props?: Props | null, ...children: (Child | Child[])[]): HTMLElement {
  const el = document.createElement(tag);
  if (props) {
    if (props.class) el.className = props.class;
    if (props.title) el.title = props.title;
    for (const [k, v] of Object.entries(props.data ?? {})) el.setAttribute(`data-${k}`, String(v));
    for (const [k, v] of Object.entries(props.attrs ?? {})) {
      if (forbidden.test(k)) throw new Error(`refusing to set attribute ${k}`);
      if (v === false) continue;
      el.setAttribute(k, v === true ? '' : String(v));
    }
    for (const [k, fn] of Object.entries(props.on ?? {})) el.addEventListener(k, fn as EventListener);
  }
  append(el, children);
  return el;
}

/** A table with a header row; cells are text or nodes; `num` columns align right. */
export function dataTable(
  headers: { label: string; num?: boolean; title?: string; class?: string }[],
  rows: { cells: Child[]; class?: string; title?: string; data?: Record<string, string | number>; onClick?: () => void }[],
  props?: Props,
): HTMLTableElement {
  const thead = h(
    'thead',
    null,
    h(
      'tr',
      null,
      headers.map((c) => h('th', { class: [c.num ? 'num' : '', c.class ?? ''].join(' ').trim(), title: c.title, attrs: { scope: 'col' } }, c.label)),
    ),
  );
  const tbody = h('tbody', null);
  for (const r of rows) {
    const tr = h('tr', { class: [r.class, r.onClick ? 'selectable' : ''].filter(Boolean).join(' '), title: r.title, data: r.data });
    r.cells.forEach((cell, i) => tr.appendChild(h('td', { class: [headers[i]?.num ? 'num' : '', headers[i]?.class ?? ''].join(' ').trim() }, cell)));
    if (r.onClick) {
      const click = r.onClick;
      tr.tabIndex = 0;
      tr.addEventListener('click', click);
      tr.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          click();
        }
      });
    }
    tbody.appendChild(tr);
  }
  const table = h('table', { ...props, class: `data ${props?.class ?? ''}`.trim() }, thead, tbody);
  return table;
}

export function kpi(label: string, value: Child, sub?: Child, cls?: string): HTMLElement {
  return h(
    'div',
    { class: 'kpi' },
    h('div', { class: 'label' }, label),
    h('div', { class: `value ${cls ?? ''}` }, value),
    sub ? h('div', { class: 'sub' }, sub) : null,
  );
}

export function card(title: string, ...children: (Child | Child[])[]): HTMLElement {
  return h('div', { class: 'card' }, h('h3', null, title), ...children);
}

export function notes(items: string[] | undefined): HTMLElement | null {
  if (!items || items.length === 0) return null;
  return h(
    'ul',
    { class: 'notes muted' },
    items.map((n) => h('li', null, n)),
  );
}
