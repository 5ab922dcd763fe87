package dev.srr.rank;

import dev.srr.SrrException;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Listwise training: each list's scores go through a softmax and are pulled towards the uniform distribution
 * over its safe candidates (KL loss), with AdamW on mini-batches of lists and early stopping on a validation
 * set. Single-threaded with a fixed summation order, so a seed reproduces the ranker bit for bit.
 */
public final class RankerTrainer {
    private RankerTrainer() {
    }

    public static TrainResult train(List<FeatureList> train, List<FeatureList> validation, TrainOptions options,
                                    ProgressListener listener) {
        long started = System.nanoTime();
        RankerConfig cfg = options.config();
        int d = cfg.featureDim();
        checkDims(train, d, "training");
        checkDims(validation, d, "validation");

        List<FeatureList> usable = new ArrayList<>();
        int dropped = 0;
        for (FeatureList l : train) {
            dropped += l.count(null);
            FeatureList labelled = l.labelledOnly();
            if (labelled != null && labelled.hasSafeAndUnsafe()) usable.add(labelled);
        }
        if (usable.isEmpty()) {
            throw new SrrException("training: none of the " + train.size()
                    + " training lists has both a safe and an unsafe candidate");
        }
        List<FeatureList> valLoss = new ArrayList<>();
        for (FeatureList l : validation) {
            FeatureList labelled = l.labelledOnly();
            if (labelled != null && labelled.hasSafeAndUnsafe()) valLoss.add(labelled);
        }
        TrainResult.DataCounts counts = new TrainResult.DataCounts(usable.size(), train.size() - usable.size(),
                dropped, validation.size(), validation.size() - valLoss.size());
        boolean validate = !valLoss.isEmpty();

        Standardization std = cfg.standardize() ? Standardization.fit(train, d) : null;
        Parameters params = RankerNetwork.initialParameters(cfg, new Random(options.seed()));
        RankerNetwork net = new RankerNetwork(cfg, params);
        listener.onStart(counts, params.count());
        AdamW optimizer = new AdamW(params, options.learningRate(), options.weightDecay());
        Parameters grads = params.zerosLike();
        Random shuffle = new Random(mix(options.seed(), 1));
        Random dropout = new Random(mix(options.seed(), 2));

        List<EpochReport> history = new ArrayList<>();
        Ranker best = null;
        int bestEpoch = 0;
        double bestAcc = Double.NEGATIVE_INFINITY;
        double bestLoss = Double.POSITIVE_INFINITY;
        int sinceBest = 0;
        int[] order = new int[usable.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;

        for (int epoch = 1; epoch <= options.maxEpochs(); epoch++) {
            long t0 = System.nanoTime();
            shuffle(order, shuffle);
            double lossSum = 0;
            for (int from = 0; from < order.length; from += options.batchSize()) {
                int to = Math.min(order.length, from + options.batchSize());
                List<FeatureList> batch = new ArrayList<>(to - from);
                for (int i = from; i < to; i++) batch.add(usable.get(order[i]));
                lossSum += step(net, batch, std, dropout, optimizer, grads);
            }
            double trainLoss = lossSum / order.length;

            Ranker snapshot = new Ranker(cfg, params, std);
            double vLoss = Double.NaN;
            double vAcc = Double.NaN;
            boolean improved;
            if (validate) {
                vLoss = meanLoss(snapshot, valLoss);
                vAcc = accuracy(snapshot, validation);
                improved = switch (options.stopOn()) {
                    case ACCURACY -> vAcc > bestAcc || (vAcc == bestAcc && vLoss < bestLoss);
                    case LOSS -> vLoss < bestLoss;
                };
            } else {
                improved = true;
            }
            if (improved) {
                best = snapshot;
                bestEpoch = epoch;
                bestAcc = validate ? vAcc : bestAcc;
                bestLoss = validate ? vLoss : bestLoss;
                sinceBest = 0;
            } else {
                sinceBest++;
            }
            EpochReport report = new EpochReport(epoch, trainLoss, vLoss, vAcc, improved, (System.nanoTime() - t0) / 1e9);
            history.add(report);
            listener.onEpoch(report);
            if (validate && sinceBest >= options.patience()) break;
        }
        RankingMetrics valMetrics = validation.isEmpty() ? null : evaluate(best, validation);
        return new TrainResult(best, bestEpoch, List.copyOf(history), valMetrics, counts, FeatureList.sha256(train),
                options.seed(), (System.nanoTime() - started) / 1e9);
    }

    /** One optimizer step on a batch; returns the batch's summed loss. */
    private static double step(RankerNetwork net, List<FeatureList> batch, Standardization std, Random dropout,
                               AdamW optimizer, Parameters grads) {
        Segments seg = Ranker.segments(batch);
        double[] z = Ranker.inputs(batch, seg, net.config().featureDim(), std);
        RankerNetwork.Pass pass = net.forward(z, seg, dropout);
        double[][] ds = new double[batch.size()][];
        double loss = 0;
        for (int l = 0; l < batch.size(); l++) {
            double[] target = target(batch.get(l));
            double[] s = pass.scores()[l];
            loss += ListwiseLoss.loss(s, target);
            ds[l] = ListwiseLoss.gradient(s, target, 1.0 / batch.size());
        }
        grads.fill(0);
        net.backward(pass, ds, grads);
        optimizer.step(grads);
        return loss;
    }

    /** Mean KL loss of {@code ranker} over lists that all have a safe and an unsafe candidate. */
    public static double meanLoss(Ranker ranker, List<FeatureList> lists) {
        List<double[]> scores = ranker.scoreAll(lists);
        double sum = 0;
        for (int l = 0; l < lists.size(); l++) sum += ListwiseLoss.loss(scores.get(l), target(lists.get(l)));
        return sum / lists.size();
    }

    public static RankingMetrics evaluate(Ranker ranker, List<FeatureList> lists) {
        return RankingMetrics.compute(ranker.scoreAll(lists), lists.stream().map(FeatureList::safe).toList());
    }

    private static double accuracy(Ranker ranker, List<FeatureList> lists) {
        return evaluate(ranker, lists).accuracy();
    }

    private static double[] target(FeatureList list) {
        boolean[] safe = new boolean[list.size()];
        for (int i = 0; i < safe.length; i++) safe[i] = Boolean.TRUE.equals(list.safe()[i]);
        return ListwiseLoss.target(safe);
    }

    private static void checkDims(List<FeatureList> lists, int d, String what) {
        for (FeatureList l : lists) {
            if (l.dim() != d) {
                throw new SrrException(what + " list " + l.id() + ": features have dimension " + l.dim()
                        + " but the ranker is configured for " + d);
            }
        }
    }

    /** Fisher-Yates with {@link Random}, whose sequence Java specifies exactly. */
    private static void shuffle(int[] a, Random rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    private static long mix(long seed, long stream) {
        long z = seed + stream * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
