package dev.srr.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import scala.reflect.ClassTag$;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Spark's Kryo serializer and what the jobs ship to and from executors: the task data are plain classes, never
 * records, and each survives a round trip through Kryo as a cluster configured with
 * {@code spark.serializer=KryoSerializer} would send it. (SparkJobsTest runs every job under Kryo end to end.)
 */
class KryoTest {
    private final SerializerInstance kryo = new KryoSerializer(new SparkConf()).newInstance();

    @SuppressWarnings("unchecked")
    private <T> T roundTrip(T value) {
        var tag = ClassTag$.MODULE$.<T>apply(value.getClass());
        return (T) kryo.deserialize(kryo.serialize(value, tag), tag);
    }

    @Test
    void noShippedTypeIsARecord() {
        for (Class<?> c : List.of(JobSettings.class, SamplingSettings.class, IndexedLine.class, ListOutcome.class, JobCounters.class)) {
            assertFalse(c.isRecord(), c + " is shipped to or from executors and must not be a record");
        }
    }

    @Test
    void shippedTypesSurviveKryo() {
        JobSettings s = roundTrip(new JobSettings("/m", null, "cpu", 5));
        assertEquals("/m", s.model());
        assertNull(s.ranker());
        assertEquals("cpu", s.backend());
        assertEquals(5, s.batch());

        IndexedLine l = roundTrip(new IndexedLine(41, "{\"id\": 1}"));
        assertEquals(41, l.index);
        assertEquals("{\"id\": 1}", l.text);

        ListOutcome o = roundTrip(new ListOutcome(7, new Boolean[]{true, null, false}, new double[]{0.5, -1}, new double[]{2, 3}));
        assertEquals(7, o.index);
        assertArrayEquals(new Boolean[]{true, null, false}, o.labels());
        assertArrayEquals(new double[]{0.5, -1}, o.ranker);
        assertArrayEquals(new double[]{2, 3}, o.keyword);
    }
}
