/** ECharts, trimmed to what the one screen draws: map, bar, pie, line on canvas. */
import { BarChart, LineChart, MapChart, PieChart } from 'echarts/charts';
import { GridComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([MapChart, BarChart, PieChart, LineChart, GridComponent, TooltipComponent, VisualMapComponent, CanvasRenderer]);

export { echarts };
export type ECharts = ReturnType<typeof echarts.init>;
