package dev.srr.hub;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.srr.io.Json;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

/**
 * A Hugging Face Hub on loopback, for tests: two real HTTP servers, the Hub and a "CDN" on another origin (another
 * port), speaking the protocol huggingface_hub speaks.
 *
 * <ul>
 *   <li>{@code GET /api/models/ORG/NAME/revision/REV}: {@code sha} and {@code siblings} (with sizes, blob ids and
 *       {@code lfs} for LFS files); {@code GET /api/models/ORG/NAME/tree/REV}: the recursive listing Python's
 *       {@code snapshot_download} reads.</li>
 *   <li>{@code HEAD|GET /ORG/NAME/resolve/REV/PATH}: small files answered directly with their git blob SHA-1 as
 *       {@code ETag}; LFS files ({@code *.safetensors}, {@code *.gguf}) with a 302 to the CDN carrying
 *       {@code X-Linked-Etag} (SHA-256) and {@code X-Linked-Size}; {@code X-Repo-Commit} on both.</li>
 *   <li>The CDN serves blobs with {@code Range} support (206), unless told to ignore ranges.</li>
 *   <li>Errors as the Hub sends them: 401 {@code RepoNotFound}, 404 {@code RevisionNotFound}, 401/403
 *       {@code GatedRepo}, 404 {@code EntryNotFound} (with {@code X-Repo-Commit}), 401 "Invalid credentials".</li>
 *   <li>Faults to order: drop the connection after N bytes of a file (once), ignore ranges, corrupt a file's
 *       bytes, stall mid-file.</li>
 * </ul>
 *
 * Every request is logged ({@link #requests()}) with the headers tests look at.
 */
public final class FakeHub implements AutoCloseable {
    /** One logged request: which server ("hub" or "cdn"), method, raw path, and the Authorization and Range headers. */
    public record Request(String server, String method, String path, String authorization, String range) {
    }

    /** A repository: its files at one commit (branch {@code main} and any other names given to {@link #branch}). */
    public static final class Repo {
        final String id;
        final String commit;
        final Map<String, byte[]> files = new TreeMap<>();
        final Map<String, String> branches = new ConcurrentHashMap<>();
        volatile boolean gated;

        Repo(String id) {
            this.id = id;
            this.commit = hex(digest("SHA-1", ("commit of " + id).getBytes(StandardCharsets.UTF_8)));
            branches.put("main", commit);
        }

        public String commit() {
            return commit;
        }

        public Repo file(String path, byte[] content) {
            files.put(path, content);
            return this;
        }

        public Repo file(String path, String content) {
            return file(path, content.getBytes(StandardCharsets.UTF_8));
        }

        /** Adds every file under {@code dir} (relative paths with '/'). */
        public Repo folder(Path dir) {
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                    file(dir.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        public Repo gated() {
            gated = true;
            return this;
        }

        public Repo branch(String name) {
            branches.put(name, commit);
            return this;
        }

        public byte[] content(String path) {
            return files.get(path);
        }
    }

    private final HttpServer hub;
    private final HttpServer cdn;
    private final Map<String, Repo> repos = new ConcurrentHashMap<>();
    private final Map<String, byte[]> blobs = new ConcurrentHashMap<>(); // sha256 -> content, what the CDN serves
    private final List<Request> log = new CopyOnWriteArrayList<>();
    private final Set<String> tokens = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> dropAfter = new ConcurrentHashMap<>();
    private final Map<String, Long> stallAt = new ConcurrentHashMap<>();
    private final Set<String> corrupt = ConcurrentHashMap.newKeySet();
    private volatile boolean ignoreRange;
    private volatile long stallMillis = 3000;

    public FakeHub() throws IOException {
        this(0);
    }

    /** Starts both servers on loopback; {@code hubPort} 0 picks a free port. */
    public FakeHub(int hubPort) throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        hub = HttpServer.create(new InetSocketAddress(loopback, hubPort), 0);
        cdn = HttpServer.create(new InetSocketAddress(loopback, 0), 0);
        hub.createContext("/", this::hub);
        cdn.createContext("/", this::cdn);
        hub.setExecutor(Executors.newCachedThreadPool(daemon("fake-hub")));
        cdn.setExecutor(Executors.newCachedThreadPool(daemon("fake-cdn")));
        hub.start();
        cdn.start();
    }

