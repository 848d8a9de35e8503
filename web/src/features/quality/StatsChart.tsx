import { useEffect, useRef } from 'react';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

/**
 * Ratings per category stacked by level, with the satisfaction rate as a line. Decorative for
 * screen readers: the page shows the same figures in a table.
 */
export function StatsChart({ categories, byLevel, rates, label }: { categories: string[]; byLevel: number[][]; rates: Array<number | null>; label: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const data = JSON.stringify({ categories, byLevel, rates });
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const { categories, byLevel, rates } = JSON.parse(data) as { categories: string[]; byLevel: number[][]; rates: Array<number | null> };
    const chart = echarts.init(element, undefined, { renderer: 'svg' });
    const names = ['非常不满意', '不满意', '基本满意', '满意', '非常满意'];
    const colors = ['#cf1322', '#fa8c16', '#fadb14', '#73d13d', '#237804'];
    chart.setOption({
      animation: false,
      grid: { left: 48, right: 48, top: 40, bottom: 64 },
      legend: { top: 0 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: categories, axisLabel: { interval: 0, rotate: categories.length > 4 ? 30 : 0 } },
      yAxis: [{ type: 'value', name: '评价数' }, { type: 'value', name: '满意率', max: 100, axisLabel: { formatter: '{value}%' } }],
      series: [
        ...names.map((name, level) => ({ name, type: 'bar', stack: 'levels', color: colors[level], data: byLevel.map((b) => b[level] ?? 0) })),
        { name: '满意率', type: 'line', yAxisIndex: 1, data: rates.map((r) => (r === null ? null : Math.round(r * 1000) / 10)) },
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
