package dev.srr.rank;

import dev.srr.SrrException;

/**
 * Training settings.
 *
 * @param config       network shape; its feature dimension must match the data
 * @param maxEpochs    upper bound on passes over the training lists
 * @param batchSize    lists per optimizer step (the loss is the mean over the batch)
 * @param learningRate AdamW step size
 * @param weightDecay  AdamW decoupled weight decay, on weight matrices only
 * @param seed         fixes initialisation, shuffling and dropout: same seed and data, bit-identical ranker
 * @param patience     epochs without validation improvement before stopping (ignored without validation lists)
 * @param stopOn       which validation quantity decides "improvement"
 */
public record TrainOptions(RankerConfig config, int maxEpochs, int batchSize, double learningRate,
                           double weightDecay, long seed, int patience, StopOn stopOn) {

    /** Early-stopping criterion: validation ranking accuracy (ties broken by lower loss), or validation loss. */
    public enum StopOn { ACCURACY, LOSS }

    public TrainOptions {
        if (config == null) throw new SrrException("training: ranker configuration missing");
        if (maxEpochs <= 0) throw new SrrException("training: epochs must be positive, got " + maxEpochs);
        if (batchSize <= 0) throw new SrrException("training: batch size must be positive, got " + batchSize);
        if (!(learningRate > 0)) throw new SrrException("training: learning rate must be positive, got " + learningRate);
        if (!(weightDecay >= 0)) throw new SrrException("training: weight decay must be >= 0, got " + weightDecay);
        if (patience <= 0) throw new SrrException("training: patience must be positive, got " + patience);
        if (stopOn == null) stopOn = StopOn.ACCURACY;
    }

    /** lr 1e-3, weight decay 1e-4, 30 epochs, batches of 16 lists, patience 5, stop on accuracy, seed 0. */
    public static TrainOptions defaults(RankerConfig config) {
        return new TrainOptions(config, 30, 16, 1e-3, 1e-4, 0, 5, StopOn.ACCURACY);
    }

    public TrainOptions withEpochs(int n) {
        return new TrainOptions(config, n, batchSize, learningRate, weightDecay, seed, patience, stopOn);
    }

    public TrainOptions withBatchSize(int n) {
        return new TrainOptions(config, maxEpochs, n, learningRate, weightDecay, seed, patience, stopOn);
    }

    public TrainOptions withLearningRate(double lr) {
        return new TrainOptions(config, maxEpochs, batchSize, lr, weightDecay, seed, patience, stopOn);
    }

    public TrainOptions withWeightDecay(double wd) {
        return new TrainOptions(config, maxEpochs, batchSize, learningRate, wd, seed, patience, stopOn);
    }

    public TrainOptions withSeed(long s) {
        return new TrainOptions(config, maxEpochs, batchSize, learningRate, weightDecay, s, patience, stopOn);
    }

    public TrainOptions withPatience(int n) {
        return new TrainOptions(config, maxEpochs, batchSize, learningRate, weightDecay, seed, n, stopOn);
    }

    public TrainOptions withStopOn(StopOn s) {
        return new TrainOptions(config, maxEpochs, batchSize, learningRate, weightDecay, seed, patience, s);
    }

    public TrainOptions withConfig(RankerConfig c) {
        return new TrainOptions(c, maxEpochs, batchSize, learningRate, weightDecay, seed, patience, stopOn);
    }
}