    /** The Hub's base URL, for HF_ENDPOINT. */
    public String endpoint() {
        return "http://" + hub.getAddress().getAddress().getHostAddress() + ":" + hub.getAddress().getPort();
    }

    public String cdnOrigin() {
        return "http://" + cdn.getAddress().getAddress().getHostAddress() + ":" + cdn.getAddress().getPort();
    }

    public Repo repo(String id) {
        return repos.computeIfAbsent(id, Repo::new);
    }

    /** Accepts {@code token} as a valid token with access to gated repositories. */
    public FakeHub acceptToken(String token) {
        tokens.add(token);
        return this;
    }

    /** The next download of {@code path} (any repository) ends after {@code bytes} bytes of the body. */
    public FakeHub dropOnceAfter(String path, long bytes) {
        dropAfter.put(path, bytes);
        return this;
    }

    /** The next download of {@code path} sends nothing for {@code millis} after {@code bytes} bytes, then the rest. */
    public FakeHub stallOnceAt(String path, long bytes, long millis) {
        stallAt.put(path, bytes);
        stallMillis = millis;
        return this;
    }

    /** The CDN answers every range request with the whole file (200), as a CDN that compresses does. */
    public FakeHub ignoreRange(boolean value) {
        ignoreRange = value;
        return this;
    }

    /** The CDN serves {@code path} with one byte changed (the Hub still announces the true SHA-256). */
    public FakeHub corrupt(String path) {
        corrupt.add(path);
        return this;
    }

    public List<Request> requests() {
        return Collections.unmodifiableList(log);
    }

    public void clearLog() {
        log.clear();
    }

    /** Hashes already computed, by content identity: a fake Hub serving a large file would otherwise hash it per request. */
    private static final Map<byte[], String> SHA256 = Collections.synchronizedMap(new java.util.WeakHashMap<>());

    /** SHA-256 (hex) of a content: the LFS ETag. */
    public static String sha256(byte[] content) {
        String known = content.length > 1 << 20 ? SHA256.get(content) : null;
        if (known != null) return known;
        String sha = hex(digest("SHA-256", content));
        if (content.length > 1 << 20) SHA256.put(content, sha);
        return sha;
    }

    /** git's blob id (hex): the ETag of a file kept in git. */
    public static String gitSha1(byte[] content) {
        byte[] header = ("blob " + content.length + "\0").getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[header.length + content.length];
        System.arraycopy(header, 0, all, 0, header.length);
        System.arraycopy(content, 0, all, header.length, content.length);
        return hex(digest("SHA-1", all));
    }

    /** Files stored in LFS on this fake Hub: weights, by extension, as .gitattributes usually says. */
    public static boolean isLfs(String path) {
        return path.endsWith(".safetensors") || path.endsWith(".gguf") || path.endsWith(".bin");
    }

    @Override
    public void close() {
        hub.stop(0);
        cdn.stop(0);
        ((java.util.concurrent.ExecutorService) hub.getExecutor()).shutdownNow();
        ((java.util.concurrent.ExecutorService) cdn.getExecutor()).shutdownNow();
    }

    // ---- the Hub

    private void hub(HttpExchange ex) throws IOException {
        try (ex) {
            logRequest("hub", ex);
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            String token = auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : null;
            if (token != null && !tokens.contains(token)) {
                error(ex, 401, null, "Invalid credentials in Authorization header", null);
                return;
            }
            List<String> parts = segments(ex.getRequestURI().getRawPath());
            if (parts.size() >= 5 && parts.get(0).equals("api") && parts.get(1).equals("models")) {
                api(ex, parts);
            } else if (parts.size() >= 5 && parts.get(2).equals("resolve")) {
                resolve(ex, parts, token != null);
            } else {
                error(ex, 404, null, "Not found", null);
            }
        }
    }

