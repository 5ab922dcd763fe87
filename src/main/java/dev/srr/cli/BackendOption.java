package dev.srr.cli;

import picocli.CommandLine.Option;

/** {@code --backend}: where the model's forward runs (and the ranker's scorer, for respond). */
public final class BackendOption {
    @Option(names = "--backend", paramLabel = "<backend>", defaultValue = "cpu", descriptionKey = "backend-option")
    String name;
}
