package dev.srr.hub;

import dev.srr.SrrException;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Which files of a repository to pull: the files srr needs to load a checkpoint ({@link #isDefault()}), or the
 * files matching at least one {@code include} pattern; in both cases minus those matching an {@code exclude}
 * pattern. Patterns are matched against paths in the repository as {@link Globs} describes.
 *
 * @param include patterns of files to pull; empty for srr's default set
 * @param exclude patterns of files to leave out
 */
public record FileSelection(List<String> include, List<String> exclude) {

    /** Config, tokenizer and generation files srr reads when a repository holds them (each optional but config.json). */
    public static final List<String> DEFAULT_METADATA = List.of("config.json", "generation_config.json",
            "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json");
    /** The shard index; when present, the shards it names are pulled instead of every *.safetensors file. */
    public static final String INDEX = "model.safetensors.index.json";
    /** The single-file checkpoint, pulled when there is no index. */
    public static final String SINGLE = "model.safetensors";

    public FileSelection {
        include = List.copyOf(include);
        exclude = List.copyOf(exclude);
        for (String p : include) check(p, "--include");
        for (String p : exclude) check(p, "--exclude");
    }

    /** What srr needs to load the checkpoint (see {@link #DEFAULT_METADATA}, {@link #INDEX}, {@link #SINGLE}). */
    public static FileSelection defaults() {
        return new FileSelection(List.of(), List.of());
    }

    /** True when no include pattern was given: the default set applies. */
    public boolean isDefault() {
        return include.isEmpty();
    }

    /** This selection with {@code patterns} added to the exclusions. */
    public FileSelection excluding(List<String> patterns) {
        return new FileSelection(include, java.util.stream.Stream.concat(exclude.stream(), patterns.stream()).toList());
    }

    /** True when {@code path} matches an include pattern (always false for the default set) and no exclude pattern. */
    public boolean includes(String path) {
        return include.stream().anyMatch(p -> Globs.matches(p, path)) && !excludes(path);
    }

    /** True when {@code path} matches an exclude pattern. */
    public boolean excludes(String path) {
        return exclude.stream().anyMatch(p -> Globs.matches(p, path));
    }

    /** A short description for messages: {@code --include '*.gguf' --exclude 'x'} or "srr's default files". */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        if (include.isEmpty()) sb.append("srr's default files (config, tokenizer, safetensors)");
        for (String p : include) sb.append(sb.isEmpty() ? "" : " ").append("--include '").append(p).append('\'');
        for (String p : exclude) sb.append(" --exclude '").append(p).append('\'');
        return sb.toString();
    }

    private static void check(String pattern, String option) {
        if (pattern == null || pattern.isBlank()) throw new SrrException(option + ": empty pattern");
        try {
            Pattern ignored = Globs.compile(pattern);
        } catch (RuntimeException e) {
            throw new SrrException(option + " '" + pattern + "': not a usable pattern");
        }
    }
}
