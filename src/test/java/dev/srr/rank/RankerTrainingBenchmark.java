package dev.srr.rank;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Times ranker training epochs (not a test; run with {@code java ... dev.srr.rank.RankerTrainingBenchmark [d] [p] [lists] [epochs]}).
 * Prints each epoch's seconds, the median, and a hash of the trained weights so runs of different builds can be
 * checked for bit-identical results.
 */
public final class RankerTrainingBenchmark {
    public static void main(String[] args) throws Exception {
        int d = args.length > 0 ? Integer.parseInt(args[0]) : 896;
        int p = args.length > 1 ? Integer.parseInt(args[1]) : 256;
        int n = args.length > 2 ? Integer.parseInt(args[2]) : 500;
        int epochs = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        SyntheticLists task = new SyntheticLists(d, 1.0, 1);
        List<FeatureList> train = task.lists(n, 8, 10);
        List<FeatureList> val = task.lists(Math.max(1, n / 6), 8, 11);
        RankerConfig cfg = RankerConfig.defaults(d).withProjection(p, 4, 4 * p);
        // patience above the epoch count: every run trains exactly `epochs` epochs
        TrainOptions opt = TrainOptions.defaults(cfg).withEpochs(epochs).withPatience(epochs + 1).withSeed(5);
        List<Double> secs = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        // process CPU time per epoch as well: on a shared machine it is less sensitive to other load than wall time
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long[] lastCpu = {os.getProcessCpuTime()};
        TrainResult r = RankerTrainer.train(train, val, opt, rep -> {
            long now = os.getProcessCpuTime();
            secs.add(rep.seconds());
            cpu.add((now - lastCpu[0]) / 1e9);
            lastCpu[0] = now;
            System.out.printf("epoch %d  %.3f s  cpu %.3f s  train loss %.6f%n", rep.epoch(), rep.seconds(), cpu.getLast(), rep.trainLoss());
        });
        double[] s = secs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        var md = java.security.MessageDigest.getInstance("SHA-256");
        for (Parameters.Param prm : r.ranker().parameters().all()) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(prm.size() * 8);
            for (double v : prm.values()) b.putDouble(v);
            md.update(b.array());
        }
        double[] c = cpu.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        System.out.printf("d=%d p=%d lists=%d: median epoch %.3f s wall (min %.3f, max %.3f), %.3f s cpu, total %.1f s, weights sha256 %s%n",
                d, p, n, s[s.length / 2], s[0], s[s.length - 1], c[c.length / 2], r.seconds(),
                HexFormat.of().formatHex(md.digest()).substring(0, 16));
        System.out.println(Arrays.toString(s));
    }
}
