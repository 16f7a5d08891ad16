package org.embedrec.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.embedrec.io.AtomicFiles;
import org.embedrec.nn.train.EpochResult;
import org.embedrec.nn.train.History;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws {@code --plot}: training loss per epoch and the validation loss on the left axis (the
 * same quantity, so the same scale), and every other validation metric (RMSE, top-K accuracy)
 * at the epochs where it was measured on the right axis, as one PNG.
 */
final class LearningCurves {
    private LearningCurves() {}

    static void write(Path png, String title, History history) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(900).height(520).title(title)
                .xAxisTitle("epoch").yAxisTitle("training loss").build();
        chart.setYAxisGroupTitle(1, "validation");
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(org.knowm.xchart.style.Styler.LegendLayout.Horizontal);

        List<Double> epochs = new ArrayList<>();
        List<Double> losses = new ArrayList<>();
        Map<String, List<double[]>> validation = new TreeMap<>(java.util.Comparator.comparing(LearningCurves::legendOrder));
        for (EpochResult e : history.epochs()) {
            epochs.add((double) e.epoch());
            losses.add(e.loss());
            e.validation().forEach((k, v) ->
                    validation.computeIfAbsent(k, key -> new ArrayList<>()).add(new double[] {e.epoch(), v}));
        }
        XYSeries loss = chart.addSeries("training loss", epochs, losses);
        loss.setMarker(SeriesMarkers.NONE);
        for (Map.Entry<String, List<double[]>> m : validation.entrySet()) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (double[] p : m.getValue()) {
                xs.add(p[0]);
                ys.add(p[1]);
            }
            // "val top_10", not "val top_10_accuracy": five top-K curves must fit in the legend.
            XYSeries s = chart.addSeries("val " + m.getKey().replace("_accuracy", ""), xs, ys);
            s.setYAxisGroup(m.getKey().equals("loss") ? 0 : 1);
            s.setMarker(SeriesMarkers.CIRCLE);
        }
        byte[] bytes = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        AtomicFiles.write(png, out -> out.write(bytes));
    }

    /** The metric name with its numbers zero-padded, so that top_5 comes before top_10 in the legend. */
    private static String legendOrder(String metric) {
        StringBuilder key = new StringBuilder();
        int i = 0;
        while (i < metric.length()) {
            int j = i;
            while (j < metric.length() && Character.isDigit(metric.charAt(j))) {
                j++;
            }
            if (j > i) {
                key.append("0".repeat(Math.max(0, 9 - (j - i)))).append(metric, i, j);
                i = j;
            } else {
                key.append(metric.charAt(i++));
            }
        }
        return key.toString();
    }
}
