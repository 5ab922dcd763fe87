package dev.srr.cli;

import dev.srr.TestData;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Option values no run can use are user errors naming the option, checked before anything is read or written. */
class BadOptionsTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "bench MODEL --encode axb                                   | --encode",
            "bench MODEL --encode 0x3                                   | --encode",
            "synth --like vicuna-7b --layers 0 --out OUT/s              | --layers",
            "synth --like vicuna-7b --vocab -2 --out OUT/s              | --vocab",
            "synth --like vicuna-7b --shard-mb 0 --out OUT/s            | --shard-mb",
            "features MODEL --data LISTS --limit -1 --out OUT/f         | --limit",
    })
    void anUnusableOptionValueIsAUserError(String line, String option) throws IOException {
        Path model = TestData.goldenModel("qwen2-tiny-f16").resolve("model");
        Path lists = dir.resolve("lists.jsonl");
        Files.writeString(lists, "{\"id\": \"a\", \"prompt\": \"p\", \"candidates\": [{\"text\": \"x\"}]}\n");
        Path out = Files.createDirectories(dir.resolve("out"));
        String[] args = line.replace("MODEL", model.toString()).replace("LISTS", lists.toString())
                .replace("OUT", out.toString()).split(" +");
        CliRunner.run(args).assertUserError(option);
        try (var left = Files.list(out)) {
            assertEquals(List.of(), left.toList());
        }
    }
}
