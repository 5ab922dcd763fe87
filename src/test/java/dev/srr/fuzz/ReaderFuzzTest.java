package dev.srr.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Timeout;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A fuzz target for a reader of outside input. Run by {@code mvn verify} on its seed and regression inputs
 * ({@code src/test/resources/dev/srr/fuzz/<Class>Inputs/fuzz/}) as ordinary tests; fuzzed by {@code scripts/fuzz}
 * (Jazzer, coverage-guided) for a bounded time. Each input has 10 seconds: past that, a JUnit timeout fails the
 * test, and while fuzzing libFuzzer reports a timeout finding.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@FuzzTest(maxDuration = "30s")
@interface ReaderFuzzTest {
}
