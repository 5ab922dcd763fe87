package dev.srr.spark;

import dev.srr.SrrException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.IOException;

/** Reads lists JSONL from any Hadoop file system path (local, HDFS, S3 through its connector) as indexed lines. */
public final class ListInput {
    private ListInput() {
    }

    /**
     * The non-blank lines of {@code path} (a file, a folder or a glob), in input order.
     *
     * @param minPartitions the least number of partitions to split the input into
     * @throws SrrException when the path matches nothing
     */
    public static JavaRDD<IndexedLine> read(JavaSparkContext sc, String path, int minPartitions) {
        requireInput(sc, path);
        return sc.textFile(path, minPartitions).zipWithIndex()
                .filter(t -> !t._1().isBlank())
                .map(t -> new IndexedLine(t._2(), t._1()));
    }

    static void requireInput(JavaSparkContext sc, String path) {
        try {
            Path p = new Path(path);
            FileSystem fs = p.getFileSystem(sc.hadoopConfiguration());
            var matches = fs.globStatus(p);
            if (matches == null || matches.length == 0) throw new SrrException(path + ": input not found");
        } catch (IOException e) {
            throw new SrrException(path + ": cannot read the input: " + e.getMessage());
        }
    }

    /**
     * Refuses an output path that exists already, with a message saying so (Spark's own error is a stack trace).
     *
     * @throws SrrException when {@code path} exists
     */
    public static void requireNewOutput(JavaSparkContext sc, String path) {
        try {
            Path p = new Path(path);
            if (p.getFileSystem(sc.hadoopConfiguration()).exists(p)) {
                throw new SrrException(path + ": output exists already (choose a new path or remove it)");
            }
        } catch (IOException e) {
            throw new SrrException(path + ": cannot check the output path: " + e.getMessage());
        }
    }
}
