package dev.srr.cli;

import picocli.CommandLine.Option;

/** {@code --json}: results as JSON on stdout; what each command prints is in {@code options.properties}. */
public final class JsonOption {
    @Option(names = "--json", descriptionKey = "json-option")
    boolean on;
}
