package dev.srr.spark;

import dev.srr.SrrException;
import dev.srr.engine.Pooling;
import dev.srr.features.EncodeMode;
import dev.srr.features.FeatureSpec;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Main class of srr-spark.jar, for {@code spark-submit}: {@code srr-spark rank|features|eval|respond [options]}. The master,
 * executors and memory come from spark-submit; input and output are Hadoop file system paths; the model and the
 * ranker are paths every executor can read (or files shipped with {@code --files}/{@code --archives}).
 */
@Command(name = "srr-spark", mixinStandardHelpOptions = true, version = "srr-spark 0.1.0",
        description = "srr's feature extraction, ranking, evaluation and SRR answers as Apache Spark jobs (submit with spark-submit).",
        subcommands = {SrrSpark.Rank.class, SrrSpark.Features.class, SrrSpark.Eval.class, SrrSpark.Respond.class,
                CommandLine.HelpCommand.class})
public final class SrrSpark {

    /** Options every job has. */
    static final class Common {
        @Option(names = "--model", required = true, description = "Model folder or .gguf file, readable on every executor.")
        String model;

        @Option(names = "--data", required = true, description = "Lists JSONL: file, folder or glob on any Hadoop file system.")
        String data;

        @Option(names = "--backend", defaultValue = "cpu", description = "Compute backend (default: ${DEFAULT-VALUE}).")
        String backend;

        @Option(names = "--batch", defaultValue = "16", description = "Lists per batch within a task (default: ${DEFAULT-VALUE}).")
        int batch;

        @Option(names = "--partitions", defaultValue = "2", description = "Least number of input partitions (default: ${DEFAULT-VALUE}).")
        int partitions;

        void check() {
            if (batch < 1) throw new SrrException("--batch must be at least 1, got " + batch);
            if (partitions < 1) throw new SrrException("--partitions must be at least 1, got " + partitions);
        }
    }

    @Command(name = "rank", mixinStandardHelpOptions = true,
            description = "Score every list's candidates; writes text parts holding the lines of srr rank --json, in input order.")
    static final class Rank implements Callable<Integer> {
        @Mixin
        Common common;

        @Option(names = "--ranker", required = true, description = "Ranker folder (srr train), readable on every executor.")
        String ranker;

        @Option(names = "--out", required = true, description = "Output folder (must not exist).")
        String out;

        @Override
        public Integer call() throws IOException {
            common.check();
            try (SparkSession spark = session("rank")) {
                JobReport r = RankJob.run(new JavaSparkContext(spark.sparkContext()),
                        new JobSettings(absolute(common.model), absolute(ranker), common.backend, common.batch), common.data, out, common.partitions,
                        PartitionHook.NONE);
                System.err.println(r.line("rank", "lists"));
            }
            return 0;
        }
    }

    @Command(name = "features", mixinStandardHelpOptions = true,
            description = "Extract SRR features of every list to Parquet: one row per list, layer and pooling "
                    + "(list_index, id, layer, pooling, instruction, candidates).")
    static final class Features implements Callable<Integer> {
        @Mixin
        Common common;

        @Option(names = "--layers", split = ",", description = "hidden_states indices, e.g. 2,4 (default: 25%% depth).")
        int[] layers;

        @Option(names = "--pool", defaultValue = "last", description = "last, mean or last,mean (default: ${DEFAULT-VALUE}).")
        String pool;

        @Option(names = "--encode", defaultValue = "continuation", description = "continuation or standalone (default: ${DEFAULT-VALUE}).")
        String encode;

        @Option(names = "--out", required = true, description = "Output folder for the Parquet files (must not exist).")
        String out;

        @Override
        public Integer call() throws IOException {
            common.check();
            List<Pooling> pools = Arrays.stream(pool.split(",")).map(Pooling::parse).toList();
            EncodeMode mode = EncodeMode.parse(encode);
            try (SparkSession spark = session("features")) {
                JobReport r = FeaturesJob.run(spark, new JobSettings(absolute(common.model), null, common.backend, common.batch), layers,
                        pools, mode, common.data, out, common.partitions, PartitionHook.NONE);
                System.err.println(r.line("features", "lists"));
            }
            return 0;
        }
    }

    @Command(name = "eval", mixinStandardHelpOptions = true,
            description = "A ranker's metrics over all lists next to the baselines (as srr eval --json, given labels); "
                    + "printed as JSON, and written to --out when given.")
    static final class Eval implements Callable<Integer> {
        @Mixin
        Common common;

        @Option(names = "--ranker", required = true, description = "Ranker folder (srr train), readable on every executor.")
        String ranker;

        @Option(names = "--out", description = "Also write the JSON to this file (any Hadoop file system; must not exist).")
        String out;

