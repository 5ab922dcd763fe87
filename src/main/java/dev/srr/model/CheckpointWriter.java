package dev.srr.model;

import dev.srr.SrrException;
import dev.srr.io.AtomicFiles;
import dev.srr.io.Json;
import dev.srr.io.SafetensorsWriter;
import dev.srr.tensor.DType;
import dev.srr.tensor.Tensor;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a Hugging Face checkpoint folder: {@code config.json}, the weights as one {@code model.safetensors} or
 * shards with {@code model.safetensors.index.json}, and any other JSON files (generation and tokenizer files).
 * Everything is written into a temporary sibling folder that is renamed into place when complete, so a failed run
 * leaves nothing behind; an existing non-empty folder is refused.
 */
public final class CheckpointWriter {
    /** One tensor to write, its bytes produced while streaming. */
    public record Entry(String name, DType dtype, long[] shape, SafetensorsWriter.Body body) {
        long bytes() {
            long n = dtype.bytes;
            for (long d : shape) n *= d;
            return n;
        }
    }

    private CheckpointWriter() {
    }

    /** An entry that writes {@code t}'s values as {@code dtype} (bytes copied when the dtypes agree, else converted). */
    public static Entry entryOf(Tensor t, DType dtype) {
        return new Entry(t.name(), dtype, t.shape(), out -> {
            if (t.dtype() == dtype) {
                byte[] buf = new byte[1 << 20];
                for (long at = 0; at < t.data().byteSize(); at += buf.length) {
                    int n = (int) Math.min(buf.length, t.data().byteSize() - at);
                    MemorySegment.copy(t.data(), ValueLayout.JAVA_BYTE, at, buf, 0, n);
                    out.write(buf, 0, n);
                }
                return;
            }
            float[] chunk = new float[1 << 16];
            ByteBuffer bytes = ByteBuffer.allocate(chunk.length * dtype.bytes).order(ByteOrder.LITTLE_ENDIAN);
            for (long at = 0; at < t.size(); at += chunk.length) {
                int n = (int) Math.min(chunk.length, t.size() - at);
                t.copyTo(at, chunk, 0, n);
                bytes.clear();
                for (int i = 0; i < n; i++) {
                    switch (dtype) {
                        case F32 -> bytes.putFloat(chunk[i]);
                        case F16 -> bytes.putShort(Float.floatToFloat16(chunk[i]));
                        case BF16 -> bytes.putShort(Tensor.floatToBf16(chunk[i]));
                    }
                }
                out.write(bytes.array(), 0, bytes.position());
            }
        });
    }

    /**
     * @param out        the folder to create
     * @param files      file name to content (serialised as indented JSON): config.json and the others
     * @param tensors    the weights, in the order to write them
     * @param shardBytes a new shard starts when the next tensor would exceed this many bytes
     * @throws SrrException when {@code out} exists and is not empty, or cannot be written
     */
    public static void write(Path out, Map<String, Object> files, List<Entry> tensors, long shardBytes) {
        if (Files.exists(out)) {
            try (var s = Files.list(out)) {
                if (s.findAny().isPresent()) throw new SrrException(out + ": folder exists and is not empty");
            } catch (IOException e) {
                throw new SrrException(out + ": exists and cannot be read as a folder: " + e.getMessage());
            }
        }
        Path parent = out.toAbsolutePath().getParent();
        Path tmp;
        try {
            Files.createDirectories(parent);
            tmp = Files.createTempDirectory(parent, "." + out.getFileName() + ".");
            AtomicFiles.publish(tmp, "rwxr-xr-x");
        } catch (IOException e) {
            throw new SrrException(out + ": cannot create: " + e.getMessage());
        }
        try {
            List<List<Entry>> shards = new ArrayList<>();
            List<Entry> current = new ArrayList<>();
            long bytes = 0;
            for (Entry e : tensors) {
                if (!current.isEmpty() && bytes + e.bytes() > shardBytes) {
                    shards.add(current);
                    current = new ArrayList<>();
                    bytes = 0;
                }
                current.add(e);
                bytes += e.bytes();
            }
            shards.add(current);
            Map<String, String> weightMap = new LinkedHashMap<>();
            long total = 0;
            for (int s = 0; s < shards.size(); s++) {
                String file = shards.size() == 1 ? "model.safetensors" : String.format("model-%05d-of-%05d.safetensors", s + 1, shards.size());
                SafetensorsWriter w = new SafetensorsWriter().metadata("format", "pt");
                for (Entry e : shards.get(s)) {
                    weightMap.put(e.name(), file);
                    total += e.bytes();
                    w.add(e.name(), e.dtype(), e.shape(), e.body());
                }
                w.write(tmp.resolve(file));
            }
            if (shards.size() > 1) {
                Map<String, Object> index = new LinkedHashMap<>();
                index.put("metadata", Map.of("total_size", total));
                index.put("weight_map", weightMap);
                AtomicFiles.writeString(tmp.resolve("model.safetensors.index.json"), Json.writePretty(index));
            }
            for (var f : files.entrySet()) AtomicFiles.writeString(tmp.resolve(f.getKey()), Json.writePretty(f.getValue()));
            AtomicFiles.move(tmp, out);
        } catch (IOException | RuntimeException e) {
            AtomicFiles.deleteTree(tmp);
            if (e instanceof RuntimeException re) throw re;
            throw new SrrException(out + ": cannot write: " + e.getMessage());
        }
    }
}
