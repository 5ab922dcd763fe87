package dev.srr.spark;

import dev.srr.cli.RankCommand;
import dev.srr.data.SafetyList;
import org.apache.spark.api.java.JavaSparkContext;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code rank}: every list of the input scored by the ranker, written as text part files holding exactly the lines
 * {@code srr rank --json} prints (one JSON object per list: id, scores in input order, order, chosen), in input order
 * across the parts. Lists without candidates are skipped, as {@code srr rank} skips them.
 *
 * <p>The parts are written by Spark's Hadoop writer through its output commit protocol: a task's file becomes part of
 * the output only when that attempt commits, so a failed and retried task leaves neither a duplicate nor a gap.
 */
public final class RankJob {
    private RankJob() {
    }

    /**
     * @param input         lists JSONL: a file, folder or glob on any Hadoop file system
     * @param output        a folder that must not exist yet
     * @param minPartitions the least number of partitions
     * @throws dev.srr.SrrException for a missing input, an existing output, or (from a task) a malformed list, a
     *                              model or ranker that cannot be read, or a ranker that does not fit the model
     */
    public static JobReport run(JavaSparkContext sc, JobSettings settings, String input, String output, int minPartitions,
                                PartitionHook hook) {
        long start = System.nanoTime();
        ListInput.requireNewOutput(sc, output);
        JobCounters counters = new JobCounters(sc.sc());
        ListInput.read(sc, input, minPartitions).mapPartitions(lines -> {
            ListScorer[] scorer = {null};
            return new Batched<IndexedLine, String>(lines, settings.batch(), batch -> {
                List<SafetyList> lists = new ArrayList<>();
                for (IndexedLine line : batch) {
                    SafetyList l = line.parse(input);
                    if (!l.candidates().isEmpty()) lists.add(l);
                }
                if (lists.isEmpty()) return List.of();
                if (scorer[0] == null) scorer[0] = new ListScorer(settings, counters, hook);
                List<double[]> scores = scorer[0].score(lists);
                List<String> out = new ArrayList<>(lists.size());
                for (int i = 0; i < lists.size(); i++) out.add(RankCommand.jsonLine(lists.get(i).id(), scores.get(i)));
                return out;
            });
        }).saveAsTextFile(output);
        return JobReport.of(counters, start);
    }
}
