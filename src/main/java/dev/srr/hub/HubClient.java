package dev.srr.hub;

import com.fasterxml.jackson.databind.JsonNode;
import dev.srr.SrrException;
import dev.srr.Warnings;
import dev.srr.io.Json;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The three requests a pull makes, as {@code huggingface_hub} makes them:
 *
 * <ul>
 *   <li>{@code GET /api/models/ORG/NAME/revision/REV?blobs=true}: the commit a revision points at and the files
 *       it holds ({@link #listing});</li>
 *   <li>{@code HEAD /ORG/NAME/resolve/COMMIT/PATH}: a file's ETag ({@code X-Linked-Etag} for LFS files, the
 *       SHA-256 of the content; {@code ETag} else, the git blob SHA-1), size ({@code X-Linked-Size} or
 *       {@code Content-Length}) and commit ({@code X-Repo-Commit}) ({@link #head});</li>
 *   <li>{@code GET} of the same URL, with {@code Range: bytes=N-} to resume ({@link #get}).</li>
 * </ul>
 *
 * Redirects are followed by hand: the token ({@code Authorization: Bearer ...}) goes only to the Hub's own origin
 * (the endpoint, or huggingface.co), never to the storage host a file redirects to. A HEAD stops at the first
 * redirect off the Hub, because the metadata is on that response. Errors carry the Hub's {@code X-Error-Code}
 * ({@code RepoNotFound}, {@code RevisionNotFound}, {@code GatedRepo}, {@code EntryNotFound}) as a
 * {@link HubException} whose message names the repository and says what to do.
 */
final class HubClient {
    private static final int MAX_REDIRECTS = 10;
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");
    private static final Pattern ETAG = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9_.-]{0,199}");
    private static final String USER_AGENT = "srr/" + Optional.ofNullable(HubClient.class.getPackage().getImplementationVersion())
            .orElse("dev") + "; java/" + Runtime.version().feature();

    private final HubConfig config;
    private final HttpClient http;

    HubClient(HubConfig config) {
        this.config = config;
        this.http = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER) // by hand, to keep the token on the Hub
                .connectTimeout(config.etagTimeout())
                .build();
    }

    /** One file of a listing: its path, size in bytes (-1 when the server did not say), and SHA-256 for LFS files. */
    record RepoFile(String path, long size, String lfsSha256) {
    }

    /** What a revision points at: the commit and its files. */
    record Listing(String commit, List<RepoFile> files) {
    }

    /** A file's identity from a HEAD: the ETag (blob name), size in bytes (-1 unknown) and the commit. */
    record FileMeta(String etag, long size, String commit) {
        /** True when the ETag is a SHA-256 (an LFS file), so the content can be checked against it. */
        boolean isSha256() {
            return etag.matches("[0-9a-f]{64}");
        }

        /** True when the ETag is a git blob SHA-1 (a file kept in git itself). */
        boolean isGitSha1() {
            return etag.matches("[0-9a-f]{40}");
        }
    }

    /**
     * An open download: the HTTP status (200 whole file, 206 partial, 416 range not satisfiable), the offset its
     * body starts at, the body's length (-1 unknown), and the body, which the caller closes.
     */
    record Transfer(int status, long start, long length, InputStream body) implements AutoCloseable {
        @Override
        public void close() {
            try {
                body.close();
            } catch (IOException ignored) {
                // closing a finished or broken stream
            }
        }
    }

    /**
     * The commit {@code ref.revision()} points at and the files of that commit.
     *
     * @throws HubException for a missing repository or revision, a refused token, an unreachable Hub, or an answer
     *                      that is not the Hub's
     */
    Listing listing(ModelRef ref) {
        URI uri = URI.create(config.endpoint() + "/api/models/" + ref.repo() + "/revision/"
                + RepoPaths.quote(ref.revision(), false) + "?blobs=true");
        HttpResponse<byte[]> r = followOnHub("GET", uri, ref, null, HttpResponse.BodyHandlers.ofByteArray(), true);
        if (r.statusCode() >= 300) throw error(r, ref, null);
        String where = uri.toString();
        JsonNode root;
        try {
            root = Json.parse(new String(r.body(), StandardCharsets.UTF_8), where);
        } catch (SrrException e) {
            throw notTheHub(ref, "its answer is not JSON (" + e.getMessage() + ")");
        }
        String commit = root.path("sha").asText("");
        if (!ModelRef.isCommit(commit)) throw notTheHub(ref, "its answer names no commit (\"sha\")");
        List<RepoFile> files = new ArrayList<>();
        for (JsonNode s : root.path("siblings")) {
            String path = s.path("rfilename").asText("");
            if (!RepoPaths.isSafe(path)) {
                Warnings.warn(ref.where() + ": skipping a file the Hub lists under an unusable name: '" + path + "'");
                continue;
            }
            JsonNode lfs = s.path("lfs");
            long size = lfs.path("size").canConvertToLong() ? lfs.path("size").asLong()
                    : s.path("size").canConvertToLong() ? s.path("size").asLong() : -1;
            String sha = lfs.path("sha256").isTextual() ? lfs.path("sha256").asText() : null;
            files.add(new RepoFile(path, size, sha));
        }
        return new Listing(commit, List.copyOf(files));
    }

    /**
     * The ETag, size and commit of one file.
     *
     * @throws HubException when the file, revision or repository is missing, the repository is gated, or the answer
     *                      lacks {@code X-Repo-Commit} or an ETag
     */
    FileMeta head(ModelRef ref, String commit, String path) {
        URI uri = resolveUri(ref, commit, path);
        HttpResponse<Void> r = followOnHub("HEAD", uri, ref, path, HttpResponse.BodyHandlers.discarding(), false);
        if (r.statusCode() >= 400) throw error(r, ref, path);
        HttpHeaders h = r.headers();
        String fileCommit = h.firstValue("X-Repo-Commit").orElse(null);
        if (fileCommit == null) {
            throw notTheHub(ref, "its answer for " + path + " has no X-Repo-Commit header");
        }
        String etag = normalizeEtag(h.firstValue("X-Linked-Etag").or(() -> h.firstValue("ETag")).orElse(null));
        if (etag == null) throw notTheHub(ref, "its answer for " + path + " has no ETag");
        if (!ETAG.matcher(etag).matches()) throw notTheHub(ref, "the ETag of " + path + " is not usable as a file name: " + etag);
        boolean redirect = r.statusCode() / 100 == 3;
        long size = h.firstValueAsLong("X-Linked-Size").orElse(redirect ? -1 : h.firstValueAsLong("Content-Length").orElse(-1));
        return new FileMeta(etag, size, fileCommit);
    }

    /**
     * Starts downloading {@code path} at {@code offset} (a {@code Range} request when positive), following redirects
     * to the storage host. A 200 answer to a range request means the server ignored the range: the body is then
     * the whole file ({@link Transfer#start()} 0).
     *
     * @throws HubException for errors other than 416 (returned, so the caller can start over)
     */
    Transfer get(ModelRef ref, String commit, String path, long offset) {
        URI uri = resolveUri(ref, commit, path);
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpRequest.Builder b = request(uri, config.downloadTimeout()).GET();
            if (offset > 0) b.header("Range", "bytes=" + offset + "-");
            HttpResponse<InputStream> r = send(b.build(), HttpResponse.BodyHandlers.ofInputStream(), ref, path);
            int status = r.statusCode();
            Optional<String> location = r.headers().firstValue("Location");
            if (status / 100 == 3 && location.isPresent()) {
                closeQuietly(r.body());
                uri = uri.resolve(location.get());
                continue;
            }
            if (status == 416) {
                closeQuietly(r.body());
                return new Transfer(416, offset, 0, InputStream.nullInputStream());
            }
            if (status >= 300) {
                closeQuietly(r.body());
                throw error(r, ref, path);
            }
            long start = 0;
            if (status == 206) {
                Matcher m = CONTENT_RANGE.matcher(r.headers().firstValue("Content-Range").orElse(""));
                start = m.matches() ? Long.parseLong(m.group(1)) : -1;
            }
            long length = r.headers().firstValueAsLong("Content-Length").orElse(-1);
            return new Transfer(status, start, length, r.body());
        }
        throw new HubException(HubException.Kind.PROTOCOL, ref.where() + ": " + path + ": more than " + MAX_REDIRECTS + " redirects");
    }

    /** The download URL of a file: {@code ENDPOINT/ORG/NAME/resolve/COMMIT/PATH}. */
    URI resolveUri(ModelRef ref, String commit, String path) {
        return URI.create(config.endpoint() + "/" + ref.repo() + "/resolve/" + RepoPaths.quote(commit, false) + "/"
                + RepoPaths.quote(path, true));
    }

    /**
     * Sends a request and follows redirects that stay on the Hub's origin; stops at a redirect elsewhere (its
     * headers carry a file's metadata) unless {@code offHub} allows leaving (never with the token).
     */
    private <T> HttpResponse<T> followOnHub(String method, URI uri, ModelRef ref, String path,
                                            HttpResponse.BodyHandler<T> body, boolean offHub) {
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpRequest req = request(uri, config.etagTimeout()).method(method, HttpRequest.BodyPublishers.noBody()).build();
            HttpResponse<T> r = send(req, body, ref, path);
            Optional<String> location = r.headers().firstValue("Location");
            if (r.statusCode() / 100 != 3 || location.isEmpty()) return r;
            URI next = uri.resolve(location.get());
            if (!sameOrigin(next, uri) && !offHub) return r;
            uri = next;
        }
        throw new HubException(HubException.Kind.PROTOCOL, ref.where() + ": more than " + MAX_REDIRECTS + " redirects");
    }

    private HttpRequest.Builder request(URI uri, Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("User-Agent", USER_AGENT)
                .header("Accept-Encoding", "identity"); // sizes and checksums are of the file itself, not a gzip of it
        if ("http".equalsIgnoreCase(uri.getScheme())) b.version(HttpClient.Version.HTTP_1_1); // no h2c upgrade dance
        if (config.token() != null && isHub(uri)) b.header("Authorization", "Bearer " + config.token());
        return b;
    }

    /** True for the Hub's own origins, the only ones the token is sent to. */
    boolean isHub(URI uri) {
        return sameOrigin(uri, config.endpoint()) || sameOrigin(uri, URI.create(HubConfig.DEFAULT_ENDPOINT))
                || sameOrigin(uri, URI.create("https://hf.co"));
    }

    static boolean sameOrigin(URI a, URI b) {
        return a.getScheme() != null && a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost() != null
                && a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
    }

    private static int port(URI u) {
        return u.getPort() >= 0 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }

    private <T> HttpResponse<T> send(HttpRequest req, HttpResponse.BodyHandler<T> body, ModelRef ref, String path) {
        try {
            return http.send(req, body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HubException(HubException.Kind.NETWORK, ref.where() + ": interrupted", e);
        } catch (IOException e) {
            throw unreachable(req.uri(), ref, path, e);
        }
    }

    /** A transport failure as one line: which host, why, and what to do. */
    HubException unreachable(URI uri, ModelRef ref, String path, IOException e) {
        String why;
        if (causedBy(e, UnknownHostException.class) || causedBy(e, UnresolvedAddressException.class)) {
            why = "unknown host " + uri.getHost(); // the JDK reports it as a ConnectException caused by this
        } else if (causedBy(e, HttpConnectTimeoutException.class)) {
            why = "connection timed out";
        } else if (causedBy(e, HttpTimeoutException.class)) {
            why = "no answer within " + config.etagTimeout().toSeconds() + " s";
        } else if (causedBy(e, ConnectException.class)) {
            why = "connection refused";
        } else {
            why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        return new HubException(HubException.Kind.NETWORK, ref.where() + (path == null ? "" : ": " + path)
                + ": cannot reach " + uri.getScheme() + "://" + uri.getAuthority() + " (" + why
                + "); check the network (HF_ENDPOINT is " + config.endpoint() + "), or set HF_HUB_OFFLINE=1 to use the cache only", e);
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) return true;
        }
        return false;
    }

    /** The Hub's error as a message that names the repository (and file) and says what to do. */
    HubException error(HttpResponse<?> r, ModelRef ref, String path) {
        int status = r.statusCode();
        String code = r.headers().firstValue("X-Error-Code").orElse("");
        String serverMessage = r.headers().firstValue("X-Error-Message").orElse("");
        String token = config.token() == null ? null : "the token from " + config.tokenSource();
        String page = config.endpoint() + "/" + ref.repo();
        String file = path == null ? "" : ": " + path;
        if (code.equals("RevisionNotFound")) {
            return new HubException(HubException.Kind.REVISION_NOT_FOUND, ref.repo() + ": revision '" + ref.revision()
                    + "' not found (name a branch, tag or commit of " + page + ")");
        }
        if (code.equals("EntryNotFound")) {
            return new HubException(HubException.Kind.ENTRY_NOT_FOUND, ref.where() + ": no file '" + path + "' in the repository");
        }
        if (code.equals("GatedRepo")) {
            return new HubException(HubException.Kind.GATED, ref.repo() + " is gated: "
                    + (token == null ? "accept its conditions at " + page + ", then set HF_TOKEN to a token of that account "
                    + "(or log in with `hf auth login`)"
                    : token + " has no access yet: accept the repository's conditions at " + page + " with that account"));
        }
        if (status == 401 && serverMessage.startsWith("Invalid credentials")) {
            return new HubException(HubException.Kind.UNAUTHORIZED, ref.repo() + ": " + (token == null ? "the token" : token)
                    + " is not valid; create a new one at " + config.endpoint() + "/settings/tokens");
        }
        if (code.equals("RepoNotFound") || (status == 401 || status == 404) && path == null) {
            return new HubException(HubException.Kind.REPO_NOT_FOUND, ref.repo() + ": repository not found on "
                    + config.endpoint() + (token == null ? " (if it is private, set HF_TOKEN to a token that can read it)"
                    : " (or " + token + " cannot read it)"));
        }
        if (status == 404) {
            return new HubException(HubException.Kind.ENTRY_NOT_FOUND, ref.where() + ": no file '" + path + "' in the repository");
        }
        if (status == 401 || status == 403) {
            return new HubException(HubException.Kind.UNAUTHORIZED, ref.where() + file + ": access denied (HTTP " + status
                    + (serverMessage.isEmpty() ? "" : ": " + serverMessage) + ")"
                    + (token == null ? "; set HF_TOKEN to a token that can read it" : "; " + token + " cannot read it"));
        }
        if (status == 429 || status >= 500) {
            return new HubException(HubException.Kind.SERVER, ref.where() + file + ": " + r.uri().getHost() + " answered HTTP "
                    + status + (status == 429 ? " (too many requests)" : "") + (serverMessage.isEmpty() ? "" : ": " + serverMessage)
                    + "; try again later");
        }
        return new HubException(HubException.Kind.PROTOCOL, ref.where() + file + ": " + r.uri().getHost()
                + " answered HTTP " + status + (serverMessage.isEmpty() ? "" : ": " + serverMessage));
    }

    private HubException notTheHub(ModelRef ref, String what) {
        return new HubException(HubException.Kind.PROTOCOL, ref.where() + ": " + config.endpoint()
                + " does not answer like a Hugging Face Hub: " + what + " (check HF_ENDPOINT and any proxy)");
    }

    /** {@code W/"abc"} and {@code "abc"} both become {@code abc}, as huggingface_hub names blobs. */
    static String normalizeEtag(String etag) {
        if (etag == null) return null;
        String e = etag.strip();
        if (e.startsWith("W/")) e = e.substring(2);
        if (e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"")) e = e.substring(1, e.length() - 1);
        return e.isEmpty() ? null : e;
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // the connection is being dropped anyway
        }
    }
}
