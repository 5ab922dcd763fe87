/**
 * Coverage-guided fuzz targets (Jazzer) for every reader of outside input: safetensors files, config.json with
 * generation_config.json, tokenizer.json with text to encode, JSONL candidate lists, feature caches, ranker
 * checkpoints and chat templates. Each target keeps {@link dev.srr.fuzz.ReaderProperty}: only
 * {@link dev.srr.SrrException} escapes, no hang, no allocation far beyond the input's size.
 *
 * <p>{@code mvn verify} replays every target's inputs as tests (surefire execution {@code fuzz-targets}, its own
 * JVM): the generated seeds ({@code seed-*}, see {@link dev.srr.fuzz.FuzzSeedsTest}) and every finding kept as a
 * regression input ({@code crash-*}, {@code timeout-*}), all under
 * {@code src/test/resources/dev/srr/fuzz/<Target>Inputs/fuzz/}. {@code scripts/fuzz} fuzzes them.
 *
 * <p>Adding a target, e.g. for a GGUF reader, takes a class and a folder of seeds:
 * <pre>{@code
 * class GgufFuzzTest {
 *     @ReaderFuzzTest
 *     void fuzz(byte[] data) {
 *         ReaderProperty.check(data.length, "model.gguf", () -> read(data));
 *     }
 *
 *     static void read(byte[] data) throws IOException {
 *         try (GgufFile f = GgufFile.open(ReaderProperty.file("model.gguf", data))) {
 *             // touch what a caller would use: metadata values, each tensor's first and last element
 *         }
 *     }
 * }
 * }</pre>
 * then small valid files as seeds in {@code src/test/resources/dev/srr/fuzz/GgufFuzzTestInputs/fuzz/} (best made
 * by srr's own writer in {@link dev.srr.fuzz.FuzzSeedsTest}, with the target added to its table, so the seeds are
 * checked to be accepted), and {@code scripts/fuzz Gguf}. A reader of several files takes NUL-separated parts:
 * {@link dev.srr.fuzz.ReaderProperty#folder(byte[], String...)}.
 */
package dev.srr.fuzz;
