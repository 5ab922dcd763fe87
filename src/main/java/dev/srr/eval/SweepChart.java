package dev.srr.eval;

import dev.srr.rank.RankingMetrics;
import dev.srr.engine.Pooling;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The layer sweep as a standalone SVG line chart: ranking accuracy on the evaluated lists (y, 0 to 1) against layer (x), one solid
 * line per pooling, and the layer-independent baselines as dashed horizontal lines.
 */
public final class SweepChart {
    private static final int WIDTH = 720;
    private static final int HEIGHT = 420;
    private static final int LEFT = 60;
    private static final int RIGHT = 200;
    private static final int TOP = 40;
    private static final int BOTTOM = 50;
    private static final String[] LINE_COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd"};
    private static final String[] BASELINE_COLOURS = {"#7f7f7f", "#ff7f0e", "#8c564b", "#e377c2"};

    private SweepChart() {
    }

    public static String svg(LayerSweep sweep, String title) {
        int[] layers = sweep.layers();
        int lo = layers[0];
        int hi = layers[layers.length - 1];
        if (lo == hi) {
            lo -= 1;
            hi += 1;
        }
        double plotW = WIDTH - LEFT - RIGHT;
        double plotH = HEIGHT - TOP - BOTTOM;
        final int x0 = lo;
        final double xSpan = hi - lo;
        java.util.function.DoubleUnaryOperator x = layer -> LEFT + (layer - x0) / xSpan * plotW;
        java.util.function.DoubleUnaryOperator y = acc -> TOP + (1 - acc) * plotH;

        StringBuilder s = new StringBuilder();
        s.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT));
        s.append(String.format(Locale.ROOT, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, HEIGHT));
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"22\" font-size=\"14\">%s</text>%n", LEFT, escape(title)));

        // axes, y ticks every 0.1 with grid lines, x ticks at every swept layer
        s.append(String.format(Locale.ROOT, "<g stroke=\"black\"><line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>"
                        + "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%.1f\"/></g>%n",
                LEFT, TOP + plotH, LEFT + plotW, TOP + plotH, LEFT, TOP, LEFT, TOP + plotH));
        for (int i = 0; i <= 10; i++) {
            double v = i / 10.0;
            double py = y.applyAsDouble(v);
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#e0e0e0\"/>"
                    + "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"black\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.1f</text>%n", LEFT + 1, py, LEFT + plotW, py,
                    LEFT - 5, py, LEFT, py, LEFT - 8, py + 4, v));
        }
        int step = Math.max(1, (int) Math.ceil(layers.length / 16.0));
        for (int i = 0; i < layers.length; i += step) {
            double px = x.applyAsDouble(layers[i]);
            s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"black\"/>"
                    + "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%d</text>%n", px, TOP + plotH, px, TOP + plotH + 5,
                    px, TOP + plotH + 18, layers[i]));
        }
        s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">layer (hidden_states index)</text>%n",
                LEFT + plotW / 2, HEIGHT - 10));
        s.append(String.format(Locale.ROOT, "<text x=\"16\" y=\"%.1f\" text-anchor=\"middle\" transform=\"rotate(-90 16 %.1f)\">"
                + "ranking accuracy on the evaluated lists</text>%n", TOP + plotH / 2, TOP + plotH / 2));

        double legendY = TOP + 10;
        double legendX = LEFT + plotW + 15;
        int c = 0;
        for (Map.Entry<String, RankingMetrics> b : sweep.baselines().entrySet()) {
            double acc = b.getValue().accuracy();
            if (Double.isNaN(acc)) continue;
            String colour = BASELINE_COLOURS[c++ % BASELINE_COLOURS.length];
            double py = y.applyAsDouble(acc);
            s.append(String.format(Locale.ROOT, "<line class=\"baseline\" x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                    + "stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>%n", LEFT, py, LEFT + plotW, py, colour));
            legendY = legend(s, legendX, legendY, colour, true, b.getKey() + String.format(Locale.ROOT, " %.3f", acc));
        }
        c = 0;
        for (Pooling p : sweep.poolings()) {
            String colour = LINE_COLOURS[c++ % LINE_COLOURS.length];
            StringBuilder points = new StringBuilder();
            StringBuilder dots = new StringBuilder();
            for (int layer : layers) {
                LayerSweep.Row r = sweep.row(layer, p);
                if (r == null || Double.isNaN(r.test().accuracy())) continue;
                double px = x.applyAsDouble(layer);
                double py = y.applyAsDouble(r.test().accuracy());
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", px, py));
                dots.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>", px, py, colour));
            }
            s.append(String.format(Locale.ROOT, "<polyline class=\"pooling\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"/>%n",
                    colour, points.toString().trim()));
            s.append(dots).append('\n');
            legendY = legend(s, legendX, legendY, colour, false, "srr, " + p.label() + " pooling");
        }
        s.append("</svg>\n");
        return s.toString();
    }

    private static double legend(StringBuilder s, double x, double y, String colour, boolean dashed, String text) {
        s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2\"%s/>"
                        + "<text x=\"%.1f\" y=\"%.1f\">%s</text>%n", x, y, x + 22, y, colour, dashed ? " stroke-dasharray=\"6 4\"" : "",
                x + 28, y + 4, escape(text)));
        return y + 18;
    }

    static String escape(String t) {
        return t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** The sweep as a text table: layer, then accuracy and AUC per pooling. */
    public static String table(LayerSweep sweep) {
        List<Pooling> pools = sweep.poolings();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%5s", "layer"));
        for (Pooling p : pools) sb.append(String.format(Locale.ROOT, "  %10s  %10s", "acc " + p.label(), "AUC " + p.label()));
        sb.append('\n');
        sb.append("-".repeat(5 + pools.size() * 24)).append('\n');
        for (int layer : sweep.layers()) {
            sb.append(String.format(Locale.ROOT, "%5d", layer));
            for (Pooling p : pools) {
                LayerSweep.Row r = sweep.row(layer, p);
                sb.append(String.format(Locale.ROOT, "  %10s  %10s", fmt(r == null ? Double.NaN : r.test().accuracy()),
                        fmt(r == null ? Double.NaN : r.test().pairwiseAuc())));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.3f", v);
    }
}
