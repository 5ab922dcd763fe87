package dev.srr.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.srr.io.Json;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/** Rewrites the JSON header of a safetensors file in place, keeping its data bytes: headers that lie, for tests. */
final class SafetensorsEdits {
    private SafetensorsEdits() {
    }

    /** Applies {@code edit} to the parsed header. */
    static void header(Path file, Consumer<ObjectNode> edit) throws IOException {
        headerText(file, text -> {
            ObjectNode header = (ObjectNode) Json.parse(text, "test");
            edit.accept(header);
            return Json.write(header);
        });
    }

    /** Applies {@code edit} to the header's text (for what a JSON tree cannot hold, such as a repeated key). */
    static void headerText(Path file, UnaryOperator<String> edit) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        String text = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        byte[] json = edit.apply(text).getBytes(StandardCharsets.UTF_8);
        byte[] data = Arrays.copyOfRange(bytes, 8 + (int) n, bytes.length);
        ByteBuffer out = ByteBuffer.allocate(8 + json.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(json.length).put(json).put(data);
        Files.write(file, out.array());
    }
}
