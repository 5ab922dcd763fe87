package dev.srr.cli;

import dev.srr.data.ListSplit;
import dev.srr.rank.RankerConfig;
import dev.srr.rank.TrainOptions;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** How rankers train, for {@code train} and for the rankers {@code eval} trains (final-layer baseline, sweep, transfer). */
public final class RankerArgs {
    /** The projection dimension without --dim (and without a ranker to copy). */
    static final int DEFAULT_DIM = 256;

    @Option(names = "--dim", descriptionKey = "ranker-dim")
    Integer dim;

    @Option(names = "--heads", defaultValue = "4", descriptionKey = "ranker-heads")
    int heads;

    @Option(names = "--epochs", defaultValue = "30", descriptionKey = "ranker-epochs")
    int epochs;

    @Option(names = "--patience", defaultValue = "5", descriptionKey = "ranker-patience")
    int patience;

    @Option(names = "--val", defaultValue = "0.15", descriptionKey = "ranker-val")
    double val;

    @Option(names = "--shared-prompts", descriptionKey = "ranker-shared-prompts")
    Path sharedPrompts;

    @Option(names = "--seed", defaultValue = "0", descriptionKey = "ranker-seed")
    long seed;

    /** A ranker of the default shape for features of {@code featureDim}, with --dim and --heads. */
    RankerConfig shape(int featureDim) {
        int p = dim == null ? DEFAULT_DIM : dim;
        return RankerConfig.defaults(featureDim).withProjection(p, heads, 4 * p);
    }

    /** Training of a ranker shaped like {@code shape} (its projection changed by --dim), with the epochs and seed given. */
    TrainOptions options(RankerConfig shape) {
        RankerConfig c = dim == null ? shape : shape.withProjection(dim, shape.heads(), 4 * dim);
        return TrainOptions.defaults(c).withEpochs(epochs).withPatience(patience).withSeed(seed);
    }

    ListSplit.SharedPrompts shared() {
        return sharedPrompts == null ? ListSplit.SharedPrompts.NONE : ListSplit.SharedPrompts.read(sharedPrompts);
    }
}
