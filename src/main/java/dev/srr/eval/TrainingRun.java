package dev.srr.eval;

import dev.srr.rank.FeatureList;
import dev.srr.rank.ProgressListener;
import dev.srr.rank.RankerTrainer;
import dev.srr.rank.TrainOptions;
import dev.srr.rank.TrainResult;
import dev.srr.features.FeatureSet;
import dev.srr.data.ListSplit;
import java.util.List;

/** One training run from joined features: seeded validation split, then {@link RankerTrainer}. */
public final class TrainingRun {
    private TrainingRun() {
    }

    public static TrainResult train(FeatureSet data, TrainOptions options, double validationShare,
                                    ListSplit.SharedPrompts shared, ProgressListener listener) {
        ListSplit split = ListSplit.split(data.lists(), validationShare, 0, options.seed(), shared);
        List<FeatureList> train = data.select(split.train()).features();
        List<FeatureList> val = data.select(split.validation()).features();
        return RankerTrainer.train(train, val, options, listener);
    }
}
