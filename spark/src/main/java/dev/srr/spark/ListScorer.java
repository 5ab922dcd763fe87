package dev.srr.spark;

import dev.srr.data.Labeler;
import dev.srr.data.SafetyList;
import dev.srr.features.FeatureExtractor;
import dev.srr.features.FeatureSpec;
import dev.srr.engine.Pooling;
import dev.srr.rank.FeatureList;
import dev.srr.rank.RankerCheckpoint;
import org.apache.spark.TaskContext;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Executor side of rank and eval: the ranker's features extracted by this JVM's model ({@link ExecutorResources})
 * with the ranker's layer, pooling and encode mode, then scored by the core's {@link dev.srr.rank.Ranker}, a batch of
 * lists at a time. The same classes {@code srr rank} and {@code srr eval} use, so the scores are the same.
 */
final class ListScorer {
    private final ExecutorResources.Model model;
    private final RankerCheckpoint checkpoint;
    private final FeatureSpec spec;
    private final FeatureExtractor extractor;
    private final JobCounters counters;
    private final PartitionHook hook;
    private long done;

    ListScorer(JobSettings settings, JobCounters counters, PartitionHook hook) {
        this.counters = counters;
        this.hook = hook;
        this.model = ExecutorResources.model(settings.model(), settings.backend(), counters::loaded);
        Path rankerDir = ExecutorResources.local(settings.ranker(), "ranker");
        this.checkpoint = ExecutorResources.ranker(settings.ranker());
        this.spec = FeatureSpec.of(checkpoint, rankerDir);
        spec.requireModel(model.model, rankerDir);
        this.extractor = new FeatureExtractor(model.model.forward(), model.tokenizer, new int[]{spec.layer()},
                new Pooling[]{spec.pooling()}, spec.encode());
    }

    /** The ranker's scores of each list (all with candidates), in the order given. */
    List<double[]> score(List<SafetyList> lists) {
        List<FeatureList> features = new ArrayList<>(lists.size());
        for (SafetyList l : lists) {
            hook.beforeList(TaskContext.get(), done);
            synchronized (model.lock) {
                features.add(extractor.extract(l).at(spec.layer(), spec.pooling(), Labeler.GIVEN.labels(l)));
            }
            done++;
            counters.lists.add(1);
            counters.candidates.add(l.candidates().size());
        }
        return checkpoint.ranker().scoreAll(features);
    }
}
