import { useEffect, useRef } from 'react';
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

// SVG rather than canvas: crisp when printed and when zoomed.
echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

export interface RatioSeries {
  name: string;
  /** Ratios 0..1, one per category; null when nothing is counted. */
  values: Array<number | null>;
  color: string;
}

/**
 * Grouped bars of ratios (shown as percentages). Decorative for screen readers: the page shows
 * the same numbers in a table, and `label` summarises them.
 */
export function RatioChart({ categories, series, label, height = 280 }: { categories: string[]; series: RatioSeries[]; label: string; height?: number }) {
  const ref = useRef<HTMLDivElement>(null);
  // Redraw when the numbers change, not on every render of the page.
  const data = JSON.stringify({ categories, series });
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const { categories, series } = JSON.parse(data) as { categories: string[]; series: RatioSeries[] };
    const chart = echarts.init(element, undefined, { renderer: 'svg' });
    chart.setOption({
      animation: false,
      grid: { left: 48, right: 16, top: 40, bottom: 32 },
      legend: { top: 0 },
      tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => (typeof v === 'number' ? `${v.toFixed(1)}%` : '-') },
      xAxis: { type: 'category', data: categories },
      yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
      series: series.map((s) => ({
        name: s.name,
        type: 'bar',
        barMaxWidth: 28,
        itemStyle: { color: s.color },
        data: s.values.map((v) => (v === null ? null : Math.round(v * 1000) / 10)),
      })),
    });
    const observer = new ResizeObserver(() => chart.resize());
    observer.observe(element);
    return () => {
      observer.disconnect();
      chart.dispose();
    };
  }, [data]);
  return <div ref={ref} role="img" aria-label={label} style={{ width: '100%', height }} className="ratio-chart" />;
}
