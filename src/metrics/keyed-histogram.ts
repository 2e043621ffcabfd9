import type { Metric, Registry } from 'prom-client';

type LabelValue = string | number;

/** One label set's counts: `counts[i]` observations fell in bucket i alone (not cumulative). */
interface Series {
  readonly labels: Readonly<Record<string, string>>;
  readonly counts: Float64Array;
  sum: number;
  count: number;
}

interface HistogramOptions {
  readonly name: string;
  readonly help: string;
  /** One to three label names, in the order `observe` takes their values. */
  readonly labelNames: readonly string[];
  /** Upper bounds, ascending; "+Inf" is added. */
  readonly buckets: readonly number[];
}

export interface KeyedHistogram {
  /**
   * Counts `value` in the series of these label values (as many as the histogram has names); a
   * value that is not finite is ignored.
   */
  observe(value: number, a: LabelValue, b?: LabelValue, c?: LabelValue): void;
}

/**
 * A Prometheus histogram for the request path, registered on a prom-client registry and exposed
 * exactly as prom-client's own Histogram is (test/metrics/keyed-histogram.test.ts compares the two
 * texts). prom-client's `observe` builds a label object, validates it and hashes it into a string
 * key on every call: two to three hundred bytes, several times per token request (every request
 * and every statement is timed). Here a label set's series is found through one map per label,
 * keyed by the values themselves, so an observation of a known label set allocates nothing.
 * Label values must come from a bounded vocabulary, as with prom-client: each new set is a series.
 * They are map keys as given, so each label takes one type (200 and '200' would be two series).
 */
export function createKeyedHistogram(registry: Registry, options: HistogramOptions): KeyedHistogram {
  const { name, help, labelNames, buckets } = options;
  if (labelNames.length < 1 || labelNames.length > 3) throw new Error(`${name}: one to three label names`);
  const depth = labelNames.length;
  const root = new Map<LabelValue, unknown>();
  // In the order they were first seen, as prom-client lists its series.
  const all: Series[] = [];

  type Level = Map<LabelValue, unknown>;
  const find = (a: LabelValue, b: LabelValue, c: LabelValue): Series | undefined => {
    const first = root.get(a);
    if (depth === 1) return first as Series | undefined;
    const second = (first as Level | undefined)?.get(b);
    if (depth === 2) return second as Series | undefined;
    return (second as Level | undefined)?.get(c) as Series | undefined;
  };
  const add = (values: readonly LabelValue[]): Series => {
    const labels: Record<string, string> = {};
    labelNames.forEach((label, i) => (labels[label] = String(values[i])));
    const series: Series = { labels, counts: new Float64Array(buckets.length), sum: 0, count: 0 };
    let level = root;
    for (const key of values.slice(0, depth - 1)) {
      const next = (level.get(key) as Level | undefined) ?? new Map<LabelValue, unknown>();
      level.set(key, next);
      level = next;
    }
    level.set(values[depth - 1] as LabelValue, series);
    all.push(series);
    return series;
  };

  const histogram: KeyedHistogram = {
    observe(value, a, b = '', c = '') {
      // prom-client throws here; a timing that is not a number is dropped, never a failed request.
      if (!Number.isFinite(value)) return;
      const series = find(a, b, c) ?? add([a, b, c]);
      let i = 0;
      while (i < buckets.length && value > (buckets[i] as number)) i += 1;
      if (i < buckets.length) series.counts[i] = (series.counts[i] as number) + 1;
      series.sum += value;
      series.count += 1;
    },
  };

  // What prom-client's Registry reads of a metric (its Histogram's own shapes): `getForPromString`
  // for the text exposition, `get` for JSON, `reset` for resetMetrics.
  const forText = () => ({
    name,
    help,
    type: 'histogram',
    aggregator: 'sum',
    values: all.flatMap((series) => {
      let cumulative = 0;
      const bucketed = buckets.map((le, i) => {
        cumulative += series.counts[i] as number;
        return {
          labels: { le },
          sharedLabels: series.labels,
          value: cumulative,
          metricName: `${name}_bucket`,
          exemplar: null,
        };
      });
      return [
        ...bucketed,
        {
          labels: { le: '+Inf' },
          sharedLabels: series.labels,
          value: series.count,
          metricName: `${name}_bucket`,
          exemplar: null,
        },
        { labels: {}, sharedLabels: series.labels, value: series.sum, metricName: `${name}_sum` },
        { labels: {}, sharedLabels: series.labels, value: series.count, metricName: `${name}_count` },
      ];
    }),
  });
  const exposed = {
    name,
    help,
    type: 'histogram',
    aggregator: 'sum',
    getForPromString: async () => forText(),
    get: async () => {
      const data = forText();
      return {
        ...data,
        values: data.values.map(({ labels, sharedLabels, ...rest }) => ({
          ...rest,
          labels: { ...labels, ...sharedLabels },
        })),
      };
    },
    reset() {
      root.clear();
      all.length = 0;
    },
  };
  registry.registerMetric(exposed as unknown as Metric);
  return histogram;
}
