package dev.srr.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs srr in-process and keeps what it printed. */
public record CliRunner(int exitCode, String out, String err) {

    public static CliRunner run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new CliRunner(code, out.toString(), err.toString());
    }

    /**
     * Asserts what a user error must look like: exit code 2, exactly one {@code srr: error:} line holding every
     * fragment (the file, the field or tensor), and no stack trace or Java exception class name anywhere on stderr.
     */
    public CliRunner assertUserError(String... fragments) {
        assertEquals(2, exitCode, "exit code; stderr: " + err);
        String[] errors = err.lines().filter(l -> l.startsWith("srr: error: ")).toArray(String[]::new);
        assertEquals(1, errors.length, "one error line expected in: " + err);
        for (String f : fragments) assertTrue(errors[0].contains(f), "expected '" + f + "' in: " + errors[0]);
        assertFalse(err.contains("\tat ") || err.contains("Exception") || err.contains("java."),
                "stack trace or exception class on stderr: " + err);
        return this;
    }
}
