package dev.srr.cli;

import picocli.CommandLine.Option;

/** {@code --quiet}: nothing on stderr but errors and warnings; what each command leaves out is in {@code options.properties}. */
public final class QuietOption {
    @Option(names = "--quiet", descriptionKey = "quiet-option")
    boolean on;
}
