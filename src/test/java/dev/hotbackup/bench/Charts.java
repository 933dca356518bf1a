package dev.hotbackup.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.renderer.xy.XYStepRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The benchmark's two plots, drawn headless with JFreeChart. */
final class Charts {

    private Charts() {}

    /** Share of trials failed over within x ms, one step line per scenario (log x). */
    static void failoverDistribution(Map<String, List<Long>> failover, Path png)
            throws IOException {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Map.Entry<String, List<Long>> e : failover.entrySet()) {
            List<Long> v = new ArrayList<>();
            for (Long x : e.getValue()) {
                if (x != null && x >= 0) {
                    v.add(Math.max(1, x));
                }
            }
            if (v.isEmpty()) {
                continue;
            }
            Collections.sort(v);
            XYSeries s = new XYSeries(e.getKey(), false, true);
            s.add(v.get(0).doubleValue(), 0.0);
            for (int i = 0; i < v.size(); i++) {
                s.add(v.get(i).doubleValue(), (i + 1) / (double) e.getValue().size());
            }
            data.addSeries(s);
        }
        LogAxis x =
                new LogAxis(
                        "failover time, ms (log scale): kill to first file processed by the takeover route");
        x.setSmallestValue(1);
        NumberAxis y = new NumberAxis("share of trials failed over");
        y.setRange(0, 1.02);
        XYStepRenderer r = new XYStepRenderer();
        for (int i = 0; i < data.getSeriesCount(); i++) {
            r.setSeriesStroke(i, new BasicStroke(2f));
        }
        XYPlot plot = new XYPlot(data, x, y, r);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        JFreeChart chart =
                new JFreeChart(
                        "Failover time: camel-hot-backup and Camel's master: (FileLockClusterService)",
                        plot);
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 1200, 700);
    }

    /** Listener CPU (cores) and heap (MiB) against monitored hosts, log x. */
    static void scale(List<Benchmark.ScaleRow> rows, Path png) throws IOException {
        XYSeries cpu = new XYSeries("listener CPU, % of one core");
        XYSeries heap = new XYSeries("heap after GC, MiB");
        for (Benchmark.ScaleRow r : rows) {
            cpu.add(r.hosts, r.cores * 100);
            heap.add(r.hosts, r.heapMiB);
        }
        LogAxis x = new LogAxis("monitored monitored hosts, 10 heartbeats/s each");
        XYPlot plot = new XYPlot();
        plot.setDomainAxis(x);
        plot.setDataset(0, new XYSeriesCollection(cpu));
        plot.setRangeAxis(0, new NumberAxis("CPU, % of one core"));
        plot.setRenderer(0, new XYLineAndShapeRenderer(true, true));
        plot.setDataset(1, new XYSeriesCollection(heap));
        plot.setRangeAxis(1, new NumberAxis("heap, MiB"));
        plot.mapDatasetToRangeAxis(1, 1);
        XYLineAndShapeRenderer r1 = new XYLineAndShapeRenderer(true, true);
        r1.setSeriesPaint(0, new Color(0, 120, 0));
        plot.setRenderer(1, r1);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        JFreeChart chart =
                new JFreeChart("One Backup listener: CPU and heap against monitored hosts", plot);
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 1000, 600);
    }
}
