package dev.srr.cli;

import dev.srr.SrrException;
import dev.srr.io.AtomicFiles;
import dev.srr.io.Json;
import dev.srr.data.ListDataset;
import dev.srr.data.ListSplit;
import dev.srr.data.SafetyList;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "split", mixinStandardHelpOptions = true,
        description = {"Split lists into a training and a held-out test file, by seed, never separating lists about the same "
                + "prompt (equal normalised prompts, and pairs in --shared-prompts).",
                "Each output line is the input list's JSON unchanged. One feature cache of the whole input serves both files: "
                        + "srr train --data TRAIN and srr eval --data TEST select their lists from it by id."})
public final class SplitCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, description = "Lists JSONL (repeatable).")
    List<Path> data;

    @Option(names = "--test", defaultValue = "0.3", description = "Share of lists for the test file (default: ${DEFAULT-VALUE}).")
    double test;

    @Option(names = "--seed", defaultValue = "0", description = "Split seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--shared-prompts", description = "shared_prompts.json: prompts kept on one side.")
    Path sharedPrompts;

    @Option(names = "--out-train", required = true, description = "Training lists (written atomically).")
    Path outTrain;

    @Option(names = "--out-test", required = true, description = "Test lists (written atomically).")
    Path outTest;

    @Override
    public Integer call() {
        if (!(test > 0 && test < 1)) throw new SrrException("--test: the test share must be between 0 and 1, got " + test);
        List<SafetyList> lists = ListDataset.read(data).lists();
        if (lists.isEmpty()) throw new SrrException(data + ": no lists");
        ListSplit.SharedPrompts shared = sharedPrompts == null ? ListSplit.SharedPrompts.NONE : ListSplit.SharedPrompts.read(sharedPrompts);
        ListSplit split = ListSplit.split(lists, 0, test, seed, shared);
        write(outTrain, split.train());
        write(outTest, split.test());
        spec.commandLine().getOut().printf("split: %d lists -> %d train (%s), %d test (%s), seed %d%n", lists.size(),
                split.train().size(), outTrain, split.test().size(), outTest, seed);
        return 0;
    }

    private static void write(Path file, List<SafetyList> lists) {
        AtomicFiles.write(file, out -> {
            for (SafetyList l : lists) {
                out.write(Json.write(l.fields()).getBytes(StandardCharsets.UTF_8));
                out.write('\n');
            }
        });
    }
}