    private void api(HttpExchange ex, List<String> parts) throws IOException {
        Repo repo = repos.get(parts.get(2) + "/" + parts.get(3));
        if (repo == null) {
            error(ex, 401, "RepoNotFound", "Repository not found", null);
            return;
        }
        String kind = parts.get(4);
        String rev = parts.size() > 5 ? decode(parts.get(5)) : "main";
        String commit = commitOf(repo, rev);
        if (commit == null) {
            error(ex, 404, "RevisionNotFound", "Invalid rev id: " + rev, null);
            return;
        }
        if (kind.equals("revision")) {
            ObjectNode info = Json.MAPPER.createObjectNode();
            info.put("_id", "fake" + repo.id.hashCode());
            info.put("id", repo.id);
            info.put("modelId", repo.id);
            info.put("sha", commit);
            info.put("private", false);
            if (repo.gated) info.put("gated", "manual");
            else info.put("gated", false);
            info.put("disabled", false);
            info.put("lastModified", "2026-01-01T00:00:00.000Z");
            info.putArray("tags");
            ArrayNode siblings = info.putArray("siblings");
            repo.files.forEach((path, content) -> {
                ObjectNode s = siblings.addObject();
                s.put("rfilename", path);
                s.put("size", content.length);
                s.put("blobId", isLfs(path) ? gitSha1(pointer(content)) : gitSha1(content));
                if (isLfs(path)) {
                    ObjectNode lfs = s.putObject("lfs");
                    lfs.put("sha256", sha256(content));
                    lfs.put("size", content.length);
                    lfs.put("pointerSize", pointer(content).length);
                }
            });
            json(ex, Json.write(info));
        } else if (kind.equals("tree")) {
            ArrayNode tree = Json.MAPPER.createArrayNode();
            Set<String> dirs = new java.util.TreeSet<>();
            repo.files.forEach((path, content) -> {
                for (int i = path.indexOf('/'); i > 0; i = path.indexOf('/', i + 1)) dirs.add(path.substring(0, i));
                ObjectNode f = tree.addObject();
                f.put("type", "file");
                f.put("oid", isLfs(path) ? gitSha1(pointer(content)) : gitSha1(content));
                f.put("size", content.length);
                f.put("path", path);
                if (isLfs(path)) {
                    ObjectNode lfs = f.putObject("lfs");
                    lfs.put("oid", sha256(content));
                    lfs.put("size", content.length);
                    lfs.put("pointerSize", pointer(content).length);
                }
            });
            for (String d : dirs) {
                ObjectNode f = tree.addObject();
                f.put("type", "directory");
                f.put("oid", gitSha1(d.getBytes(StandardCharsets.UTF_8)));
                f.put("size", 0);
                f.put("path", d);
            }
            json(ex, Json.write(tree));
        } else {
            error(ex, 404, null, "Not found", null);
        }
    }

    private void resolve(HttpExchange ex, List<String> parts, boolean authenticated) throws IOException {
        Repo repo = repos.get(parts.get(0) + "/" + parts.get(1));
        if (repo == null) {
            error(ex, 401, "RepoNotFound", "Repository not found", null);
            return;
        }
        String commit = commitOf(repo, decode(parts.get(3)));
        if (commit == null) {
            error(ex, 404, "RevisionNotFound", "Invalid rev id: " + decode(parts.get(3)), null);
            return;
        }
        if (repo.gated && !authenticated) {
            error(ex, 401, "GatedRepo", "Access to model " + repo.id + " is restricted. You must have access to it "
                    + "and be authenticated to access it. Please log in.", commit);
            return;
        }
        String path = String.join("/", parts.subList(4, parts.size()).stream().map(FakeHub::decode).toList());
        byte[] content = repo.files.get(path);
        if (content == null) {
            error(ex, 404, "EntryNotFound", path + " does not exist on \"main\"", commit);
            return;
        }
        var h = ex.getResponseHeaders();
        h.set("X-Repo-Commit", commit);
        h.set("Accept-Ranges", "bytes");
        if (isLfs(path)) {
            String sha = sha256(content);
            blobs.put(sha, content);
            h.set("ETag", "\"" + gitSha1(pointer(content)) + "\"");
            h.set("X-Linked-Etag", "\"" + sha + "\"");
            h.set("X-Linked-Size", String.valueOf(content.length));
            h.set("Location", cdnOrigin() + "/blobs/" + sha + "?path=" + java.net.URLEncoder.encode(path, StandardCharsets.UTF_8)
                    + "&X-Amz-Signature=fake");
            ex.sendResponseHeaders(302, -1);
            return;
        }
        h.set("ETag", "\"" + gitSha1(content) + "\"");
        body(ex, path, content);
    }

    // ---- the CDN

    private void cdn(HttpExchange ex) throws IOException {
        try (ex) {
            logRequest("cdn", ex);
            List<String> parts = segments(ex.getRequestURI().getRawPath());
            byte[] content = parts.size() == 2 && parts.get(0).equals("blobs") ? blobs.get(parts.get(1)) : null;
            if (content == null) {
                error(ex, 404, null, "NoSuchKey", null);
                return;
            }
            String query = ex.getRequestURI().getRawQuery();
            String path = query != null && query.startsWith("path=") ? decode(query.substring(5, query.indexOf('&'))) : "";
            body(ex, path, content);
        }
    }

