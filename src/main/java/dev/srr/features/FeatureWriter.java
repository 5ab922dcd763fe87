package dev.srr.features;

import dev.srr.data.SafetyList;
import dev.srr.SrrException;
import dev.srr.io.Json;
import dev.srr.io.SafetensorsFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Extracts features for all lists into a {@link FeatureCache}, in parts of a few lists each written atomically
 * beside the target ({@code <out>.parts/}). A run that is interrupted keeps its finished parts; the next run with
 * the same model, layers, poolings, encode mode and data resumes after them. The parts are merged at the end.
 */
public final class FeatureWriter {
    private final FeatureExtractor extractor;
    private final int partSize;

    public FeatureWriter(FeatureExtractor extractor, int partSize) {
        this.extractor = extractor;
        this.partSize = Math.max(1, partSize);
    }

    /** Returns how many lists were taken from an earlier run's parts. */
    public int write(List<SafetyList> lists, FeatureCache.Header header, Path out, IntConsumer listsDone) {
        Path partsDir = out.resolveSibling(out.getFileName() + ".parts");
        List<Path> parts = new ArrayList<>();
        int resumed = 0;
        try {
            Files.createDirectories(partsDir);
            for (int start = 0; start < lists.size(); start += partSize) {
                int end = Math.min(lists.size(), start + partSize);
                Path part = partsDir.resolve(String.format("part-%07d-%07d.safetensors", start, end));
                if (Files.isRegularFile(part) && sameHeader(part, header)) {
                    resumed += end - start;
                } else {
                    List<ListFeatures> done = new ArrayList<>();
                    for (int i = start; i < end; i++) done.add(extractor.extract(lists.get(i)));
                    FeatureCache.writePart(part, header, done);
                }
                parts.add(part);
                listsDone.accept(end);
            }
            FeatureCache.merge(parts, header, out);
            for (Path p : parts) FeatureCache.deleteQuietly(p);
            try (var rest = Files.list(partsDir)) {
                rest.forEach(FeatureCache::deleteQuietly);
            }
            FeatureCache.deleteQuietly(partsDir);
        } catch (IOException e) {
            throw new SrrException(partsDir + ": " + e.getMessage());
        }
        return resumed;
    }

    private static boolean sameHeader(Path part, FeatureCache.Header header) {
        try (SafetensorsFile f = SafetensorsFile.open(part)) {
            String meta = f.metadata().get(FeatureCache.META_KEY);
            return meta != null && Json.parse(meta, part.toString()).equals(Json.MAPPER.valueToTree(header.toJson()));
        } catch (SrrException e) {
            return false; // unreadable part: compute it again
        }
    }
}
