package dev.srr.hub;

import dev.srr.SrrException;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A model on the Hugging Face Hub as the command line names it: {@code ORG/NAME[@REVISION][:FILE]}.
 *
 * <ul>
 *   <li>{@code ORG/NAME}: the repository id, as on the Hub ({@code Qwen/Qwen3-0.6B}); letters, digits,
 *       {@code _ . -}, at most 96 characters, no {@code --} or {@code ..}.</li>
 *   <li>{@code @REVISION}: a branch, tag or commit (default {@code main}); it may hold slashes
 *       ({@code refs/pr/1}).</li>
 *   <li>{@code :FILE}: one file of the repository, for repositories of GGUF files: a path
 *       ({@code :qwen3-0.6b-q4_k_m.gguf}), a pattern matching one file ({@code :*Q4_K_M.gguf}), or a quantization
 *       tag as llama.cpp's {@code -hf} option takes it ({@code :Q4_K_M}, short for {@code :*Q4_K_M.gguf}; a tag is
 *       a FILE with no dot, slash or pattern character).</li>
 * </ul>
 *
 * @param repo     {@code ORG/NAME}
 * @param revision the branch, tag or commit
 * @param file     the FILE part, or null for the whole checkpoint
 */
public record ModelRef(String repo, String revision, String file) {
    /** The branch pulled when the spec names none. */
    public static final String DEFAULT_REVISION = "main";
    private static final String PART = "[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?";
    private static final Pattern SPEC = Pattern.compile("(" + PART + "/" + PART + ")(?:@([^:]+))?(?::(.+))?");
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");

    public ModelRef {
        checkRepo(repo);
        checkRevision(revision, repo);
        if (file != null) checkFile(file, repo);
    }

    /**
     * Parses {@code ORG/NAME[@REVISION][:FILE]}.
     *
     * @throws SrrException naming the spec and the part at fault
     */
    public static ModelRef parse(String spec) {
        Matcher m = SPEC.matcher(spec == null ? "" : spec);
        if (!m.matches()) {
            throw new SrrException("'" + spec + "' is not a Hugging Face model: expected ORG/NAME[@REVISION][:FILE], "
                    + "for example Qwen/Qwen3-0.6B or unsloth/Qwen3-0.6B-GGUF:Q4_K_M");
        }
        return new ModelRef(m.group(1), m.group(2) == null ? DEFAULT_REVISION : m.group(2), m.group(3));
    }

    /** True when {@code text} has the shape of a spec (whether or not such a repository exists). */
    public static boolean looksLike(String text) {
        if (text == null || !SPEC.matcher(text).matches()) return false;
        try {
            parse(text);
            return true;
        } catch (SrrException e) {
            return false;
        }
    }

    /** True when {@code revision} is a full commit hash (40 lowercase hex digits). */
    public static boolean isCommit(String revision) {
        return revision != null && COMMIT.matcher(revision).matches();
    }

    /** The cache folder name: {@code models--ORG--NAME}. */
    public String folderName() {
        return "models--" + repo.replace("/", "--");
    }

    /** The files to pull for this spec: the one FILE (see the class comment), or srr's default set. */
    public FileSelection selection() {
        if (file == null) return FileSelection.defaults();
        return new FileSelection(List.of(filePattern()), List.of());
    }

    /** FILE as a path or pattern: a tag becomes {@code *TAG.gguf}. */
    public String filePattern() {
        if (file == null) return null;
        boolean tag = file.indexOf('.') < 0 && file.indexOf('/') < 0 && !Globs.isPattern(file);
        return tag ? "*" + file + ".gguf" : file;
    }

    /** The spec back as text, with the revision only when it is not the default. */
    @Override
    public String toString() {
        return repo + (revision.equals(DEFAULT_REVISION) ? "" : "@" + revision) + (file == null ? "" : ":" + file);
    }

    /** {@code ORG/NAME@REVISION} for messages. */
    public String where() {
        return repo + "@" + revision;
    }

    private static void checkRepo(String repo) {
        if (repo == null || !repo.matches(PART + "/" + PART) || repo.length() > 96 || repo.contains("--")
                || repo.contains("..") || repo.endsWith(".git")) {
            throw new SrrException("'" + repo + "' is not a Hugging Face repository id (ORG/NAME: letters, digits, _ . -, "
                    + "at most 96 characters, no -- or ..)");
        }
    }

    /** Git's rules for ref names, as far as they matter for a URL and a file under refs/. */
    private static void checkRevision(String rev, String repo) {
        boolean bad = rev == null || rev.isEmpty() || rev.length() > 255 || rev.startsWith("/") || rev.endsWith("/")
                || rev.contains("//") || rev.contains("..") || rev.contains("@{") || rev.startsWith(".")
                || rev.contains("/.") || rev.endsWith(".lock");
        for (int i = 0; !bad && i < rev.length(); i++) {
            char c = rev.charAt(i);
            bad = c <= ' ' || c == 127 || "\\~^:?*[".indexOf(c) >= 0;
        }
        if (bad) throw new SrrException(repo + ": '" + rev + "' is not a branch, tag or commit name");
    }

    private static void checkFile(String file, String repo) {
        if (!RepoPaths.isSafe(file.endsWith("/") ? file.substring(0, file.length() - 1) : file)) {
            throw new SrrException(repo + ": ':" + file + "' is not a file path in the repository");
        }
    }
}
