// Chart.js, tree-shaken: only the controllers, elements, scales and plugins
// the report draws. Charts are created lazily when their tab is shown (a
// canvas inside a hidden panel has no size) and rebuilt on theme change.
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  ScatterController,
  Tooltip,
  type ChartConfiguration,
} from 'chart.js';
import { h } from './dom';

Chart.register(
  BarController,
  LineController,
  ScatterController,
  BarElement,
  LineElement,
  PointElement,
  CategoryScale,
  LinearScale,
  LogarithmicScale,
  Tooltip,
  Legend,
);

export interface Palette {
  fg: string;
  muted: string;
  grid: string;
  blue: string;
  red: string;
  green: string;
  orange: string;
  yellow: string;
  purple: string;
  font: string;
}

function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return v || fallback;
}

/** Colours from the VS Code theme (or the standalone fallbacks in styles.ts). */
export function readPalette(): Palette {
  return {
    fg: cssVar('--vscode-charts-foreground', '#616161'),
    muted: cssVar('--vscode-descriptionForeground', '#717171'),
    grid: cssVar('--vscode-charts-lines', 'rgba(128,128,128,0.35)'),
    blue: cssVar('--vscode-charts-blue', '#1a85ff'),
    red: cssVar('--vscode-charts-red', '#e51400'),
    green: cssVar('--vscode-charts-green', '#388a34'),
    orange: cssVar('--vscode-charts-orange', '#d18616'),
    yellow: cssVar('--vscode-charts-yellow', '#bf8803'),
    purple: cssVar('--vscode-charts-purple', '#652d90'),
    font: cssVar('--vscode-font-family', 'system-ui, sans-serif'),
  };
}

let probe: CanvasRenderingContext2D | null = null;

/** A colour with transparency, whatever syntax the theme used (the canvas normalises it). */
export function alpha(color: string, a: number): string {
  probe ??= document.createElement('canvas').getContext('2d');
  if (!probe) return color;
  probe.fillStyle = '#000000';
  probe.fillStyle = color;
  const c = String(probe.fillStyle);
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(c);
  if (hex) return `rgba(${parseInt(hex[1]!, 16)}, ${parseInt(hex[2]!, 16)}, ${parseInt(hex[3]!, 16)}, ${a})`;
  const rgba = /^rgba?\(([^,]+),([^,]+),([^,)]+)/.exec(c);
  return rgba ? `rgba(${rgba[1]}, ${rgba[2]}, ${rgba[3]}, ${a})` : color;
}

export type ChartBuilder = (p: Palette) => ChartConfiguration;

interface Slot {
  canvas: HTMLCanvasElement;
  build: ChartBuilder;
  chart?: Chart;
}

/** Keeps every chart of the page: creates them when visible, rebuilds them on demand. */
export class ChartBoard {
  private slots: Slot[] = [];

  /** A container with a canvas tagged `data-chart=name`; drawn later by `drawVisible`. */
  add(name: string, label: string, build: ChartBuilder, height = 300): HTMLElement {
    const canvas = h('canvas', { data: { chart: name }, attrs: { role: 'img', 'aria-label': label } }, label);
    const box = h('div', { class: 'chart' }, canvas);
    box.style.height = `${height}px`;
    this.slots.push({ canvas, build });
    return box;
  }

  /** Replaces the data of an existing chart (e.g. another feature selected). */
  replace(canvas: HTMLCanvasElement, build: ChartBuilder): void {
    const slot = this.slots.find((s) => s.canvas === canvas);
    if (!slot) return;
    slot.build = build;
    if (slot.chart) {
      slot.chart.destroy();
      slot.chart = undefined;
      this.create(slot, readPalette());
    }
  }

  drawVisible(): void {
    const p = readPalette();
    applyDefaults(p);
    for (const s of this.slots) {
      if (!s.chart && s.canvas.isConnected && s.canvas.getClientRects().length > 0) this.create(s, p);
    }
  }

  /** Theme changed: every chart is rebuilt with the new colours. */
  rebuild(): void {
    for (const s of this.slots) {
      s.chart?.destroy();
      s.chart = undefined;
    }
    this.drawVisible();
  }

  destroyAll(): void {
    for (const s of this.slots) s.chart?.destroy();
    this.slots = [];
  }

  private create(s: Slot, p: Palette): void {
    const config = s.build(p);
    s.chart = new Chart(s.canvas, config);
    // Lets tests and screen readers know how much was plotted.
    const points = config.data.datasets.reduce((n, d) => n + d.data.length, 0);
    s.canvas.dataset.points = String(points);
  }
}

function applyDefaults(p: Palette): void {
  Chart.defaults.color = p.fg;
  Chart.defaults.borderColor = p.grid;
  Chart.defaults.font.family = p.font;
  Chart.defaults.font.size = 12;
  // Drawn in one frame: no animation to wait for, and nothing moving while reading.
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.plugins.legend.labels.boxWidth = 12;
}
