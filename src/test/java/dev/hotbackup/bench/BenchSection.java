package dev.hotbackup.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * A section of the benchmark that runs in parts of its own: where its results go, its working
 * folder, whether the run is quick, and where it reports progress.
 */
abstract class BenchSection {

    protected final Benchmark.Results results;
    protected final Path work;
    protected final boolean quick;
    protected final Consumer<String> say;

    BenchSection(Benchmark.Results results, Path work, boolean quick, Consumer<String> say) {
        this.results = results;
        this.work = work;
        this.quick = quick;
        this.say = say;
    }

    /** The parts to run: {@code -Dbench.<section>.parts=a,b}, or all of {@code all}. */
    static List<String> parts(String section, String all) {
        return List.of(System.getProperty("bench." + section + ".parts", all).split(","));
    }

    abstract void run() throws Exception;
}
