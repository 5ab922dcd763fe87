package dev.srr.cli;

import dev.srr.data.HarmRule;
import dev.srr.data.KeywordRule;
import dev.srr.data.LabelAgreement;
import dev.srr.data.Labeler;
import dev.srr.data.ListDataset;
import dev.srr.io.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "labels", mixinStandardHelpOptions = true,
        description = {"How the keyword rule's labels agree with the labels the data carries (harm, else label), per source: "
                + "counts, agreement and Cohen's kappa over the candidates both label, and how many labelled candidates the "
                + "rule leaves unlabelled."})
public final class LabelsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, description = "Lists JSONL (repeatable).")
    List<Path> data;

    @Option(names = "--keywords", paramLabel = "FILE", description = "Keyword lists in the format of the bundled keywords.json (default: the bundled rule).")
    Path keywords;

    @Option(names = "--rule", defaultValue = "paper", paramLabel = "paper|refusal",
            description = "How keyword scores become labels, as in srr sample: paper (neither refusal nor affirmation = "
                    + "unlabelled) or refusal (no refusal phrase = unsafe) (default: ${DEFAULT-VALUE}).")
    String rule;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() {
        KeywordRule rule = keywords == null ? KeywordRule.standard() : KeywordRule.read(keywords);
        HarmRule harmRule = HarmRule.parse(this.rule);
        LabelAgreement a = LabelAgreement.of(ListDataset.read(data).lists(), Labeler.GIVEN, harmRule.labeler(rule));
        PrintWriter out = spec.commandLine().getOut();
        if (json.on) {
            out.println(Json.write(a.toJson()));
            return 0;
        }
        out.println("keyword rule (" + harmRule.label() + ") against the data's labels (rows: data; columns: keyword rule safe / unsafe / unlabelled)");
        out.printf(Locale.ROOT, "%-26s %9s %20s %20s %20s %9s %9s %7s%n", "source", "cands", "data safe", "data unsafe",
                "data unlabelled", "both", "agree", "kappa");
        for (Map.Entry<String, LabelAgreement.Table> e : a.bySource().entrySet()) {
            long[][] c = e.getValue().counts();
            out.printf(Locale.ROOT, "%-26s %9d %20s %20s %20s %9d %9s %7s%n", e.getKey(), e.getValue().total(), row(c[0]), row(c[1]),
                    row(c[2]), e.getValue().bothLabelled(), fmt(e.getValue().agreement()), fmt(e.getValue().kappa()));
        }
        return 0;
    }

    private static String row(long[] r) {
        return r[0] + " / " + r[1] + " / " + r[2];
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.3f", v);
    }
}
