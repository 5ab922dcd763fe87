package dev.srr.hub;

import java.nio.file.Path;
import java.util.List;

/**
 * Turns a Hub model name into a local path that srr's loaders open: the entry point for commands that take a
 * model.
 *
 * <ul>
 *   <li>{@code ORG/NAME[@REV]}: the snapshot folder ({@code .../models--ORG--NAME/snapshots/COMMIT}) when it holds
 *       config.json and the safetensors weights; or, for a snapshot holding no config.json but exactly one
 *       {@code .gguf} file (pulled with {@code --include}), that file.</li>
 *   <li>{@code ORG/NAME[@REV]:FILE}: that one file of the snapshot (FILE as {@link ModelRef} describes: a path, a
 *       pattern matching one file, or a quantization tag such as {@code Q4_K_M}).</li>
 * </ul>
 *
 * A branch or tag is resolved through the cache's {@code refs/} (the commit it pointed to at the last pull), so
 * resolving never touches the network unless asked to pull a model the cache lacks; {@code srr pull} brings a
 * branch up to date.
 */
public final class HubModels {
    private HubModels() {
    }

    /**
     * True when {@code text} should be read as a Hub model rather than a local path: it has the shape
     * {@code ORG/NAME[@REV][:FILE]} (callers check first that no local file or folder of that name exists).
     */
    public static boolean isHubSpec(String text) {
        return ModelRef.looksLike(text);
    }

    /** {@link #resolve(String, boolean, HubConfig, PullListener)} with the environment's configuration. */
    public static Path resolve(String spec, boolean pullIfMissing, PullListener listener) {
        return resolve(spec, pullIfMissing, HubConfig.fromEnvironment(), listener);
    }

    /**
     * The local folder or file for {@code spec}, from the cache, pulling it first when it is missing and
     * {@code pullIfMissing} is set.
     *
     * @param listener hears the pull's progress (only when one happens)
     * @throws dev.srr.SrrException when the spec is malformed
     * @throws HubException         (NOT_CACHED) when the cache lacks the model and pulling was not asked for, or is
     *                              impossible offline; any pull failure otherwise; or when a {@code :FILE} matches
     *                              several cached files
     */
    public static Path resolve(String spec, boolean pullIfMissing, HubConfig config, PullListener listener) {
        ModelRef ref = ModelRef.parse(spec);
        Path found = cached(ref, config);
        if (found != null) return found;
        if (config.offline()) {
            throw new HubException(HubException.Kind.NOT_CACHED, spec + ": no such file or folder, and not in the Hugging "
                    + "Face cache " + config.cacheDir() + "; HF_HUB_OFFLINE is set: unset it and run `srr pull " + spec + "`");
        }
        if (!pullIfMissing) {
            throw new HubException(HubException.Kind.NOT_CACHED, spec + ": no such file or folder, and not in the Hugging "
                    + "Face cache " + config.cacheDir() + ": run `srr pull " + spec + "` first, or add --pull");
        }
        new Puller(config, listener).pull(ref, ref.selection(), ref.file() != null);
        found = cached(ref, config);
        if (found == null) {
            throw new HubException(HubException.Kind.NOT_CACHED, spec + ": pulled, but the snapshot in "
                    + config.cacheDir() + " still lacks what srr needs");
        }
        return found;
    }

    /**
     * The cached path for {@code ref}, or null when the cache lacks it.
     *
     * @throws HubException when a {@code :FILE} pattern matches several cached files
     */
    public static Path cached(ModelRef ref, HubConfig config) {
        CachedSnapshot snap = CachedSnapshot.find(new HubCache(config.cacheDir(), ref), ref.revision());
        if (snap == null) return null;
        List<String> chosen = snap.select(ref.selection());
        if (ref.file() != null) {
            if (chosen == null) return null;
            if (chosen.size() > 1) {
                throw new HubException(HubException.Kind.NOTHING_TO_PULL, ref.where() + ": " + chosen.size()
                        + " cached files match ':" + ref.file() + "' (" + Puller.sample(chosen) + "); name one of them");
            }
            return snap.folder().resolve(chosen.getFirst());
        }
        if (chosen != null) return snap.folder();
        List<String> ggufs = snap.files().stream().filter(p -> p.endsWith(".gguf") && !p.contains("/")).toList();
        if (!snap.files().contains("config.json") && ggufs.size() == 1) return snap.folder().resolve(ggufs.getFirst());
        return null;
    }
}
