package dev.srr.hub;

import dev.srr.SrrException;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Where the Hub and its cache are, read from the same environment variables {@code huggingface_hub} reads, so
 * srr and Python tools share one cache and one login.
 *
 * <ul>
 *   <li>{@code HF_ENDPOINT}: the Hub (default {@code https://huggingface.co}).</li>
 *   <li>{@code HF_HUB_CACHE} (or the older {@code HUGGINGFACE_HUB_CACHE}): the cache folder; default
 *       {@code $HF_HOME/hub}, where {@code HF_HOME} defaults to {@code $XDG_CACHE_HOME/huggingface} or
 *       {@code ~/.cache/huggingface}.</li>
 *   <li>{@code HF_TOKEN} (or {@code HUGGING_FACE_HUB_TOKEN}), else the file {@code HF_TOKEN_PATH} (default
 *       {@code $HF_HOME/token}, written by {@code hf auth login}): the access token for private and gated
 *       repositories.</li>
 *   <li>{@code HF_HUB_OFFLINE} (or {@code TRANSFORMERS_OFFLINE}) = 1/ON/YES/TRUE: use the cache only.</li>
 *   <li>{@code HF_HUB_ETAG_TIMEOUT} (seconds, default 10): how long to wait for metadata answers;
 *       {@code HF_HUB_DOWNLOAD_TIMEOUT} (seconds, default 10): how long a download may go without receiving a byte
 *       before it is retried.</li>
 * </ul>
 *
 * A Java system property of the same name ({@code -DHF_HUB_CACHE=...}) takes precedence over the environment
 * variable: that is how a JVM embedding srr, or a test, points it elsewhere without changing its environment.
 *
 * @param endpoint        the Hub's base URI, without a trailing slash
 * @param cacheDir        the cache root holding {@code models--ORG--NAME} folders
 * @param token           the access token, or null
 * @param tokenSource     where the token came from (for messages), or null
 * @param offline         true when only the cache may be used
 * @param etagTimeout     limit for metadata requests (API, HEAD)
 * @param downloadTimeout longest time a transfer may go without data before it is dropped and retried
 */
public record HubConfig(URI endpoint, Path cacheDir, String token, String tokenSource, boolean offline,
                        Duration etagTimeout, Duration downloadTimeout) {
    /** The public Hub. */
    public static final String DEFAULT_ENDPOINT = "https://huggingface.co";
    private static final Set<String> TRUE = Set.of("1", "ON", "YES", "TRUE");

    public HubConfig {
        if (endpoint == null || cacheDir == null) throw new IllegalArgumentException("endpoint and cacheDir are required");
        if (token != null && token.isBlank()) {
            token = null;
            tokenSource = null;
        }
    }

    /** The configuration from this process's environment, with system properties of the same names taking precedence. */
    public static HubConfig fromEnvironment() {
        return fromEnvironment(name -> {
            String property = System.getProperty(name);
            return property != null ? property : System.getenv(name);
        });
    }

    /**
     * The configuration from {@code env} (a lookup of variable names, returning null when unset).
     *
     * @throws SrrException when {@code HF_ENDPOINT} is not an http(s) URL, a timeout is not a number, or the token
     *                      file cannot be read
     */
    public static HubConfig fromEnvironment(UnaryOperator<String> env) {
        String home = expandHome(firstSet(env, "HF_HOME"));
        if (home == null) {
            String xdg = expandHome(firstSet(env, "XDG_CACHE_HOME"));
            home = (xdg != null ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache"))
                    .resolve("huggingface").toString();
        }
        String cache = expandHome(firstSet(env, "HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE"));
        Path cacheDir = cache != null ? Path.of(cache) : Path.of(home, "hub");

        URI endpoint = endpoint(firstSet(env, "HF_ENDPOINT"));

        String token = firstSet(env, "HF_TOKEN");
        String tokenSource = token != null ? "HF_TOKEN" : null;
        if (token == null && (token = firstSet(env, "HUGGING_FACE_HUB_TOKEN")) != null) tokenSource = "HUGGING_FACE_HUB_TOKEN";
        if (token == null) {
            String tokenPath = expandHome(firstSet(env, "HF_TOKEN_PATH"));
            Path file = tokenPath != null ? Path.of(tokenPath) : Path.of(home, "token");
            token = readToken(file);
            if (token != null) tokenSource = file.toString();
        }
        boolean offline = isTrue(firstSet(env, "HF_HUB_OFFLINE")) || isTrue(firstSet(env, "TRANSFORMERS_OFFLINE"));
        return new HubConfig(endpoint, cacheDir, token == null ? null : token.strip(), tokenSource, offline,
                seconds(env, "HF_HUB_ETAG_TIMEOUT", 10), seconds(env, "HF_HUB_DOWNLOAD_TIMEOUT", 10));
    }

    /** This configuration with another cache folder (the {@code --cache-dir} option). */
    public HubConfig withCacheDir(Path dir) {
        return new HubConfig(endpoint, dir, token, tokenSource, offline, etagTimeout, downloadTimeout);
    }

    /** This configuration with offline mode on or off. */
    public HubConfig withOffline(boolean value) {
        return new HubConfig(endpoint, cacheDir, token, tokenSource, value, etagTimeout, downloadTimeout);
    }

    /** Like the record's own, but the token is never printed: only where it came from. */
    @Override
    public String toString() {
        return "HubConfig[endpoint=" + endpoint + ", cacheDir=" + cacheDir + ", token="
                + (token == null ? "none" : "from " + tokenSource) + ", offline=" + offline + "]";
    }

    private static URI endpoint(String value) {
        String text = value == null ? DEFAULT_ENDPOINT : value.strip();
        while (text.endsWith("/")) text = text.substring(0, text.length() - 1);
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                throw new SrrException("HF_ENDPOINT '" + value + "' is not an http(s) URL such as " + DEFAULT_ENDPOINT);
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new SrrException("HF_ENDPOINT '" + value + "' is not a URL: " + e.getReason());
        }
    }

    private static String readToken(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? null : text;
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new SrrException(file + ": cannot read the Hugging Face token: " + e.getMessage(), e);
        }
    }

    private static Duration seconds(UnaryOperator<String> env, String name, int fallback) {
        String value = firstSet(env, name);
        if (value == null) return Duration.ofSeconds(fallback);
        try {
            double s = Double.parseDouble(value.strip());
            if (!(s > 0) || s > 86_400) throw new NumberFormatException();
            return Duration.ofMillis(Math.round(s * 1000));
        } catch (NumberFormatException e) {
            throw new SrrException(name + "='" + value + "' is not a number of seconds between 0 and 86400");
        }
    }

    private static String firstSet(UnaryOperator<String> env, String... names) {
        for (String name : names) {
            String v = env.apply(name);
            if (v != null && !v.isEmpty()) return v;
        }
        return null;
    }

    /** {@code ~} and {@code ~/...} mean the user's home, as in Python's {@code os.path.expanduser}. */
    private static String expandHome(String path) {
        if (path == null) return null;
        if (path.equals("~")) return System.getProperty("user.home");
        if (path.startsWith("~/")) return System.getProperty("user.home") + path.substring(1);
        return path;
    }

    private static boolean isTrue(String value) {
        return value != null && TRUE.contains(value.strip().toUpperCase(Locale.ROOT));
    }
}