        @Override
        public Integer call() throws IOException {
            common.check();
            try (SparkSession spark = session("eval")) {
                JavaSparkContext sc = new JavaSparkContext(spark.sparkContext());
                if (out != null) ListInput.requireNewOutput(sc, out);
                JobSettings settings = new JobSettings(absolute(common.model), absolute(ranker), common.backend, common.batch);
                EvalJob.Result r = EvalJob.run(sc, settings, common.data, common.partitions, PartitionHook.NONE);
                FeatureSpec spec = FeatureSpec.of(ExecutorResources.ranker(ranker), ExecutorResources.local(ranker, "ranker"));
                String json = EvalJob.json(r, ranker, spec, common.data);
                System.out.println(json);
                if (out != null) write(sc, out, json + "\n");
                System.err.println(r.report().line("eval", "lists"));
            }
            return 0;
        }
    }

    @Command(name = "respond", mixinStandardHelpOptions = true,
            description = "Answer every prompt (JSONL: id, prompt or messages, optional seed) with the best of K sampled "
                    + "candidates; writes text parts with one srr respond --json document per prompt (plus its id), in input order.")
    static final class Respond implements Callable<Integer> {
        @Mixin
        Common common;

        @Option(names = "--ranker", required = true, description = "Ranker folder (srr train), readable on every executor.")
        String ranker;

        @Option(names = "--out", required = true, description = "Output folder (must not exist).")
        String out;

        @Option(names = "--n", defaultValue = "8", description = "Candidates per prompt (default: ${DEFAULT-VALUE}).")
        int n;

        @Option(names = "--max-new-tokens", defaultValue = "64", description = "Tokens per candidate at most (default: ${DEFAULT-VALUE}).")
        int maxNewTokens;

        @Option(names = "--greedy", description = "Always take the most likely token.")
        boolean greedy;

        @Option(names = "--temperature", defaultValue = "1.0", description = "Sampling temperature (default: ${DEFAULT-VALUE}).")
        float temperature;

        @Option(names = "--top-k", defaultValue = "0", description = "Keep the K most likely tokens; 0 = off (default: ${DEFAULT-VALUE}).")
        int topK;

        @Option(names = "--top-p", defaultValue = "1.0", description = "Nucleus mass (default: ${DEFAULT-VALUE}).")
        float topP;

        @Option(names = "--min-p", defaultValue = "0.0", description = "Min-p (default: ${DEFAULT-VALUE}).")
        float minP;

        @Option(names = "--repetition-penalty", defaultValue = "1.0", description = "Repetition penalty (default: ${DEFAULT-VALUE}).")
        float repetitionPenalty;

        @Option(names = "--seed", description = "Seed of prompts without their own (default: a random seed, in each output line).")
        Long seed;

        @Override
        public Integer call() throws IOException {
            common.check();
            SamplingSettings sampling;
            try {
                sampling = new SamplingSettings(n, maxNewTokens, greedy, temperature, topK, topP, minP, repetitionPenalty,
                        seed != null ? seed : java.util.concurrent.ThreadLocalRandom.current().nextLong());
            } catch (IllegalArgumentException e) {
                throw new SrrException(e.getMessage());
            }
            try (SparkSession spark = session("respond")) {
                JobReport r = RespondJob.run(new JavaSparkContext(spark.sparkContext()),
                        new JobSettings(absolute(common.model), absolute(ranker), common.backend, common.batch), sampling, common.data, out,
                        common.partitions, PartitionHook.NONE);
                System.err.println(r.line("respond", "prompts"));
            }
            return 0;
        }
    }

    /**
     * A model or ranker path as executors should see it: absolute when it exists here (executors run in other working
     * folders), else unchanged (the name of a file shipped with --files, or a path only the executors have).
     */
    static String absolute(String path) {
        java.nio.file.Path p = java.nio.file.Path.of(path);
        return java.nio.file.Files.exists(p) ? p.toAbsolutePath().normalize().toString() : path;
    }

    private static SparkSession session(String job) {
        return SparkSession.builder().appName("srr-spark " + job).getOrCreate();
    }

    private static void write(JavaSparkContext sc, String path, String text) {
        Path p = new Path(path);
        try (FSDataOutputStream o = p.getFileSystem(sc.hadoopConfiguration()).create(p, false)) {
            o.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new SrrException(path + ": cannot write: " + e.getMessage());
        }
    }

    /**
     * Runs the command line; user errors ({@link SrrException}, bad options) print one {@code srr-spark: error:} line.
     *
     * @return the exit code: 0 done, 2 a user error
     */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new SrrSpark());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            Throwable t = e;
            while (t != null && !(t instanceof SrrException)) t = t.getCause();
            if (t == null) throw e;
            err.println("srr-spark: error: " + SrrException.oneLine(t.getMessage()));
            return 2;
        });
        return cl.execute(args);
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        System.exit(run(out, err, args));
    }
}
