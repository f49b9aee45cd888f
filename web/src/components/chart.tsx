import { BarChart, LineChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import type { EChartsCoreOption } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

// Only the parts the charts use, so that the insights chunk stays small (it loads with its screen).
echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, AriaComponent, CanvasRenderer]);

/**
 * One Apache ECharts chart, drawn on a canvas, resized with its box. Tooltips are drawn on the
 * canvas too (richText): ECharts' HTML tooltips carry inline styles, which the app's
 * Content-Security-Policy refuses. ECharts' aria option describes the series to screen readers;
 * the screen also shows the figures as a table.
 */
export function Chart({ option, label }: { option: EChartsCoreOption; label: string }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const chart = echarts.init(element);
    const observer = new ResizeObserver(() => chart.resize());
    observer.observe(element);
    return () => {
      observer.disconnect();
      chart.dispose();
    };
  }, []);
  useEffect(() => {
    const chart = box.current && echarts.getInstanceByDom(box.current);
    chart?.setOption(
      { aria: { enabled: true }, tooltip: { trigger: 'axis', renderMode: 'richText' }, ...option },
      { notMerge: true },
    );
  }, [option]);
  return <div ref={box} className="chart" role="img" aria-label={label} />;
}
