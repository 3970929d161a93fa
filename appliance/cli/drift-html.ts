import type { FeatureValue } from '../core/types.ts';
import type { EvaluationOutput } from '../evaluators/evaluator.ts';
import { pairedHistogram } from '../stats/histogram.ts';
import { categoryValues, countCategories, isCategorical, splitColumn } from '../stats/samples.ts';

/**
 * Self-contained HTML drift report: one table row and one inline SVG plot per column, with
 * no script, stylesheet or font loaded from elsewhere. Numeric columns plot the shares of 20
 * equal-width bins over the combined range; categorical ones the shares of the 20 most
 * frequent categories. Reference bars are grey, current bars orange.
 */

const BINS = 20;
const WIDTH = 480;
const HEIGHT = 140;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function shares(counts: readonly number[]): number[] {
  const total = counts.reduce((sum, count) => sum + count, 0);
  return counts.map((count) => (total === 0 ? 0 : count / total));
}

function plotData(reference: FeatureValue[], current: FeatureValue[]) {
  const a = splitColumn(reference);
  const b = splitColumn(current);
  if (isCategorical(a, b)) {
    const left = countCategories(categoryValues(a));
    const right = countCategories(categoryValues(b));
    const labels = [...new Set([...left.keys(), ...right.keys()])]
      .sort(
        (x, y) =>
          (right.get(y) ?? 0) + (left.get(y) ?? 0) - (right.get(x) ?? 0) - (left.get(x) ?? 0),
      )
      .slice(0, BINS);
    const counts = (map: Map<string, number>) => labels.map((label) => map.get(label) ?? 0);
    return { labels, reference: shares(counts(left)), current: shares(counts(right)) };
  }
  if (a.numbers.length + b.numbers.length === 0) return { labels: [], reference: [], current: [] };
  const histogram = pairedHistogram(a.numbers, b.numbers, BINS);
  const labels = histogram.edges.slice(0, -1).map((edge) => edge.toPrecision(3));
  return { labels, reference: shares(histogram.reference), current: shares(histogram.current) };
}

/** Inline SVG of reference against current shares, with the first and last labels. */
export function plotSvg(reference: FeatureValue[], current: FeatureValue[]): string {
  const data = plotData(reference, current);
  if (data.labels.length === 0) return '<p>no values to plot</p>';
  const top = Math.max(...data.reference, ...data.current, 1e-12);
  const slot = WIDTH / data.labels.length;
  const bar = (value: number, x: number, colour: string) => {
    const height = (value / top) * (HEIGHT - 20);
    return `<rect x="${x.toFixed(1)}" y="${(HEIGHT - 16 - height).toFixed(1)}" width="${(slot * 0.4).toFixed(1)}" height="${height.toFixed(1)}" fill="${colour}"/>`;
  };
  const bars = data.labels.map(
    (label, i) =>
      `<g><title>${escapeHtml(label)}: reference ${data.reference[i]!.toFixed(3)}, current ${data.current[i]!.toFixed(3)}</title>` +
      bar(data.reference[i]!, i * slot + slot * 0.1, '#888') +
      bar(data.current[i]!, i * slot + slot * 0.5, '#e8730c') +
      '</g>',
  );
  const first = escapeHtml(data.labels[0]!);
  const last = escapeHtml(data.labels[data.labels.length - 1]!);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" role="img">` +
    bars.join('') +
    `<text x="0" y="${HEIGHT - 2}" font-size="10">${first}</text>` +
    `<text x="${WIDTH}" y="${HEIGHT - 2}" font-size="10" text-anchor="end">${last}</text></svg>`
  );
}

function formatNumber(value: number | undefined): string {
  if (value === undefined || Number.isNaN(value)) return '';
  return Math.abs(value) >= 1e-3 || value === 0 ? value.toFixed(4) : value.toExponential(3);
}

/** Renders the whole report page. */
export function renderHtml(
  title: string,
  outputs: readonly EvaluationOutput[],
  reference: Map<string, FeatureValue[]>,
  current: Map<string, FeatureValue[]>,
): string {
  const sections = outputs.map((output) => {
    const name = output.labels.feature!;
    const drift =
      output.values.drift === 1
        ? 'drift'
        : output.values.drift === 0
          ? 'no drift'
          : 'not evaluated';
    const convention = escapeHtml(JSON.stringify(output.convention));
    return (
      `<section><h2>${escapeHtml(name)}: ${drift}</h2>` +
      `<p>${escapeHtml(output.labels.test ?? '')} statistic ${formatNumber(output.values.value)}` +
      (output.values.p_value === undefined
        ? ''
        : `, p-value ${formatNumber(output.values.p_value)}`) +
      `, threshold ${formatNumber(output.values.threshold)}` +
      (output.reason === undefined ? '' : `, ${escapeHtml(output.reason)}`) +
      `</p>${plotSvg(reference.get(name)!, current.get(name)!)}` +
      `<details><summary>convention</summary><code>${convention}</code></details></section>`
    );
  });
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>` +
    '<style>body{font-family:sans-serif;margin:2em}section{margin-bottom:2em}code{font-size:11px}</style>' +
    `</head><body><h1>${escapeHtml(title)}</h1>` +
    '<p>Grey: reference. Orange: current.</p>' +
    sections.join('\n') +
    '</body></html>\n'
  );
}
