package dev.hotbackup.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code application.properties} and {@code docs/configuration.md} are generated from the key
 * declarations, so the defaults and meanings they give cannot drift from the code. After changing a
 * key, regenerate them: {@code ./mvnw test -Dtest=ConfigDocsTest -Dregenerate=true}.
 */
class ConfigDocsTest {

    private static final String HOW =
            " differs from the key declarations (Keys.java): ./mvnw test -Dtest=ConfigDocsTest"
                    + " -Dregenerate=true";

    @Test
    void applicationPropertiesIsGeneratedFromTheDeclarations() throws Exception {
        check(Path.of("application.properties"), ConfigDocs.properties());
    }

    @Test
    void configurationReferenceIsGeneratedFromTheDeclarations() throws Exception {
        check(Path.of("docs/configuration.md"), ConfigDocs.markdown());
    }

    private static void check(Path file, String expected) throws Exception {
        if (Boolean.getBoolean("regenerate")) {
            Files.writeString(file, expected, StandardCharsets.UTF_8);
        }
        assertEquals(expected, Files.readString(file, StandardCharsets.UTF_8), file + HOW);
    }
}