    /** Sends {@code content}, honouring Range (unless told not to) and the faults ordered for {@code path}. */
    private void body(HttpExchange ex, String path, byte[] content) throws IOException {
        byte[] data = content;
        if (corrupt.contains(path)) {
            data = content.clone();
            data[data.length / 2] ^= 0x5a;
        }
        var h = ex.getResponseHeaders();
        h.set("Content-Type", "application/octet-stream");
        String range = ex.getRequestHeaders().getFirst("Range");
        int start = 0;
        int status = 200;
        if (range != null && !ignoreRange && range.startsWith("bytes=") && range.endsWith("-")) {
            start = Integer.parseInt(range.substring(6, range.length() - 1));
            if (start >= data.length) {
                h.set("Content-Range", "bytes */" + data.length);
                ex.sendResponseHeaders(416, -1);
                return;
            }
            status = 206;
            h.set("Content-Range", "bytes " + start + "-" + (data.length - 1) + "/" + data.length);
        }
        int length = data.length - start;
        if (ex.getRequestMethod().equals("HEAD")) {
            h.set("Content-Length", String.valueOf(length));
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, length == 0 ? -1 : length);
        OutputStream out = ex.getResponseBody();
        Long drop = dropAfter.remove(path);
        Long stall = stallAt.remove(path);
        int end = data.length;
        if (drop != null) end = (int) Math.min(end, start + drop);
        if (stall != null) end = (int) Math.min(end, start + stall);
        write(out, data, start, end);
        out.flush();
        if (drop != null && end < data.length) {
            // promise the whole length, deliver part of it, and hang up: what a dropped connection looks like
            // (closing an unfinished fixed-length body makes the server close the socket)
            throw new IOException("fake hub: dropping the connection after " + (end - start) + " bytes of " + path);
        }
        if (stall != null) {
            try {
                Thread.sleep(stallMillis); // a slow or stuck server: nothing for a while, then the rest
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        write(out, data, end, data.length);
    }

    /** In 64 kB pieces: the JDK server copies each write into a buffer of its size, so one big write costs its size again. */
    private static void write(OutputStream out, byte[] data, int from, int to) throws IOException {
        for (int at = from; at < to; at += 1 << 16) out.write(data, at, Math.min(1 << 16, to - at));
    }

    private void error(HttpExchange ex, int status, String code, String message, String commit) throws IOException {
        var h = ex.getResponseHeaders();
        if (code != null) h.set("X-Error-Code", code);
        h.set("X-Error-Message", message);
        if (commit != null) h.set("X-Repo-Commit", commit);
        byte[] body = Json.write(Map.of("error", message)).getBytes(StandardCharsets.UTF_8);
        h.set("Content-Type", "application/json");
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, body.length);
        ex.getResponseBody().write(body);
    }

    private static void json(HttpExchange ex, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(200, body.length);
        ex.getResponseBody().write(body);
    }

    private void logRequest(String server, HttpExchange ex) {
        var h = ex.getRequestHeaders();
        log.add(new Request(server, ex.getRequestMethod(), ex.getRequestURI().getRawPath(), h.getFirst("Authorization"),
                h.getFirst("Range")));
    }

    private static String commitOf(Repo repo, String rev) {
        if (repo.branches.containsKey(rev)) return repo.branches.get(rev);
        return rev.equals(repo.commit) ? repo.commit : null;
    }

    /** The git-lfs pointer file a repository keeps in git for an LFS file. */
    private static byte[] pointer(byte[] content) {
        return ("version https://git-lfs.github.com/spec/v1\noid sha256:" + sha256(content) + "\nsize " + content.length + "\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> segments(String rawPath) {
        List<String> out = new ArrayList<>();
        for (String s : rawPath.split("/")) if (!s.isEmpty()) out.add(s);
        return out;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    private static byte[] digest(String algorithm, byte[] data) {
        try {
            return MessageDigest.getInstance(algorithm).digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    /** Files of a repository as a map, for assertions. */
    public static Map<String, byte[]> filesOf(Repo repo) {
        return new LinkedHashMap<>(repo.files);
    }
}
