package dev.srr.cli;

import dev.srr.SrrException;
import dev.srr.hub.HubModels;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Lets every command that takes a model accept a Hugging Face Hub name for it, without a change to the command:
 * a model argument ({@code MODEL}, {@code MODEL.gguf} or {@code PATH} parameter, or {@code --model} option, of
 * type {@link Path}) that names no local file or folder but reads {@code ORG/NAME[@REV][:FILE]} is replaced, before
 * the command runs, by the cached snapshot folder or file ({@link HubModels#resolve}). Each such command gains
 * {@code --pull}: download the model first when the cache lacks it (progress on standard error).
 *
 * <p>This is one hook in {@link Main} rather than a converter per command because the commands' option classes
 * are being reorganized; when they share a model option class, that class can call {@link HubModels#resolve}
 * itself and declare {@code --pull}, and this hook steps aside for any command that already has {@code --pull}.
 */
final class HubModelArgs {
    /** Labels of the positional parameters that name a model. */
    static final Set<String> LABELS = Set.of("MODEL", "MODEL.gguf", "PATH");
    static final String PULL = "--pull";

    private HubModelArgs() {
    }

    /** Adds {@code --pull} to the commands that take a model and resolves Hub names before any command runs. */
    static void install(CommandLine root, PrintWriter err) {
        for (CommandLine sub : root.getSubcommands().values()) {
            CommandSpec spec = sub.getCommandSpec();
            if (!modelArgs(spec).isEmpty() && spec.findOption(PULL) == null) {
                spec.addOption(OptionSpec.builder(PULL).arity("0").type(boolean.class)
                        .description("MODEL may also be a Hugging Face model, ORG/NAME[@REVISION][:FILE], read from the Hugging "
                                + "Face cache (see srr pull); --pull downloads it first when the cache lacks it.")
                        .build());
            }
        }
        root.setExecutionStrategy(parsed -> {
            resolve(parsed, err);
            return new CommandLine.RunLast().execute(parsed);
        });
    }

    private static void resolve(ParseResult parsed, PrintWriter err) {
        ParseResult pr = parsed;
        while (true) {
            if (pr.isUsageHelpRequested() || pr.isVersionHelpRequested()) return;
            if (!pr.hasSubcommand()) break;
            pr = pr.subcommand();
        }
        CommandSpec spec = pr.commandSpec();
        OptionSpec pullOption = spec.findOption(PULL);
        boolean pull = pullOption != null && Boolean.TRUE.equals(pullOption.getValue());
        for (ArgSpec arg : modelArgs(spec)) {
            if (!(arg.getValue() instanceof Path path) || Files.exists(path) || !HubModels.isHubSpec(path.toString())) continue;
            try {
                arg.setValue(HubModels.resolve(path.toString(), pull, new PullProgress(err, false)));
            } catch (SrrException e) {
                throw new CommandLine.ExecutionException(spec.commandLine(), e.getMessage(), e);
            }
        }
    }

    private static List<ArgSpec> modelArgs(CommandSpec spec) {
        List<ArgSpec> out = new ArrayList<>();
        for (var p : spec.positionalParameters()) {
            if (p.type() == Path.class && LABELS.contains(p.paramLabel())) out.add(p);
        }
        for (var o : spec.options()) {
            if (o.type() == Path.class && Arrays.asList(o.names()).contains("--model")) out.add(o);
        }
        return out;
    }
}
