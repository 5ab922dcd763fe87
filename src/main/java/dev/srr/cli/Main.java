package dev.srr.cli;

import dev.srr.SrrException;
import dev.srr.Warnings;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/** Entry point: {@code srr <command>}. Each subcommand is one class in this package. */
@Command(name = "srr", mixinStandardHelpOptions = true, versionProvider = Main.Version.class, resourceBundle = "dev.srr.cli.options",
        description = "Safety Representation Ranking on the JVM: sample candidate answers, read the model's own "
                + "hidden states, pick the safest.",
        subcommands = {
                CommandLine.HelpCommand.class,
                DemoCommand.class,
                InfoCommand.class,
                HiddenCommand.class,
                GenerateCommand.class,
                SynthCommand.class,
                ConvertCommand.class,
                TokenizeCommand.class,
                DetokenizeCommand.class,
                ChatCommand.class,
                FeaturesCommand.class,
                TrainCommand.class,
                EvalCommand.class,
                RankCommand.class,
                SplitCommand.class,
                RespondCommand.class,
                SampleCommand.class,
                LabelsCommand.class,
                BenchCommand.class,
                PullCommand.class,
                ServeCommand.class,
                ServeBenchCommand.class,
        })
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /**
     * Runs one command line with the given streams and returns its exit code (used by tests too): 0 on success,
     * 2 with one {@code srr: error: <message>} line for a problem with the input ({@link SrrException}), 1 with
     * one such line when the heap runs out;
     * warnings about the input go to {@code err} as {@code srr: warning: <message>} lines.
     */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        HubModelArgs.install(cl, err);
        cl.setExecutionExceptionHandler((ex, line, parse) -> {
            if (ex instanceof SrrException) {
                line.getErr().println("srr: error: " + SrrException.oneLine(ex.getMessage()));
                line.getErr().flush();
                return 2;
            }
            throw ex;
        });
        int code;
        try (Warnings.Scope ignored = Warnings.to(err)) {
            code = cl.execute(args);
        } catch (OutOfMemoryError e) {
            err.println("srr: error: out of memory (Java heap of " + Runtime.getRuntime().maxMemory() / (1 << 20)
                    + " MiB): ask for less (fewer candidates, tokens or lists at once), or give the JVM more, e.g. "
                    + "SRR_JAVA_OPTS=-Xmx16g");
            code = 1;
        }
        out.flush();
        err.flush();
        return code;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "missing command (see srr --help)");
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[]{"srr " + (v == null ? "dev" : v) + " (Java " + Runtime.version() + ")"};
        }
    }
}
