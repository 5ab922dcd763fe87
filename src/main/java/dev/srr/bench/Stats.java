package dev.srr.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Throughput samples of one test over repeats: the median is the figure to quote, the spread says how noisy. */
public record Stats(double[] samples) {
    public double median() {
        double[] s = samples.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    public double min() {
        return Arrays.stream(samples).min().orElse(Double.NaN);
    }

    public double max() {
        return Arrays.stream(samples).max().orElse(Double.NaN);
    }

    public double stddev() {
        double mean = Arrays.stream(samples).average().orElse(Double.NaN);
        return Math.sqrt(Arrays.stream(samples).map(x -> (x - mean) * (x - mean)).sum() / Math.max(1, samples.length - 1));
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("median", median());
        m.put("min", min());
        m.put("max", max());
        m.put("stddev", stddev());
        m.put("samples", samples);
        return m;
    }
}
