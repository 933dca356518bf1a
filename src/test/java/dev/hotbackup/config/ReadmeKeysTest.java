package dev.hotbackup.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The keys a new user sets first are those of the README's table: each must exist, and any one-key
 * typo in any of them (a letter left out, two letters swapped, one letter wrong) must be refused
 * with the key that was meant.
 */
class ReadmeKeysTest {

    /** Every key the README's key table names, {@code .to} written relative to its row's first. */
    static Set<String> readmeKeys() throws Exception {
        Set<String> keys = new LinkedHashSet<>();
        Pattern tick = Pattern.compile("`([^`]+)`");
        for (String line : Files.readAllLines(Path.of("README.md"))) {
            if (!line.startsWith("| `hotbackup.")) {
                continue;
            }
            String cell = line.substring(1, line.indexOf('|', 1));
            Matcher m = tick.matcher(cell);
            String first = null;
            while (m.find()) {
                String k = m.group(1);
                if (first == null) {
                    first = k;
                } else if (k.startsWith(".")) {
                    k = first.substring(0, first.lastIndexOf('.')) + k;
                }
                if (!k.contains("<")) {
                    keys.add(k);
                }
            }
        }
        return keys;
    }

    @Test
    void everyKeyOfTheReadmeExists() throws Exception {
        Set<String> keys = readmeKeys();
        assertTrue(keys.size() >= 15, keys.toString());
        for (String k : keys) {
            assertNotNull(Keys.named(k), k + " is in the README but not declared");
        }
    }

    @Test
    void anyOneKeyTypoInTheReadmeTableIsRefusedWithTheKeyMeant() throws Exception {
        List<String> missed = new ArrayList<>();
        int tried = 0;
        for (String key : readmeKeys()) {
            for (String typo : typos(key)) {
                if (UnknownKeyCheck.known(typo)) {
                    continue;
                }
                tried++;
                Map<String, String> values = HotBackupSettingsTest.backup(typo, "1");
                Map<String, String> configured = new HashMap<>();
                values.keySet().forEach(n -> configured.put(n, "test"));
                try {
                    HotBackupSettings.load(values::get, configured);
                    missed.add(typo + " was accepted");
                } catch (InvalidConfigurationException e) {
                    String expected = typo + ": no such key; did you mean " + key + "?";
                    if (e.problems().stream().noneMatch(p -> p.startsWith(expected))) {
                        missed.add(typo + " -> " + e.problems());
                    }
                }
            }
        }
        assertTrue(tried > 300, "only " + tried + " typos tried");
        assertEquals(List.of(), missed);
    }

    @Test
    void theTyposAreRealTypos() {
        List<String> t = typos("hotbackup.listener.port");
        assertTrue(t.contains("hotbackup.listner.port"), t.toString());
        assertTrue(t.contains("hotbackup.listener.prot"), t.toString());
        assertFalse(t.contains("hotbackup.listener.port"), t.toString());
    }

    /** The key with one letter left out, two neighbours swapped, or one letter doubled. */
    static List<String> typos(String key) {
        Set<String> out = new LinkedHashSet<>();
        int from = "hotbackup.".length();
        for (int i = from; i < key.length(); i++) {
            if (key.charAt(i) == '.') {
                continue;
            }
            out.add(key.substring(0, i) + key.substring(i + 1));
            out.add(key.substring(0, i) + key.charAt(i) + key.substring(i));
            if (i + 1 < key.length() && key.charAt(i + 1) != '.') {
                out.add(
                        key.substring(0, i)
                                + key.charAt(i + 1)
                                + key.charAt(i)
                                + key.substring(i + 2));
            }
        }
        out.remove(key);
        return new ArrayList<>(out);
    }
}
