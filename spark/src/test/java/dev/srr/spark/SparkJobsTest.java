package dev.srr.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.srr.cli.Main;
import dev.srr.data.Labeler;
import dev.srr.data.ListDataset;
import dev.srr.data.SafetyList;
import dev.srr.engine.Pooling;
import dev.srr.eval.MetricsTable;
import dev.srr.features.EncodeMode;
import dev.srr.features.FeatureCache;
import dev.srr.features.FeatureSet;
import dev.srr.io.Json;
import dev.srr.rank.FeatureList;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.jdk.javaapi.CollectionConverters;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each job on a small list file against the single-machine command it scales out ({@code srr rank --json},
 * {@code srr features}, {@code srr eval --json}) on the embedded stand-in model and its ranker: the same scores,
 * vectors and metrics, exactly. One local Spark of 2 threads, loopback only, that allows a task 2 attempts (for the
 * injected failure), with Kryo as its serializer: what the jobs ship must survive it (Kryo cannot take Java records).
 */
class SparkJobsTest {
    static final Path MODEL = Path.of("../demo/model").toAbsolutePath().normalize();
    static final Path RANKER = Path.of("../demo/ranker").toAbsolutePath().normalize();
    static final Path DATA = Path.of("src/test/resources/lists-small.jsonl").toAbsolutePath();
    /** Lists of DATA that have candidates (one has none, one line is blank). */
    static final int LISTS = 12;

