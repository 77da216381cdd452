// "Run … again" button, shown only inside VS Code where a host can run suites.
import type { SuiteId } from '../../server/protocol/report';
import type { Ctx } from '../context';
import { h } from '../dom';

export function rerunButton(ctx: Ctx, suite: SuiteId): HTMLElement | null {
  if (!ctx.host.interactive) return null;
  return h(
    'div',
    { class: 'toolbar' },
    h('button', { class: 'action', data: { rerun: suite }, on: { click: () => ctx.host.post({ type: 'rerun', suite }) } }, `Run ${suite} tests again`),
  );
}
