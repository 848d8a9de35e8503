import { useEffect, useRef } from 'react';
import { BarChart, LineChart, TreemapChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

echarts.use([BarChart, LineChart, TreemapChart, GridComponent, LegendComponent, TooltipComponent, VisualMapComponent, SVGRenderer]);

/**
 * An ECharts chart, redrawn when its option changes. Decorative for screen readers: every chart
 * on these pages has a table with the same numbers beside it, and `label` summarises them.
 */
export function Chart({ option, label, height = 280, onClick }: { option: Record<string, unknown>; label: string; height?: number; onClick?: (name: string) => void }) {
  const ref = useRef<HTMLDivElement>(null);
  const data = JSON.stringify(option);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const chart = echarts.init(element, undefined, { renderer: 'svg' });
    chart.setOption({ animation: false, ...(JSON.parse(data) as Record<string, unknown>) });
    if (onClick) chart.on('click', (p) => onClick(String((p as { name?: string }).name ?? '')));
    const observer = new ResizeObserver(() => chart.resize());
    observer.observe(element);
    return () => {
      observer.disconnect();
      chart.dispose();
    };
  }, [data, onClick]);
  return <div ref={ref} role="img" aria-label={label} style={{ width: '100%', height }} />;
}

/** Green at the target, red well below it: the on-time rate's colour scale. */
export const RATE_COLOURS = ['#cf1322', '#faad14', '#389e0d'];
