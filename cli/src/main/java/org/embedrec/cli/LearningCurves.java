package org.embedrec.cli;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.embedrec.io.AtomicFiles;
import org.embedrec.nn.train.EpochResult;
import org.embedrec.nn.train.History;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws {@code --plot}: one panel per quantity, stacked in one PNG, each titled with its
 * quantity and with its own y axis, so that no line can be read against another's scale. The
 * first panel is the loss: the training loss of every epoch and the validation loss at the
 * validated epochs (one quantity, one scale). Each validation metric follows at the epochs
 * where it was measured; metrics that differ only by a number, such as {@code top_1_accuracy}
 * ... {@code top_100_accuracy}, are one quantity ({@code top K accuracy}) with a line per K.
 * All panels span the same epochs, so they line up.
 */
final class LearningCurves {
    static final int WIDTH = 900;
    static final int PANEL_HEIGHT = 300;
    private static final String LOSS = "loss";

    private LearningCurves() {}

    static void write(Path png, String title, History history) throws IOException {
        write(png, title, history.epochs());
    }

    /**
     * Writes the panels of {@code epochs} to {@code png} atomically (see {@link AtomicFiles}): a
     * failure leaves no partial file, and its message names {@code --plot} and the reason.
     */
    static void write(Path png, String title, List<EpochResult> epochs) throws IOException {
        BufferedImage image = render(title, epochs);
        try {
            AtomicFiles.write(png, out -> {
                if (!ImageIO.write(image, "png", out)) {
                    throw new IOException("no PNG encoder in this Java runtime");
                }
            });
        } catch (IOException e) {
            throw new IOException("--plot " + png + ": cannot write it: " + reason(e), e);
        }
    }

    /** The stacked panels: {@link #WIDTH} wide, {@link #PANEL_HEIGHT} high per quantity. */
    static BufferedImage render(String title, List<EpochResult> epochs) {
        System.setProperty("java.awt.headless", "true");
        List<XYChart> panels = panels(title, epochs);
        BufferedImage image = new BufferedImage(WIDTH, PANEL_HEIGHT * panels.size(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            for (int i = 0; i < panels.size(); i++) {
                g.drawImage(BitmapEncoder.getBufferedImage(panels.get(i)), 0, i * PANEL_HEIGHT, null);
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    private static List<XYChart> panels(String title, List<EpochResult> epochs) {
        // quantity -> series name -> (epoch, value) points; TreeMaps so that top_5 comes before top_10.
        Map<String, Map<String, List<double[]>>> quantities = new TreeMap<>(LearningCurves::compareQuantities);
        for (EpochResult e : epochs) {
            add(quantities, LOSS, "training", e.epoch(), e.loss());
            e.validation().forEach((metric, value) -> {
                String quantity = metric.replaceAll("\\d+", "K").replace('_', ' ');
                String series = quantity.equals(metric.replace('_', ' ')) ? "validation"
                        : "K = " + metric.replaceAll("\\D+", " ").trim();
                add(quantities, quantity, series, e.epoch(), value);
            });
        }
        double first = epochs.isEmpty() ? 0 : epochs.get(0).epoch();
        double last = epochs.isEmpty() ? 0 : epochs.get(epochs.size() - 1).epoch();
        List<XYChart> panels = new ArrayList<>();
        for (Map.Entry<String, Map<String, List<double[]>>> q : quantities.entrySet()) {
            String quantity = q.getKey();
            XYChart chart = new XYChartBuilder().width(WIDTH).height(PANEL_HEIGHT)
                    .title(panels.isEmpty() ? title + ": " + quantity : quantity)
                    .xAxisTitle("epoch").yAxisTitle(quantity).build();
            XYStyler styler = chart.getStyler();
            // Below, not beside: a legend beside the plot would narrow each panel's x axis by a different width.
            styler.setLegendPosition(Styler.LegendPosition.OutsideS);
            styler.setLegendLayout(Styler.LegendLayout.Horizontal);
            // 2850 rather than the default locale's 2,850; epochs are whole, so fractional ticks go unlabelled.
            styler.setLocale(Locale.ROOT);
            styler.setYAxisDecimalPattern("0.####");
            styler.setxAxisTickLabelsFormattingFunction(x -> x == Math.rint(x) ? Long.toString(Math.round(x)) : "");
            if (last > first) {
                styler.setXAxisMin(first);
                styler.setXAxisMax(last);
            }
            for (Map.Entry<String, List<double[]>> s : q.getValue().entrySet()) {
                List<Double> xs = new ArrayList<>();
                List<Double> ys = new ArrayList<>();
                for (double[] p : s.getValue()) {
                    xs.add(p[0]);
                    ys.add(p[1]);
                }
                XYSeries series = chart.addSeries(s.getKey(), xs, ys);
                // Training loss is measured every epoch; validation only at some, so mark its points.
                series.setMarker(s.getKey().equals("training") ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
            }
            panels.add(chart);
        }
        return panels;
    }

    private static void add(Map<String, Map<String, List<double[]>>> quantities, String quantity, String series,
                            double epoch, double value) {
        quantities.computeIfAbsent(quantity, k -> new TreeMap<>(Comparator.comparing(LearningCurves::naturalOrder)))
                .computeIfAbsent(series, k -> new ArrayList<>())
                .add(new double[] {epoch, value});
    }

    /** The loss first, then the validation metrics by name. */
    private static int compareQuantities(String a, String b) {
        if (a.equals(b)) {
            return 0;
        }
        return a.equals(LOSS) ? -1 : b.equals(LOSS) ? 1 : a.compareTo(b);
    }

    /** The name with its numbers zero-padded, so that "K = 5" comes before "K = 10". */
    private static String naturalOrder(String name) {
        StringBuilder key = new StringBuilder();
        int i = 0;
        while (i < name.length()) {
            int j = i;
            while (j < name.length() && Character.isDigit(name.charAt(j))) {
                j++;
            }
            if (j > i) {
                key.append("0".repeat(Math.max(0, 9 - (j - i)))).append(name, i, j);
                i = j;
            } else {
                key.append(name.charAt(i++));
            }
        }
        return key.toString();
    }

    /** Why the file could not be written, in words: the exception's own message is often just a path. */
    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException denied) {
            return "permission denied on " + denied.getFile();
        }
        if (e instanceof FileSystemException fs) {
            String why = fs.getReason() != null ? fs.getReason() : e.getClass().getSimpleName()
                    .replace("Exception", "").replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
            return fs.getFile() == null ? why : fs.getFile() + ": " + why;
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
