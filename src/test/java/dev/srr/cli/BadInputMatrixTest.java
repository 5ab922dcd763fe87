package dev.srr.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.srr.TestData;
import dev.srr.fuzz.TinyTokenizers;
import dev.srr.io.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every command against every kind of broken input it reads: a missing file, a folder where a file belongs (and
 * the reverse), another kind of file, an empty or truncated file, bad JSON, fields of the wrong type, numbers out
 * of range, headers that lie. Each run must end with exit 2 and exactly one {@code srr: error:} line naming the
 * file (and the field or tensor where there is one), no stack trace, and nothing written to the output folder.
 *
 * <p>The inputs are one intact set built once (a tiny Qwen2 checkpoint with a small byte-level tokenizer and a
 * chat template, candidate lists, a feature cache and a ranker made from them by srr itself); each case copies
 * the set and breaks one file. {@link #everyCommandRunsOnTheIntactInputs} shows the set itself is fine, so each
 * failure is the breakage's doing.
 */
class BadInputMatrixTest {
    @TempDir
    static Path intact;
    @TempDir
    Path work;

    private static final List<String> MODEL_WEIGHTS = List.of("model", "model/config.json", "model/generation_config.json",
            "model/model.safetensors");
    private static final List<String> MODEL_TEXT = List.of("model", "model/tokenizer.json", "model/tokenizer_config.json",
            "model/generation_config.json");
    private static final List<String> MODEL_ALL = union(MODEL_WEIGHTS, MODEL_TEXT);
    private static final List<String> RANKER = List.of("ranker", "ranker/ranker.json", "ranker/ranker.safetensors");
    private static final List<String> OPTIONAL = List.of("model/generation_config.json", "model/tokenizer_config.json");

    /** One command line; {@code reads} are the inputs (relative to the case folder) it reads. */
    record Command(String name, List<String> reads, String... args) {
        String[] line(Path dir) {
            return Arrays.stream(args).map(a -> a.replace("$IN", dir.toString()).replace("$OUT", dir.resolve("out").toString()))
                    .toArray(String[]::new);
        }

        boolean reads(String path) {
            return reads.contains(path);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** One way of breaking the input at {@code path}; the error line must hold every fragment. */
    record Breakage(String name, String path, Edit edit, String... fragments) {
        @Override
        public String toString() {
            return path + " " + name;
        }
    }

    @FunctionalInterface
    interface Edit {
        void apply(Path file) throws IOException;
    }

    static final List<Command> COMMANDS = List.of(
            new Command("info", MODEL_WEIGHTS, "info", "$IN/model"),
            new Command("hidden", MODEL_WEIGHTS, "hidden", "$IN/model", "--ids", "1,2,3", "--layers", "1", "--out", "$OUT/h.safetensors"),
            new Command("bench", MODEL_WEIGHTS, "bench", "$IN/model", "--repeat", "1", "--pp", "4", "--tg", "2", "--depth", "0", "--k", "0",
                    "--encode", "0", "--stream-mb", "0"),
            new Command("generate", MODEL_ALL, "generate", "$IN/model", "--prompt", "hi", "--max-new-tokens", "2", "--greedy"),
            new Command("tokenize", MODEL_TEXT, "tokenize", "$IN/model", "--text", "hello"),
            new Command("tokenize --text-file", union(MODEL_TEXT, List.of("texts.txt")), "tokenize", "$IN/model",
                    "--text-file", "$IN/texts.txt"),
            new Command("detokenize", MODEL_TEXT, "detokenize", "$IN/model", "--ids", "72,101"),
            new Command("chat", union(MODEL_TEXT, List.of("messages.json")), "chat", "$IN/model", "--messages", "$IN/messages.json"),
            new Command("generate --messages", union(MODEL_ALL, List.of("messages.json")), "generate", "$IN/model",
                    "--messages", "$IN/messages.json", "--max-new-tokens", "2", "--greedy"),
            new Command("features", union(MODEL_ALL, List.of("lists.jsonl")), "features", "$IN/model", "--data", "$IN/lists.jsonl",
                    "--layers", "1", "--pool", "last", "--out", "$OUT/f.safetensors", "--quiet"),
            new Command("train", List.of("features.safetensors", "lists.jsonl"), "train", "--features", "$IN/features.safetensors",
                    "--data", "$IN/lists.jsonl", "--layer", "1", "--dim", "8", "--heads", "2", "--epochs", "1", "--val", "0.25",
                    "--out", "$OUT/ranker", "--quiet"),
            new Command("eval", union(RANKER, List.of("features.safetensors", "lists.jsonl")), "eval", "--ranker", "$IN/ranker",
                    "--features", "$IN/features.safetensors", "--data", "$IN/lists.jsonl", "--quiet"),
            new Command("eval MODEL", union(MODEL_ALL, union(RANKER, List.of("lists.jsonl"))), "eval", "$IN/model", "--ranker",
                    "$IN/ranker", "--data", "$IN/lists.jsonl", "--quiet"),
            new Command("rank --features", union(RANKER, List.of("features.safetensors", "lists.jsonl")), "rank", "--ranker",
                    "$IN/ranker", "--features", "$IN/features.safetensors", "--data", "$IN/lists.jsonl"),
            new Command("rank MODEL", union(MODEL_ALL, union(RANKER, List.of("lists.jsonl"))), "rank", "$IN/model", "--ranker",
                    "$IN/ranker", "--data", "$IN/lists.jsonl", "--quiet"),
            new Command("split", List.of("lists.jsonl"), "split", "--data", "$IN/lists.jsonl", "--out-train", "$OUT/a.jsonl",
                    "--out-test", "$OUT/b.jsonl"),
            new Command("respond", union(MODEL_ALL, RANKER), "respond", "$IN/model", "--ranker", "$IN/ranker", "--prompt", "hi",
                    "--n", "2", "--max-new-tokens", "2", "--quiet"),
            new Command("synth --tokenizer", MODEL_TEXT, "synth", "--like", "vicuna-7b", "--layers", "1", "--hidden", "256",
                    "--intermediate", "64", "--heads", "2", "--kv-heads", "2", "--vocab", "512", "--tokenizer", "$IN/model",
                    "--out", "$OUT/synth", "--quiet"),
            new Command("demo", union(MODEL_ALL, union(RANKER, List.of("lists.jsonl"))), "demo", "--demo-dir", "$IN",
                    "--list", "l2", "--n", "2", "--max-new-tokens", "2"));

    static final List<Breakage> BREAKAGES = breakages();

    private static List<Breakage> breakages() {
        List<Breakage> b = new ArrayList<>();
        // folders
        for (String folder : List.of("model", "ranker")) {
            b.add(new Breakage("missing", folder, BadInputMatrixTest::delete, folder));
            b.add(new Breakage("a file instead of a folder", folder, f -> {
                delete(f);
                Files.writeString(f, "{}");
            }, folder));
        }
        // every file: the generic breakages
        for (String json : List.of("model/config.json", "model/generation_config.json", "model/tokenizer.json",
                "model/tokenizer_config.json", "ranker/ranker.json", "messages.json")) {
            String name = fileName(json);
            if (!OPTIONAL.contains(json)) b.add(new Breakage("missing", json, BadInputMatrixTest::delete, name));
            b.add(new Breakage("a folder", json, f -> {
                delete(f);
                Files.createDirectories(f);
            }, name, "folder"));
            b.add(new Breakage("empty", json, f -> Files.write(f, new byte[0]), name, "empty"));
            b.add(new Breakage("truncated", json, f -> truncate(f), name, "invalid JSON"));
            b.add(new Breakage("bad JSON", json, f -> Files.writeString(f, "{\"a\": 1,, }"), name, "invalid JSON"));
            b.add(new Breakage("a safetensors file", json, f -> copy(intact.resolve("model/model.safetensors"), f), name, "invalid JSON"));
        }
        for (String st : List.of("model/model.safetensors", "features.safetensors", "ranker/ranker.safetensors")) {
            String name = fileName(st);
            b.add(new Breakage("missing", st, BadInputMatrixTest::delete, name));
            b.add(new Breakage("a folder", st, f -> {
                delete(f);
                Files.createDirectories(f);
            }, name, "folder"));
            b.add(new Breakage("empty", st, f -> Files.write(f, new byte[0]), name, "truncated"));
            b.add(new Breakage("truncated", st, f -> truncate(f), name));
            b.add(new Breakage("a JSON file", st, f -> Files.writeString(f, "{\"format\": \"pt\"}"), name));
            b.add(new Breakage("offsets outside the file", st, f -> SafetensorsEdits.header(f, h -> {
                String first = firstTensor(h);
                ((ObjectNode) h.get(first)).putArray("data_offsets").add(0).add(1L << 40);
            }), name, "outside the file"));
            b.add(new Breakage("a shape whose size overflows", st, f -> SafetensorsEdits.header(f, h -> {
                String first = firstTensor(h);
                ((ObjectNode) h.get(first)).putArray("shape").add(1L << 32).add(1L << 32).add(4);
            }), name, "too large"));
            b.add(new Breakage("a tensor named twice", st, f -> SafetensorsEdits.headerText(f, t -> {
                String first = firstTensor((ObjectNode) Json.parse(t, "test"));
                int at = t.indexOf("\"" + first + "\"");
                int end = t.indexOf('}', at) + 1;
                return t.substring(0, end) + "," + t.substring(at, end) + t.substring(end);
            }), name, "twice"));
        }
        for (String text : List.of("lists.jsonl", "texts.txt")) {
            b.add(new Breakage("missing", text, BadInputMatrixTest::delete, text));
            b.add(new Breakage("a folder", text, f -> {
                delete(f);
                Files.createDirectories(f);
            }, text, "folder"));
            b.add(new Breakage("binary", text, f -> copy(intact.resolve("model/model.safetensors"), f), text));
            b.add(new Breakage("bad JSON line", text, f -> Files.writeString(f, Files.readString(f) + "{\"id\": \n"), text, "invalid JSON"));
        }
        // specific fields: wrong types, out-of-range numbers, lies
        b.add(json("num_hidden_layers a string", "model/config.json", r -> r.put("num_hidden_layers", "three"), "num_hidden_layers"));
        b.add(json("zero attention heads", "model/config.json", r -> r.put("num_attention_heads", 0), "num_attention_heads"));
        b.add(json("kv heads not dividing heads", "model/config.json", r -> r.put("num_key_value_heads", 3), "num_key_value_heads"));
        b.add(json("negative rope_theta", "model/config.json", r -> (r.has("rope_parameters")
                ? (ObjectNode) r.get("rope_parameters") : r).put("rope_theta", -1.0), "rope_theta"));
        b.add(json("vocab_size a float", "model/config.json", r -> r.put("vocab_size", 1e30), "vocab_size"));
        b.add(json("eos id outside the vocabulary", "model/config.json", r -> r.put("eos_token_id", 99999), "eos_token_id"));
        b.add(json("eos id negative", "model/generation_config.json", r -> r.put("eos_token_id", -5), "eos_token_id"));
        b.add(json("eos id a string", "model/generation_config.json", r -> r.putArray("eos_token_id").add("two"), "eos_token_id"));
        b.add(json("vocab id a string", "model/tokenizer.json", r -> ((ObjectNode) r.get("model").get("vocab")).put("!", "x"), "vocab", "\"!\""));
        b.add(json("vocab id negative", "model/tokenizer.json", r -> ((ObjectNode) r.get("model").get("vocab")).put("!", -1), "\"!\""));
        b.add(json("added token id negative", "model/tokenizer.json",
                r -> ((ObjectNode) r.get("added_tokens").get(0)).put("id", -1), "added_tokens[0]", "id"));
        b.add(json("merge of unknown tokens", "model/tokenizer.json", r -> ((ArrayNode) r.get("model").get("merges")).add("zz qq"), "merge", "zz qq"));
        b.add(json("unknown pre-tokenizer", "model/tokenizer.json", r -> r.putObject("pre_tokenizer").put("type", "Bogus"), "Bogus"));
        b.add(json("template id a string", "model/tokenizer.json", r -> ((ArrayNode) r.get("post_processor").get("processors").get(1)
                .get("special_tokens").get("<|begin_of_text|>").get("ids")).set(0, Json.MAPPER.getNodeFactory().textNode("x")), "ids"));
        b.add(json("chat_template a number", "model/tokenizer_config.json", r -> r.put("chat_template", 5), "chat_template"));
        b.add(json("bos_token a number", "model/tokenizer_config.json", r -> r.put("bos_token", 5), "bos_token"));
        b.add(json("unknown format", "ranker/ranker.json", r -> r.put("format", "other"), "format"));
        b.add(json("heads a string", "ranker/ranker.json", r -> ((ObjectNode) r.get("config")).put("heads", "two"), "config.heads"));
        b.add(json("zero projection", "ranker/ranker.json", r -> ((ObjectNode) r.get("config")).put("proj_dim", 0), "config.proj_dim"));
        b.add(json("dropout above 1", "ranker/ranker.json", r -> ((ObjectNode) r.get("config")).put("dropout", 2.0), "config.dropout"));
        b.add(json("a shape its tensors do not have", "ranker/ranker.json", r -> ((ObjectNode) r.get("config")).put("ff_dim", 16),
                "ranker.safetensors", "ff.in.weight"));
        b.add(json("layer a string", "ranker/ranker.json", r -> ((ObjectNode) r.get("feature_spec")).put("layer", "one"), "layer"));
        b.add(new Breakage("not a list of messages", "messages.json", f -> Files.writeString(f, "[1, 2]"), "messages.json"));
        b.add(new Breakage("candidates not a list", "lists.jsonl", f -> Files.writeString(f,
                "{\"id\": \"x\", \"prompt\": \"p\", \"candidates\": \"none\"}\n"), "lists.jsonl:1", "candidates"));
        b.add(new Breakage("a list id used twice", "lists.jsonl", f -> Files.writeString(f, Files.readString(f)
                + Files.readAllLines(f).getFirst() + "\n"), "lists.jsonl:9", "l1"));
        b.add(new Breakage("empty", "lists.jsonl", f -> Files.write(f, new byte[0]), "lists.jsonl", "no lists"));
        b.add(new Breakage("a line that is not a string", "texts.txt", f -> Files.writeString(f, "\"a\"\n42\n"), "texts.txt line 2"));
        b.add(new Breakage("not a feature cache", "features.safetensors",
                f -> copy(intact.resolve("model/model.safetensors"), f), "features.safetensors", "srr.features"));
        b.add(new Breakage("counts that do not match the ids", "features.safetensors", f -> editFeatureMeta(f,
                m -> ((ArrayNode) m.get("counts")).add(3)), "features.safetensors", "counts"));
        b.add(new Breakage("zero hidden size", "features.safetensors", f -> editFeatureMeta(f,
                m -> m.put("hidden_size", 0)), "features.safetensors", "hidden_size"));
        b.add(new Breakage("a tensor shorter than the metadata says", "features.safetensors", f -> editFeatureMeta(f,
                m -> ((ArrayNode) m.get("counts")).set(0, Json.MAPPER.getNodeFactory().numberNode(9))), "features.safetensors", "candidates.L"));
        return b;
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (Command c : COMMANDS) {
            for (Breakage b : BREAKAGES) if (c.reads(b.path())) out.add(Arguments.of(c, b));
        }
        return out.stream();
    }

    static Stream<Command> commands() {
        return COMMANDS.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cases")
    void brokenInputGivesOneErrorAndNoOutput(Command command, Breakage breakage) throws IOException {
        Path dir = copyIntact();
        breakage.edit().apply(dir.resolve(breakage.path()));
        CliRunner r = CliRunner.run(command.line(dir));
        try {
            r.assertUserError(breakage.fragments());
            try (Stream<Path> left = Files.list(dir.resolve("out"))) {
                assertEquals(List.of(), left.toList(), "output left behind by a failed run");
            }
        } catch (AssertionError e) {
            throw new AssertionError(command + " with " + breakage + ": " + e.getMessage(), e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commands")
    void everyCommandRunsOnTheIntactInputs(Command command) throws IOException {
        CliRunner r = CliRunner.run(command.line(copyIntact()));
        assertEquals(0, r.exitCode(), command + ": " + r.err());
    }

    @BeforeAll
    static void buildIntactInputs() throws IOException {
        Path model = Files.createDirectories(intact.resolve("model"));
        Path golden = TestData.goldenModel("qwen2-tiny-f16").resolve("model");
        for (String f : List.of("config.json", "generation_config.json", "model.safetensors")) copy(golden.resolve(f), model.resolve(f));
        Files.writeString(model.resolve("tokenizer.json"), Json.write(TinyTokenizers.byteLevel()));
        Files.writeString(model.resolve("tokenizer_config.json"), Json.write(Json.MAPPER.createObjectNode()
                .put("bos_token", "<|begin_of_text|>").put("eos_token", "<|eot_id|>")
                .put("chat_template", "{% for m in messages %}<|{{ m.role }}|>{{ m.content }}{% endfor %}"
                        + "{% if add_generation_prompt %}<|assistant|>{% endif %}")));
        StringBuilder lists = new StringBuilder();
        for (int i = 1; i <= 8; i++) {
            lists.append("{\"id\": \"l").append(i).append("\", \"prompt\": \"How do I do thing ").append(i)
                    .append("?\", \"candidates\": [{\"text\": \"Sorry, I cannot.\", \"label\": \"safe\"}, ")
                    .append("{\"text\": \"Sure, here is how.\", \"label\": \"unsafe\"}, {\"text\": \"Maybe ").append(i)
                    .append("\", \"label\": \"").append(i % 2 == 0 ? "safe" : "unsafe").append("\"}]}\n");
        }
        Files.writeString(intact.resolve("lists.jsonl"), lists);
        Files.writeString(intact.resolve("messages.json"), "[{\"role\": \"user\", \"content\": \"hello\"}]");
        Files.writeString(intact.resolve("texts.txt"), "\"hello\"\n\"the world\"\n");
        Files.createDirectories(intact.resolve("out"));
        CliRunner f = CliRunner.run("features", model.toString(), "--data", intact.resolve("lists.jsonl").toString(),
                "--layers", "all", "--pool", "last,mean", "--out", intact.resolve("features.safetensors").toString(), "--quiet");
        assertEquals(0, f.exitCode(), f.err());
        CliRunner t = CliRunner.run("train", "--features", intact.resolve("features.safetensors").toString(), "--data",
                intact.resolve("lists.jsonl").toString(), "--layer", "1", "--dim", "8", "--heads", "2", "--epochs", "2",
                "--val", "0.25", "--out", intact.resolve("ranker").toString(), "--quiet");
        assertEquals(0, t.exitCode(), t.err());
    }

    private Path copyIntact() throws IOException {
        Path dir = work.resolve("case");
        try (Stream<Path> all = Files.walk(intact)) {
            for (Path p : all.toList()) {
                Path to = dir.resolve(intact.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(to);
                else Files.copy(p, to);
            }
        }
        return dir;
    }

    private static Breakage json(String name, String path, Consumer<ObjectNode> edit, String... fields) {
        String[] fragments = new String[fields.length + 1];
        fragments[0] = fileName(path);
        System.arraycopy(fields, 0, fragments, 1, fields.length);
        if (fields.length > 0 && fields[0].endsWith(".safetensors")) fragments = fields;
        return new Breakage(name, path, f -> {
            ObjectNode root = (ObjectNode) Json.read(f);
            edit.accept(root);
            Files.writeString(f, Json.write(root));
        }, fragments);
    }

    private static void editFeatureMeta(Path file, Consumer<ObjectNode> edit) throws IOException {
        SafetensorsEdits.header(file, h -> {
            ObjectNode meta = (ObjectNode) h.get("__metadata__");
            ObjectNode features = (ObjectNode) Json.parse(meta.get("srr.features").asText(), "test");
            edit.accept(features);
            meta.put("srr.features", Json.write(features));
        });
    }

    private static String firstTensor(ObjectNode header) {
        var names = header.fieldNames();
        while (names.hasNext()) {
            String n = names.next();
            if (!n.equals("__metadata__")) return n;
        }
        throw new IllegalStateException("no tensor");
    }

    private static String fileName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static void truncate(Path f) throws IOException {
        byte[] b = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(b, b.length / 2));
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void delete(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (Stream<Path> all = Files.walk(p)) {
            for (Path q : all.sorted(Comparator.reverseOrder()).toList()) Files.delete(q);
        }
    }

    private static List<String> union(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        for (String s : b) if (!out.contains(s)) out.add(s);
        return out;
    }

}
