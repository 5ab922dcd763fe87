package dev.srr.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Every command's {@code --help} renders as written: a stray {@code %} makes picocli warn and print raw text. */
class HelpTextTest {

    @Test
    void everyCommandsHelpFormatsWithoutPicocliWarnings() {
        List<String> commands = new ArrayList<>();
        collect(new CommandLine(new Main()), commands);
        PrintStream saved = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            for (String path : commands) {
                String[] args = (path.isEmpty() ? "--help" : path + " --help").split(" ");
                CliRunner r = CliRunner.run(args);
                assertEquals(0, r.exitCode(), path + " --help: " + r.err());
                assertFalse(r.out().contains("%n"), path + " --help printed a raw %n");
            }
        } finally {
            System.setErr(saved);
        }
        String warnings = captured.toString(StandardCharsets.UTF_8);
        assertFalse(warnings.contains("picocli WARN"), warnings);
    }

    private static void collect(CommandLine cl, List<String> into) {
        String path = cl.getCommandSpec().qualifiedName(" ").replaceFirst("^\\S+ ?", "");
        if (!path.equals("help")) into.add(path);
        for (CommandLine sub : cl.getSubcommands().values()) {
            if (sub.getCommandSpec().parent() == cl.getCommandSpec()) collect(sub, into);
        }
    }
}