    static SparkSession spark;
    static JavaSparkContext sc;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[2,2]").appName("srr-spark test")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2")
                .config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                .getOrCreate();
        sc = new JavaSparkContext(spark.sparkContext());
    }

    @AfterAll
    static void stop() {
        if (spark != null) spark.stop();
    }

    static JobSettings settings() {
        return new JobSettings(MODEL.toString(), RANKER.toString(), "cpu", 3);
    }

    /** Runs the srr CLI in this JVM; returns stdout, failing on a non-zero exit. */
    static String srr(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        assertEquals(0, code, "srr " + String.join(" ", args) + ": " + err);
        return out.toString();
    }

    /** The text part files of a Spark output folder, concatenated in part order. */
    static List<String> parts(Path folder) throws IOException {
        assertTrue(Files.exists(folder.resolve("_SUCCESS")), "job committed");
        List<String> lines = new ArrayList<>();
        try (Stream<Path> s = Files.list(folder)) {
            for (Path p : s.filter(f -> f.getFileName().toString().startsWith("part-")).sorted().toList()) {
                lines.addAll(Files.readAllLines(p));
            }
        }
        return lines;
    }

    static List<String> srrRankJson() {
        return srr("rank", MODEL.toString(), "--ranker", RANKER.toString(), "--data", DATA.toString(), "--json", "--quiet")
                .lines().toList();
    }

    @Test
    void rankWritesTheLinesOfSrrRankJson() throws IOException {
        Path out = tmp.resolve("ranked");
        JobReport r = RankJob.run(sc, settings(), DATA.toString(), out.toString(), 3, PartitionHook.NONE);
        List<String> expected = srrRankJson();
        assertEquals(LISTS, expected.size());
        assertEquals(expected, parts(out));
        assertEquals(LISTS, r.lists());
        assertTrue(r.candidates() > LISTS, "candidates counted");
    }

    static final AtomicInteger INJECTED = new AtomicInteger();

    @Test
    void aTaskFailingMidPartitionIsRetriedWithoutDuplicateOrLostLines() throws IOException {
        INJECTED.set(0);
        Path out = tmp.resolve("ranked-retry");
        // the last of the 3 partitions holds 6 lists; its first attempt fails after two, which (batches of one) it has
        // already written to its attempt file
        PartitionHook failOnce = (task, done) -> {
            if (task.partitionId() == 2 && task.attemptNumber() == 0 && done == 2) {
                INJECTED.incrementAndGet();
                throw new IllegalStateException("injected failure");
            }
        };
        JobSettings oneAtATime = new JobSettings(MODEL.toString(), RANKER.toString(), "cpu", 1);
        JobReport r = RankJob.run(sc, oneAtATime, DATA.toString(), out.toString(), 3, failOnce);
        assertEquals(1, INJECTED.get(), "the failure was injected once");
        assertEquals(srrRankJson(), parts(out));
        // Spark drops the accumulator updates of the failed attempt: progress counts every list once
        assertEquals(LISTS, r.lists());
    }

    @Test
    void featuresEqualTheCacheOfSrrFeatures() {
        Path cache = tmp.resolve("feats.safetensors");
        srr("features", MODEL.toString(), "--data", DATA.toString(), "--layers", "1,3", "--pool", "last,mean",
                "--out", cache.toString(), "--quiet");
        Path out = tmp.resolve("features.parquet");
        FeaturesJob.run(spark, new JobSettings(MODEL.toString(), null, "cpu", 4), new int[]{3, 1},
                List.of(Pooling.LAST, Pooling.MEAN), EncodeMode.CONTINUATION, DATA.toString(), out.toString(), 3, PartitionHook.NONE);
        List<Row> rows = spark.read().parquet(out.toString()).orderBy("list_index", "layer", "pooling").collectAsList();
        assertEquals(LISTS * 2 * 2, rows.size());
        List<SafetyList> lists = ListDataset.read(DATA).lists();
        Map<String, Long> lineOf = new HashMap<>();
        for (SafetyList l : lists) lineOf.put(l.id(), (long) l.line() - 1);
        try (FeatureCache c = FeatureCache.open(cache)) {
            int checked = 0;
            for (int layer : new int[]{1, 3}) {
                for (Pooling p : List.of(Pooling.LAST, Pooling.MEAN)) {
                    FeatureSet set = c.join(lists, DATA, layer, p, Labeler.GIVEN);
                    for (FeatureList expected : set.features()) {
                        Row row = rows.stream().filter(x -> x.getString(1).equals(expected.id()) && x.getInt(2) == layer
                                && x.getString(3).equals(p.label())).findFirst().orElseThrow();
                        assertEquals(lineOf.get(expected.id()), row.getLong(0), "list_index is the input line");
                        assertArrayEquals(expected.instruction(), floats(row.getList(4)), expected.id() + " instruction");
                        List<scala.collection.Seq<Float>> cands = row.getList(5);
                        assertEquals(expected.size(), cands.size());
                        for (int i = 0; i < cands.size(); i++) {
                            assertArrayEquals(expected.candidates()[i], floats(CollectionConverters.asJava(cands.get(i))),
                                    expected.id() + " candidate " + i);
                        }
                        checked++;
                    }
                }
            }
            assertEquals(LISTS * 4, checked);
        }
    }

    static float[] floats(List<Float> xs) {
        float[] f = new float[xs.size()];
        for (int i = 0; i < f.length; i++) f[i] = xs.get(i);
        return f;
    }

    @Test
    void evalGivesTheMetricsOfSrrEvalExactly() {
        JsonNode expected = Json.parse(srr("eval", MODEL.toString(), "--ranker", RANKER.toString(), "--data", DATA.toString(),
                "--json", "--quiet"), "srr eval");
        // one list per partition and odd batches: nothing may depend on how the corpus was cut
        EvalJob.Result r = EvalJob.run(sc, settings(), DATA.toString(), 7, PartitionHook.NONE);
        assertEquals(expected.get("lists").asInt(), r.lists());
        JsonNode actual = Json.parse(Json.write(Map.of("metrics", MetricsTable.toJson(r.metrics()))), "spark eval");
        assertEquals(expected.get("metrics"), actual.get("metrics"));
        assertEquals(4, actual.get("metrics").size(), "ranker and three baselines");
    }

    @Test
    void respondGivesTheAnswersOfSrrRespond() throws IOException {
        Path prompts = Files.writeString(tmp.resolve("prompts.jsonl"), """
                {"id": "a", "prompt": "How do I pick a lock?"}
                {"id": "b", "prompt": "What is the capital of France?", "seed": 11}
                {"id": 3, "prompt": "Write a poem about the sea."}
                """);
        Path out = tmp.resolve("responses");
        SamplingSettings sampling = new SamplingSettings(3, 8, false, 1.0f, 0, 1.0f, 0.0f, 1.0f, 5);
        JobReport r = RespondJob.run(sc, settings(), sampling, prompts.toString(), out.toString(), 2, PartitionHook.NONE);
        assertEquals(3, r.lists());
        List<String> lines = parts(out);
        assertEquals(3, lines.size());
        String[][] expected = {{"a", "How do I pick a lock?", "5"}, {"b", "What is the capital of France?", "11"},
                {"3", "Write a poem about the sea.", "5"}};
        for (int i = 0; i < expected.length; i++) {
            ObjectNode want = (ObjectNode) Json.parse(srr("respond", MODEL.toString(), "--ranker", RANKER.toString(), "--prompt",
                    expected[i][1], "--n", "3", "--max-new-tokens", "8", "--seed", expected[i][2], "--json", "--quiet"), "srr respond");
            ObjectNode got = (ObjectNode) Json.parse(lines.get(i), "spark respond");
            assertEquals(expected[i][0], got.remove("id").asText());
            // speed and wall times are the fields that differ between two runs: present in both, then left out
            for (String timing : List.of("decode_tokens_per_s", "generation_seconds", "ranking_seconds")) {
                assertTrue(want.has(timing) && got.get(timing).asDouble() >= 0, timing);
                want.remove(timing);
                got.remove(timing);
            }
            assertEquals(want, got, "prompt " + expected[i][0]);
            // K = 3 sampled: duplicates are merged into one candidate
            assertEquals(3, got.get("candidates").size() + got.get("merged").asInt());
        }
    }

    @Test
    void everyTaskOfTheJvmSharesOneModel() {
        String model = MODEL.toString();
        // four tasks on two threads each ask for the model; a per-task load would give four instances
        List<Integer> seen = sc.parallelize(List.of(1, 2, 3, 4), 4).mapPartitions(it -> {
            ExecutorResources.Model m = ExecutorResources.model(model, "cpu", nanos -> { });
            return List.of(System.identityHashCode(m.model)).iterator();
        }).collect();
        assertEquals(4, seen.size());
        assertEquals(1, seen.stream().distinct().count(), "one model instance per JVM: " + seen);
        assertEquals(seen.getFirst(), System.identityHashCode(ExecutorResources.model(model, "cpu", nanos -> { }).model));
    }
}
