package dev.srr.cli;

import dev.srr.SrrException;
import dev.srr.io.Json;
import dev.srr.features.FeatureSet;
import dev.srr.features.FeatureSpec;
import dev.srr.data.Labeler;
import dev.srr.data.ListDataset;
import dev.srr.rank.RankerCheckpoint;
import dev.srr.rank.RankingMetrics;
import dev.srr.data.SafetyList;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "rank", mixinStandardHelpOptions = true,
        description = {"Score each list's candidates with a trained ranker and print them from safest to least safe.",
                "Features are extracted from MODEL with the ranker's layer, pooling and encode mode (or read from "
                        + "--features). Plain output: the list id, then its candidates in ranked order with score and a "
                        + "preview. --json: one object per list with scores in input order, the order and the chosen index."})
public final class RankCommand implements Callable<Integer> {
    private static final int PREVIEW = 72;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "MODEL", arity = "0..1", description = "Model (folder or .gguf) to extract features with.")
    Path model;

    @Option(names = "--ranker", required = true, description = "Ranker folder (srr train).")
    Path ranker;

    @Option(names = "--data", required = true, description = "Lists JSONL whose candidates to rank.")
    Path data;

    @Option(names = "--features", description = "Read features from this cache instead of running MODEL.")
    Path features;

    @Mixin
    BackendOption backend;

    @Mixin
    JsonOption json;

    @Mixin
    QuietOption quiet;

    @Override
    public Integer call() {
        if ((model == null) == (features == null)) throw new SrrException("give either MODEL or --features, not both");
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        RankerCheckpoint checkpoint = RankerCheckpoint.load(ranker);
        FeatureSpec fs = FeatureSpec.of(checkpoint, ranker);
        List<SafetyList> lists = ListDataset.read(data).lists();
        FeatureSet set;
        try (FeatureInput input = FeatureInput.open(model, features, backend.name, fs, ranker, false, err, quiet.on)) {
            set = input.source.join(lists, data, fs.layer(), fs.pooling(), Labeler.GIVEN);
        }
        List<double[]> scores = checkpoint.ranker().scoreAll(set.features());
        for (int l = 0; l < set.lists().size(); l++) {
            SafetyList list = set.lists().get(l);
            double[] s = scores.get(l);
            int[] order = RankingMetrics.order(s);
            if (json.on) {
                out.println(jsonLine(list.id(), s));
            } else {
                out.println(list.id());
                for (int rank = 0; rank < order.length; rank++) {
                    int c = order[rank];
                    out.printf(Locale.ROOT, "  %2d. #%-2d %8.3f  %s%n", rank + 1, c, s[c], preview(list.candidates().get(c).text()));
                }
            }
        }
        if (set.missing() > 0 && !quiet.on) err.println("rank: " + set.missing() + " lists of " + data + " have no features and were skipped");
        return 0;
    }

    /**
     * One list's line of {@code --json} output (also what the Spark rank job writes): the id, the scores in input
     * order, the candidate indices from safest to least safe ({@link RankingMetrics#order}) and the chosen index.
     */
    public static String jsonLine(String id, double[] scores) {
        int[] order = RankingMetrics.order(scores);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("scores", scores);
        m.put("order", order);
        m.put("chosen", order[0]);
        return Json.write(m);
    }

    /** The text on one line, cut to a short prefix. */
    static String preview(String text) {
        String flat = text.replaceAll("\\s+", " ").strip();
        return flat.length() <= PREVIEW ? flat : flat.substring(0, PREVIEW - 1) + "…";
    }
}
