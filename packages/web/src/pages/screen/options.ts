/**
 * The one screen's chart options 图表配置, built from GET /api/stats/overview. Pure functions of
 * the data (and the locale, through the labels passed in), so they are tested without a browser.
 */
export interface Overview {
  node: { code: string; name: string; level: string };
  generatedAt: string;
  /** Operation mode in force at the node (daily when none is set). */
  mode?: { mode: string; nodeCode: string | null; reason: string | null; startsAt: string | null; endsAt: string | null };
  totals: { total: number; open: number; closed: number; deferred: number; suspended: number; overdue?: number };
  bySource: { key: string; count: number }[];
  byCategory: { key: string; count: number }[];
  byStatus: { key: string; count: number }[];
  byPriority: { key: string; count: number }[];
  byLevel: { level: string; count: number }[];
  openByHandlingLevel: { level: string; count: number }[];
  trend: { date: string; count: number }[];
  children: { code: string; name: string; level: string; total: number; open: number; overdue?: number }[];
  departments: { id: string; name: string; nameEn: string | null; assigned: number; open: number; responseRate: number | null; resolutionRate: number | null; satisfactionRate: number | null }[];
}

export const THEME = {
  text: '#dce9ff',
  muted: '#8fa8cc',
  line: '#24406b',
  accent: '#3fb6ff',
  palette: ['#3fb6ff', '#36d39a', '#ffc53d', '#ff7a45', '#b37feb', '#5cdbd3', '#ff85c0', '#95de64', '#ffd666', '#69c0ff', '#ffa39e', '#adc6ff'],
  /** Open-load ramp: low → high. */
  ramp: ['#123a6b', '#1d6fb8', '#38a3e0', '#ffc53d', '#ff4d4f'],
};

const axisLabel = { color: THEME.muted, fontSize: 14 };
const tooltip = { trigger: 'item' as const, backgroundColor: 'rgba(8,20,40,0.92)', borderColor: THEME.line, textStyle: { color: THEME.text, fontSize: 14 } };

/** Horizontal bars, biggest on top. */
export function barOption(rows: { name: string; value: number }[], color = THEME.accent) {
  const top = rows.slice(0, 10).reverse();
  return {
    animation: false,
    tooltip: { ...tooltip, trigger: 'axis' as const },
    grid: { left: 8, right: 40, top: 6, bottom: 6, containLabel: true },
    xAxis: { type: 'value' as const, axisLabel: { show: false }, splitLine: { show: false } },
    yAxis: { type: 'category' as const, data: top.map((r) => r.name), axisLabel, axisLine: { lineStyle: { color: THEME.line } }, axisTick: { show: false } },
    series: [{ type: 'bar' as const, data: top.map((r) => r.value), itemStyle: { color, borderRadius: [0, 4, 4, 0] }, barMaxWidth: 16, label: { show: true, position: 'right' as const, color: THEME.text, fontSize: 13 } }],
  };
}

export function pieOption(rows: { name: string; value: number }[]) {
  return {
    animation: false,
    color: THEME.palette,
    tooltip: { ...tooltip, formatter: '{b}: {c} ({d}%)' },
    series: [{
      type: 'pie' as const,
      radius: ['42%', '70%'],
      center: ['50%', '52%'],
      data: rows.filter((r) => r.value > 0),
      label: { color: THEME.text, fontSize: 13, formatter: '{b}\n{c}' },
      labelLine: { lineStyle: { color: THEME.muted } },
    }],
  };
}

export function lineOption(points: { date: string; count: number }[]) {
  return {
    animation: false,
    tooltip: { ...tooltip, trigger: 'axis' as const },
    grid: { left: 8, right: 16, top: 16, bottom: 4, containLabel: true },
    xAxis: { type: 'category' as const, data: points.map((p) => p.date.slice(5)), axisLabel, axisLine: { lineStyle: { color: THEME.line } } },
    yAxis: { type: 'value' as const, axisLabel, splitLine: { lineStyle: { color: THEME.line, type: 'dashed' as const } }, minInterval: 1 },
    series: [{ type: 'line' as const, data: points.map((p) => p.count), smooth: true, symbolSize: 6, lineStyle: { color: THEME.accent, width: 3 }, itemStyle: { color: THEME.accent }, areaStyle: { color: 'rgba(63,182,255,0.18)' } }],
  };
}

/**
 * The territory map, each child coloured by its open load 在办量 or its overdue cases 超期 (`by`).
 * `mapName` is what registerMap used.
 */
export function mapOption(mapName: string, children: Overview['children'], labels: { open: string; total: string; overdue: string }, by: 'open' | 'overdue' = 'open') {
  const value = (c: Overview['children'][number]) => (by === 'overdue' ? (c.overdue ?? 0) : c.open);
  const max = Math.max(1, ...children.map(value));
  return {
    animation: false,
    tooltip: {
      ...tooltip,
      formatter: (p: { name: string; data?: { open: number; total: number; overdue: number; label: string } }) =>
        p.data ? `${p.data.label}<br/>${labels.open}: ${p.data.open}<br/>${labels.overdue}: ${p.data.overdue}<br/>${labels.total}: ${p.data.total}` : p.name,
    },
    visualMap: {
      min: 0, max, calculable: false, orient: 'vertical' as const, left: 12, bottom: 16, itemHeight: 120,
      text: [String(max), '0'], textStyle: { color: THEME.text }, inRange: { color: by === 'overdue' ? ['#123a6b', '#ff9c6e', '#ff4d4f', '#a8071a'] : THEME.ramp },
    },
    series: [{
      type: 'map' as const,
      map: mapName,
      nameProperty: 'code',
      roam: true,
      selectedMode: false as const,
      layoutCenter: ['50%', '50%'],
      layoutSize: '95%',
      label: { show: true, color: '#ffffff', fontSize: 13, formatter: (p: { data?: { label: string } }) => p.data?.label ?? '' },
      itemStyle: { areaColor: '#123a6b', borderColor: '#6fc3ff', borderWidth: 1 },
      emphasis: { label: { color: '#fff' }, itemStyle: { areaColor: '#ffc53d' } },
      data: children.map((c) => ({ name: c.code, value: value(c), open: c.open, overdue: c.overdue ?? 0, total: c.total, label: c.name })),
    }],
  };
}

/** A rate as a percentage for the table, or a dash when there is nothing to measure. */
export function percent(rate: number | null): string {
  return rate === null ? '—' : `${(rate * 100).toFixed(1)}%`;
}
