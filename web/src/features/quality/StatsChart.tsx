import { useEffect, useRef } from 'react';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { LEVELS, LEVEL_LABELS } from '@server/shared/quality-codes';
import { useI18n } from '../../app/i18n';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

/**
 * Ratings per category stacked by level, with the satisfaction rate as a line. Decorative for
 * screen readers: the page shows the same figures in a table.
 */
export function StatsChart({ categories, byLevel, rates, label }: { categories: string[]; byLevel: number[][]; rates: Array<number | null>; label: string }) {
  const { t, lang } = useI18n();
  const ref = useRef<HTMLDivElement>(null);
  const data = JSON.stringify({ categories, byLevel, rates, lang, evaluations: t.quality.stats.evaluations, satisfaction: t.quality.stats.satisfaction });
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const { categories, byLevel, rates, lang, evaluations, satisfaction } = JSON.parse(data) as { categories: string[]; byLevel: number[][]; rates: Array<number | null>; lang: 'zh' | 'en'; evaluations: string; satisfaction: string };
    const chart = echarts.init(element, undefined, { renderer: 'svg' });
    const names = LEVELS.map((l) => LEVEL_LABELS[l][lang]);
    const colors = ['#cf1322', '#fa8c16', '#fadb14', '#73d13d', '#237804'];
    chart.setOption({
      animation: false,
      grid: { left: 48, right: 48, top: 40, bottom: 64 },
      legend: { top: 0 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: categories, axisLabel: { interval: 0, rotate: categories.length > 4 ? 30 : 0 } },
      yAxis: [{ type: 'value', name: evaluations }, { type: 'value', name: satisfaction, max: 100, axisLabel: { formatter: '{value}%' } }],
      series: [
        ...names.map((name, level) => ({ name, type: 'bar', stack: 'levels', color: colors[level], data: byLevel.map((b) => b[level] ?? 0) })),
        { name: satisfaction, type: 'line', yAxisIndex: 1, data: rates.map((r) => (r === null ? null : Math.round(r * 1000) / 10)) },
      ],
    });
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [data]);
  return <div ref={ref} role="img" aria-label={label} style={{ width: '100%', height: 320 }} />;
}
