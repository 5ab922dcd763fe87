package dev.srr.spark;

import dev.srr.SrrException;
import dev.srr.data.SafetyList;
import dev.srr.engine.Pooling;
import dev.srr.features.EncodeMode;
import dev.srr.features.FeatureExtractor;
import dev.srr.features.ListFeatures;
import dev.srr.model.ModelConfig;
import dev.srr.rank.FeatureList;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code features}: SRR features of every list, as Parquet. One row per list, layer and pooling:
 * <pre>
 *   list_index  long            the list's line in the input, from 0 (input order)
 *   id          string          the list's id
 *   layer       int             hidden_states index (decoder layers counted from 1)
 *   pooling     string          last or mean (candidate pooling; the instruction is always the prompt's last token)
 *   instruction array&lt;float&gt;    [hidden]
 *   candidates  array&lt;array&lt;float&gt;&gt;  [candidates][hidden], in list order
 * </pre>
 * The vectors are those {@code srr features} caches, from the same {@link FeatureExtractor}. Written by Spark's
 * Parquet writer, whose commit protocol keeps retried tasks from duplicating rows.
 */
public final class FeaturesJob {
    /** The Parquet schema above. */
    public static final StructType SCHEMA = new StructType()
            .add("list_index", DataTypes.LongType, false)
            .add("id", DataTypes.StringType, false)
            .add("layer", DataTypes.IntegerType, false)
            .add("pooling", DataTypes.StringType, false)
            .add("instruction", DataTypes.createArrayType(DataTypes.FloatType, false), false)
            .add("candidates", DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.FloatType, false), false), false);

    private FeaturesJob() {
    }

    /**
     * @param layers   hidden_states indices (1..layers of the model), or null for 25% depth ({@link ModelConfig#quarterLayer})
     * @param poolings candidate poolings (last, mean)
     * @param encode   continuation or standalone
     * @throws SrrException for a missing input, an existing output, bad options, or (from a task) a malformed list,
     *                      an unreadable model or a layer beyond its depth
     */
    public static JobReport run(SparkSession spark, JobSettings settings, int[] layers, List<Pooling> poolings, EncodeMode encode,
                                String input, String output, int minPartitions, PartitionHook hook) {
        long start = System.nanoTime();
        var sc = new org.apache.spark.api.java.JavaSparkContext(spark.sparkContext());
        ListInput.requireNewOutput(sc, output);
        if (poolings.isEmpty() || poolings.contains(Pooling.ALL)) throw new SrrException("--pool: use last and/or mean");
        Pooling[] pools = poolings.stream().distinct().toArray(Pooling[]::new);
        JobCounters counters = new JobCounters(spark.sparkContext());
        JavaRDD<Row> rows = ListInput.read(sc, input, minPartitions).mapPartitions(lines -> {
            FeatureExtractor[] extractor = {null};
            ExecutorResources.Model[] model = {null};
            int[][] wanted = {null};
            long[] done = {0};
            return new Batched<IndexedLine, Row>(lines, settings.batch(), batch -> {
                List<Row> out = new ArrayList<>();
                for (IndexedLine line : batch) {
                    SafetyList l = line.parse(input);
                    if (l.candidates().isEmpty()) continue;
                    if (extractor[0] == null) {
                        model[0] = ExecutorResources.model(settings.model(), settings.backend(), counters::loaded);
                        wanted[0] = layers(layers, model[0].model.config());
                        extractor[0] = new FeatureExtractor(model[0].model.forward(), model[0].tokenizer, wanted[0], pools, encode);
                    }
                    hook.beforeList(org.apache.spark.TaskContext.get(), done[0]);
                    ListFeatures f;
                    synchronized (model[0].lock) {
                        f = extractor[0].extract(l);
                    }
                    for (int layer : wanted[0]) {
                        for (Pooling p : pools) {
                            FeatureList at = f.at(layer, p, null);
                            out.add(RowFactory.create(line.index, l.id(), layer, p.label(), at.instruction(), at.candidates()));
                        }
                    }
                    done[0]++;
                    counters.lists.add(1);
                    counters.candidates.add(l.candidates().size());
                }
                return out;
            });
        });
        spark.createDataFrame(rows, SCHEMA).write().parquet(output);
        return JobReport.of(counters, start);
    }

    private static int[] layers(int[] asked, ModelConfig config) {
        if (asked == null) return new int[]{config.quarterLayer()};
        for (int l : asked) {
            if (l < 1 || l > config.numLayers()) {
                throw new SrrException("--layers: layer " + l + " is outside the model's 1.." + config.numLayers());
            }
        }
        return Arrays.stream(asked).distinct().sorted().toArray();
    }
}
