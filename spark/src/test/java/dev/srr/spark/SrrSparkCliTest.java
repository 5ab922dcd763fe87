package dev.srr.spark;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The job's main class as spark-submit runs it: help, and one clear error line for bad paths and options. */
class SrrSparkCliTest {
    private static final List<String> SPARK_PROPERTIES = List.of("spark.master", "spark.driver.host", "spark.driver.bindAddress",
            "spark.ui.enabled");

    @TempDir
    Path tmp;

    /** What spark-submit would set: a local master, loopback only. */
    @BeforeAll
    static void master() {
        System.setProperty("spark.master", "local[1]");
        System.setProperty("spark.driver.host", "127.0.0.1");
        System.setProperty("spark.driver.bindAddress", "127.0.0.1");
        System.setProperty("spark.ui.enabled", "false");
    }

    @AfterAll
    static void clear() {
        SPARK_PROPERTIES.forEach(System::clearProperty);
    }

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = SrrSpark.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    static void assertUserError(Run r, String... fragments) {
        assertEquals(2, r.code(), "exit code; stderr: " + r.err());
        List<String> errors = r.err().lines().filter(l -> l.startsWith("srr-spark: error: ")).toList();
        assertEquals(1, errors.size(), "one error line in: " + r.err());
        for (String f : fragments) assertTrue(errors.getFirst().contains(f), "'" + f + "' in: " + errors.getFirst());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    }

    @Test
    void helpNamesTheJobsAndTheirOptions() {
        Run top = run("--help");
        assertEquals(0, top.code());
        for (String job : List.of("rank", "features", "eval", "respond")) assertTrue(top.out().contains(job), top.out());
        Run rank = run("rank", "--help");
        assertEquals(0, rank.code());
        for (String o : List.of("--model", "--ranker", "--data", "--out", "--batch", "--partitions")) assertTrue(rank.out().contains(o), o);
    }

    @Test
    void aMissingInputIsOneErrorLine() {
        Path missing = tmp.resolve("no-such-lists.jsonl");
        assertUserError(run("rank", "--model", "m", "--ranker", "r", "--data", missing.toString(), "--out", tmp.resolve("o").toString()),
                missing.toString(), "input not found");
    }

    @Test
    void anExistingOutputIsRefused() throws Exception {
        Path data = Files.writeString(tmp.resolve("l.jsonl"), "{\"id\": 1, \"prompt\": \"p\", \"candidates\": []}\n");
        Path out = Files.createDirectory(tmp.resolve("out"));
        assertUserError(run("rank", "--model", "m", "--ranker", "r", "--data", data.toString(), "--out", out.toString()),
                out.toString(), "exists already");
    }

    @Test
    void aMissingModelIsNamed() {
        Path data = Path.of("src/test/resources/lists-small.jsonl").toAbsolutePath();
        Path model = tmp.resolve("no-model");
        assertUserError(run("features", "--model", model.toString(), "--data", data.toString(), "--out", tmp.resolve("f").toString()),
                model.toString(), "model not found");
    }

    @Test
    void aBadBatchIsRefused() {
        assertUserError(run("eval", "--model", "m", "--ranker", "r", "--data", "d", "--batch", "0"), "--batch must be at least 1");
    }
}
